"""Promised milestones, and "toegelaten" making the submission a pilot without retyping."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from bouwplaats.core.errors import InvalidInput
from bouwplaats.projects import services
from bouwplaats.projects.models import Pilot, Submission, SubmissionMilestone
from bouwplaats.projects.permissions import can_view_pilot, pilots_visible_to
from bouwplaats.projects.services import answer_field

from .helpers import answers_for

pytestmark = pytest.mark.django_db

D1, D2 = datetime.date(2027, 6, 1), datetime.date(2028, 3, 15)


@pytest.fixture
def promised(call, planner):
    return services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        summary="Woon-werkwijk", answers=answers_for(call),
        milestones=[("Eerste woningen opgeleverd", D1), ("Tweede fase gegund", D2)],
    )  # fmt: skip


def _admit(submission, team):
    services.submission_set_status(actor=team, submission=submission, status="in_behandeling",
                                   reason="Volledig")  # fmt: skip
    services.submission_set_status(actor=team, submission=submission, status="toegelaten",
                                   reason="Past goed")  # fmt: skip


def test_admitting_makes_a_pilot_with_the_promised_milestones(promised, team):
    _admit(promised, team)
    pilot = Pilot.objects.get()
    assert (pilot.title, pilot.summary, pilot.organisation, pilot.programme) == (
        "Havenkwartier", "Woon-werkwijk", promised.organisation, promised.call.programme,
    )  # fmt: skip
    rows = list(pilot.milestones.values_list("title", "planned", "current", "replans", "status"))
    assert rows == [
        ("Eerste woningen opgeleverd", D1, D1, 0, "gepland"),
        ("Tweede fase gegund", D2, D2, 0, "gepland"),
    ]


def test_rejecting_makes_no_pilot(promised, team):
    services.submission_set_status(actor=team, submission=promised, status="afgewezen",
                                   reason="Past niet")  # fmt: skip
    assert not Pilot.objects.exists()


@pytest.mark.parametrize(
    ("milestones", "field"),
    [
        ([("", D1)], "milestones.0.title"),
        ([("M", D1), ("Twee\nregels", D1)], "milestones.1.title"),
        ([("x" * 201, D1)], "milestones.0.title"),
        ([("Te vroeg", datetime.date(1800, 1, 1))], "milestones.0.planned"),
        ([("M", D1)] * 21, "milestones"),
    ],
)
def test_bad_milestones_are_refused_and_nothing_stored(call, planner, milestones, field):
    with pytest.raises(InvalidInput) as exc:
        services.submission_create(actor=planner, call=call, organisation=planner.organisation,
                                   title="Havenkwartier", answers=answers_for(call),
                                   milestones=milestones)  # fmt: skip
    assert exc.value.code == field
    assert not Submission.objects.exists() and not SubmissionMilestone.objects.exists()


@pytest.mark.parametrize(
    ("who", "sees"),
    [("planner", True), ("colleague", True), ("team", True), ("outsider", False),
     ("unverified", False), ("visitor", False)],
)  # fmt: skip
def test_who_sees_a_pilot(client, api, promised, team, request, who, sees):
    _admit(promised, team)
    pilot = Pilot.objects.get()
    user = AnonymousUser() if who == "visitor" else request.getfixturevalue(who)
    assert can_view_pilot(user, pilot) is sees
    assert (pilot in pilots_visible_to(user)) is sees
    if who != "visitor":
        client.force_login(user)
    page = client.get(pilot.get_absolute_url())
    assert page.status_code == (200 if sees else 302 if who == "visitor" else 404)
    response = api(None if who == "visitor" else user).get(f"/pilots/{pilot.pk}")
    assert response.status_code == (200 if sees else 401 if who == "visitor" else 404)
    listed = api(None if who == "visitor" else user).get("/pilots").json()["items"]
    assert [p["id"] for p in listed] == ([pilot.pk] if sees else [])


def test_pilot_page_and_api_show_original_and_current_plan(client, api, promised, team, planner):
    _admit(promised, team)
    pilot = Pilot.objects.get()
    milestone = pilot.milestones.first()
    milestone.current = datetime.date(2027, 9, 1)
    milestone.replans = 1
    milestone.replan_reason = "Vergunning later verleend"
    milestone.save()
    client.force_login(planner)
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert "1 juni 2027" in html and "1 september 2027" in html
    assert "Vergunning later verleend" in html
    body = api(planner).get(f"/pilots/{pilot.pk}").json()
    assert body["milestones"][0] == {
        "id": milestone.pk, "reopenings": [], "title": "Eerste woningen opgeleverd",
        "planned": "2027-06-01", "current": "2027-09-01",
        "replans": 1, "replan_reason": "Vergunning later verleend", "status": "gepland",
    }  # fmt: skip
    submission = api(planner).get(f"/submissions/{promised.pk}").json()
    assert submission["pilot"] == pilot.pk
    assert submission["milestones"][1] == {"title": "Tweede fase gegund", "planned": "2028-03-15"}
    html = client.get(promised.get_absolute_url()).content.decode()
    assert "Naar de pilot" in html and pilot.get_absolute_url() in html


def test_pilot_list_queries_pinned(api, call, planner, team, django_assert_num_queries):
    for n in range(3):
        submission = services.submission_create(
            actor=planner, call=call, organisation=planner.organisation, title=f"Project {n}",
            answers=answers_for(call), milestones=[("M", D1), ("N", D2)],
        )  # fmt: skip
        _admit(submission, team)
    client = api(team)
    client.get("/pilots")
    # token, count, the pilots with their organisations and evaluations, their milestones,
    # the milestones' reopenings, their support requests: not one per pilot.
    with django_assert_num_queries(6):
        assert client.get("/pilots").json()["count"] == 3


def test_page_and_api_take_milestones(client, api, call, planner, deventer):
    required = call.questions.get(required=True)
    client.force_login(planner)
    form = {"organisation": deventer.pk, "title": "Havenkwartier", "indienen": "1",
            answer_field(required.pk): "Sneller",
            "milestones": "1-6-2027 Eerste woningen opgeleverd\n\n"
                          "2028-03-15 Tweede fase gegund"}  # fmt: skip
    client.post(f"/oproepen/{call.pk}/aanmelden/", form)
    assert list(SubmissionMilestone.objects.values_list("title", "planned")) == [
        ("Eerste woningen opgeleverd", D1), ("Tweede fase gegund", D2),
    ]  # fmt: skip
    form["milestones"] = "binnenkort Iets"
    html = client.post(f"/oproepen/{call.pk}/aanmelden/", form).content.decode()
    assert 'id="id_milestones_errors"' in html and "Regel 1: begin met een datum" in html
    form["milestones"] = "1-6-1800 Te vroeg"
    html = client.post(f"/oproepen/{call.pk}/aanmelden/", form).content.decode()
    assert 'id="id_milestones_errors"' in html and "Mijlpaal 1" in html
    body = {"title": "API", "organisation": deventer.pk,
            "answers": [{"question": required.pk, "text": "x"}],
            "milestones": [{"title": "M", "planned": "1800-01-01"}]}  # fmt: skip
    response = api(planner).post(f"/calls/{call.pk}/submissions", body)
    assert response.status_code == 422 and response.json()["code"] == "milestones.0.planned"
    assert Submission.objects.count() == 1
