"""The submitter's mail about a step the submitting side took itself says what happened in
plain Dutch ("U heeft … ingediend"), with no "Reden:"; the team's steps keep their reason."""

import pytest

from bouwplaats.projects import services

from .helpers import answers_for

pytestmark = pytest.mark.django_db

CALL = "‘Meedoen met uw project?’"


def _complete(actor, submission, capture):
    with capture(execute=True):
        services.submission_update(
            actor=actor, submission=submission, title=submission.title, summary="Met begroting.",
            answers=answers_for(submission.call), submit=True,
        )  # fmt: skip


def _team_step(team, submission, capture, status, reason, **contact):
    with capture(execute=True):
        services.submission_set_status(
            actor=team, submission=submission, status=status, reason=reason, **contact
        )


def test_the_submitters_own_submission_is_told_not_reasoned(submission, mailoutbox):
    [mail] = mailoutbox
    assert "ingediend" in mail.subject
    assert (
        f"U heeft uw aanmelding ‘Transformatie Havenkwartier’ op de oproep {CALL} ingediend."
        in mail.body
    )
    assert "Reden:" not in mail.body and "Ingediend door" not in mail.body
    assert "Contactpersoon" not in mail.body
    assert f"/oproepen/aanmeldingen/{submission.pk}/" in mail.body


def test_completing_says_completed_and_the_teams_step_keeps_its_reason(
    submission, team, planner, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _team_step(team, submission, capture, "onvolledig", "De begroting ontbreekt.")
    assert "Reden: De begroting ontbreekt." in mailoutbox[-1].body
    _complete(planner, submission, capture)
    body = mailoutbox[-1].body
    assert (
        f"U heeft uw aanmelding ‘Transformatie Havenkwartier’ op de oproep {CALL} aangevuld en "
        "opnieuw ingediend." in body
    )
    assert "Reden:" not in body and "Aangevuld door" not in body


def test_a_colleague_who_completes_is_named(
    submission, team, colleague, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _team_step(team, submission, capture, "onvolledig", "De begroting ontbreekt.")
    _complete(colleague, submission, capture)
    body = mailoutbox[-1].body
    assert f"{colleague.display_name} heeft uw aanmelding ‘Transformatie Havenkwartier’" in body
    assert "aangevuld en opnieuw ingediend." in body and "Reden:" not in body


def test_the_team_putting_it_back_to_submitted_gives_its_reason(
    submission, team, mailoutbox, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    _team_step(team, submission, capture, "onvolledig", "De begroting ontbreekt.")
    _team_step(team, submission, capture, "ingediend", "Toch volledig: de begroting zat erbij.")
    body = mailoutbox[-1].body
    assert "Reden: Toch volledig: de begroting zat erbij." in body
    assert "heeft nu de status: Ingediend" in body and "U heeft uw aanmelding" not in body
