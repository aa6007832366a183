"""Sections that apps above programmes add to a programme's page (hook ``programme_sections``).

programmes may not import the apps above it (events, newsletters, anchoring, ...), so each of
those apps offers a module ``programme_sections`` with
``sections(*, programme, user) -> list[Section]``; the programme page shows what they return.
"""

from dataclasses import dataclass, field

from bouwplaats.core.hooks import app_modules


@dataclass(frozen=True)
class Section:
    """One block on a programme's page: ``template`` is rendered with ``section`` in its
    context (read ``section.context``); sections appear by ``order``, lowest first."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 50


def programme_sections(*, programme, user) -> list[Section]:
    """Return every app's sections for ``programme`` as ``user`` may see them, by order."""
    found: list[Section] = []
    for _app, module in app_modules("programme_sections"):
        found.extend(module.sections(programme=programme, user=user))
    return sorted(found, key=lambda section: section.order)
