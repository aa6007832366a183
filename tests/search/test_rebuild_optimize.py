"""``manage.py search_rebuild`` compacts the full-text index and refreshes the statistics."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bouwplaats.search.selectors import search_query
from bouwplaats.search.services import OPTIMIZE
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_search_rebuild_optimizes_the_index_and_still_finds():
    SessionFactory(title="Warmtenetten in de wijk")
    SessionFactory(title="Fietsenstalling bij het station")
    with CaptureQueriesContext(connection) as ran:
        call_command("search_rebuild", verbosity=0)
    statements = [q["sql"] for q in ran.captured_queries]
    # SQLite: FTS5 'optimize' of both full-text tables; PostgreSQL: ANALYZE of the tables.
    expected = OPTIMIZE[connection.vendor]
    assert len(expected) >= 2
    for statement in expected:
        assert statement in statements, statement
    # After the rebuild, nothing else: the compaction is the last step.
    assert statements[-len(expected) :] == expected
    assert [h.title for h in search_query(user=None, q="warmtenet").items] == [
        "Warmtenetten in de wijk"
    ]
    assert [h.title for h in search_query(user=None, q="stalling").items] == [
        "Fietsenstalling bij het station"
    ]
