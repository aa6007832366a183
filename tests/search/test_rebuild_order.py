"""Results that rank equally keep their order through ``search_rebuild`` (and a bulk
re-index): a record indexed again keeps its entry id, the order's tie-break."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from bouwplaats.events.models import Session
from bouwplaats.search.models import Entry
from bouwplaats.search.selectors import search_query
from bouwplaats.search.services import (
    search_index_forget,
    search_index_refresh,
    search_index_refresh_many,
)
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def titles() -> list[str]:
    return [hit.title for hit in search_query(user=None, q="verankering").items]


@pytest.fixture
def equal_ranks():
    """Three sessions on verankering changed in the same second, indexed in another order
    than their primary keys (the second was taken out of the index and put back, as an
    import does)."""
    sessions = [
        SessionFactory(title=f"Verankering in de regio, deel {n}", intro="") for n in (1, 2, 3)
    ]
    ids = [s.pk for s in sessions]
    same_second = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    Session.objects.filter(pk__in=ids).update(updated_at=same_second)
    search_index_forget(kind="session", ids=[ids[1]])
    search_index_refresh(kind="session", ids=ids)
    assert len(set(Entry.objects.filter(kind="session").values_list("rank", flat=True))) == 1
    return ids


def test_a_rebuild_gives_the_same_order(equal_ranks):
    before = titles()
    assert len(before) == 3
    ids_before = dict(Entry.objects.values_list("object_id", "id"))
    call_command("search_rebuild", verbosity=0)
    assert titles() == before
    assert dict(Entry.objects.values_list("object_id", "id")) == ids_before
    call_command("search_rebuild", "session", verbosity=0)
    assert titles() == before


def test_a_bulk_reindex_gives_the_same_order(equal_ranks):
    before = titles()
    search_index_refresh_many(kind="session", ids=equal_ranks)
    assert titles() == before


def test_a_record_new_to_the_index_still_gets_a_new_entry(equal_ranks):
    newest = SessionFactory(title="Verankering van lessen", intro="")
    Session.objects.filter(pk=newest.pk).update(updated_at=Session.objects.first().updated_at)
    search_index_refresh(kind="session", ids=[newest.pk])
    call_command("search_rebuild", verbosity=0)
    assert len(titles()) == 4
    assert Entry.objects.filter(kind="session").count() == 4
