"""Demo content from seed 002 and what the projects app holds about a member (AVG)."""

import pytest

from bouwplaats.accounts import demo as accounts_demo
from bouwplaats.programmes import demo as programmes_demo
from bouwplaats.projects import avg, demo
from bouwplaats.projects.models import Call, Submission, SubmissionStep

pytestmark = pytest.mark.django_db

SEED = "../shared/seeds/002_5ef0aed39c638d67.txt"


@pytest.fixture
def loaded():
    accounts_demo.load()
    programmes_demo.load()
    demo.load()
    demo.load()  # idempotent


def _seed_text() -> str:
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / SEED
    # CI and every developer have shared/ beside the repository (the brief's layout).
    assert path.exists(), f"seed 002 not found at {path}"
    return " ".join(path.read_text().split())


def test_demo_call_in_the_seeds_words(loaded, client):
    call = Call.objects.get()
    assert call.title == "Meedoen met uw project?" and call.rolling and call.is_open()
    assert call.programme.name == demo.PROGRAMME
    assert call.organisation_kinds == ["gemeente", "provincie", "marktpartij"]
    seed = _seed_text()
    for paragraph in call.text.split("\n\n"):
        assert " ".join(paragraph.replace("**", "").split()) in seed
    assert call.questions.count() == 3 and call.criteria.count() == 3
    html = client.get("/oproepen/").content.decode()
    assert "Meedoen met uw project?" in html


def test_demo_submission_under_review_with_history(loaded, client):
    submission = Submission.objects.get(status="in_behandeling")
    assert submission.status == "in_behandeling"
    assert submission.organisation.name == "Gemeente Deventer"
    assert list(submission.steps.values_list("status", flat=True)) == [
        "ingediend",
        "in_behandeling",
    ]
    assert client.login(email=demo.SUBMITTER, password=accounts_demo.DEMO_PASSWORD)
    html = client.get(submission.get_absolute_url()).content.decode()
    assert "Programmateam Platform31" in html and "inhoudelijke beoordeling" in html


def test_demo_pilot_with_a_replanned_milestone(loaded, client):
    from bouwplaats.projects.models import Pilot

    pilot = Pilot.objects.get()
    assert pilot.organisation.name == "Gemeente Losser"
    assert pilot.submission.steps.count() == 5
    replanned = [m for m in pilot.milestones.all() if m.replans]
    assert len(replanned) == 1 and replanned[0].current > replanned[0].planned
    assert Call.objects.get().reviewers.filter(email=demo.TEAM[0]).exists()
    assert client.login(email=demo.PILOT_SUBMITTER, password=accounts_demo.DEMO_PASSWORD)
    html = client.get(pilot.get_absolute_url()).content.decode()
    assert "De omgevingsvergunning kwam een half jaar later." in html
    assert list(pilot.reports.values_list("status", flat=True)) == ["risico", "op_koers"]
    # The demo's history counts back from today: its last report is current.
    assert 'data-overdue="1"' not in html and "Laatste rapportage 2" in html


def test_avg_export_and_forget(submission, planner, team):
    from bouwplaats.projects import services

    services.submission_set_status(
        actor=team, submission=submission, status="onvolledig", reason="Begroting"
    )
    data = avg.export(user=planner)
    assert data["submissions"][0]["title"] == "Transformatie Havenkwartier"
    assert data["submissions"][0]["answers"][0]["text"] == "Sneller bouwen"
    assert avg.export(user=team)["submission_steps_taken"][0]["reason"] == "Begroting"
    avg.forget(user=planner)
    avg.forget(user=team)
    submission.refresh_from_db()
    # The organisation's submission stays; the people are unlinked.
    assert submission.submitted_by is None
    assert not SubmissionStep.objects.filter(by__isnull=False).exists()
    assert not SubmissionStep.objects.exclude(contact_name="").exists()
    assert avg.export(user=planner) == {
        "submissions": [], "submission_steps_taken": [], "reviews": [], "progress_reports": [],
        "milestone_replans": [], "milestone_reopenings": [], "support_requests": [],
        "support_answers": [], "evaluations": [],
        "project_attachments": [],
    }  # fmt: skip


def test_avg_reviews_reports_and_replans(submission, planner, team, call):
    from bouwplaats.projects import services
    from bouwplaats.projects.models import Pilot, ProgressReport, Review

    services.call_set_reviewers(call=call, reviewers=[team])
    scores = dict.fromkeys(call.criteria.values_list("pk", flat=True), 4)
    services.review_save(actor=team, submission=submission, scores=scores, note="Sterk")
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(actor=team, submission=submission, status=status,
                                       reason="Ok")  # fmt: skip
    pilot = Pilot.objects.get()
    services.progress_report_create(actor=planner, pilot=pilot, status="risico", reason="Traag")
    assert avg.export(user=team)["reviews"][0]["scores"][0]["score"] == 4
    assert avg.export(user=planner)["progress_reports"][0]["reason"] == "Traag"
    avg.forget(user=team)
    avg.forget(user=planner)
    assert not Review.objects.exists()
    assert ProgressReport.objects.get().by is None


def test_load_demo_finds_the_projects_demo(django_capture_on_commit_callbacks):
    from bouwplaats.core.demo import demo_load

    with django_capture_on_commit_callbacks(execute=False):
        loaded = demo_load()
    assert "bouwplaats.projects" in loaded
    assert Call.objects.get().title == "Meedoen met uw project?"
    assert Submission.objects.count() == 2


def test_demo_pilot_has_an_answered_support_request(loaded, client):
    from bouwplaats.projects.models import SupportRequest

    support = SupportRequest.objects.get()
    assert support.kind == "bemiddeling" and support.status == "beantwoord"
    assert "ministerie" in support.question and support.answered_by is not None


def test_avg_support_requests_and_evaluations(pilot, planner, team):
    from bouwplaats.projects import services
    from bouwplaats.projects.models import PilotEvaluation

    support = services.support_request_create(
        actor=planner, pilot=pilot, kind="advies", question="Hoe verder?"
    )
    services.support_request_answer(
        actor=team, support_request=support, status="beantwoord", answer="Zo."
    )
    services.evaluation_save(actor=planner, pilot=pilot, outcome="deels", results="Veel")
    assert avg.export(user=planner)["support_requests"][0]["question"] == "Hoe verder?"
    assert avg.export(user=team)["support_answers"][0]["answer"] == "Zo."
    assert avg.export(user=planner)["evaluations"][0]["outcome"] == "deels"
    avg.forget(user=planner)
    avg.forget(user=team)
    support.refresh_from_db()
    assert support.by is None and support.answered_by is None and support.answer == "Zo."
    assert PilotEvaluation.objects.get().by is None


def test_demo_attachments_are_real_pdfs_for_who_may_see_them(loaded, client):
    from bouwplaats.projects.models import Attachment

    call_document = Attachment.objects.get(call__isnull=False)
    assert call_document.name == demo.CALL_ATTACHMENT[0]
    assert call_document.content_type == "application/pdf"
    seed = _seed_text()
    assert all(" ".join(p.split()) in seed for p in demo.CALL_ATTACHMENT[2][:2])
    # A visitor downloads the call's explanation; the submission's plan is not theirs to see.
    response = client.get(call_document.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    plan = Attachment.objects.get(submission__status="in_behandeling")
    assert plan.name == demo.SUBMISSION_ATTACHMENT[0]
    assert plan.uploaded_by.email == demo.SUBMITTER
    assert client.get(plan.get_absolute_url()).status_code == 404
    assert client.login(email=demo.SUBMITTER, password=accounts_demo.DEMO_PASSWORD)
    assert client.get(plan.get_absolute_url()).status_code == 200
    assert Attachment.objects.count() == 2  # loaded twice, attached once
