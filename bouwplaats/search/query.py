"""A user's query as our own list of terms, and the full-text expression each database gets.

Nothing the user types reaches the database's query language: the query is cut into words
(bouwplaats.search.analysis), and each word becomes quoted ``[a-z0-9]+`` terms joined by
operators written here, so ``"``, ``*``, ``NEAR``, ``AND``, ``-``, ``:``, ``(`` and SQL are
plain words or nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from .analysis import tokens

#: Longest query accepted (characters); the API refuses a longer one with 422, the page uses
#: its first ``MAX_QUERY_LENGTH`` characters and says so.
MAX_QUERY_LENGTH = 500
#: Words of a query used (the rest is ignored): keeps the expression and the scoring bounded.
MAX_CLAUSES = 12


@dataclass(frozen=True)
class Clause:
    """One query word: found when a document has its stem, or all of its compound parts."""

    stem: str
    parts: tuple[str, ...]

    def matches(self, terms: set[str]) -> bool:
        return self.stem in terms or bool(self.parts) and all(p in terms for p in self.parts)


@dataclass(frozen=True)
class Query:
    clauses: tuple[Clause, ...]

    @property
    def terms(self) -> frozenset[str]:
        """Every stem and part of the query (for highlighting)."""
        return frozenset(t for c in self.clauses for t in (c.stem, *c.parts))

    def __bool__(self) -> bool:
        return bool(self.clauses)


def parse(text: str, *, max_clauses: int = MAX_CLAUSES) -> Query:
    """Return the clauses of ``text`` (any string; at most ``max_clauses``, duplicates once)."""
    seen: dict[str, Clause] = {}
    for token in tokens(text[:MAX_QUERY_LENGTH]):
        if token.stem not in seen:
            seen[token.stem] = Clause(token.stem, token.parts)
        if len(seen) >= max_clauses:
            break
    return Query(tuple(seen.values()))


def fts5_expression(query: Query, *, any_clause: bool = False, title_only: bool = False) -> str:
    """Return the FTS5 MATCH expression of ``query`` (every clause, or any with ``any_clause``)."""

    def term(t: str) -> str:
        return f'"{t}"'

    def clause(c: Clause) -> str:
        if not c.parts:
            return term(c.stem)
        return "(" + term(c.stem) + " OR (" + " AND ".join(term(p) for p in c.parts) + "))"

    body = (" OR " if any_clause else " AND ").join(clause(c) for c in query.clauses)
    return "{title_terms} : (" + body + ")" if title_only else body


def tsquery_expression(query: Query, *, any_clause: bool = False) -> str:
    """Return the PostgreSQL ``to_tsquery('simple', …)`` text of ``query`` (same logic); the
    column it is matched against (``tsv`` or ``title_tsv``) decides title only or not."""

    def term(t: str) -> str:
        return f"'{t}'"

    def clause(c: Clause) -> str:
        if not c.parts:
            return term(c.stem)
        return "(" + term(c.stem) + " | (" + " & ".join(term(p) for p in c.parts) + "))"

    return (" | " if any_clause else " & ").join(clause(c) for c in query.clauses)
