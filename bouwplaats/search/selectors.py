"""Reading the search index: one page of results, and likely duplicates while typing.

How a query runs (the same on SQLite and PostgreSQL, ids in the same order):
1. The query becomes our own clauses (bouwplaats.search.query); the database's full-text
   index finds the matching entries the user may see (access keys) and the type/programme/
   theme filters ask for in one expression: the keys are tokens in the same index
   (bouwplaats.search.keys), so no match is looked up elsewhere to be filtered.
2. Order: two tiers, title hits (every query word in the title) and the rest, each read in
   the stored order ``Entry.rank`` (bouwplaats.search.ranking) straight from an index, newest
   first: SQLite's FTS5 rowid is the rank, PostgreSQL walks the rank index (or, for a rare
   word, sorts its few GIN matches). Each tier stops after ``offset + limit + 1`` rows and the
   two are merged with the title bonus, so a page costs about its own rows, whatever the number
   of matches, and every match stays reachable page after page.
3. Counts: at most ``COUNT_LIMIT + 1`` matches are counted; past that the total and the
   counts per type are lower bounds (``SearchResults.total_is_lower_bound``).
4. Only the entries shown are read in full, and only their snippets are highlighted (no
   ``snippet()``/``ts_headline``).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import tokens_holding
from .keys import KIND, PROGRAMME, THEME, access_tokens, token
from .models import Entry
from .query import MAX_QUERY_LENGTH, Query, fts5_expression, parse, tsquery_expression
from .ranking import HALF_LIFE_DAYS, TITLE_BONUS
from .registry import kind_labels, viewer_keys

#: Matches counted per query at most; past it the total and the counts per type are lower
#: bounds (the page says "Meer dan 200 resultaten", the API ``count_is_lower_bound``).
COUNT_LIMIT = 200
#: Entries read (newest first) and scored when looking for likely duplicates.
SIMILAR_CANDIDATES = 200
MAX_PER_PAGE = 50
#: Likely duplicates: a query word in the title counts ``TITLE_WEIGHT`` body occurrences.
TITLE_WEIGHT = 3.0
SNIPPET_CHARS = 220
#: SQLite's FTS5 rowid is -(rank × 2³¹ + entry id) (migration 0005): the id is its low bits.
_ID_BITS = 2**31 - 1


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
class Slice:
    """Results ``offset…offset+limit`` of a query, its total and counts per type.

    ``total`` and ``facets`` count at most COUNT_LIMIT matches each: with
    ``total_is_lower_bound`` (``facets_are_lower_bounds``) there are more. ``has_more``: results
    follow this slice.
    """

    hits: list[Hit]
    total: int
    facets: dict[str, int]
    total_is_lower_bound: bool = False
    facets_are_lower_bounds: bool = False
    has_more: bool = False


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
    #: ``total`` counts the first COUNT_LIMIT matches and there are more.
    total_is_lower_bound: bool = False
    facets_are_lower_bounds: bool = False
    #: Results follow this page.
    has_more: bool = False

    @property
    def pages(self) -> int | None:
        """Return the number of pages, or None when the total is a lower bound."""
        if self.total_is_lower_bound:
            return None
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_next(self) -> bool:
        return self.has_more

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.items else 0


@dataclass(frozen=True)
class _Filters:
    keys: frozenset[str]
    kinds: tuple[str, ...] = ()
    programme_id: int | None = None
    theme: str | None = None


def _key_groups(filters: _Filters, *, columns: bool = False) -> list[list[str]]:
    """Return the key tokens an entry must hold one of, per group (access, type, programme,
    theme), each group sorted (bouwplaats.search.keys); with ``columns``, the type and
    programme are left to their columns."""
    groups = [access_tokens(filters.keys)]
    if filters.kinds and not columns:
        groups.append(sorted(token(KIND, k) for k in filters.kinds))
    if filters.programme_id is not None and not columns:
        groups.append([token(PROGRAMME, filters.programme_id)])
    if filters.theme:
        groups.append([token(THEME, filters.theme)])
    return groups


#: The selected columns of a match, per database: SQLite reads the entry id and rank from the
#: FTS5 rowid (no entry row is read unless ``kind`` is asked for).
_SQLITE_COLUMNS = {
    "id": f"((-f.rowid) & {_ID_BITS})",
    "rank": "((-f.rowid) >> 31)",
    "kind": "e.kind",
}


def _literal(value: str) -> str:
    """Return ``value`` as a PostgreSQL literal, quoted by psycopg, ``%`` doubled for the
    placeholders.

    The searches' values are written into the statement, not bound: PostgreSQL then plans
    each text match knowing how many entries it finds. A bound one gets, after five uses, a
    generic plan that walks the rank index for a word of three entries as for a common one.
    """
    from psycopg import sql

    connection.ensure_connection()
    return sql.Literal(value).as_string(connection.connection).replace("%", "%%")


def _matches_sql(
    query: Query,
    filters: _Filters,
    *,
    tier: str,
    columns: tuple[str, ...],
    any_clause: bool = False,
    ordered: bool = True,
) -> tuple[str, list]:
    """Return ``SELECT columns`` (of ``id``, ``rank``, ``kind``) of the matches of ``query``
    the filters keep, in rank order (highest first), and its parameters; add
    ``LIMIT``/``OFFSET`` to it.

    The filters are key tokens in the same full-text expression as the text, so the index
    hands out only the matches the user may see and asked for.
    ``ordered=False`` leaves the order to PostgreSQL (cheaper for a count: it stops after the
    first rows its GIN match finds instead of walking the rank index); SQLite's full-text
    index gives rank order anyway.

    ``tier``: ``"all"`` the matches, ``"title"`` those with every clause in the title,
    ``"rest"`` the others.
    """
    entry = Entry._meta.db_table
    if connection.vendor == "postgresql":
        # Type and programme as columns only: PostgreSQL walks the rank index of that type or
        # programme (or intersects it with the GIN match), and a token as well would count
        # the same condition twice in its estimate and make it pick the wrong plan.
        groups = _key_groups(filters, columns=True)
        expression = _literal(tsquery_expression(query, any_clause=any_clause))
        keys = " & ".join("(" + " | ".join(f"'{t}'" for t in group) + ")" for group in groups)
        # Key tokens are cast (no parser), the terms parsed as the stored text was.
        found = f"(to_tsquery('simple'::regconfig, {expression}) && {_literal(keys)}::tsquery)"
        conditions = {
            "all": [f"e.tsv @@ {found}"],
            "title": [f"e.title_tsv @@ {found}"],
            "rest": [
                f"e.tsv @@ {found}",
                f"NOT e.title_tsv @@ to_tsquery('simple'::regconfig, {expression})",
            ],
        }[tier]
        if filters.kinds:
            conditions.append(f"e.kind IN ({', '.join(_literal(k) for k in filters.kinds)})")
        if filters.programme_id is not None:
            conditions.append(f"e.programme_id = {int(filters.programme_id)}")
        selected = ", ".join(f"e.{c} AS {c}" for c in columns)
        sql = f"SELECT {selected} FROM {entry} e WHERE {' AND '.join(conditions)}"
        if ordered:
            sql += " ORDER BY e.rank DESC, e.id DESC"
        return sql, []
    groups = _key_groups(filters)
    anywhere = fts5_expression(query, any_clause=any_clause)
    in_title = fts5_expression(query, any_clause=any_clause, title_only=True)
    keys = " AND ".join(
        "{keys} : (" + " OR ".join(f'"{t}"' for t in group) + ")" for group in groups
    )
    # Title hits come from the titles' own index (migration 0007): on search_fts a column
    # filter would read every match of the words to find the few in a title.
    table, expression = {
        "all": ("search_fts", f"({anywhere}) AND {keys}"),
        "title": ("search_fts_title", f"({anywhere}) AND {keys}"),
        "rest": ("search_fts", f"(({anywhere}) AND {keys}) NOT ({in_title})"),
    }[tier]
    selected = ", ".join(f"{_SQLITE_COLUMNS[c]} AS {c}" for c in columns)
    join = ""
    if "kind" in columns:
        join = f" JOIN {entry} e ON e.id = ((-f.rowid) & {_ID_BITS})"
    # FTS5 hands out its matches in ascending rowid order, which is descending rank, id.
    sql = f"SELECT {selected} FROM {table} f{join} WHERE {table} MATCH %s ORDER BY f.rowid"
    return sql, [expression]


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _tier_sql(query: Query, filters: _Filters, *, tier: str, few: bool) -> tuple[str, list]:
    """Return ``SELECT id, rank`` of a tier's matches in rank order, and its parameters.

    ``few``: the matches were counted and are at most COUNT_LIMIT. PostgreSQL then collects
    them all from its GIN index and sorts them; walking the rank index instead would check
    row after row that does not match (its planner prices a text match far too low).
    """
    collect = few and connection.vendor == "postgresql"
    sql, params = _matches_sql(
        query, filters, tier=tier, columns=("id", "rank"), ordered=not collect
    )
    if collect:
        sql = f"WITH m AS MATERIALIZED ({sql}) SELECT id, rank FROM m ORDER BY rank DESC, id DESC"
    return sql, params


def _page_ids(
    query: Query, filters: _Filters, *, offset: int, limit: int, few: bool = False
) -> tuple[list, bool]:
    """Return the entry ids of results ``offset…offset+limit`` in order, and whether more
    follow: the title hits and the rest, each read in rank order, merged with TITLE_BONUS.
    ``few``: at most COUNT_LIMIT matches (``_tier_sql``)."""
    wanted = offset + limit + 1
    title_sql, title_params = _tier_sql(query, filters, tier="title", few=few)
    rest_sql, rest_params = _tier_sql(query, filters, tier="rest", few=few)
    rows = _fetch(
        f"SELECT 1, id, rank FROM ({title_sql} LIMIT %s) t"
        f" UNION ALL SELECT 0, id, rank FROM ({rest_sql} LIMIT %s) r",
        [*title_params, wanted, *rest_params, wanted],
    )
    merged = sorted(((rank + TITLE_BONUS * hit, id_) for hit, id_, rank in rows), reverse=True)
    return [id_ for _key, id_ in merged[offset : offset + limit]], len(merged) > offset + limit


def _count(query: Query, filters: _Filters) -> tuple[dict[str, int], bool]:
    """Return (count per kind of COUNT_LIMIT + 1 matches at most, whether there are more
    than COUNT_LIMIT). Past COUNT_LIMIT which matches were counted may differ per database."""
    sql, params = _matches_sql(query, filters, tier="all", columns=("kind",), ordered=False)
    if connection.vendor == "postgresql":
        # Planned without the LIMIT, PostgreSQL takes the matches from its GIN index and reads
        # at most COUNT_LIMIT + 1 of their rows. With the LIMIT in view it scans the table
        # until it has found them, which for a word only old entries hold (matches rarer in
        # the table's order than on average) read 200,000 rows: 202 ms for "Molenstraat" on
        # the volume set, 12 ms this way; bench/search.py's p95 of the counts 36 → 29 ms.
        sql = f"WITH m AS MATERIALIZED ({sql}) SELECT kind FROM m"
    rows = _fetch(
        f"SELECT kind, COUNT(*) FROM ({sql} LIMIT %s) s GROUP BY kind", [*params, COUNT_LIMIT + 1]
    )
    counts = dict(sorted(rows, key=lambda kv: (-kv[1], kv[0])))
    return counts, sum(counts.values()) > COUNT_LIMIT


def _matching(query: Query, *, keys, among: list[int]) -> set[int]:
    """Return the entry ids of ``among`` that ``query`` finds for the holder of ``keys``."""
    if not among:
        return set()
    filters = _Filters(frozenset(keys))
    sql, params = _matches_sql(query, filters, tier="all", columns=("id",), ordered=False)
    marks = ", ".join(["%s"] * len(among))
    return {
        r[0] for r in _fetch(f"SELECT id FROM ({sql}) m WHERE id IN ({marks})", [*params, *among])
    }


def _score(query: Query, title_terms: str, body_terms: str, rank: int) -> float:
    """Return the log-score of an entry for likely duplicates: text match, boost, recency."""
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
    return round(math.log(max(text, 1e-9)) + rank / (HALF_LIFE_DAYS * 86400) * math.log(2), 9)


def highlight(
    text: str, query: Query, *, length: int = SNIPPET_CHARS, text_terms: str | None = None
) -> SafeString:
    """Return escaped HTML of a window of ``text`` around its first query word, with every
    word that has a query term (stem or compound part) in ``<mark>``.

    Only the words up to the first hit and those in the window are analysed, none when
    ``text_terms`` (the stored terms of ``text``) hold no query term.
    """
    wanted = query.terms
    found = text_terms is None or not wanted.isdisjoint(text_terms.split())
    first = next(tokens_holding(text, wanted), None) if found else None
    start = 0
    if first is not None and first.start > length // 3:
        start = text.rfind(" ", 0, first.start - length // 3) + 1
    end = min(len(text), start + length)
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > start else end
    parts: list[str] = ["… " if start > 0 else ""]
    position = start
    if first is not None:
        for token in tokens_holding(text[start:end], wanted):
            parts.append(escape(text[position : start + token.start]))
            parts.append(f"<mark>{escape(text[start + token.start : start + token.end])}</mark>")
            position = start + token.end
    parts.append(escape(text[position:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text above is escaped


#: The columns a result shows (not the stored terms and keys).
_SHOWN = ("kind", "object_id", "title", "url", "body", "body_terms", "updated_at", "programme_id")


def _hits(query: Query, ids: list[int]) -> list[Hit]:
    labels = kind_labels()
    entries = Entry.objects.only(*_SHOWN).in_bulk(ids)
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
                snippet=highlight(" ".join(e.body.split()), query, text_terms=e.body_terms),
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
) -> Slice:
    """Return results ``offset…offset+limit`` of what ``user`` may find for ``q`` (any string,
    of which the first MAX_QUERY_LENGTH characters count), the total and the count per kind.

    ``kinds`` keeps results of those kinds (the counts per kind still count every kind, so a
    filter shows what the others hold); ``programme_id`` and ``theme`` filter everything.
    Totals past COUNT_LIMIT are lower bounds (see Slice).
    """
    query = parse(q)
    if not query:
        return Slice([], 0, {})
    every_kind = _Filters(viewer_keys(user), (), programme_id, theme or None)
    facets, facets_capped = _count(query, every_kind)
    filters = every_kind
    total, capped = sum(facets.values()), facets_capped
    if kinds:
        filters = _Filters(every_kind.keys, tuple(sorted(set(kinds))), programme_id, theme or None)
        if facets_capped:
            counted, capped = _count(query, filters)
            total = sum(counted.values())
        else:
            total = sum(n for kind, n in facets.items() if kind in kinds)
    total = min(total, COUNT_LIMIT)
    offset, limit = max(0, int(offset)), max(0, int(limit))
    ids, has_more = [], False
    if limit and (offset < total or capped):
        ids, has_more = _page_ids(query, filters, offset=offset, limit=limit, few=not capped)
    return Slice(_hits(query, ids), total, facets, capped, facets_capped, has_more)


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

    Filters as :func:`search_slice`. A page past the last gives the last (when the total is
    known). A query longer than MAX_QUERY_LENGTH characters is cut (``truncated``).
    """
    per_page = max(1, min(int(per_page), MAX_PER_PAGE))
    page = max(1, int(page))
    common = {"user": user, "q": q, "kinds": kinds, "programme_id": programme_id, "theme": theme}
    found = search_slice(**common, offset=(page - 1) * per_page, limit=per_page)
    last = max(1, math.ceil(found.total / per_page))
    if page > last and not found.total_is_lower_bound:
        page = last
        found = search_slice(**common, offset=(page - 1) * per_page, limit=per_page)
    return SearchResults(
        query=q[:MAX_QUERY_LENGTH],
        items=found.hits,
        total=found.total,
        page=page,
        per_page=per_page,
        facets=found.facets,
        kinds=kind_labels(),
        truncated=len(q) > MAX_QUERY_LENGTH,
        total_is_lower_bound=found.total_is_lower_bound,
        facets_are_lower_bounds=found.facets_are_lower_bounds,
        has_more=found.has_more,
    )


def search_similar(*, user, text: str, kinds: list[str] | None = None, limit: int = 5) -> list[Hit]:
    """Return at most ``limit`` entries ``user`` may see that share the most words with
    ``text`` (e.g. questions that may already answer the one being typed).

    An entry must share at least half of the query's words (one for a one- or two-word text);
    the newest SIMILAR_CANDIDATES entries sharing any word are scored.
    """
    query = parse(text)
    if not query:
        return []
    filters = _Filters(viewer_keys(user), tuple(sorted(set(kinds or ()))))
    sql, params = _matches_sql(query, filters, tier="all", columns=("id",), any_clause=True)
    ids = [r[0] for r in _fetch(f"{sql} LIMIT %s", [*params, SIMILAR_CANDIDATES])]
    rows = Entry.objects.filter(id__in=ids).values_list(
        "id", "kind", "object_id", "rank", "title", "title_terms", "body_terms"
    )
    needed = max(1, len(query.clauses) // 2)
    scored = []
    for id_, kind, object_id, rank, title, title_terms, body_terms in rows:
        terms = set(title_terms.split()) | set(body_terms.split())
        shared = sum(1 for c in query.clauses if c.matches(terms))
        if shared < needed:
            continue
        score = _score(query, title_terms, body_terms, rank)
        scored.append((-shared, -score, title.casefold(), kind, object_id, id_))
    scored.sort()
    return _hits(query, [s[5] for s in scored[: max(0, limit)]])
