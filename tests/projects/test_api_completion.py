"""PATCH /submissions/{id} without a status: the submitter's organisation changes a draft or
completes an onvolledig submission and sends it (again), as the edit page does."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.projects import services
from bouwplaats.projects.models import Submission, SubmissionMilestone

from .helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def incomplete(submission, team):
    services.submission_set_status(
        actor=team, submission=submission, status="onvolledig", reason="De begroting ontbreekt."
    )
    submission.refresh_from_db()
    return submission


@pytest.fixture
def draft(call, planner):
    return services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Concept", submit=False
    )


def required(call):
    return call.questions.get(required=True)


@pytest.mark.parametrize(
    ("who", "status"),
    [("planner", 200), ("colleague", 200), ("team", 403), ("outsider", 404),
     ("unverified", 404), ("visitor", 401)],
)  # fmt: skip
def test_completing_via_the_api_access_matrix(api, incomplete, request, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    body = {"summary": "Met begroting", "submit": True}
    response = api(user).patch(f"/submissions/{incomplete.pk}", body)
    assert response.status_code == status, response.content
    incomplete.refresh_from_db()
    assert (incomplete.status == "ingediend") is (status == 200)
    assert (incomplete.summary == "Met begroting") is (status == 200)


def test_submitter_completes_and_sees_the_history(api, incomplete, planner, mailoutbox):
    response = api(planner).patch(
        f"/submissions/{incomplete.pk}",
        {"answers": [{"question": required(incomplete.call).pk, "text": "Met begroting"}],
         "submit": True},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ingediend" and body["repair_until"] is None
    assert [h["status"] for h in body["history"]] == ["ingediend", "onvolledig", "ingediend"]
    assert body["history"][-1]["reason"] == "Aangevuld door Jan Pluim."
    # Fields left out stay as they were.
    assert body["title"] == "Transformatie Havenkwartier"
    assert body["summary"] == "Van bedrijventerrein naar woon-werkwijk."


def test_saving_without_submit_keeps_it_onvolledig(api, incomplete, planner):
    response = api(planner).patch(f"/submissions/{incomplete.pk}", {"title": "Havenkwartier 2"})
    assert response.status_code == 200
    assert response.json()["status"] == "onvolledig"
    assert response.json()["title"] == "Havenkwartier 2"


def test_draft_is_sent_via_the_api_with_its_milestones(api, draft, planner):
    body = {
        "answers": [{"question": required(draft.call).pk, "text": "Sneller bouwen"}],
        "milestones": [{"title": "Eerste woningen", "planned": days(200).isoformat()}],
        "submit": True,
    }
    response = api(planner).patch(f"/submissions/{draft.pk}", body)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ingediend"
    assert response.json()["milestones"] == [
        {"title": "Eerste woningen", "planned": days(200).isoformat()}
    ]


def test_a_submitted_one_cannot_be_changed_by_the_submitter(api, submission, planner):
    response = api(planner).patch(f"/submissions/{submission.pk}", {"title": "Anders"})
    assert response.status_code == 403
    assert Submission.objects.get(pk=submission.pk).title == "Transformatie Havenkwartier"


def test_submitter_still_cannot_set_a_status(api, incomplete, planner):
    response = api(planner).patch(
        f"/submissions/{incomplete.pk}", {"status": "ingediend", "reason": "Klaar"}
    )
    assert response.status_code == 403
    assert Submission.objects.get(pk=incomplete.pk).status == "onvolledig"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 10_000}, "title"),
        ({"title": "bel\x07"}, "title"),
        ({"summary": "é" * 5001}, "summary"),
        ({"answers": [{"question": 999999, "text": "x"}]}, "answers"),
        (
            {"milestones": [{"title": "Oplevering", "planned": "0001-01-01"}]},
            "milestones.0.planned",
        ),
        ({"title": "Goed", "status": "ingediend", "reason": "x"}, "status"),
        ({}, "status"),
        ({"title": None}, "title"),
    ],
)
def test_bad_content_is_refused_naming_the_field(api, incomplete, planner, body, field):
    response = api(planner).patch(f"/submissions/{incomplete.pk}", body)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]
    incomplete.refresh_from_db()
    assert incomplete.title == "Transformatie Havenkwartier" and incomplete.status == "onvolledig"


def test_required_answer_emptied_refuses_the_submit(api, incomplete, planner):
    question = required(incomplete.call)
    response = api(planner).patch(
        f"/submissions/{incomplete.pk}",
        {"answers": [{"question": question.pk, "text": "  "}], "submit": True},
    )
    assert response.status_code == 422
    assert response.json()["code"] == services.answer_field(question.pk)
    incomplete.refresh_from_db()
    assert incomplete.status == "onvolledig"
    assert incomplete.answers.get(question=question).text == "Sneller bouwen"


def test_after_the_hersteltermijn_completion_is_refused(api, incomplete, planner):
    Submission.objects.filter(pk=incomplete.pk).update(repair_until=days(-1))
    response = api(planner).patch(f"/submissions/{incomplete.pk}", {"submit": True})
    assert response.status_code == 422 and response.json()["code"] == "status"
    assert Submission.objects.get(pk=incomplete.pk).status == "onvolledig"


def test_draft_on_a_closed_call_cannot_be_sent(api, draft, planner):
    type(draft.call).objects.filter(pk=draft.call.pk).update(opens_on=days(-20), closes_on=days(-1))
    response = api(planner).patch(f"/submissions/{draft.pk}", {"submit": True})
    assert response.status_code == 422 and response.json()["code"] == "call"
    assert Submission.objects.get(pk=draft.pk).status == "concept"


def test_edit_page_saves_changed_milestones(client, draft, planner):
    client.force_login(planner)
    planned = timezone.localdate() + datetime.timedelta(days=100)
    response = client.post(
        f"/oproepen/aanmeldingen/{draft.pk}/wijzigen/",
        {"title": "Concept", "summary": "", "concept": "1",
         "milestones": f"{planned:%d-%m-%Y} Bouwteam gestart"},
    )  # fmt: skip
    assert response.status_code == 302
    assert list(SubmissionMilestone.objects.values_list("title", "planned")) == [
        ("Bouwteam gestart", planned)
    ]
