import re

import pytest
from django.urls import reverse

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment, Document, Photo, SpacePolicy
from tests.factories import RegistrationFactory, UserFactory

from .files import jpeg_bytes, pdf_bytes

COMMENTS_SENTENCE = (
    "Om reacties te bekijken of te plaatsen moet u inloggen en zich aanmelden voor deze bouwsessie."
)
# A member who is logged in reads only what is left to do (fresh-eyes walk 4).
MEMBER_COMMENTS_SENTENCE = "Meld u aan voor deze bouwsessie om reacties te bekijken of te plaatsen."
PHOTOS_SENTENCE = "Om foto&#x27;s te bekijken of te plaatsen moet u eerst inloggen."
DOCUMENTS_SENTENCE = (
    "Om documenten te bekijken of te plaatsen moet u inloggen en zich aanmelden voor deze "
    "bouwsessie."
)


def space_url(session):
    return reverse("spaces:session", kwargs={"session_pk": session.pk})


def test_visitor_sees_the_seed_sentences_and_a_login_button(client, session):
    response = client.get(space_url(session))
    html = response.content.decode()
    assert response.status_code == 200
    assert COMMENTS_SENTENCE in html
    assert PHOTOS_SENTENCE in html
    assert DOCUMENTS_SENTENCE in html
    assert f'href="/account/login/?next=%2Fsessieruimte%2Fsessie%2F{session.pk}%2F"' in html
    assert "Reactie plaatsen" not in html


def test_member_sees_photos_but_not_comments(client, session, member):
    client.force_login(member)
    html = client.get(space_url(session)).content.decode()
    assert MEMBER_COMMENTS_SENTENCE in html
    assert PHOTOS_SENTENCE not in html
    assert "Foto plaatsen" in html
    assert "Reactie plaatsen" not in html


def test_draft_session_space_is_not_found_for_members(client, session, member):
    session.status = "draft"
    session.save()
    client.force_login(member)
    assert client.get(space_url(session)).status_code == 404


def test_participant_posts_comment_without_javascript(client, session, participant):
    client.force_login(participant)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    response = client.post(url, {"comment-body": "Wat **verankeren** we?", "next": "/elders"})
    assert response.status_code == 302
    assert response["Location"] == "/elders#reacties"
    html = client.get(space_url(session)).content.decode()
    assert "Wat <strong>verankeren</strong> we?" in html
    assert "Uw reactie is geplaatst." in html


def test_next_outside_the_site_is_ignored(client, session, participant):
    client.force_login(participant)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    response = client.post(url, {"comment-body": "Hoi", "next": "https://kwaad.example/"})
    assert response["Location"] == space_url(session) + "#reacties"


def test_participant_posts_comment_with_htmx(client, session, participant):
    client.force_login(participant)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    response = client.post(url, {"comment-body": "Via htmx"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="bp-section bp-space-section" id="reacties"')
    assert "<p>Via htmx</p>" in html and "Uw reactie is geplaatst." in html
    assert "<html" not in html


@pytest.mark.parametrize("htmx", [False, True])
def test_empty_comment_shows_error_next_to_field(client, session, participant, htmx):
    client.force_login(participant)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, {"comment-body": "  "}, headers=headers)
    # htmx swaps only 2xx responses, so its partial carries the error with a 200.
    assert response.status_code == (200 if htmx else 400)
    html = response.content.decode()
    assert re.search(
        r'<ul class="bp-field-errors" id="id_comment-body_errors"><li>'
        r'<span class="bp-visually-hidden">Fout: </span>Schrijf eerst uw reactie.',
        html,
    )
    assert not Comment.objects.exists()


def test_script_in_a_comment_never_reaches_the_html(client, session, participant):
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> [klik](javascript:alert(1))'
    services.comment_create(session=session, user=participant, body=hostile)
    client.force_login(participant)
    html = client.get(space_url(session)).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text, harmless
    assert 'href="javascript:' not in html
    assert Comment.objects.get().body == hostile


def test_member_posting_with_htmx_gets_the_refusal_in_place(client, session, member):
    client.force_login(member)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    response = client.post(url, {"comment-body": "Mag dit?"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="bp-section bp-space-section" id="reacties"')
    assert MEMBER_COMMENTS_SENTENCE in html and "Reactie plaatsen" not in html
    assert not Comment.objects.exists()


def test_member_cannot_post_comment(client, session, member):
    client.force_login(member)
    url = reverse("spaces:comment_create", kwargs={"session_pk": session.pk})
    response = client.post(url, {"comment-body": "Mag dit?"}, follow=True)
    assert MEMBER_COMMENTS_SENTENCE in response.content.decode()
    assert not Comment.objects.exists()


def test_comment_edit_delete_and_hide_pages(client, session, participant, host):
    comment = services.comment_create(session=session, user=participant, body="Eerst")
    client.force_login(participant)
    edit_url = reverse("spaces:comment_edit", kwargs={"pk": comment.pk})
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, {"comment-body": ""})
    assert response.status_code == 400
    assert "Schrijf eerst uw reactie." in response.content.decode()
    client.post(edit_url, {"comment-body": "Daarna"})
    comment.refresh_from_db()
    assert comment.body == "Daarna"

    client.force_login(host)
    assert client.get(edit_url).status_code == 404
    hide_url = reverse("spaces:comment_hide", kwargs={"pk": comment.pk})
    response = client.post(hide_url, {"reason": ""}, follow=True)
    assert "Geef een reden waarom u de reactie verbergt." in response.content.decode()
    client.post(hide_url, {"reason": "Buiten het onderwerp"})
    comment.refresh_from_db()
    assert comment.is_hidden

    client.force_login(participant)
    html = client.get(space_url(session)).content.decode()
    assert "verborgen door de organisator" in html
    assert "Daarna" not in html
    client.post(reverse("spaces:comment_delete", kwargs={"pk": comment.pk}))
    assert not Comment.objects.exists()


def test_photo_upload_and_thumbnail_in_gallery(
    client, session, member, upload, django_capture_on_commit_callbacks
):
    client.force_login(member)
    url = reverse("spaces:photo_upload", kwargs={"session_pk": session.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"photo-file": upload("zaal.jpg", jpeg_bytes()), "photo-caption": "De zaal"}
        )
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert photo.thumbnail  # made by the immediate task backend once the upload committed
    html = client.get(space_url(session)).content.decode()
    thumb = reverse("spaces:photo_thumbnail", kwargs={"pk": photo.pk})
    assert f'<img src="{thumb}" alt="De zaal"' in html
    response = client.get(thumb)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plaatje.jpg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("plaatje.png", b"<html><body onload=alert(1)></body></html>"),
    ],
)
def test_svg_or_html_disguised_as_photo_is_refused(client, session, member, upload, name, content):
    client.force_login(member)
    url = reverse("spaces:photo_upload", kwargs={"session_pk": session.pk})
    response = client.post(url, {"photo-file": upload(name, content, "image/jpeg")})
    assert response.status_code == 400
    assert "Dit is geen foto die hier kan: alleen JPEG, PNG en WebP." in response.content.decode()
    assert 'id="id_photo-file_errors"' in response.content.decode()
    assert not Photo.objects.exists()


def test_document_upload_refuses_html_named_pdf(client, session, participant, upload):
    client.force_login(participant)
    url = reverse("spaces:document_upload", kwargs={"session_pk": session.pk})
    content = b"<!doctype html><script>alert(document.cookie)</script>"
    response = client.post(url, {"document-file": upload("agenda.pdf", content, "application/pdf")})
    assert response.status_code == 400
    assert "Dit soort bestand kan hier niet worden geplaatst." in response.content.decode()
    assert not Document.objects.exists()


def test_document_upload_without_file(client, session, participant):
    client.force_login(participant)
    url = reverse("spaces:document_upload", kwargs={"session_pk": session.pk})
    response = client.post(url, {"document-description": "Agenda"})
    assert response.status_code == 400
    assert "Kies eerst een bestand." in response.content.decode()


def test_file_responses_carry_sandbox_nosniff_and_attachment(
    client, session, participant, upload, django_capture_on_commit_callbacks
):
    document = services.document_upload(
        session=session, user=participant, upload=upload("Programma.pdf", pdf_bytes())
    )
    with django_capture_on_commit_callbacks(execute=True):
        photo = services.photo_upload(
            session=session, user=participant, upload=upload("f.jpg", jpeg_bytes())
        )
    client.force_login(participant)
    response = client.get(reverse("spaces:document", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Programma.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == document.file.open("rb").read()
    for name in ("spaces:photo", "spaces:photo_thumbnail"):
        response = client.get(reverse(name, kwargs={"pk": photo.pk}))
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "image/jpeg"


def test_download_checks_access_on_every_request(client, session, participant, upload):
    document = services.document_upload(
        session=session, user=participant, upload=upload("a.pdf", pdf_bytes())
    )
    url = reverse("spaces:document", kwargs={"pk": document.pk})
    client.force_login(participant)
    assert client.get(url).status_code == 200
    registration = session.registrations.get(member=participant)
    registration.status = "cancelled"
    registration.save()
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_policy_page_host_only_with_errors(client, session, host, member):
    url = reverse("spaces:policy", kwargs={"session_pk": session.pk})
    client.force_login(member)
    assert client.get(url).status_code == 404
    client.force_login(host)
    assert client.get(url).status_code == 200
    data = {
        "comments_view": "hosts", "comments_post": "participants",
        "photos_view": "members", "photos_post": "members",
        "documents_view": "participants", "documents_post": "participants",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Wie mag plaatsen, moet ook mogen bekijken" in response.content.decode()
    assert not SpacePolicy.objects.exists()
    data["comments_view"] = "public"
    assert client.post(url, data).status_code == 302
    assert SpacePolicy.objects.get().comments_view == "public"
    client.logout()
    html = client.get(space_url(session)).content.decode()
    assert "Nog geen reacties." in html


def test_comments_list_query_count_does_not_grow(
    client, session, participant, django_assert_max_num_queries
):
    for number in range(3):
        services.comment_create(session=session, user=participant, body=f"Reactie {number}")
    client.force_login(participant)
    with django_assert_max_num_queries(20) as few:
        client.get(space_url(session))
    for number in range(20):
        author = RegistrationFactory(session=session, member=UserFactory()).member
        services.comment_create(session=session, user=author, body=f"Meer {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(space_url(session))
    assert response.content.decode().count('class="bp-space-comment"') == 23


def test_thirty_megabyte_document_refused_on_the_page(client, session, participant, upload):
    client.force_login(participant)
    url = reverse("spaces:document_upload", kwargs={"session_pk": session.pk})
    big = upload("groot.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024), "application/pdf")
    response = client.post(url, {"document-file": big})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Het bestand is te groot: 30,0\xa0MB, de grens is 25,0\xa0MB." in html
    assert not Document.objects.exists()


@pytest.mark.parametrize(("days", "offered"), [(30, True), (-30, False)])
def test_aanmelden_is_offered_only_while_the_session_takes_sign_ups(
    client, member, session, days, offered
):
    import datetime

    from django.utils import timezone

    start = timezone.now() + datetime.timedelta(days=days)
    type(session).objects.filter(pk=session.pk).update(
        start=start, end=start + datetime.timedelta(hours=2)
    )
    SpacePolicy.objects.create(session=session, documents_view="participants")
    client.force_login(member)
    page = client.get(reverse("spaces:session", kwargs={"session_pk": session.pk}))
    assert page.status_code == 200
    assert ("Aanmelden voor deze sessie" in page.content.decode()) is offered
