"""The pilots list (``/pilots/``) and ``GET /api/v1/pilots``: one visibility rule
(permissions.pilots_visible_to) for page and API, filters, search, paging, empty states."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bouwplaats.projects.models import (
    Pilot,
    PilotMilestone,
    ProgressReport,
    Submission,
)
from bouwplaats.projects.permissions import pilots_visible_to
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory, UserFactory

from .helpers import GEMEENTE, days, make_call

pytestmark = pytest.mark.django_db


def make_pilot(call, organisation, title, *, milestones=(), report=None) -> Pilot:
    """Return a pilot of ``organisation`` admitted to ``call`` (rows made directly: the
    admission itself is tested in test_pilots.py), with ``milestones`` ``(title, date,
    status)`` and the last ``report`` status, if any."""
    submission = Submission.objects.create(
        call=call, organisation=organisation, title=title,
        status=Submission.Status.TOEGELATEN, submitted_at=timezone.now(),
    )  # fmt: skip
    pilot = Pilot.objects.create(
        submission=submission, programme=call.programme, organisation=organisation, title=title
    )
    PilotMilestone.objects.bulk_create(
        PilotMilestone(pilot=pilot, title=name, planned=on, current=on, status=status,
                       position=n)
        for n, (name, on, status) in enumerate(milestones)
    )  # fmt: skip
    if report:
        ProgressReport.objects.create(pilot=pilot, status=report, reason="Stand van zaken")
    return pilot


@pytest.fixture
def other_call(db):
    """A call of another programme, with its own team."""
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="mirt")
    return make_call(programme, title="Oproep MIRT")


@pytest.fixture
def pilots(call, other_call, deventer):
    """Deventer's pilot in the programme of ``call``, and Zwolle's in another programme."""
    zwolle = OrganisationFactory(name="Gemeente Zwolle", kind=GEMEENTE)
    return {
        "deventer": make_pilot(
            call, deventer, "Havenkwartier Deventer", report="risico",
            milestones=[("Gereed", days(-40), "gereed"), ("Eerste woningen", days(30), "gepland"),
                        ("Tweede fase", days(90), "gepland")],
        ),
        "zwolle": make_pilot(other_call, zwolle, "Spoorzone Zwolle"),
    }  # fmt: skip


def _viewer(request, who):
    if who == "visitor":
        return None
    if who == "administrator":
        return request.getfixturevalue("admin_user")
    return request.getfixturevalue({"member": "outsider", "pilot team": "planner",
                                    "programme team": "team"}[who])  # fmt: skip


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("visitor", []),
        ("member", []),
        ("pilot team", ["deventer"]),
        ("programme team", ["deventer"]),
        ("administrator", ["zwolle", "deventer"]),
    ],
)
def test_page_and_api_list_what_the_policy_lets_see(client, api, pilots, request, who, sees):
    user = _viewer(request, who)
    expected = [pilots[name].pk for name in sees]
    policy = pilots_visible_to(user or AnonymousUser()).order_by("-created_at", "-id")
    assert sorted(p.pk for p in policy) == sorted(expected)
    if user is not None:
        client.force_login(user)
    response = client.get("/pilots/")
    assert response.status_code == 200
    html = response.content.decode()
    listed = [p.pk for p in response.context["pilots"]]
    assert sorted(listed) == sorted(expected)
    for pilot in pilots.values():
        assert (pilot.title in html) is (pilot.pk in expected)
    body = api(user).get("/pilots").json()
    assert [item["id"] for item in body["items"]] == listed and body["count"] == len(expected)
    if who == "visitor":
        assert 'data-empty="visitor"' in html and "/account/login/?next=/pilots/" in html
    elif not expected:
        assert 'data-empty="none"' in html


def test_a_card_shows_status_organisation_call_and_next_milestone(client, pilots, planner):
    client.force_login(planner)
    html = client.get("/pilots/").content.decode()
    card = html[html.index(f'data-pilot="{pilots["deventer"].pk}"') :]
    card = card[: card.index("</li>")]
    assert "Gemeente Deventer" in card
    assert "Meedoen met uw project?" in card and "Intensiveringsprogramma" in card
    assert 'data-status="risico"' in card and "<strong>Risico</strong>" in card
    # The earliest milestone still planned, not the one already done.
    assert "Volgende mijlpaal: Eerste woningen" in card
    assert "Te laat" not in card


def test_a_late_next_milestone_and_an_overdue_report_are_flagged(client, pilots, planner):
    pilot = pilots["deventer"]
    PilotMilestone.objects.filter(pilot=pilot, title="Eerste woningen").update(current=days(-2))
    Pilot.objects.filter(pk=pilot.pk).update(created_at=timezone.now() - datetime.timedelta(400))
    ProgressReport.objects.filter(pilot=pilot).update(
        at=timezone.now() - datetime.timedelta(days=200)
    )
    client.force_login(planner)
    html = client.get("/pilots/").content.decode()
    assert "Te laat" in html and 'data-overdue="1"' in html


@pytest.mark.parametrize(
    ("query", "sees"),
    [
        ({"status": "risico"}, ["deventer"]),
        ({"status": "geen"}, ["zwolle"]),
        ({"status": "achter"}, []),
        ({"oproep": "CALL"}, ["deventer"]),
        ({"q": "spoorZONE"}, ["zwolle"]),
        ({"q": "zwolle"}, ["zwolle"]),
        ({"q": "deventer", "status": "geen"}, []),
        # Each word matches the title or the organisation's name, not the text as one phrase.
        ({"q": "  zwolle   SPOORZONE "}, ["zwolle"]),
        ({"q": "Gemeente havenkwartier"}, ["deventer"]),
        ({"q": "havenkwartier zwolle"}, []),
        ({"q": "e " * 100}, ["zwolle", "deventer"]),  # the most words 200 characters hold
        # Refused values filter nothing; a NUL (PostgreSQL refuses it) is no error.
        ({"status": "onzin", "oproep": "x", "q": "\x00"}, ["zwolle", "deventer"]),
        ({"q": "ö" * 10_000}, ["zwolle", "deventer"]),
    ],
)
def test_filters_and_search_on_page_and_api(client, api, pilots, call, admin_user, query, sees):
    query = {k: str(call.pk) if v == "CALL" else v for k, v in query.items()}
    expected = [pilots[name].pk for name in sees]
    client.force_login(admin_user)
    response = client.get("/pilots/", query)
    assert response.status_code == 200
    assert [p.pk for p in response.context["pilots"]] == expected
    if not expected:
        assert 'data-empty="filtered"' in response.content.decode()
    params = {"status": query.get("status"), "call": query.get("oproep"), "q": query.get("q")}
    params = {k: v for k, v in params.items() if v is not None}
    answer = api(admin_user).get("/pilots", params)
    if "onzin" in query.get("status", "") or len(query.get("q", "")) > 200:
        assert answer.status_code == 422 and "code" in answer.json()
    else:
        assert answer.status_code == 200
        assert [item["id"] for item in answer.json()["items"]] == expected


def test_the_way_back_keeps_the_filters(client, pilots, planner):
    client.force_login(planner)
    html = client.get("/pilots/", {"status": "risico", "q": "haven"}).content.decode()
    link = f"{pilots['deventer'].get_absolute_url()}?lijst=status%3Drisico%26q%3Dhaven"
    assert link in html
    page = client.get(pilots["deventer"].get_absolute_url(), {"lijst": "status=risico&q=haven"})
    assert 'href="/pilots/?status=risico&amp;q=haven" data-back' in page.content.decode()
    # Anything else riding along is dropped; a plain visit goes back to the whole list.
    page = client.get(pilots["deventer"].get_absolute_url(),
                      {"lijst": "next=//evil.example&status=risico"})  # fmt: skip
    assert 'href="/pilots/?status=risico" data-back' in page.content.decode()
    page = client.get(pilots["deventer"].get_absolute_url())
    assert 'href="/pilots/" data-back' in page.content.decode()
    # A refused filter is not carried on every card.
    html = client.get("/pilots/", {"status": "onzin", "q": "x" * 10_000}).content.decode()
    assert f'href="{pilots["deventer"].get_absolute_url()}"' in html and "?lijst=" not in html


def test_pages_of_twenty(client, call, deventer, team):
    for n in range(23):
        make_pilot(call, deventer, f"Pilot {n:02d}")
    client.force_login(team)
    first = client.get("/pilots/")
    assert len(first.context["pilots"]) == 20 and "Pagina 1 van 2" in first.content.decode()
    second = client.get("/pilots/", {"page": "2"})
    assert [p.title for p in second.context["pilots"]] == ["Pilot 02", "Pilot 01", "Pilot 00"]
    assert client.get("/pilots/", {"page": "999"}).context["page"].number == 2


def test_the_navigation_and_mijn_bouwplaats_lead_to_the_pilots(client, pilots, planner):
    html = client.get("/oproepen/").content.decode()
    assert 'href="/pilots/"' in html and ">Pilots</a>" in html
    page = client.get("/pilots/").content.decode()
    assert 'href="/pilots/" aria-current="page"' in page
    client.force_login(planner)
    mine = client.get("/mijn-bouwplaats/").content.decode()
    assert '<a href="/pilots/" data-all-pilots>' in mine


@pytest.mark.parametrize("count", [1, 30])
def test_page_queries_do_not_grow_with_the_pilots(
    client, call, deventer, team, count, django_assert_num_queries
):
    for n in range(count):
        make_pilot(call, deventer, f"Pilot {n}", report="op_koers",
                   milestones=[("A", days(10), "gepland"), ("B", days(20), "gepland")])  # fmt: skip
    client.force_login(team)
    client.get("/pilots/")
    # session, user, the calls of the filter, count, the page's pilots with organisation,
    # programme and call, their next milestones: not one per pilot.
    with django_assert_num_queries(6):
        response = client.get("/pilots/", {"status": "op_koers"})
    assert len(response.context["pilots"]) == min(count, 20)


def test_a_member_of_two_teams_sees_each_pilot_once(client, pilots, planner, call):
    # Verified member of the pilot's organisation and on its programme team: one row.
    MembershipFactory(programme=call.programme, user=planner)
    client.force_login(planner)
    assert [p.pk for p in client.get("/pilots/").context["pilots"]] == [pilots["deventer"].pk]
    other = UserFactory()
    client.force_login(other)
    assert client.get("/pilots/").context["pilots"] == []


def test_a_pilots_own_pages_are_under_pilots_in_the_menu(client, pilots, planner):
    # A pilot's pages sit under /pilots/<id>/ and belong to "Pilots", not "Oproepen".
    client.force_login(planner)
    pilot = pilots["deventer"]
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert 'aria-current="page">Oproepen' not in html
    assert '<a href="/pilots/" aria-current="page">Pilots</a>' in html
    calls = client.get("/oproepen/").content.decode()
    assert '<a href="/oproepen/" aria-current="page">Oproepen</a>' in calls
