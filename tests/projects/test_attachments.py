"""Attachments on calls and submissions: who sees them (pages and API), hostile uploads refused
with nothing stored, the confirm before removing one, and one copy of the upload checks."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from bouwplaats.core import responses as core_responses
from bouwplaats.core import uploads as core_uploads
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.projects import avg, services
from bouwplaats.projects.models import Attachment, Submission
from tests.factories import MembershipFactory, UserFactory
from tests.refusals import page_fields
from tests.spaces.files import EXE, docx_bytes, pdf_bytes

from .helpers import answers_for, make_call

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
# Made once: Pillow writes the time into a PDF, so two calls may differ.
PDF = pdf_bytes()


def pdf(name="Begroting.pdf", content=None):
    return SimpleUploadedFile(name, PDF if content is None else content)


def stored_files() -> list[Path]:
    media = Path(settings.MEDIA_ROOT)
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def call_attachment(call, team):
    return services.attachment_add(
        actor=team, call=call, upload=pdf("Toelichting bij de oproep.pdf")
    )


@pytest.fixture
def draft(call, planner):
    return services.submission_create(
        actor=planner, call=call, organisation=planner.organisation, title="Concept Havenkwartier",
        submit=False,
    )  # fmt: skip


@pytest.fixture
def submission_attachment(submission, planner, team):
    """A document of Gemeente Deventer's submission, attached while it was onvolledig."""
    services.submission_set_status(
        actor=team, submission=submission, status="onvolledig", reason="De begroting ontbreekt."
    )
    attachment = services.attachment_add(actor=planner, submission=submission, upload=pdf())
    services.submission_update(
        actor=planner, submission=submission, title=submission.title, submit=True
    )
    return attachment


@pytest.fixture
def reviewer(programme, call):
    """A programme team member assigned to review the call."""
    user = MembershipFactory(programme=programme, user=UserFactory(full_name="Karel")).user
    services.call_set_reviewers(call=call, reviewers=[user])
    return user


@pytest.fixture
def conflicted(programme, call, submission):
    """An assigned reviewer who declared a conflict of interest on the submission."""
    user = MembershipFactory(programme=programme, user=UserFactory(full_name="Anna")).user
    services.call_set_reviewers(call=call, reviewers=[user])
    services.review_declare_conflict(actor=user, submission=submission)
    return user


def people(request, names):
    return {name: request.getfixturevalue(name) if name != "visitor" else None for name in names}


# One copy of the upload checks -----------------------------------------------------------------


def _definitions(name: str) -> list[str]:
    """Return the files under bouwplaats/ that define ``name`` (read as text, so a file that
    does not parse still counts)."""
    pattern = re.compile(rf"^\s*(?:async\s+)?(?:def|class)\s+{name}\b", re.MULTILINE)
    return sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "bouwplaats").rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    )


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("check_document", "bouwplaats/core/uploads.py"),
        ("check_photo", "bouwplaats/core/uploads.py"),
        ("clean_filename", "bouwplaats/core/uploads.py"),
        ("CheckedFile", "bouwplaats/core/uploads.py"),
        ("make_thumbnail", "bouwplaats/core/uploads.py"),
        ("file_response", "bouwplaats/core/responses.py"),
    ],
)
def test_the_upload_checks_and_file_response_exist_once_in_core(name, home):
    assert _definitions(name) == [home]


def test_spaces_and_projects_use_the_core_copy():
    from bouwplaats.projects import api as projects_api
    from bouwplaats.projects import services as projects_services
    from bouwplaats.projects import views as projects_views
    from bouwplaats.spaces import api as spaces_api
    from bouwplaats.spaces import services as spaces_services
    from bouwplaats.spaces import views as spaces_views

    assert not (ROOT / "bouwplaats/spaces/uploads.py").exists()
    assert not (ROOT / "bouwplaats/spaces/responses.py").exists()
    assert spaces_services.check_document is core_uploads.check_document
    assert projects_services.check_document is core_uploads.check_document
    for module in (spaces_api, spaces_views, projects_api, projects_views):
        assert module.file_response is core_responses.file_response


# Who sees what -------------------------------------------------------------------------------

CALL_SEERS = {"visitor": True, "outsider": True, "planner": True, "team": True}


@pytest.mark.parametrize(("who", "sees"), CALL_SEERS.items())
def test_a_published_calls_attachments_are_for_everyone_who_sees_the_call(
    request, client, api, call, call_attachment, who, sees
):
    user = people(request, [who])[who]
    if user is not None:
        client.force_login(user)
    page = client.get(call.get_absolute_url()).content.decode()
    assert ("Toelichting bij de oproep.pdf" in page) is sees
    assert client.get(call_attachment.get_absolute_url()).status_code == 200
    body = api(user).get(f"/calls/{call.pk}").json()
    assert [a["name"] for a in body["attachments"]] == ["Toelichting bij de oproep.pdf"]
    download = api(user).get(f"/calls/{call.pk}/attachments/{call_attachment.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == call_attachment.file.open("rb").read()


@pytest.mark.parametrize(
    ("who", "status"), [("visitor", 404), ("outsider", 404), ("planner", 404), ("team", 200)]
)
def test_a_concept_calls_attachments_only_for_its_programme_team(
    request, client, api, programme, team, who, status
):
    concept = make_call(programme, published=False)
    attachment = services.attachment_add(actor=team, call=concept, upload=pdf())
    user = people(request, [who])[who]
    if user is not None:
        client.force_login(user)
    assert client.get(attachment.get_absolute_url()).status_code == status
    response = api(user).get(f"/calls/{concept.pk}/attachments/{attachment.pk}")
    assert response.status_code == status


# (page status, API status): the API asks a visitor to log in.
SUBMISSION_MATRIX = {
    "visitor": (404, 401),
    "outsider": (404, 404),
    "unverified": (404, 404),
    "conflicted": (404, 404),
    "planner": (200, 200),
    "colleague": (200, 200),
    "team": (200, 200),
    "reviewer": (200, 200),
}


@pytest.mark.parametrize(("who", "statuses"), SUBMISSION_MATRIX.items())
def test_a_submissions_attachments_only_for_who_may_see_the_submission(
    request, client, api, submission, submission_attachment, who, statuses
):
    user = people(request, [who])[who]
    page_status, api_status = statuses
    if user is not None:
        client.force_login(user)
    assert client.get(submission_attachment.get_absolute_url()).status_code == page_status
    url = f"/submissions/{submission.pk}/attachments/{submission_attachment.pk}"
    assert api(user).get(url).status_code == api_status
    detail = client.get(submission.get_absolute_url())
    listed = detail.status_code == 200 and "Begroting.pdf" in detail.content.decode()
    assert listed is (page_status == 200)
    if api_status == 200:
        body = api(user).get(f"/submissions/{submission.pk}").json()
        assert [a["name"] for a in body["attachments"]] == ["Begroting.pdf"]
        assert body["attachments"][0]["download_url"].endswith(url)


def test_a_drafts_attachments_are_not_for_the_programme_team(
    client, api, draft, planner, colleague, team
):
    attachment = services.attachment_add(actor=planner, submission=draft, upload=pdf())
    for user, status in ((planner, 200), (colleague, 200), (team, 404)):
        client.force_login(user)
        assert client.get(attachment.get_absolute_url()).status_code == status
        url = f"/submissions/{draft.pk}/attachments/{attachment.pk}"
        assert api(user).get(url).status_code == status


def test_an_attachment_of_one_submission_is_not_served_under_another(
    api, call, submission, submission_attachment, outsider
):
    other = services.submission_create(
        actor=outsider, call=call, organisation=outsider.organisation, title="Ede",
        answers=answers_for(call),
    )  # fmt: skip
    url = f"/submissions/{other.pk}/attachments/{submission_attachment.pk}"
    assert api(outsider).get(url).status_code == 404
    url = f"/calls/{call.pk}/attachments/{submission_attachment.pk}"
    assert api(outsider).get(url).status_code == 404


def test_downloads_are_attachments_in_a_sandbox_never_a_media_url(client, call, call_attachment):
    response = client.get(call.get_absolute_url())
    assert settings.MEDIA_URL not in response.content.decode()
    response = client.get(call_attachment.get_absolute_url())
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Toelichting bij de oproep.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]
    assert re.fullmatch(r"projects/attachments/[0-9a-f]{32}\.pdf", call_attachment.file.name)


# Who attaches ---------------------------------------------------------------------------------


def test_the_team_attaches_to_its_call_on_the_edit_page(client, call, team):
    from .test_call_pages import form_data

    client.force_login(team)
    edit = f"/oproepen/{call.pk}/wijzigen/"
    assert 'enctype="multipart/form-data"' in client.get(edit).content.decode()
    data = form_data()
    data["file"] = SimpleUploadedFile("Verslag.docx", docx_bytes())
    response = client.post(edit, data)
    assert response.status_code == 302, page_fields(response.content.decode())
    attachment = Attachment.objects.get()
    assert (attachment.call, attachment.name, attachment.uploaded_by) == (
        call,
        "Verslag.docx",
        team,
    )
    assert attachment.content_type.endswith("wordprocessingml.document")
    assert "Verslag.docx" in client.get(call.get_absolute_url()).content.decode()


def test_only_the_programme_team_attaches_to_a_call(api, call, planner, outsider, team):
    for user, status in ((None, 401), (planner, 403), (outsider, 403)):
        response = api(user).post(
            f"/calls/{call.pk}/attachments", {"file": pdf()}, format="multipart"
        )
        assert response.status_code == status, response.content
    with pytest.raises(NotAllowed):
        services.attachment_add(actor=planner, call=call, upload=pdf())
    response = api(team).post(f"/calls/{call.pk}/attachments", {"file": pdf()}, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["name"] == "Begroting.pdf"
    assert Attachment.objects.filter(call=call).count() == 1


def test_a_verified_member_attaches_to_a_draft_and_when_completing(
    client, call, planner, team, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    question = call.questions.get(required=True)
    data = {
        "organisation": planner.organisation.pk, "title": "Havenkwartier", "summary": "",
        f"answer_{question.pk}": "Sneller bouwen", "milestones": "", "concept": "1",
        "file": pdf("Plan van aanpak.pdf"),
    }  # fmt: skip
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", data)
    assert response.status_code == 302, page_fields(response.content.decode())
    submission = Submission.objects.get()
    assert submission.status == "concept"
    assert [a.name for a in submission.attachments.all()] == ["Plan van aanpak.pdf"]
    edit = f"/oproepen/aanmeldingen/{submission.pk}/wijzigen/"
    page = client.get(edit).content.decode()
    assert "Plan van aanpak.pdf" in page and 'enctype="multipart/form-data"' in page
    data.pop("organisation")
    data.pop("concept")
    data["indienen"] = "1"
    data["file"] = SimpleUploadedFile("Begroting.pdf", pdf_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, data).status_code == 302
        services.submission_set_status(
            actor=team, submission=submission, status="onvolledig", reason="Kaart ontbreekt."
        )
    # Completing: the attachment comes with the completed submission.
    data["file"] = SimpleUploadedFile("Kaart.pdf", pdf_bytes())
    assert client.post(edit, data).status_code == 302
    submission.refresh_from_db()
    assert submission.status == "ingediend"
    names = [a.name for a in submission.attachments.order_by("pk")]
    assert names == ["Plan van aanpak.pdf", "Begroting.pdf", "Kaart.pdf"]
    assert len(stored_files()) == 3


def test_nobody_attaches_to_a_submission_under_review(api, submission, planner, team):
    for user, status in ((planner, 403), (team, 403)):
        response = api(user).post(
            f"/submissions/{submission.pk}/attachments", {"file": pdf()}, format="multipart"
        )
        assert response.status_code == status, response.content
    assert (
        api()
        .post(f"/submissions/{submission.pk}/attachments", {"file": pdf()}, format="multipart")
        .status_code
        == 401
    )
    assert not Attachment.objects.exists() and not stored_files()


def test_an_unverified_member_or_an_outsider_cannot_attach(api, draft, unverified, outsider):
    for user in (unverified, outsider):
        response = api(user).post(
            f"/submissions/{draft.pk}/attachments", {"file": pdf()}, format="multipart"
        )
        assert response.status_code == 404, response.content
        with pytest.raises(NotAllowed):
            services.attachment_add(actor=user, submission=draft, upload=pdf())
    assert not Attachment.objects.exists() and not stored_files()


def test_the_api_attaches_to_a_draft_and_lists_it(api, draft, planner):
    response = api(planner).post(
        f"/submissions/{draft.pk}/attachments", {"file": pdf()}, format="multipart"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    listed = api(planner).get(f"/submissions/{draft.pk}").json()["attachments"]
    assert [a["id"] for a in listed] == [body["id"]]


# Hostile uploads ------------------------------------------------------------------------------

SCRIPT_HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HOSTILE_NAMES = [
    "../../../etc/passwd.pdf",
    "..\\..\\windows\\win.pdf",
    "nul\x00byte.pdf",
    "x" * 300 + ".pdf",
    "Begroting café – 2027 ✓.pdf",
    "\u202eFDP.exe.pdf",
]
# (file name, content, API status, message start)
HOSTILE = [
    ("begroting.pdf", EXE, 415, "Dit soort bestand"),
    ("begroting.docx", SCRIPT_HTML, 415, "Dit soort bestand"),
    ("kaart.txt", SVG, 415, "Dit soort bestand"),
    ("leeg.pdf", b"", 400, "Het bestand is leeg"),
    *[(name, EXE, 415, "Dit soort bestand") for name in HOSTILE_NAMES],
]


@pytest.mark.parametrize(("name", "content", "status", "message"), HOSTILE)
def test_hostile_uploads_are_refused_by_api_and_page_nothing_stored(
    client, api, draft, planner, call, team, name, content, status, message
):
    response = api(planner).post(
        f"/submissions/{draft.pk}/attachments",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == status, response.content
    assert response.json()["code"] == "file"
    assert response.json()["detail"].startswith(message)
    response = api(team).post(
        f"/calls/{call.pk}/attachments",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == status, response.content
    # The page: the Dutch message beside the file field; the draft keeps its old title.
    client.force_login(planner)
    question = call.questions.get(required=True)
    response = client.post(
        f"/oproepen/aanmeldingen/{draft.pk}/wijzigen/",
        {"title": "Nieuwe titel", f"answer_{question.pk}": "Ja", "milestones": "",
         "concept": "1", "file": SimpleUploadedFile(name, content)},
    )  # fmt: skip
    html = response.content.decode()
    assert page_fields(html) == {"file"}, html[:2000]
    assert message in html
    draft.refresh_from_db()
    assert draft.title == "Concept Havenkwartier"
    assert not Attachment.objects.exists() and not stored_files()


def test_a_file_too_large_is_refused_with_its_limit(settings, client, api, draft, planner, call):
    settings.PROJECTS_ATTACHMENT_MAX_BYTES = 1000
    big = b"%PDF-1.4\n" + b"0" * 2000
    response = api(planner).post(
        f"/submissions/{draft.pk}/attachments",
        {"file": SimpleUploadedFile("groot.pdf", big)},
        format="multipart",
    )
    assert response.status_code == 413, response.content
    assert "te groot" in response.json()["detail"]
    client.force_login(planner)
    question = call.questions.get(required=True)
    data = {"organisation": planner.organisation.pk, "title": "Nieuw", "summary": "",
            f"answer_{question.pk}": "Ja", "milestones": "", "indienen": "1",
            "file": SimpleUploadedFile("groot.pdf", big)}  # fmt: skip
    response = client.post(f"/oproepen/{call.pk}/aanmelden/", data)
    html = response.content.decode()
    assert page_fields(html) == {"file"} and "te groot" in html
    # Nothing stored: no new submission, no attachment, no file.
    assert list(Submission.objects.values_list("pk", flat=True)) == [draft.pk]
    assert not Attachment.objects.exists() and not stored_files()


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_never_reaches_storage_and_is_served_clean(api, draft, planner, name):
    response = api(planner).post(
        f"/submissions/{draft.pk}/attachments",
        {"file": SimpleUploadedFile(name, pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    attachment = Attachment.objects.get()
    # Stored under a random name inside the attachments folder, whatever the client said.
    assert re.fullmatch(r"projects/attachments/[0-9a-f]{32}\.pdf", attachment.file.name)
    (path,) = stored_files()
    assert path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "projects")
    shown = attachment.name
    assert shown.endswith(".pdf") and len(shown) <= 160
    assert not set(shown) & {"/", "\\", "\x00", "\u202e"} and ".." not in shown
    if "café" in name:
        assert shown.startswith("Begroting café")
    download = api(planner).get(f"/submissions/{draft.pk}/attachments/{attachment.pk}")
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment; filename")
    assert not set(disposition) & {"/", "\\", "\x00", "\r", "\n"}


def test_at_most_so_many_attachments(monkeypatch, api, draft, planner):
    monkeypatch.setattr(Attachment, "MAX_PER_PARENT", 1)
    url = f"/submissions/{draft.pk}/attachments"
    assert api(planner).post(url, {"file": pdf()}, format="multipart").status_code == 201
    response = api(planner).post(url, {"file": pdf()}, format="multipart")
    assert response.status_code == 422 and set(response.json()["errors"]) == {"file"}
    assert Attachment.objects.count() == 1 and len(stored_files()) == 1


def test_no_file_is_a_clear_refusal(api, draft, planner):
    response = api(planner).post(f"/submissions/{draft.pk}/attachments", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["detail"] == "Kies eerst een bestand."
    with pytest.raises(DomainError):
        services.attachment_add(actor=planner, submission=draft, upload=None)


# Removing --------------------------------------------------------------------------------------


def test_the_uploader_removes_after_confirming(
    client, draft, planner, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(actor=planner, submission=draft, upload=pdf())
    client.force_login(planner)
    assert "Verwijderen" in client.get(draft.get_absolute_url()).content.decode()
    url = f"/oproepen/bijlagen/{attachment.pk}/verwijderen/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Bijlage verwijderen?" in page.content.decode() and "Begroting.pdf" in (
        page.content.decode()
    )
    # A POST without the confirmation (a stale page, another site's form) changes nothing.
    assert client.post(url).status_code == 200
    assert Attachment.objects.exists() and len(stored_files()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"bevestigd": "1"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert not Attachment.objects.exists() and not stored_files()


def test_who_may_remove(client, api, draft, planner, colleague, outsider, team, call):
    attachment = services.attachment_add(actor=planner, submission=draft, upload=pdf())
    url = f"/oproepen/bijlagen/{attachment.pk}/verwijderen/"
    # A colleague sees it but did not place it; an outsider does not see it.
    for user, status in ((colleague, 403), (outsider, 404), (team, 404)):
        client.force_login(user)
        assert client.post(url, {"bevestigd": "1"}).status_code == status
        api_url = f"/submissions/{draft.pk}/attachments/{attachment.pk}"
        assert api(user).delete(api_url).status_code == status
    # Once submitted, the uploader's document is the record under review: the team removes it.
    services.submission_update(
        actor=planner, submission=draft, title=draft.title, answers=answers_for(call), submit=True
    )
    client.force_login(planner)
    assert client.post(url, {"bevestigd": "1"}).status_code == 403
    api_url = f"/submissions/{draft.pk}/attachments/{attachment.pk}"
    assert api(planner).delete(api_url).status_code == 403
    assert api(team).delete(api_url).status_code == 204
    assert not Attachment.objects.exists()


def test_the_team_removes_a_call_attachment(api, client, call, call_attachment, planner, team):
    url = f"/calls/{call.pk}/attachments/{call_attachment.pk}"
    assert api(planner).delete(url).status_code == 403
    assert api().delete(url).status_code == 401
    client.force_login(team)
    page = client.get(f"/oproepen/bijlagen/{call_attachment.pk}/verwijderen/").content.decode()
    assert "Wie de oproep bekijkt" in page
    assert api(team).delete(url).status_code == 204
    assert not Attachment.objects.exists()


# AVG -----------------------------------------------------------------------------------------


def test_the_members_own_attachments_in_the_avg_export_files_and_forget(draft, planner, team, call):
    mine = services.attachment_add(actor=planner, submission=draft, upload=pdf())
    services.attachment_add(actor=team, call=call, upload=pdf("Toelichting.pdf"))
    exported = avg.export(user=planner)["project_attachments"]
    assert [(a["name"], a["submission"]) for a in exported] == [("Begroting.pdf", draft.title)]
    files = list(avg.files(user=planner))
    assert [name for name, _handle in files] == [f"bijlagen/{mine.pk}-Begroting.pdf"]
    assert files[0][1].read() == PDF
    files[0][1].close()
    avg.forget(user=planner)
    mine.refresh_from_db()
    # The organisation's submission keeps its document, no longer linked to the person.
    assert mine.uploaded_by is None and avg.export(user=planner)["project_attachments"] == []


def test_attach_to_exactly_one_parent(call, draft, team):
    with pytest.raises(ValueError):
        services.attachment_add(actor=team, upload=pdf())
    with pytest.raises(ValueError):
        services.attachment_add(actor=team, call=call, submission=draft, upload=pdf())


def test_a_call_form_refusal_stores_no_file(client, call, team):
    from .test_call_pages import form_data

    client.force_login(team)
    data = form_data(title="")
    data["file"] = pdf()
    response = client.post(f"/oproepen/{call.pk}/wijzigen/", data)
    assert "title" in page_fields(response.content.decode())
    assert not Attachment.objects.exists() and not stored_files()


def test_a_submission_refused_for_a_closed_call_stores_no_file(client, programme, planner):
    from .helpers import days

    closed = make_call(programme, opens_on=days(-20), closes_on=days(-1))
    draft = Submission.objects.create(
        call=closed, organisation=planner.organisation, submitted_by=planner, title="Laat"
    )
    with pytest.raises(DomainError):
        services.attachment_add(actor=planner, submission=draft, upload=pdf())
    assert not Attachment.objects.exists() and not stored_files()


# One rule, two forms; constant queries ------------------------------------------------------


def test_object_checks_and_querysets_agree(
    request, programme, call, call_attachment, submission_attachment, draft, planner
):
    from bouwplaats.projects.permissions import (
        attachments_deletable_by,
        attachments_visible_to,
        can_delete_attachment,
        can_view_attachment,
    )

    concept_call = make_call(programme, published=False)
    attachments = [
        call_attachment,
        submission_attachment,
        services.attachment_add(actor=planner, submission=draft, upload=pdf()),
        services.attachment_add(
            actor=request.getfixturevalue("team"), call=concept_call, upload=pdf()
        ),
    ]
    names = ["visitor", "planner", "colleague", "outsider", "unverified", "team", "conflicted"]
    for who, user in people(request, names).items():
        visible = set(attachments_visible_to(user).values_list("pk", flat=True))
        deletable = set(attachments_deletable_by(user).values_list("pk", flat=True))
        for attachment in attachments:
            attachment = Attachment.objects.get(pk=attachment.pk)
            assert can_view_attachment(user, attachment) is (attachment.pk in visible), who
            assert can_delete_attachment(user, attachment) is (attachment.pk in deletable), who


def test_call_and_submission_pages_take_as_many_queries_for_many_attachments(
    client, django_assert_num_queries, call, draft, planner, team
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.attachment_add(actor=team, call=call, upload=pdf())
    services.attachment_add(actor=planner, submission=draft, upload=pdf())

    def count(user, url) -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    pages = [(team, call.get_absolute_url()), (planner, draft.get_absolute_url())]
    before = [count(user, url) for user, url in pages]
    for _ in range(4):
        services.attachment_add(actor=team, call=call, upload=pdf())
        services.attachment_add(actor=planner, submission=draft, upload=pdf())
    for (user, url), queries in zip(pages, before, strict=True):
        client.force_login(user)
        with django_assert_num_queries(queries):
            page = client.get(url).content.decode()
        assert page.count("/verwijderen/") == 5
