"""Review: ingediend → onvolledig → (completed) ingediend → in behandeling → toegelaten/afgewezen,
every step with a reason and a named contact, mailed, and in the history the submitter sees."""

import datetime

import pytest
from django.utils import timezone

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.projects import services
from bouwplaats.projects.models import Submission, SubmissionStep
from bouwplaats.projects.permissions import can_review_submission, submissions_reviewable_by

from .helpers import answers_for, days

pytestmark = pytest.mark.django_db


@pytest.fixture
def step(django_capture_on_commit_callbacks):
    """Take a review step with the after-commit mails sent."""

    def take(submission, actor, status, reason="Reden", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.submission_set_status(
                actor=actor, submission=submission, status=status, reason=reason, **kwargs
            )

    return take


def test_the_whole_flow_with_dated_history_and_mails(
    submission, team, planner, step, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    step(submission, team, "onvolledig", "De begroting ontbreekt.")
    submission.refresh_from_db()
    assert submission.status == "onvolledig"
    assert submission.repair_until == days(14)
    mail = mailoutbox[-1]
    assert mail.to == [f"Jan Pluim <{planner.email}>"]
    assert "onvolledig" in mail.subject and "Transformatie Havenkwartier" in mail.subject
    assert "Reden: De begroting ontbreekt." in mail.body
    assert f"Contactpersoon: Petra Programmateam ({team.email})" in mail.body
    assert "Vul uw aanmelding aan vóór" in mail.body
    assert f"/oproepen/aanmeldingen/{submission.pk}/" in mail.body

    with django_capture_on_commit_callbacks(execute=True):
        services.submission_update(
            actor=planner, submission=submission, title=submission.title,
            summary="Met begroting.", answers=answers_for(submission.call), submit=True,
        )  # fmt: skip
    submission.refresh_from_db()
    assert submission.status == "ingediend" and submission.repair_until is None
    step(submission, team, "in_behandeling", "Volledig.", contact_name="Karin Secretaris",
         contact_email="karin@platform31.nl")  # fmt: skip
    step(submission, team, "toegelaten", "Past goed bij het programma.")
    history = list(submission.steps.values_list("status", "reason", "contact_name"))
    assert history == [
        ("ingediend", "Ingediend door Jan Pluim.", ""),
        ("onvolledig", "De begroting ontbreekt.", "Petra Programmateam"),
        ("ingediend", "Aangevuld door Jan Pluim.", ""),
        ("in_behandeling", "Volledig.", "Karin Secretaris"),
        ("toegelaten", "Past goed bij het programma.", "Petra Programmateam"),
    ]
    assert len(mailoutbox) == 4 and "toegelaten" in mailoutbox[-1].subject
    assert "Karin Secretaris (karin@platform31.nl)" in mailoutbox[-2].body


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ([], "toegelaten"),  # the content review comes first
        ([], "concept"),
        ([], "geweldig"),
        (["in_behandeling", "toegelaten"], "afgewezen"),  # a decision is final
        (["afgewezen"], "in_behandeling"),
    ],
)
def test_steps_the_review_does_not_take_are_refused(submission, team, step, path, status):
    for earlier in path:
        step(submission, team, earlier)
    before = submission.steps.count()
    with pytest.raises(InvalidInput) as exc:
        step(submission, team, status)
    assert exc.value.code == "status"
    assert submission.steps.count() == before


@pytest.mark.parametrize("reason", ["", "   ", "a\x00b", "x" * 2001])
def test_a_reason_is_required_and_checked(submission, team, step, reason):
    with pytest.raises(InvalidInput) as exc:
        step(submission, team, "onvolledig", reason)
    assert exc.value.code == "reason"
    submission.refresh_from_db()
    assert submission.status == "ingediend" and submission.steps.count() == 1


@pytest.mark.parametrize("who", ["planner", "colleague", "outsider", "unverified"])
def test_only_the_programme_team_reviews(submission, request, step, who):
    user = request.getfixturevalue(who)
    assert not can_review_submission(user, submission)
    assert submission not in submissions_reviewable_by(user)
    with pytest.raises(NotAllowed):
        step(submission, user, "onvolledig")
    submission.refresh_from_db()
    assert submission.status == "ingediend"


def test_team_of_another_programme_does_not_review(submission):
    from tests.factories import MembershipFactory

    stranger = MembershipFactory().user
    assert not can_review_submission(stranger, submission)
    with pytest.raises(NotAllowed):
        services.submission_set_status(
            actor=stranger, submission=submission, status="onvolledig", reason="x"
        )


def test_a_draft_is_not_reviewed(call, planner, team):
    draft = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Concept",
        submit=False,
    )  # fmt: skip
    assert not can_review_submission(team, draft) and draft not in submissions_reviewable_by(team)


def test_completing_after_the_hersteltermijn_is_refused(submission, team, planner, step):
    step(submission, team, "onvolledig", "Begroting ontbreekt.")
    Submission.objects.filter(pk=submission.pk).update(repair_until=days(-1))
    submission.refresh_from_db()
    with pytest.raises(InvalidInput) as exc:
        services.submission_update(actor=planner, submission=submission, title="Nieuw",
                                   answers=answers_for(submission.call), submit=True)  # fmt: skip
    assert exc.value.code == "status" and "hersteltermijn" in str(exc.value.message)
    submission.refresh_from_db()
    assert submission.status == "onvolledig" and submission.title == "Transformatie Havenkwartier"


def test_a_submitted_project_cannot_be_changed_by_the_submitter(submission, planner):
    with pytest.raises(NotAllowed):
        services.submission_update(actor=planner, submission=submission, title="Anders",
                                   answers=answers_for(submission.call))  # fmt: skip


# Pages ---------------------------------------------------------------------------------------


def test_team_takes_a_step_on_the_page_and_the_submitter_sees_the_history(
    client, submission, team, planner, mailoutbox, django_capture_on_commit_callbacks
):
    url = f"/oproepen/aanmeldingen/{submission.pk}/"
    client.force_login(team)
    html = client.get(url).content.decode()
    assert "Beoordeling door het programmateam" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url + "status/",
            {"status": "onvolledig", "reason": "De begroting ontbreekt.", "contact_name": "",
             "contact_email": ""},
            follow=True,
        )  # fmt: skip
    assert "De status is gewijzigd" in response.content.decode()
    assert "onvolledig" in mailoutbox[-1].subject
    client.force_login(planner)
    html = client.get(url).content.decode()
    assert 'data-status="onvolledig"' in html
    assert "De begroting ontbreekt." in html and "Contactpersoon: Petra Programmateam" in html
    assert "hersteltermijn" in html and "Aanvullen" in html
    assert "Beoordeling door het programmateam" not in html
    today = timezone.localdate()
    assert f'datetime="{today:%Y-%m-%d}' in html


def test_page_status_form_refusals(client, submission, team, planner):
    url = f"/oproepen/aanmeldingen/{submission.pk}/status/"
    client.force_login(planner)
    assert client.post(url, {"status": "toegelaten", "reason": "Ik mag"}).status_code == 403
    client.force_login(team)
    response = client.post(url, {"status": "toegelaten", "reason": "Te vroeg"})
    assert response.status_code == 422
    assert "Selecteer een geldige keuze" in response.content.decode()
    response = client.post(url, {"status": "onvolledig", "reason": ""})
    assert response.status_code == 422 and 'id="id_reason_errors"' in response.content.decode()
    response = client.post(url, {"status": "onvolledig", "reason": "x", "contact_name": "a\nb"})
    assert response.status_code == 422
    assert 'id="id_contact_name_errors"' in response.content.decode()
    assert submission.steps.count() == 1


def test_page_completion_after_onvolledig(client, submission, team, planner, step):
    step(submission, team, "onvolledig", "De begroting ontbreekt.")
    client.force_login(planner)
    required = submission.call.questions.get(required=True)
    response = client.post(
        f"/oproepen/aanmeldingen/{submission.pk}/wijzigen/",
        {"title": submission.title, "summary": "Met begroting",
         services.answer_field(required.pk): "Sneller", "indienen": "1"},
        follow=True,
    )  # fmt: skip
    html = response.content.decode()
    assert 'data-status="ingediend"' in html and "Aangevuld door Jan Pluim." in html


# API -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("team", 200), ("planner", 403), ("colleague", 403), ("outsider", 404),
     ("unverified", 404), ("visitor", 401)],
)  # fmt: skip
def test_api_patch_for_the_programme_team_only(api, submission, request, who, status):
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = api(user).patch(
        f"/submissions/{submission.pk}", {"status": "onvolledig", "reason": "Begroting ontbreekt"}
    )
    assert response.status_code == status, response.content
    submission.refresh_from_db()
    assert (submission.status == "onvolledig") is (status == 200)
    if status == 200:
        history = response.json()["history"]
        assert [h["status"] for h in history] == ["ingediend", "onvolledig"]
        assert history[-1]["reason"] == "Begroting ontbreekt"
        assert history[-1]["contact"] == "Petra Programmateam"
        at = datetime.datetime.fromisoformat(history[-1]["at"])
        assert abs(at - timezone.now()) < datetime.timedelta(minutes=1)
        assert response.json()["repair_until"] == days(14).isoformat()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"status": "toegelaten", "reason": "Te vroeg"}, "status"),
        ({"status": "geweldig", "reason": "x"}, "status"),
        ({"status": "onvolledig", "reason": ""}, "reason"),
        ({"status": "onvolledig"}, "reason"),
        ({"status": "onvolledig", "reason": "a\x00b"}, "reason"),
        ({"status": "onvolledig", "reason": "x" * 2001}, "reason"),
        ({"status": "onvolledig", "reason": "x", "contact": "a\nb"}, "contact"),
        ({"status": "onvolledig", "reason": "x", "contact_email": "geen adres"}, "contact_email"),
    ],
)
def test_api_patch_bad_input_names_the_field(api, submission, team, body, field):
    response = api(team).patch(f"/submissions/{submission.pk}", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == field and field in response.json()["errors"]
    assert submission.steps.count() == 1


def test_api_patch_bad_ids(api, team):
    for bad in ("١", "0", str(2**63)):
        response = api(team).patch(f"/submissions/{bad}", {"status": "onvolledig", "reason": "x"})
        assert response.status_code == 422 and response.json()["code"] == "submission_id"
    assert (
        api(team).patch("/submissions/999", {"status": "onvolledig", "reason": "x"}).status_code
        == 404
    )


def test_steps_are_never_changed_only_added(submission, team, step):
    first = submission.steps.get()
    step(submission, team, "in_behandeling")
    assert SubmissionStep.objects.get(pk=first.pk).status == "ingediend"
