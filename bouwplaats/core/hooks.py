"""Per-app hook modules found by name, in dependency order.

The hooks: ``api`` (a ninja ``router``), ``demo`` (``load()``), ``avg`` (export and forget a
member's data), and ``programme_sections`` (``sections(*, programme, user)`` returning a list
of ``programmes.sections.Section``: blocks such as upcoming sessions or the nieuwsflits
sign-up that apps above programmes add to the programme page), and ``mine_sections``
(``waiting(*, user)`` and ``mine(*, user)``: what apps above events add to Mijn Bouwplaats,
see ``events.mine_hooks``), and ``owed`` (``requeue() -> int``: queue again the background work
the app has on record as owed; `manage.py requeue_owed_work`).
"""

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.utils.module_loading import module_has_submodule


def app_modules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield ``(app, module)`` for every Bouwplaats app that has a module called ``name``.

    The apps come in INSTALLED_APPS order, which is their dependency order (core, accounts,
    programmes, events, ...): demo content of events needs the programmes' to be there.
    core holds the callers of these hooks, not a hook of its own.
    """
    for config in apps.get_app_configs():
        if not config.name.startswith("bouwplaats.") or config.name == "bouwplaats.core":
            continue
        if module_has_submodule(config.module, name):
            yield config.name, import_module(f"{config.name}.{name}")
