"""The sessions list page and GET /sessions at any volume (issue 17 point 4).

The number of queries does not grow with the sessions listed (pinned at two sizes), and the
list's seat counts are per-row subqueries, not a join of every registration with GROUP BY
(which counted all 200,000 registrations of the volume set before the page's LIMIT).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bouwplaats.events.models import Registration, SessionChange
from tests.factories import RegistrationFactory, SessionFactory, ThemeFactory, UserFactory

S = Registration.Status

# Page as a member: django session, user, count, page, themes of the page, the programme and
# theme options, "is on a programme team" (the facilitation link).
PAGE_QUERIES = 8
# API as a member: token with its user, count, page, parts of the page (no themes: not shown).
API_QUERIES = 4


def _sessions(n: int, programme, member) -> None:
    """Make ``n`` published sessions with seats taken, a theme, a part and a change each,
    a draft ``member`` hosts (theirs to see) and another's draft (hidden from them)."""
    theme = ThemeFactory(name="Verankering", slug="verankering")
    for i in range(n):
        session = SessionFactory(programme=programme, title=f"Sessie {i}", capacity=10)
        session.themes.add(theme)
        session.parts.create(title="Welkom", position=0)
        RegistrationFactory.create_batch(2, session=session)
        RegistrationFactory(session=session, status=S.WAITLISTED)
        RegistrationFactory(session=session, status=S.CANCELLED)
        SessionChange.objects.create(session=session, field="location", old="a", new="b")
    # Tomorrow: listed first, on the page's first page.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    for title, host in (("Mijn concept", member), ("Andermans concept", UserFactory())):
        SessionFactory(
            programme=programme,
            title=title,
            status="draft",
            host=host,
            start=tomorrow,
            end=tomorrow + datetime.timedelta(hours=2),
        )


@pytest.mark.parametrize("n", [3, 30])
def test_list_page_queries_do_not_grow_with_the_sessions(
    client, programme, n, django_assert_num_queries
):
    member = UserFactory()
    _sessions(n, programme, member)
    client.force_login(member)
    with django_assert_num_queries(PAGE_QUERIES):
        response = client.get(reverse("events:list"))
    body = response.text
    assert response.status_code == 200
    assert body.count('class="bp-card"') == min(n + 1, 12)
    assert "2 van 10 plaatsen bezet, 1 op de wachtlijst" in body
    assert "Mijn concept" in body and "Andermans concept" not in body
    assert f"{n + 1} sessies" in body


@pytest.mark.parametrize("n", [3, 30])
def test_api_list_queries_do_not_grow_with_the_sessions(
    api, programme, n, django_assert_num_queries
):
    member = UserFactory()
    _sessions(n, programme, member)
    client = api(member)
    client.get("/sessions")  # the token's "last used" is written once
    with django_assert_num_queries(API_QUERIES):
        response = client.get("/sessions", {"limit": 100})
    body = response.json()
    assert body["count"] == n + 1 and len(body["items"]) == n + 1
    titles = {item["title"] for item in body["items"]}
    assert "Mijn concept" in titles and "Andermans concept" not in titles
    published = [item for item in body["items"] if item["status"] == "published"]
    assert {(i["confirmed_count"], i["waitlist_count"]) for i in published} == {(2, 1)}
    assert all(item["parts"] == [{"title": "Welkom", "time": "", "text": ""}] for item in published)


def _list_statements(run) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        run()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "events_session"."id"')
    ]


def test_seat_counts_are_counted_per_listed_row_not_over_every_registration(client, api, programme):
    member = UserFactory()
    _sessions(3, programme, member)
    client.force_login(member)
    statements = _list_statements(lambda: client.get(reverse("events:list")))
    statements += _list_statements(lambda: api(member).get("/sessions"))
    assert len(statements) == 2
    for sql in statements:
        assert 'JOIN "events_registration"' not in sql
        assert "GROUP BY" not in sql.split('FROM "events_session"', 1)[1].rsplit("LIMIT", 1)[0]
