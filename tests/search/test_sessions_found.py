"""Sessions are found by stemmed and compound forms, kept current on save, drafts hidden."""

import pytest

from bouwplaats.search.selectors import search_query, search_similar
from tests.factories import MembershipFactory, SessionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _titles(results):
    return [hit.title for hit in results.items]


def test_stemmed_and_compound_forms_find_a_session():
    SessionFactory(title="Werksessie over de transitieopgaven van bewoners", intro="Tekst")
    SessionFactory(title="Iets anders", intro="Over fietsen")
    for q in ["bewoner", "transitieopgave", "opgave", "transitie", "TRANSITIEOPGAVEN"]:
        assert _titles(search_query(user=None, q=q)) == [
            "Werksessie over de transitieopgaven van bewoners"
        ], q


def test_a_draft_is_found_by_its_managers_only():
    host = UserFactory()
    session = SessionFactory(title="Geheime wijkaanpak", status="draft", host=host)
    team = MembershipFactory(programme=session.programme).user
    assert _titles(search_query(user=None, q="wijkaanpak")) == []
    assert _titles(search_query(user=UserFactory(), q="wijkaanpak")) == []
    assert _titles(search_query(user=host, q="wijkaanpak")) == ["Geheime wijkaanpak"]
    assert _titles(search_query(user=team, q="aanpak")) == ["Geheime wijkaanpak"]
    session.status = "published"
    session.save()
    assert _titles(search_query(user=None, q="wijk")) == ["Geheime wijkaanpak"]
    session.delete()
    assert _titles(search_query(user=host, q="wijk")) == []


def test_snippet_is_escaped_and_marked():
    SessionFactory(title="Sessie", intro="<script>alert(1)</script> over de energietransitie")
    [hit] = search_query(user=None, q="transitie").items
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>energietransitie</mark>" in hit.snippet


def test_similar():
    SessionFactory(title="Hoe vind je een balans tussen lokale initiatieven en samenhang?")
    hits = search_similar(user=None, text="balans lokale initiatieven")
    assert [h.title for h in hits] == [
        "Hoe vind je een balans tussen lokale initiatieven en samenhang?"
    ]


def test_the_index_follows_create_update_unpublish_and_delete():
    host = UserFactory()
    session = SessionFactory(title="Fietsenstalling bij het station", host=host)
    assert _titles(search_query(user=None, q="fietsenstallingen")) == [session.title]
    session.title = "Parkeergarage bij het station"
    session.save()
    assert _titles(search_query(user=None, q="fietsenstalling")) == []
    assert _titles(search_query(user=None, q="garage")) == [session.title]
    session.status = "draft"  # back to concept: only its managers find it
    session.save()
    assert _titles(search_query(user=None, q="garage")) == []
    assert _titles(search_query(user=host, q="garage")) == [session.title]
    session.delete()
    assert _titles(search_query(user=host, q="garage")) == []


def test_search_rebuild_restores_a_lost_index():
    from django.core.management import call_command

    from bouwplaats.search.models import Entry

    SessionFactory(title="Warmtenetten in de wijk")
    Entry.objects.all().delete()
    assert _titles(search_query(user=None, q="warmtenet")) == []
    call_command("search_rebuild", "session", verbosity=0)
    assert _titles(search_query(user=None, q="warmtenet")) == ["Warmtenetten in de wijk"]


def test_pagination_and_counts_per_type():
    for n in range(23):
        SessionFactory(title=f"Kennissessie {n:02d} over lokale energie")
    first = search_query(user=None, q="energie", per_page=10)
    assert (first.total, first.pages, len(first.items)) == (23, 3, 10)
    assert first.facets == {"session": 23}
    last = search_query(user=None, q="energie", per_page=10, page=99)
    assert (last.page, len(last.items)) == (3, 3)
    seen = {
        h.object_id for p in (1, 2, 3) for h in search_query(user=None, q="energie", page=p).items
    }
    assert len(seen) == 23
    assert search_query(user=None, q="energie", kinds=["work"]).total == 0
    assert search_query(user=None, q="energie", kinds=["work"]).facets == {"session": 23}
