"""Stumbles of a second fresh-eyes walk of the calls and pilots (the demo's roles)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bouwplaats.core.audit import action_label, log_action
from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.core.models import AuditEntry
from bouwplaats.projects import services
from bouwplaats.projects.models import Attachment, Call
from bouwplaats.projects.permissions import attachments_deletable_by, can_delete_attachment
from tests.factories import MembershipFactory, ProgrammeFactory, UserFactory
from tests.spaces.files import pdf_bytes

from .helpers import make_call
from .test_call_pages import form_data

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


def pdf(name="Begroting.pdf"):
    return SimpleUploadedFile(name, PDF)


# 1. A new call can be scored without editing it first -----------------------------------------


def test_the_new_call_form_assigns_reviewers(client, programme, team):
    colleague = MembershipFactory(programme=programme, user=UserFactory(full_name="Rik")).user
    client.force_login(team)
    page = client.get("/oproepen/nieuw/").content.decode()
    assert 'name="reviewers"' in page
    response = client.post(
        "/oproepen/nieuw/", form_data(programme, reviewers=[team.pk, colleague.pk])
    )
    assert response.status_code == 302
    call = Call.objects.get()
    assert set(call.reviewers.all()) == {team, colleague}


def test_the_new_call_refuses_a_reviewer_of_another_programme(client, programme, team):
    stranger = MembershipFactory(programme=ProgrammeFactory(name="Ander")).user
    with pytest.raises(InvalidInput) as refused:
        services.call_create(
            actor=team, programme=programme, title="Oproep", text="Tekst",
            opens_on=form_data()["opens_on"], closes_on=None, rolling=True,
            organisation_kinds=["gemeente"], reviewers=[stranger],
        )  # fmt: skip
    assert "reviewers" in refused.value.errors
    assert not Call.objects.exists()


def _in_review(team, submission):
    services.submission_set_status(
        actor=team, submission=submission, status="in_behandeling", reason="Volledig"
    )


def test_a_submission_without_reviewers_says_so_with_a_link(client, team, submission, call):
    _in_review(team, submission)
    client.force_login(team)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert 'data-no-score="no_reviewers"' in page
    assert f"/oproepen/{call.pk}/wijzigen/#id_reviewers" in page


def test_a_team_member_who_is_no_reviewer_is_told_why(client, team, submission, call, programme):
    reviewer = MembershipFactory(programme=programme).user
    call.reviewers.set([reviewer])
    _in_review(team, submission)
    client.force_login(team)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert 'data-no-score="not_reviewer"' in page
    client.force_login(reviewer)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert "data-no-score" not in page
    assert "Uw beoordeling" in page


def test_the_submitter_gets_no_reviewer_notice(client, planner, team, submission):
    _in_review(team, submission)
    client.force_login(planner)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert "data-no-score" not in page


# 2. The team's removal of a submitter's document is on record; none after the decision -------


@pytest.fixture
def document(submission, planner, team):
    """Gemeente Deventer's document, added while the submission was onvolledig, resubmitted."""
    services.submission_set_status(
        actor=team, submission=submission, status="onvolledig", reason="Begroting ontbreekt."
    )
    attachment = services.attachment_add(actor=planner, submission=submission, upload=pdf())
    services.submission_update(
        actor=planner, submission=submission, title=submission.title, submit=True
    )
    return attachment


def test_the_teams_removal_is_in_the_history_and_the_audit_log(client, team, planner, document):
    submission = document.submission
    services.attachment_delete(actor=team, attachment=document)
    assert not Attachment.objects.filter(pk=document.pk).exists()
    step = submission.steps.order_by("at", "id").last()
    assert "Begroting.pdf" in step.reason and team.display_name in step.reason
    submission.refresh_from_db()
    assert step.status == submission.status == "ingediend" and step.by == team
    client.force_login(planner)
    page = client.get(f"/oproepen/aanmeldingen/{submission.pk}/").content.decode()
    assert "Bijlage ‘Begroting.pdf’ verwijderd door" in page
    entry = AuditEntry.objects.get(action="projects.attachment.deleted")
    assert entry.actor == team and entry.data["name"] == "Begroting.pdf"
    assert entry.object_id == str(submission.pk)


@pytest.mark.parametrize("decision", ["toegelaten", "afgewezen"])
def test_nobody_removes_a_document_after_the_decision(client, team, decision, document):
    submission = document.submission
    for status in ("in_behandeling", decision):
        services.submission_set_status(
            actor=team, submission=submission, status=status, reason="Besluit"
        )
    document = Attachment.objects.get(pk=document.pk)
    assert not can_delete_attachment(team, document)
    assert not attachments_deletable_by(team).filter(pk=document.pk).exists()
    with pytest.raises(NotAllowed):
        services.attachment_delete(actor=team, attachment=document)
    client.force_login(team)
    response = client.post(f"/oproepen/bijlagen/{document.pk}/verwijderen/", {"confirm": "1"})
    assert response.status_code in (403, 404)
    assert Attachment.objects.filter(pk=document.pk).exists()


def test_a_calls_documents_stay_removable_by_the_team(team, call):
    attachment = services.attachment_add(actor=team, call=call, upload=pdf("Toelichting.pdf"))
    assert attachments_deletable_by(team).filter(pk=attachment.pk).exists()
    services.attachment_delete(actor=team, attachment=attachment)
    assert AuditEntry.objects.filter(action="projects.attachment.deleted").count() == 1


# 3. The audit log records the calls' and pilots' actions; the admin finds them in words ------


def test_calls_submissions_and_documents_are_in_the_audit_log(team, planner, call, document):
    call_created = AuditEntry.objects.get(action="projects.call.created", object_id=str(call.pk))
    assert call_created.data["title"] == call.title
    services.call_update(
        actor=team, call=call, title="Nieuwe titel", text=call.text, opens_on=call.opens_on,
        closes_on=call.closes_on, organisation_kinds=call.organisation_kinds, reviewers=[team],
    )  # fmt: skip
    updated = AuditEntry.objects.get(action="projects.call.updated")
    assert updated.actor == team and updated.data["reviewers"] == [team.pk]
    submission = document.submission
    assert AuditEntry.objects.filter(
        action="projects.submission.submitted", actor=planner, object_id=str(submission.pk)
    ).exists()
    assert AuditEntry.objects.filter(action="projects.submission.completed", actor=planner).exists()
    added = AuditEntry.objects.get(action="projects.attachment.added", actor=planner)
    assert added.data["name"] == "Begroting.pdf"


def test_pilot_reports_replans_and_support_are_in_the_audit_log(pilot, planner, team):
    services.progress_report_create(
        actor=planner, pilot=pilot, status="risico", reason="Vertraging"
    )
    milestone = pilot.milestones.get()
    services.milestone_update(
        actor=planner, milestone=milestone, current=milestone.current + datetime.timedelta(days=30),
        reason="Vergunning later",
    )  # fmt: skip
    asked = services.support_request_create(
        actor=planner, pilot=pilot, kind="advies", question="Hoe nu verder?"
    )
    services.support_request_answer(
        actor=team, support_request=asked, status="beantwoord", answer="Bel ons."
    )
    actions = set(AuditEntry.objects.values_list("action", "actor_id"))
    assert ("projects.report.created", planner.pk) in actions
    assert ("projects.milestone.replanned", planner.pk) in actions
    assert ("projects.support_request.requested", planner.pk) in actions
    assert ("projects.support_request.answered", team.pk) in actions
    for action, _actor in actions:
        assert action_label(action) != action, action


def test_a_refused_report_is_refused_in_dutch_not_logged(pilot, planner):
    with pytest.raises(InvalidInput) as refused:
        services.progress_report_create(
            actor=planner, pilot=pilot, status="risico", reason="a\x00b"
        )
    assert "reason" in refused.value.errors
    assert not AuditEntry.objects.filter(action="projects.report.created").exists()


def test_the_audit_search_finds_an_action_by_its_dutch_words(client, admin_user, team, call):
    log_action("accounts.membership.approved", actor=team)
    client.force_login(admin_user)
    response = client.get("/beheer/core/auditentry/?q=Lidmaatschap")
    found = [e.action for e in response.context["cl"].result_list]
    assert found == ["accounts.membership.approved"]
    response = client.get("/beheer/core/auditentry/?q=oproep+aangemaakt")
    assert [e.action for e in response.context["cl"].result_list] == ["projects.call.created"]


# 6. The re-plan's reason is required with a new date: not labelled "(niet verplicht)" -----------


def test_the_replan_reason_is_not_labelled_optional(client, pilot, planner):
    client.force_login(planner)
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    label = re.search(r'<label for="id_mijlpaal-reason">(.*?)</label>', page, re.S).group(1)
    assert "niet verplicht" not in label
    assert "verplicht bij een nieuwe datum" in label


# 8. Dates in the past -----------------------------------------------------------------------


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_a_new_call_closing_in_the_past_is_refused(client, programme, team):
    client.force_login(team)
    data = form_data(programme, opens_on=_days(-30).isoformat(), closes_on=_days(-1).isoformat())
    page = client.post("/oproepen/nieuw/", data).content.decode()
    assert 'id="id_closes_on_errors"' in page and "in het verleden" in page
    assert not Call.objects.exists()


def test_publishing_a_call_that_closed_is_refused_editing_its_text_is_not(team, programme):
    closed = make_call(programme, opens_on=_days(-30), closes_on=_days(-1), published=False)
    values = {
        "title": closed.title, "text": "Nieuwe tekst", "opens_on": closed.opens_on,
        "closes_on": closed.closes_on, "organisation_kinds": closed.organisation_kinds,
    }  # fmt: skip
    services.call_update(actor=team, call=closed, published=False, **values)
    with pytest.raises(InvalidInput) as refused:
        services.call_update(actor=team, call=closed, published=True, **values)
    assert "closes_on" in refused.value.errors
    closed.refresh_from_db()
    assert not closed.published


def test_a_replan_to_the_past_is_refused(pilot, planner):
    milestone = pilot.milestones.get()
    with pytest.raises(InvalidInput) as refused:
        services.milestone_update(
            actor=planner, milestone=milestone, current=_days(-1), reason="Vergeten"
        )
    assert refused.value.code == "current" and "verleden" in refused.value.errors["current"][0]
    milestone.refresh_from_db()
    assert milestone.replans == 0


def test_a_late_milestone_shows_te_laat(client, pilot, planner):
    milestone = pilot.milestones.get()
    type(milestone).objects.filter(pk=milestone.pk).update(current=_days(-3))
    client.force_login(planner)
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'data-milestone-status="te_laat"' in page and "Te laat" in page
    type(milestone).objects.filter(pk=milestone.pk).update(status="gereed")
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert 'data-milestone-status="gereed"' in page


# 9. Small words ---------------------------------------------------------------------------------


def test_a_report_of_just_now_says_zojuist(client, pilot, planner):
    services.progress_report_create(actor=planner, pilot=pilot, status="op_koers", reason="Goed")
    client.force_login(planner)
    page = client.get(f"/pilots/{pilot.pk}/").content.decode()
    assert "Laatste rapportage zojuist" in page
    assert "0 minuten" not in page


def test_the_programme_page_names_the_call_without_double_punctuation(client, programme, call):
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "Meedoen met uw project?</a> — " in page
    assert "?</a>." not in page


def test_the_team_is_not_told_its_organisation_cannot_submit(client, team, call):
    client.force_login(team)
    page = client.get(f"/oproepen/{call.pk}/").content.decode()
    assert "hoort niet bij de soorten organisaties" not in page
    assert "zodra uw lidmaatschap" not in page


def test_a_member_of_another_kind_is_still_told(client, market, call):
    client.force_login(market)
    page = client.get(f"/oproepen/{call.pk}/").content.decode()
    assert "hoort niet bij de soorten organisaties" in page


# 7. Pilots on Mijn Bouwplaats ------------------------------------------------------------------


def test_pilots_are_on_mijn_bouwplaats_for_their_organisation_and_team(
    client, pilot, planner, colleague, team, outsider
):
    for user in (planner, colleague, team):
        client.force_login(user)
        page = client.get("/mijn-bouwplaats/").content.decode()
        assert 'data-section="pilots"' in page and pilot.get_absolute_url() in page
    client.force_login(outsider)
    page = client.get("/mijn-bouwplaats/").content.decode()
    assert 'data-section="pilots"' not in page


def test_a_visitor_is_not_offered_a_pilot_filter(client, pilot, planner):
    page = client.get("/zoeken/?q=Havenkwartier").content.decode()
    assert 'value="pilot"' not in page
    client.force_login(planner)
    page = client.get("/zoeken/?q=Havenkwartier").content.decode()
    assert 'name="soort" value="pilot"' in page
