"""The shapes of the ``mine_sections`` hook (Mijn Bouwplaats, collected by
``events.mine_hooks``); in core because planning may not import events."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Waiting:
    """One thing that waits for the member: under ``heading``, ``text`` and a link ``label``
    to ``url`` where they act on it."""

    heading: str
    text: str
    url: str
    label: str


@dataclass(frozen=True)
class MineSection:
    """One block on Mijn Bouwplaats: ``template`` is rendered with ``section`` in its context
    (read ``section.context``); blocks appear by ``order``, lowest first."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50
