"""Calls: the model's rules, the list of open calls, the call page and GET /calls."""

import pytest

from bouwplaats.core.errors import InvalidInput
from bouwplaats.projects.models import Call
from bouwplaats.projects.permissions import calls_visible_to, can_view_call

from .helpers import days, make_call

pytestmark = pytest.mark.django_db


def test_a_call_has_a_close_date_or_is_rolling(programme):
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, closes_on=None)
    assert exc.value.code == "closes_on"
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, closes_on=days(5), rolling=True)
    assert exc.value.code == "closes_on"
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, opens_on=days(5), closes_on=days(1))
    assert exc.value.code == "closes_on"
    assert not Call.objects.exists()
    rolling = make_call(programme, closes_on=None, rolling=True)
    assert rolling.is_open() and rolling.is_open(days(3650))


@pytest.mark.parametrize(
    ("kinds", "field"),
    [([], "organisation_kinds"), (["gemeente", "gemeente"], "organisation_kinds"),
     (["heksenkring"], "organisation_kinds")],
)  # fmt: skip
def test_organisation_kinds_are_known_and_once(programme, kinds, field):
    with pytest.raises(InvalidInput) as exc:
        make_call(programme, organisation_kinds=kinds)
    assert exc.value.code == field
    assert not Call.objects.exists()


def test_a_call_is_open_between_its_dates_when_published(programme):
    call = make_call(programme, opens_on=days(0), closes_on=days(0))
    assert call.is_open()
    assert not call.is_open(days(1)) and not call.is_open(days(-1))
    call.published = False
    assert not call.is_open()


def test_unpublished_calls_only_for_the_programme_team(programme, team, planner):
    draft = make_call(programme, published=False)
    assert can_view_call(team, draft) and not can_view_call(planner, draft)
    from django.contrib.auth.models import AnonymousUser

    for user in (team, planner, AnonymousUser()):
        assert (draft in calls_visible_to(user)) == can_view_call(user, draft)


@pytest.fixture
def many_calls(programme):
    calls = [make_call(programme, title=f"Oproep {i}") for i in range(6)]
    make_call(programme, title="Gesloten oproep", opens_on=days(-20), closes_on=days(-1))
    make_call(programme, title="Nog niet open", opens_on=days(2), closes_on=days(20))
    make_call(programme, title="Concept-oproep", published=False)
    make_call(programme, title="Doorlopende oproep", closes_on=None, rolling=True)
    return calls


def test_list_page_shows_open_calls_with_pinned_queries(
    client, many_calls, django_assert_num_queries
):
    # The calls with their programmes in one query: one call or seven makes no difference.
    with django_assert_num_queries(1):
        response = client.get("/oproepen/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Oproep 5" in html and "Doorlopende oproep" in html
    assert "in rondes beoordeeld" in html
    assert "Gesloten oproep" not in html and "Nog niet open" not in html
    assert "Concept-oproep" not in html
    assert "Gemeente" in html and "Provincie" in html


def test_list_page_signed_in_queries_pinned(client, many_calls, planner, django_assert_num_queries):
    client.force_login(planner)
    client.get("/oproepen/")
    # session, user, the calls with their programmes (the team programmes subquery inline),
    # whether the member is on a programme team (for "Nieuwe oproep").
    with django_assert_num_queries(4):
        assert client.get("/oproepen/").status_code == 200


def test_list_page_empty(client, db):
    assert "geen oproepen open" in client.get("/oproepen/").content.decode()


def test_call_page_shows_text_questions_criteria_and_who_may_submit(client, call):
    html = client.get(f"/oproepen/{call.pk}/").content.decode()
    assert "<strong>nieuwe kennis</strong>" in html
    assert "Wat wilt u versnellen, opschalen of verbeteren?" in html
    assert "Versnellen" in html and "Leerwaarde" in html
    assert "Gemeente, Provincie" in html
    assert "Project aanmelden" not in html and "Log in" in html


@pytest.mark.parametrize(
    ("who", "button", "text"),
    [
        ("planner", True, ""),
        ("unverified", False, "zodra uw lidmaatschap van een organisatie is bevestigd"),
        ("market", False, "hoort niet bij de soorten organisaties"),
    ],
)
def test_project_aanmelden_only_for_verified_members_of_admitted_kinds(
    client, call, request, who, button, text
):
    client.force_login(request.getfixturevalue(who))
    html = client.get(f"/oproepen/{call.pk}/").content.decode()
    assert ("Project aanmelden" in html) is button
    assert text in html


def test_closed_call_page_says_so_without_button(client, programme, planner):
    closed = make_call(programme, opens_on=days(-20), closes_on=days(-1))
    client.force_login(planner)
    html = client.get(f"/oproepen/{closed.pk}/").content.decode()
    assert "Deze oproep is gesloten" in html and "Project aanmelden" not in html


def test_unpublished_call_page_404_for_others_200_for_team(client, programme, team, planner):
    draft = make_call(programme, published=False)
    assert client.get(f"/oproepen/{draft.pk}/").status_code == 404
    client.force_login(planner)
    assert client.get(f"/oproepen/{draft.pk}/").status_code == 404
    client.force_login(team)
    assert client.get(f"/oproepen/{draft.pk}/").status_code == 200


# API ---------------------------------------------------------------------------------------


def test_api_lists_open_calls_with_pinned_queries(api, many_calls, django_assert_num_queries):
    with django_assert_num_queries(2):  # count + page with programmes
        response = api().get("/calls")
    assert response.status_code == 200
    body = response.json()
    titles = [item["title"] for item in body["items"]]
    assert body["count"] == 7 and titles[-1] == "Doorlopende oproep"
    assert "Gesloten oproep" not in titles and "Concept-oproep" not in titles
    first = body["items"][0]
    assert first["organisation_kinds"] == ["gemeente", "provincie"]
    assert first["is_open"] is True and first["url"].endswith(f"/oproepen/{first['id']}/")


def test_api_call_detail(api, call):
    body = api().get(f"/calls/{call.pk}").json()
    assert body["title"] == "Meedoen met uw project?"
    assert "<strong>nieuwe kennis</strong>" in body["html"]
    assert [q["required"] for q in body["questions"]] == [True, False]
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [
        ("Versnellen", 3),
        ("Leerwaarde", 2),
    ]
    assert body["closes_on"] == days(10).isoformat() and body["rolling"] is False


def test_api_call_refusals(api, programme, team):
    draft = make_call(programme, published=False)
    assert api().get(f"/calls/{draft.pk}").status_code == 404
    assert api(team).get(f"/calls/{draft.pk}").status_code == 200
    assert api().get("/calls/999999").status_code == 404
    for bad in ("١٢", "0", str(2**63), "1_0"):
        response = api().get(f"/calls/{bad}")
        assert response.status_code == 422, bad
        assert response.json()["code"] == "call_id"
