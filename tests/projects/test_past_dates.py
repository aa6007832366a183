"""Dates that only make sense ahead: a promised milestone, a re-plan, a new review round.

One rule (models.validate_not_past) for the service, the pages and the API; a date stored
earlier that has since passed stays (the record of what was promised or planned).
"""

import pytest

from bouwplaats.core.errors import InvalidInput
from bouwplaats.projects import services
from bouwplaats.projects.models import CallRound, MilestoneReplan, Submission, SubmissionMilestone
from bouwplaats.projects.services import answer_field

from .helpers import answers_for, days, make_call, rolling_call_form

pytestmark = pytest.mark.django_db


def _create(call, planner, milestones, *, submit=True):
    return services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Havenkwartier",
        answers=answers_for(call), milestones=milestones, submit=submit,
    )  # fmt: skip


# Promised milestones -----------------------------------------------------------------------------


@pytest.mark.parametrize("submit", [True, False], ids=["submitted", "draft"])
def test_a_promised_milestone_before_today_is_refused_naming_its_index(call, planner, submit):
    with pytest.raises(InvalidInput) as refused:
        _create(call, planner, [("Start", days(30)), ("Eerste woningen", days(-1))],
                submit=submit)  # fmt: skip
    assert refused.value.code == "milestones.1.planned"
    message = refused.value.errors["milestones.1.planned"][0]
    assert message.startswith("Mijlpaal 2:") and "in het verleden" in message
    assert not Submission.objects.exists() and not SubmissionMilestone.objects.exists()


def test_today_is_a_promise_that_may_be_made(call, planner):
    submission = _create(call, planner, [("Start", days(0))])
    assert list(submission.milestones.values_list("planned", flat=True)) == [days(0)]


def test_every_refused_milestone_is_named(call, planner):
    with pytest.raises(InvalidInput) as refused:
        _create(call, planner, [("A", days(-2)), ("B", days(3)), ("", days(-5))])
    assert set(refused.value.errors) == {
        "milestones.0.planned", "milestones.2.title", "milestones.2.planned",
    }  # fmt: skip


def test_sending_a_draft_whose_promised_date_passed_is_refused(call, planner):
    draft = _create(call, planner, [("Start", days(10))], submit=False)
    SubmissionMilestone.objects.filter(submission=draft).update(planned=days(-1))
    with pytest.raises(InvalidInput) as refused:
        services.submission_update(actor=planner, submission=draft, title=draft.title,
                                   answers=answers_for(call), submit=True)  # fmt: skip
    assert refused.value.code == "milestones.0.planned"
    draft.refresh_from_db()
    assert draft.status == Submission.Status.CONCEPT and draft.submitted_at is None
    assert list(draft.milestones.values_list("planned", flat=True)) == [days(-1)]


def test_an_admitted_promise_whose_date_passed_still_becomes_the_pilot(call, planner, team):
    # The decision comes months after the promise: its dates are carried, not re-judged.
    submission = _create(call, planner, [("Start", days(10))])
    SubmissionMilestone.objects.filter(submission=submission).update(planned=days(-3))
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(actor=team, submission=submission, status=status,
                                       reason="Ok")  # fmt: skip
    assert submission.pilot.milestones.get().planned == days(-3)


def _sent_submission(call, organisation, *, second: str) -> dict:
    """Return the submission page's fields, sent, with a second milestone dated ``second``."""
    required = call.questions.get(required=True)
    return {
        "organisation": organisation.pk,
        "title": "Havenkwartier",
        "indienen": "1",
        answer_field(required.pk): "Sneller",
        "milestones": f"{days(20):%d-%m-%Y} Start\n{second} Eerste woningen",
    }


def test_the_page_puts_the_refusal_beside_the_milestones_and_stores_nothing(
    client, call, planner, deventer
):
    client.force_login(planner)
    form = _sent_submission(call, deventer, second=f"{days(-1):%d-%m-%Y}")
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", form)
    html = response.content.decode()
    errors = html[html.index('id="id_milestones_errors"') :][:600]
    assert "Mijlpaal 2:" in errors and "in het verleden" in errors
    assert not Submission.objects.exists() and not SubmissionMilestone.objects.exists()


def test_the_api_answers_422_naming_the_milestone(api, call, planner, deventer):
    required = call.questions.get(required=True)
    body = {
        "title": "API",
        "organisation": deventer.pk,
        "answers": [{"question": required.pk, "text": "x"}],
        "milestones": [
            {"title": "Start", "planned": days(5).isoformat()},
            {"title": "Oplevering", "planned": days(-1).isoformat()},
        ],
    }
    response = api(planner).post(f"/calls/{call.pk}/submissions", body)  # fmt: skip
    assert response.status_code == 422
    answer = response.json()
    assert answer["code"] == "milestones.1.planned"
    assert "Mijlpaal 2" in answer["errors"]["milestones.1.planned"][0]
    assert not Submission.objects.exists()
    draft = _create(call, planner, [("Start", days(5))], submit=False)
    response = api(planner).patch(
        f"/submissions/{draft.pk}",
        {"milestones": [{"title": "Start", "planned": days(-7).isoformat()}]},
    )
    assert response.status_code == 422 and response.json()["code"] == "milestones.0.planned"
    assert list(draft.milestones.values_list("planned", flat=True)) == [days(5)]


# Re-planning a pilot's milestone -----------------------------------------------------------------


def test_the_replan_page_refuses_a_past_date_beside_the_field(client, pilot, planner):
    milestone = pilot.milestones.get()
    client.force_login(planner)
    response = client.post(pilot.get_absolute_url() + "mijlpaal/", {
        "mijlpaal-milestone": milestone.pk, "mijlpaal-current": days(-1).isoformat(),
        "mijlpaal-reason": "Vergeten",
    })  # fmt: skip
    assert response.status_code == 422
    html = response.content.decode()
    assert "in het verleden" in html[html.index('id="id_mijlpaal-current_errors"') :][:400]
    milestone.refresh_from_db()
    assert milestone.replans == 0 and not MilestoneReplan.objects.exists()


def test_a_replan_to_today_is_taken(pilot, planner):
    milestone = services.milestone_update(
        actor=planner, milestone=pilot.milestones.get(), current=days(0), reason="Eerder klaar"
    )
    assert (milestone.current, milestone.replans) == (days(0), 1)


# Review rounds of a rolling call ---------------------------------------------------------------


def test_a_new_round_closing_before_today_or_before_the_call_opens_is_refused(programme):
    with pytest.raises(InvalidInput) as refused:
        make_call(programme, closes_on=None, rolling=True,
                  rounds=[("Voorjaar", days(5)), ("Gisteren", days(-1))])  # fmt: skip
    assert refused.value.code == "rounds" and "Ronde 2" in refused.value.message
    assert "in het verleden" in refused.value.message
    with pytest.raises(InvalidInput) as refused:
        make_call(programme, opens_on=days(40), closes_on=None, rolling=True,
                  rounds=[("Te vroeg", days(20))])  # fmt: skip
    assert refused.value.code == "rounds" and "vóór de oproep opent" in refused.value.message
    assert not CallRound.objects.exists()


def test_a_stored_round_that_closed_stays_when_the_call_is_edited(programme, team):
    rolling = make_call(programme, opens_on=days(-90), closes_on=None, rolling=True,
                        rounds=[("Voorjaar", days(5))])  # fmt: skip
    CallRound.objects.filter(call=rolling).update(closes_on=days(-30))
    values = {
        "title": rolling.title, "text": rolling.text, "opens_on": rolling.opens_on,
        "rolling": True, "organisation_kinds": rolling.organisation_kinds, "published": True,
    }  # fmt: skip
    services.call_update(
        actor=team, call=rolling, rounds=[("Voorjaar", days(-30)), ("Najaar", days(60))], **values
    )
    assert list(rolling.rounds.values_list("closes_on", flat=True)) == [days(-30), days(60)]
    with pytest.raises(InvalidInput):
        services.call_update(
            actor=team,
            call=rolling,
            rounds=[("Voorjaar", days(-30)), ("Zomer", days(-2))],
            **values,
        )


def test_the_call_page_and_api_refuse_a_past_round(client, api, programme, team):
    rolling = make_call(programme, closes_on=None, rolling=True)
    client.force_login(team)
    data = rolling_call_form(rolling, f"Gisteren | {days(-1):%d-%m-%Y}")
    html = client.post(f"/oproepen/{rolling.pk}/wijzigen/", data).content.decode()
    assert "in het verleden" in html[html.index('id="id_rounds_errors"') :][:400]
    response = api(team).patch(
        f"/calls/{rolling.pk}", {"rounds": [{"name": "Herfst", "closes_on": days(-3).isoformat()}]}
    )
    assert response.status_code == 422 and response.json()["code"] == "rounds"
    assert not CallRound.objects.exists()


# Impossible dates ---------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["31-2-2027", "29-2-2027", "2027-13-01", "0-1-2027"])
def test_an_impossible_promised_date_is_refused_on_the_page_naming_the_line(
    client, call, planner, deventer, written
):
    client.force_login(planner)
    form = _sent_submission(call, deventer, second=written)
    html = client.post(f"/oproepen/{call.pk}/aanmelden/", form).content.decode()
    assert "Regel 2: begin met een datum" in html[html.index('id="id_milestones_errors"') :]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("written", ["2027-02-30", "2027-02-29", "2027-00-10", "morgen"])
def test_an_impossible_date_is_refused_by_the_api(api, call, planner, deventer, written):
    required = call.questions.get(required=True)
    body = {
        "title": "API",
        "organisation": deventer.pk,
        "answers": [{"question": required.pk, "text": "x"}],
        "milestones": [{"title": "Start", "planned": written}],
    }
    response = api(planner).post(f"/calls/{call.pk}/submissions", body)
    # Keyed by the full path, as the service keys a milestone in the past (above).
    assert response.status_code == 422 and response.json()["code"] == "milestones.0.planned"
    assert not Submission.objects.exists()
