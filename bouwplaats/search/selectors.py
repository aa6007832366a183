"""Reading the search index: one page of results, and likely duplicates while typing.

How a query runs (the same on SQLite and PostgreSQL):
1. The query becomes our own clauses (bouwplaats.search.query); the database's full-text
   index finds the matching entries, and in the same statement the narrow tables keep those
   the user may see (access keys) and the programme/theme filters ask for. It returns only
   narrow columns (id, kind, date, boost, title hit) — counts per kind come from these.
2. Candidates: at most ``CANDIDATES`` of them, title hits first, then by boost and date.
3. Their stored terms are scored in Python (title hits, body occurrences, ``boost``,
   recency) and sorted with ties broken by title, kind and id: no database rank function is
   used, so both databases give the same order.
4. Only the entries shown are read in full, and only their snippets are highlighted.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection
from django.db.models import BooleanField, Count, Exists, F, OuterRef
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import tokens
from .models import Access, Entry, Theme
from .query import MAX_QUERY_LENGTH, Query, fts5_expression, parse, tsquery_expression
from .registry import kind_labels, viewer_keys

#: Entries scored per query (the rest follow in candidate order).
CANDIDATES = 200
#: Matches taken from the full-text index per query before filtering (twice: anywhere, and
#: in the title); a query with more matches counts at most these (``SearchResults.capped``).
POOL = 2000
MAX_PER_PAGE = 50
#: Score weights: a query word in the title counts ``TITLE_WEIGHT`` body occurrences' worth.
TITLE_WEIGHT = 3.0
#: Recency: an entry ``HALF_LIFE_DAYS`` older weighs half. The weight is exponential, so the
#: order of two entries does not change as time passes.
HALF_LIFE_DAYS = 730.0
_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
SNIPPET_CHARS = 220


@dataclass(frozen=True)
class Hit:
    """One result: ``snippet`` is escaped HTML with the query's words in ``<mark>``."""

    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    updated_at: datetime
    programme_id: int | None


@dataclass(frozen=True)
class SearchResults:
    query: str
    items: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, int] = field(default_factory=dict)
    #: kind → label of every kind (for filters), counts or not.
    kinds: dict[str, str] = field(default_factory=dict)
    #: True when the query was longer than MAX_QUERY_LENGTH and was cut.
    truncated: bool = False

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0


def _pool_sql(query: Query, *, any_clause: bool, title_only: bool) -> tuple[str, list]:
    """Return SQL selecting the ids of the newest-indexed POOL entries matching ``query``
    (by entry id, the same order on every database), and its parameters."""
    if connection.vendor == "postgresql":
        expression = tsquery_expression(query, any_clause=any_clause, title_only=title_only)
        sql = (
            "SELECT e.id FROM search_entry e WHERE e.tsv @@ to_tsquery('simple'::regconfig, %s)"
            " ORDER BY e.id DESC LIMIT %s"
        )
    else:
        expression = fts5_expression(query, any_clause=any_clause, title_only=title_only)
        # rowid is minus the entry id (migration 0003): ascending is FTS5's cheap direction.
        sql = (
            "SELECT -rowid AS id FROM search_fts WHERE search_fts MATCH %s ORDER BY rowid LIMIT %s"
        )
    return sql, [expression, POOL]


def _in_pool(query: Query, *, any_clause: bool = False, title_only: bool = False) -> RawSQL:
    """Return a boolean SQL expression: the entry is in the pool of ``query``'s matches.

    The full-text index picks at most POOL newest-indexed entries with the query anywhere
    plus POOL with it in the title (``title_only``: those only), so a query matching half
    the index costs about as much as one matching POOL entries; access keys and filters
    then apply to the pool.
    """
    title_sql, title_params = _pool_sql(query, any_clause=any_clause, title_only=True)
    if title_only:
        sql, params = f"SELECT id FROM ({title_sql}) t", title_params
    else:
        any_sql, any_params = _pool_sql(query, any_clause=any_clause, title_only=False)
        sql = f"SELECT id FROM ({any_sql}) a UNION SELECT id FROM ({title_sql}) t"
        params = any_params + title_params
    return RawSQL(f"search_entry.id IN ({sql})", params, output_field=BooleanField())


def _matches(query: Query, *, keys, programme_id, theme, any_clause: bool = False):
    """Return the entries of ``query``'s pool that the holder of ``keys`` may find, filtered
    by programme and theme, annotated with ``title_hit`` (a query word in the title)."""
    qs = (
        Entry.objects.filter(_in_pool(query, any_clause=any_clause))
        .filter(Exists(Access.objects.filter(entry=OuterRef("pk"), key__in=sorted(keys))))
        .annotate(title_hit=_in_pool(query, any_clause=any_clause, title_only=True))
    )
    if programme_id is not None:
        qs = qs.filter(programme_id=programme_id)
    if theme:
        qs = qs.filter(Exists(Theme.objects.filter(entry=OuterRef("pk"), slug=theme)))
    return qs


#: Candidate order: title hits first, then boost and date; ties by (kind, object id), which
#: are the same in every database (entry ids are not).
CANDIDATE_ORDER = (F("title_hit").desc(), "-boost", "-updated_at", "kind", "-object_id")
_ROW = ("id", "kind", "object_id", "updated_at", "boost", "title_hit")


def _score(query: Query, title_terms: str, body_terms: str, boost: float, updated_at) -> float:
    """Return the log-score of an entry: text match, times boost, times recency."""
    title = set(title_terms.split())
    body = Counter(body_terms.split())
    text = 0.0
    for clause in query.clauses:
        if clause.matches(title):
            text += TITLE_WEIGHT
        count = body[clause.stem]
        if clause.parts:
            count += min(body[p] for p in clause.parts)
        text += math.log1p(count)
    age_days = (updated_at - _EPOCH).total_seconds() / 86400
    return round(
        math.log(max(text, 1e-9))
        + math.log(max(boost, 1e-9))
        + age_days / HALF_LIFE_DAYS * math.log(2),
        9,
    )


def _with_terms(rows) -> list[tuple]:
    """Return ``rows`` (narrow, sorted by the database) each extended with the entry's title
    and stored terms, read in a second query so the sort never carries the text."""
    rows = list(rows)
    text = {
        id_: rest
        for id_, *rest in Entry.objects.filter(id__in=[r[0] for r in rows]).values_list(
            "id", "title", "title_terms", "body_terms"
        )
    }
    return [(*row, *text[row[0]]) for row in rows]


def _ranked(query: Query, matches, *, upto: int) -> list[int]:
    """Return the entry ids of ``matches`` in result order, at least the first ``upto``: the
    first CANDIDATES (in candidate order) scored, then the rest in candidate order."""
    ordered = matches.order_by(*CANDIDATE_ORDER)
    candidates = _with_terms(ordered.values_list(*_ROW)[:CANDIDATES])
    scored = []
    for id_, kind, object_id, updated_at, boost, _hit, title, title_terms, body_terms in candidates:
        score = _score(query, title_terms, body_terms, boost, updated_at)
        scored.append((-score, title.casefold(), kind, object_id, id_))
    scored.sort()
    ids = [s[4] for s in scored]
    if upto > len(ids) and len(ids) == CANDIDATES:
        ids += list(ordered.values_list("id", flat=True)[CANDIDATES:upto])
    return ids


def highlight(text: str, query: Query, *, length: int = SNIPPET_CHARS) -> SafeString:
    """Return escaped HTML of a window of ``text`` around its first query word, with every
    word that has a query term (stem or compound part) in ``<mark>``."""
    wanted = query.terms
    found = [t for t in tokens(text) if wanted.intersection(t.terms)]
    start = 0
    if found and found[0].start > length // 3:
        start = text.rfind(" ", 0, found[0].start - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts: list[str] = ["… " if start > 0 else ""]
    position = start
    for token in found:
        if token.start < start or token.end > end:
            continue
        parts.append(escape(text[position : token.start]))
        parts.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
        position = token.end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


def _hits(query: Query, ids: list[int]) -> list[Hit]:
    labels = kind_labels()
    entries = Entry.objects.in_bulk(ids)
    hits = []
    for id_ in ids:
        e = entries[id_]
        hits.append(
            Hit(
                kind=e.kind,
                kind_label=labels.get(e.kind, e.kind),
                object_id=e.object_id,
                title=e.title,
                url=e.url,
                snippet=highlight(" ".join(e.body.split()), query),
                updated_at=e.updated_at,
                programme_id=e.programme_id,
            )
        )
    return hits


def search_slice(
    *,
    user,
    q: str,
    kinds: list[str] | None = None,
    programme_id: int | None = None,
    theme: str | None = None,
    offset: int = 0,
    limit: int = 10,
) -> tuple[list[Hit], int, dict[str, int]]:
    """Return ``(hits offset…offset+limit, total, count per kind)`` of what ``user`` may find
    for ``q`` (any string, of which the first MAX_QUERY_LENGTH characters count).

    ``kinds`` keeps results of those kinds (the counts per kind still count every kind, so a
    filter shows what the others hold); ``programme_id`` and ``theme`` filter everything.
    """
    query = parse(q)
    if not query:
        return [], 0, {}
    matches = _matches(query, keys=viewer_keys(user), programme_id=programme_id, theme=theme)
    counted = matches.order_by().values_list("kind").annotate(n=Count("id"))
    facets = dict(sorted(counted, key=lambda kv: (-kv[1], kv[0])))
    if kinds:
        matches = matches.filter(kind__in=kinds)
    total = sum(n for kind, n in facets.items() if not kinds or kind in kinds)
    offset, limit = max(0, int(offset)), max(0, int(limit))
    if offset >= total or not limit:
        return [], total, facets
    ordered = _ranked(query, matches, upto=offset + limit)
    return _hits(query, ordered[offset : offset + limit]), total, facets


def search_query(
    *,
    user,
    q: str,
    kinds: list[str] | None = None,
    programme_id: int | None = None,
    theme: str | None = None,
    page: int = 1,
    per_page: int = 10,
) -> SearchResults:
    """Return page ``page`` of what ``user`` may find for ``q`` (any string; never raises).

    Filters as :func:`search_slice`. A page past the last gives the last. A query longer
    than MAX_QUERY_LENGTH characters is cut (``truncated``).
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    common = {"user": user, "q": q, "kinds": kinds, "programme_id": programme_id, "theme": theme}
    hits, total, facets = search_slice(**common, offset=(page - 1) * per_page, limit=per_page)
    last = max(1, math.ceil(total / per_page))
    if page > last:
        page = last
        hits, total, facets = search_slice(**common, offset=(page - 1) * per_page, limit=per_page)
    return SearchResults(
        query=q[:MAX_QUERY_LENGTH],
        items=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facets,
        kinds=kind_labels(),
        truncated=len(q) > MAX_QUERY_LENGTH,
    )


def search_similar(*, user, text: str, kinds: list[str] | None = None, limit: int = 5) -> list[Hit]:
    """Return at most ``limit`` entries ``user`` may see that share the most words with
    ``text`` (e.g. questions that may already answer the one being typed).

    An entry must share at least half of the query's words (one for a one- or two-word text).
    """
    query = parse(text)
    if not query:
        return []
    matches = _matches(
        query, keys=viewer_keys(user), programme_id=None, theme=None, any_clause=True
    )
    if kinds:
        matches = matches.filter(kind__in=kinds)
    rows = _with_terms(matches.order_by(*CANDIDATE_ORDER).values_list(*_ROW)[:CANDIDATES])
    needed = max(1, len(query.clauses) // 2)
    scored = []
    for id_, kind, object_id, updated_at, boost, _hit, title, title_terms, body_terms in rows:
        terms = set(title_terms.split()) | set(body_terms.split())
        shared = sum(1 for c in query.clauses if c.matches(terms))
        if shared < needed:
            continue
        score = _score(query, title_terms, body_terms, boost, updated_at)
        scored.append((-shared, -score, title.casefold(), kind, object_id, id_))
    scored.sort()
    return _hits(query, [s[5] for s in scored[: max(0, limit)]])
