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
