"""The apps' ``search_documents`` modules, found by name (bouwplaats.search.documents)."""

from __future__ import annotations

from functools import cache
from types import ModuleType

from bouwplaats.core.hooks import app_modules

from .documents import MEMBER, PUBLIC


@cache
def providers() -> dict[str, ModuleType]:
    """Return kind → the module that contributes it; a kind claimed twice raises ValueError."""
    found: dict[str, ModuleType] = {}
    for app, module in app_modules("search_documents"):
        for kind in module.KINDS:
            if kind in found:
                raise ValueError(f"Search kind {kind!r} of {app} is claimed twice.")
            found[kind] = module
    return found


def kind_labels() -> dict[str, str]:
    """Return kind → its translated Dutch label, in the apps' order."""
    return {kind: str(module.KINDS[kind]) for kind, module in providers().items()}


def viewer_keys(user) -> frozenset[str]:
    """Return the access keys ``user`` (anonymous included) holds: public, member, the apps'."""
    keys = {PUBLIC}
    if user is not None and user.is_authenticated:
        keys.add(MEMBER)
    for module in dict.fromkeys(providers().values()):
        grant = getattr(module, "viewer_keys", None)
        if grant is not None:
            keys.update(grant(user))
    return frozenset(keys)


def filter_labels() -> dict[str, dict]:
    """Return the names the filters show: ``{"programme": {id: name}, "theme": {slug: name}}``.

    From the apps' optional ``filter_labels()`` (e.g. events, which knows the programmes).
    """
    labels: dict[str, dict] = {"programme": {}, "theme": {}}
    for module in dict.fromkeys(providers().values()):
        provide = getattr(module, "filter_labels", None)
        if provide is not None:
            for name, values in provide().items():
                labels.setdefault(name, {}).update(values)
    return labels
