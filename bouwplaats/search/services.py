"""Writing the search index: refresh documents of a kind, rebuild everything."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction

from bouwplaats.core.page_cache import (
    bump_visitor_pages,
    bump_visitor_versions,
    visitor_pages_cached,
)

from .analysis import terms
from .documents import PUBLIC, SearchDocument
from .keys import entry_keys
from .models import Access, Entry, Theme
from .ranking import entry_rank
from .registry import providers

#: Longest part of a term that names its page version: terms sharing it share the version,
#: which only makes a page stale more often, never less.
TERM_VERSION_CHARS = 64


def term_versions(found_terms: Iterable[str]) -> list[str]:
    """Return the names of the visitors' page versions (core.page_cache) of ``found_terms``.

    A page of results for a query can only change when an entry holding one of the query's
    terms (stems and compound parts, query.Query.terms) is written or dropped, since an entry
    matches a clause only through those terms; so the search page follows these versions and
    a refresh bumps those of the entry's terms before and after.
    """
    return sorted({f"search-term:{term[:TERM_VERSION_CHARS]}" for term in found_terms if term})


#: Documents written per batch by the rebuild.
BATCH = 500
#: What ``search_index_optimize`` runs per database (no ORM form: the full-text index lives
#: outside the ORM, migrations 0006/0007). SQLite: FTS5 merges each full-text index into one
#: segment (a rebuild writes hundreds of small ones, and every term lookup reads each), which
#: made the slowest searches of bench/search.py 2.5 times cheaper. PostgreSQL: fresh planner
#: statistics of the replaced rows.
OPTIMIZE = {
    "sqlite": [
        "INSERT INTO search_fts(search_fts) VALUES('optimize')",
        "INSERT INTO search_fts_title(search_fts_title) VALUES('optimize')",
    ],
    "postgresql": [
        "ANALYZE search_entry",
        "ANALYZE search_access",
        "ANALYZE search_theme",
    ],
}


def _check(kind: str, doc: SearchDocument) -> None:
    if doc.kind != kind:
        raise ValueError(f"A {doc.kind!r} document came from the provider of {kind!r}.")
    if not doc.access:
        raise ValueError(f"{kind} {doc.object_id} has no access key.")


def _keys(doc: SearchDocument) -> str:
    return entry_keys(
        kind=doc.kind, access=doc.access, programme_id=doc.programme_id, themes=doc.themes
    )


def _entry(doc: SearchDocument) -> Entry:
    return Entry(
        kind=doc.kind,
        object_id=doc.object_id,
        title=doc.title,
        body=doc.body,
        url=doc.url,
        title_terms=terms(doc.title),
        body_terms=terms(doc.body),
        programme_id=doc.programme_id,
        keys=_keys(doc),
        boost=doc.boost,
        updated_at=doc.updated_at,
        rank=entry_rank(doc.updated_at, doc.boost),
    )


def _replace_all(
    kind: str, documents: Iterable[SearchDocument], ids: list[int] | None = None
) -> int:
    """Replace every entry of ``kind`` (or of ``ids`` only) by ``documents``, in batches.

    A record indexed before keeps its entry id: results that rank equally are ordered by
    that id (bouwplaats.search.ranking), so a rebuild leaves their order as it was.
    """
    # What visitors find may change: their cached search pages go (core.page_cache).
    bump_visitor_pages("search")
    kept: dict[int, int] = {}
    if ids is None:
        kept.update(Entry.objects.filter(kind=kind).values_list("object_id", "id"))
        Entry.objects.filter(kind=kind).delete()
    for at in range(0, len(ids or ()), BATCH):
        chosen = Entry.objects.filter(kind=kind, object_id__in=ids[at : at + BATCH])
        kept.update(chosen.values_list("object_id", "id"))
        chosen.delete()
    count = 0
    batch: list[SearchDocument] = []

    def entry(doc: SearchDocument) -> Entry:
        made = _entry(doc)
        made.pk = kept.get(doc.object_id)
        return made

    def flush() -> None:
        entries = Entry.objects.bulk_create([entry(doc) for doc in batch])
        Access.objects.bulk_create(
            Access(entry=e, key=k)
            for e, doc in zip(entries, batch, strict=True)
            for k in sorted(doc.access)
        )
        Theme.objects.bulk_create(
            Theme(entry=e, slug=s)
            for e, doc in zip(entries, batch, strict=True)
            for s in sorted(set(doc.themes))
        )
        batch.clear()

    seen: set[int] = set()
    for doc in documents:
        _check(kind, doc)
        if doc.object_id in seen:
            continue
        seen.add(doc.object_id)
        batch.append(doc)
        count += 1
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return count


def _write(kind: str, ids: list[int] | None, documents: Iterable[SearchDocument]) -> int:
    """Store ``documents`` of ``kind`` and drop the entries of ``ids`` not among them.

    With ``ids`` None, the documents replace every entry of ``kind``.
    """
    if ids is None:
        return _replace_all(kind, documents)
    # Visitors' cached search pages go when an entry they may find changes, comes or goes:
    # those of the queries holding one of its terms, before or after (term_versions); entries
    # only members find (a space's comments) leave those pages as they are.
    stale: set[str] = set()
    if visitor_pages_cached():
        for title_terms, body_terms in Entry.objects.filter(
            kind=kind, object_id__in=ids, access__key=PUBLIC
        ).values_list("title_terms", "body_terms"):
            stale.update(title_terms.split(), body_terms.split())
    seen: set[int] = set()
    for doc in documents:
        _check(kind, doc)
        seen.add(doc.object_id)
        title_terms, body_terms = terms(doc.title), terms(doc.body)
        if PUBLIC in doc.access:
            stale.update(title_terms.split(), body_terms.split())
        entry, created = Entry.objects.update_or_create(
            kind=kind,
            object_id=doc.object_id,
            defaults={
                "title": doc.title,
                "body": doc.body,
                "url": doc.url,
                "title_terms": title_terms,
                "body_terms": body_terms,
                "programme_id": doc.programme_id,
                "keys": _keys(doc),
                "boost": doc.boost,
                "updated_at": doc.updated_at,
                "rank": entry_rank(doc.updated_at, doc.boost),
            },
        )
        if not created:
            entry.access.all().delete()
            entry.themes.all().delete()
        Access.objects.bulk_create(Access(entry=entry, key=k) for k in sorted(doc.access))
        Theme.objects.bulk_create(Theme(entry=entry, slug=s) for s in sorted(set(doc.themes)))
    Entry.objects.filter(kind=kind, object_id__in=ids).exclude(object_id__in=seen).delete()
    if stale:
        bump_visitor_versions(term_versions(stale))
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
def search_index_refresh_many(*, kind: str, ids: Iterable[int]) -> int:
    """Re-index many records of ``kind`` at once (an import): ``search_index_refresh`` in
    bulk writes, BATCH documents per insert. Returns how many are findable."""
    ids = sorted({int(i) for i in ids})
    module = providers()[kind]

    def documents():
        for at in range(0, len(ids), BATCH):
            yield from module.documents(kind=kind, ids=ids[at : at + BATCH])

    return _replace_all(kind, documents(), ids) if ids else 0


@transaction.atomic
def search_index_forget(*, kind: str, ids: Iterable[int]) -> int:
    """Drop the entries of the records ``ids`` of ``kind`` (until a refresh puts them back, as
    a task does after an import); return how many entries went."""
    ids = sorted({int(i) for i in ids})
    gone = 0
    bump_visitor_pages("search")
    for at in range(0, len(ids), BATCH):
        gone += (
            Entry.objects.filter(kind=kind, object_id__in=ids[at : at + BATCH])
            .delete()[1]
            .get(Entry._meta.label, 0)
        )
    return gone


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


def search_index_optimize() -> None:
    """Compact the full-text index and refresh the planner's statistics of the search tables
    (``OPTIMIZE``); run after a rebuild or a bulk load. Costs seconds per 100,000 entries,
    next to nothing on an index compacted already."""
    with connection.cursor() as cursor:
        for statement in OPTIMIZE.get(connection.vendor, []):
            cursor.execute(statement)
