"""Every match can be reached page after page, and a total past the count limit says so.

Before, the search ranked a pool of the 2,000 newest-indexed matches: an older document with
a common word was never found, and the total counted the pool as if it were everything.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from ninja.testing import TestClient

from bouwplaats.api import api
from bouwplaats.search import selectors
from bouwplaats.search.documents import PUBLIC, SearchDocument
from bouwplaats.search.services import _write

pytestmark = pytest.mark.django_db

START = datetime(2025, 1, 1, tzinfo=UTC)


def _doc(i: int, title: str, *, body: str = "", days: int = 0, boost: float = 1.0, kind="session"):
    return SearchDocument(
        kind=kind,
        object_id=i,
        title=title,
        body=body,
        url=f"/s/{i}/",
        access=frozenset({PUBLIC}),
        updated_at=START + timedelta(days=days),
        boost=boost,
    )


@pytest.fixture
def twelve(monkeypatch):
    """Twelve sessions about residents, one a day; the oldest is the one asked for."""
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 5)
    docs = [_doc(1, "Het oudste verslag", body="Wat de bewoners zeiden.", days=0)]
    docs += [_doc(i, f"Avond {i}", body="Bewoners praten mee.", days=i) for i in range(2, 13)]
    _write("session", None, docs)


def _all_pages(**kwargs) -> list[int]:
    seen, page = [], 1
    while True:
        found = selectors.search_query(user=None, q="bewoner", per_page=4, page=page, **kwargs)
        seen += [h.object_id for h in found.items]
        if not found.has_next:
            return seen
        page += 1


def test_paging_reaches_every_match_past_the_count_limit(twelve):
    seen = _all_pages()
    assert seen == [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]
    first = selectors.search_query(user=None, q="bewoner", per_page=4)
    assert (first.total, first.total_is_lower_bound, first.pages) == (5, True, None)
    assert first.facets_are_lower_bounds
    assert _all_pages(kinds=["session"]) == seen


def test_a_page_past_the_end_of_an_uncounted_total_is_empty_not_an_error(twelve):
    found = selectors.search_query(user=None, q="bewoner", per_page=4, page=9)
    assert (found.items, found.has_next, found.page) == ([], False, 9)


def test_the_page_says_more_than_and_at_least(client, twelve):
    page = client.get(reverse("search:results"), {"q": "bewoners"}).content.decode()
    assert "Meer dan 5 resultaten" in page
    assert "ten minste 6" in page  # the counts per type are lower bounds too
    assert "Pagina 1</span>" in page and 'rel="next"' in page
    last = client.get(reverse("search:results"), {"q": "bewoners", "pagina": 2}).content.decode()
    assert "Het oudste verslag" in last and 'rel="next"' not in last


def test_the_api_says_the_count_is_a_lower_bound(twelve):
    client = TestClient(api)
    body = client.get("/search?q=bewoner&limit=10").json()
    assert (body["count"], body["count_is_lower_bound"], body["has_more"]) == (5, True, True)
    assert body["facets_are_lower_bounds"] is True
    rest = client.get("/search?q=bewoner&limit=10&offset=10").json()
    assert [i["id"] for i in rest["items"]] == [2, 1]
    assert rest["has_more"] is False


def test_a_total_under_the_limit_is_exact(client):
    _write("session", None, [_doc(i, f"Bewonersavond {i}", days=i) for i in range(1, 4)])
    found = selectors.search_query(user=None, q="bewoner")
    assert (found.total, found.total_is_lower_bound, found.facets) == (3, False, {"session": 3})
    body = TestClient(api).get("/search?q=bewoner").json()
    assert (body["count"], body["count_is_lower_bound"], body["has_more"]) == (3, False, False)
    page = client.get(reverse("search:results"), {"q": "bewoner"}).content.decode()
    assert "3 resultaten" in page and "Meer dan" not in page


def test_order_title_hits_then_boost_and_date():
    _write(
        "session",
        None,
        [
            _doc(1, "Wijkaanpak in Ede", days=0),  # title hit, two years older: ties with 2
            _doc(2, "Verslag", body="Over de wijkaanpak.", days=730),
            _doc(3, "Verslag", body="Over de wijkaanpak.", days=731),  # newest body hit
            _doc(4, "Antwoord", body="De wijkaanpak.", days=400, boost=1.5),  # 427 days newer
        ],
    )
    found = selectors.search_query(user=None, q="wijkaanpak")
    # In days: 4 is 400 + 427 = 827, 3 is 731, 2 is 730 and 1 is 0 + 730 for its title; a tie
    # goes to the entry indexed last (2).
    assert [h.object_id for h in found.items] == [4, 3, 2, 1]
