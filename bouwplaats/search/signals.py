"""Keep the index current on save: the apps' ``WATCH`` maps, connected at start-up.

A ``search_documents`` module may declare ``WATCH: dict[str, Callable[[Model],
Iterable[tuple[str, int]]]]``: for a model ("app_label.ModelName"), which documents
(kind, id) a saved or deleted instance changes. Those documents are re-indexed in the same
transaction as the change (the receivers run inside it), so the index never says what the
database does not. Many-to-many changes (themes, co-hosts) count as changes of the instance.
"""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from .registry import providers

_watched: dict[type, list] = {}


def _refresh(model: type, instance) -> None:
    from .services import search_index_refresh

    wanted: dict[str, set[int]] = defaultdict(set)
    for affected in _watched.get(model, ()):
        for kind, object_id in affected(instance):
            wanted[kind].add(object_id)
    for kind, ids in sorted(wanted.items()):
        search_index_refresh(kind=kind, ids=ids)


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        _refresh(sender, instance)


def _on_delete(sender, instance, **kwargs) -> None:
    _refresh(sender, instance)


def _on_m2m(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and type(instance) in _watched:
        _refresh(type(instance), instance)


def connect() -> None:
    """Connect the receivers for every model some app watches (idempotent)."""
    for module in dict.fromkeys(providers().values()):
        for label, affected in getattr(module, "WATCH", {}).items():
            model = apps.get_model(label)
            if affected not in _watched.setdefault(model, []):
                _watched[model].append(affected)
    for model in _watched:
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-save-{model._meta.label}")
        post_delete.connect(
            _on_delete, sender=model, dispatch_uid=f"search-delete-{model._meta.label}"
        )
    m2m_changed.connect(_on_m2m, dispatch_uid="search-m2m")
