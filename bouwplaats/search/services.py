"""Writing the search index: refresh documents of a kind, rebuild everything."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .analysis import terms
from .documents import SearchDocument
from .models import Access, Entry, Theme
from .registry import providers

#: Documents written per batch by the rebuild.
BATCH = 500


def _write(kind: str, ids: list[int] | None, documents: Iterable[SearchDocument]) -> int:
    """Store ``documents`` of ``kind`` and drop the entries of ``ids`` not among them.

    With ``ids`` None, every entry of ``kind`` not among the documents goes.
    """
    seen: set[int] = set()
    for doc in documents:
        if doc.kind != kind:
            raise ValueError(f"A {doc.kind!r} document came from the provider of {kind!r}.")
        if not doc.access:
            raise ValueError(f"{kind} {doc.object_id} has no access key.")
        seen.add(doc.object_id)
        entry, created = Entry.objects.update_or_create(
            kind=kind,
            object_id=doc.object_id,
            defaults={
                "title": doc.title,
                "body": doc.body,
                "url": doc.url,
                "title_terms": terms(doc.title),
                "body_terms": terms(doc.body),
                "programme_id": doc.programme_id,
                "boost": doc.boost,
                "updated_at": doc.updated_at,
            },
        )
        if not created:
            entry.access.all().delete()
            entry.themes.all().delete()
        Access.objects.bulk_create(Access(entry=entry, key=k) for k in sorted(doc.access))
        Theme.objects.bulk_create(Theme(entry=entry, slug=s) for s in sorted(set(doc.themes)))
    gone = Entry.objects.filter(kind=kind).exclude(object_id__in=seen)
    if ids is not None:
        gone = gone.filter(object_id__in=ids)
    gone.delete()
    return len(seen)


@transaction.atomic
def search_index_refresh(*, kind: str, ids: Iterable[int]) -> int:
    """Re-index the records ``ids`` of ``kind`` from their app; return how many are findable.

    Records the app no longer yields (deleted, or no longer to be found) leave the index.
    Call it inside the transaction that changed them. Raises KeyError for an unknown kind.
    """
    ids = sorted({int(i) for i in ids})
    if not ids:
        return 0
    module = providers()[kind]
    return _write(kind, ids, module.documents(kind=kind, ids=ids))


@transaction.atomic
def search_rebuild(*, kinds: Iterable[str] | None = None) -> dict[str, int]:
    """Re-index every document of ``kinds`` (all kinds when None); return kind → count.

    Entries of kinds no app contributes any longer are dropped too.
    """
    registered = providers()
    chosen = list(registered) if kinds is None else list(kinds)
    counts = {
        kind: _write(kind, None, registered[kind].documents(kind=kind, ids=None)) for kind in chosen
    }
    if kinds is None:
        Entry.objects.exclude(kind__in=list(registered)).delete()
    return counts
