"""Per-app hook modules (``demo``, ``avg``) found by name, in the apps' dependency order."""

import importlib
import importlib.util
from collections.abc import Iterator
from types import ModuleType

APPS = [
    "bouwplaats.accounts",
    "bouwplaats.programmes",
    "bouwplaats.events",
    "bouwplaats.spaces",
    "bouwplaats.newsletters",
    "bouwplaats.projects",
    "bouwplaats.knowledge",
    "bouwplaats.planning",
]


def app_modules(name: str) -> Iterator[tuple[str, ModuleType]]:
    """Yield ``(app, module)`` for every app that has a module called ``name``."""
    for app in APPS:
        if importlib.util.find_spec(f"{app}.{name}") is not None:
            yield app, importlib.import_module(f"{app}.{name}")
