"""The counts take their matches from the full-text index, never from a scan in table order."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouwplaats.search.selectors import COUNT_LIMIT, search_query
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_the_count_reads_matches_from_the_index_before_its_limit():
    for n in range(3):
        SessionFactory(title=f"Molenstraat {n}: riolering vervangen")
    with CaptureQueriesContext(connection) as ran:
        found = search_query(user=None, q="molenstraat", kinds=["session"])
    assert (found.total, found.facets) == (3, {"session": 3})
    counts = [q["sql"] for q in ran.captured_queries if "COUNT(*)" in q["sql"]]
    assert counts
    for sql in counts:
        assert f"LIMIT {COUNT_LIMIT + 1}" in sql
        if connection.vendor == "postgresql":
            # Planned apart from the LIMIT: the GIN index hands out the matches (a LIMIT in
            # view makes PostgreSQL scan the table until it has found enough of them).
            assert "WITH m AS MATERIALIZED (SELECT e.kind AS kind FROM search_entry e" in sql
            assert sql.index("MATERIALIZED") < sql.index(f"LIMIT {COUNT_LIMIT + 1}")
        else:
            # SQLite: FTS5 hands out the matches (rank order), the LIMIT stops it.
            assert "search_fts MATCH" in sql
