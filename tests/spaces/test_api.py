from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment, Document, Photo

from .files import EXE, docx_bytes, jpeg_bytes, pdf_bytes


def path(url: str) -> str:
    """Return the path of an absolute download_url, for the test client."""
    return urlparse(url).path


def test_comments_list_and_create_for_participant(api, session, participant):
    client = api(participant)
    response = client.post(
        f"/sessions/{session.pk}/comments", {"body": "Hoe **verankeren** we? <script>x</script>"}
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (
        data["html"]
        == "<p>Hoe <strong>verankeren</strong> we? &lt;script&gt;x&lt;/script&gt;</p>\n"
    )
    assert data["author"]["name"] == "Deelnemer"
    response = client.get(f"/sessions/{session.pk}/comments")
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert response.json()["items"][0]["body"].startswith("Hoe **verankeren**")


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_comments_refused_for_non_participants(api, session, member, who):
    client = api() if who == "visitor" else api(member)
    response = client.get(f"/sessions/{session.pk}/comments")
    assert response.status_code == 403
    detail = response.json()["detail"]
    if who == "visitor":
        assert "moet u inloggen en zich aanmelden voor deze bouwsessie" in detail
    else:
        assert detail.startswith("Meld u aan voor deze bouwsessie om reacties")
    response = client.post(f"/sessions/{session.pk}/comments", {"body": "Mag ik?"})
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_comment_bad_input(api, session, participant):
    client = api(participant)
    response = client.post(f"/sessions/{session.pk}/comments", {"body": "   "})
    assert response.status_code == 422
    assert response.json()["detail"] == "Schrijf eerst uw reactie."
    assert list(response.json()["errors"]) == ["body"]
    response = client.post(f"/sessions/{session.pk}/comments", {"body": "x" * 5001})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "body"
    assert client.post(f"/sessions/{session.pk}/comments", {}).status_code == 422
    assert not Comment.objects.exists()


def test_comment_edit_delete_hide_via_api(api, session, participant, host):
    comment = services.comment_create(session=session, user=participant, body="Eerst")
    url = f"/sessions/{session.pk}/comments/{comment.pk}"
    assert api(host).patch(url, {"body": "Niet van mij"}).status_code == 403
    response = api(participant).patch(url, {"body": "Daarna"})
    assert response.status_code == 200 and response.json()["body"] == "Daarna"
    response = api(host).post(url + "/hide", {"reason": "Off-topic"})
    assert response.status_code == 200 and response.json()["hidden"] is True
    listed = api(participant).get(f"/sessions/{session.pk}/comments").json()["items"][0]
    assert listed["hidden"] is True and listed["body"] == "" and listed["html"] == ""
    assert api(host).get(f"/sessions/{session.pk}/comments").json()["items"][0]["body"] == "Daarna"
    assert api(host).delete(url).status_code == 403
    assert api(participant).delete(url).status_code == 204
    assert not Comment.objects.exists()


def test_unknown_session_is_404(api, participant):
    assert api(participant).get("/sessions/999999/comments").status_code == 404


def test_document_upload_and_download(api, session, participant, other_member):
    client = api(participant)
    response = client.post(
        f"/sessions/{session.pk}/documents",
        {"file": SimpleUploadedFile("Verslag.docx", docx_bytes()), "description": "Verslag"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["content_type"].endswith("wordprocessingml.document")
    assert item["name"] == "Verslag.docx"
    listed = client.get(f"/sessions/{session.pk}/documents").json()
    assert listed["count"] == 1 and listed["items"][0]["download_url"] == item["download_url"]
    assert item["download_url"].startswith("http://testserver/api/v1/sessions/")
    download = client.get(path(item["download_url"]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="Verslag.docx"'
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert download["X-Content-Type-Options"] == "nosniff"
    # The same URL, without the right to see documents: refused, checked on this request.
    assert api().get(path(item["download_url"])).status_code == 403
    assert api(other_member).get(path(item["download_url"])).status_code == 403
    session.registrations.filter(member=participant).update(status="cancelled")
    assert client.get(path(item["download_url"])).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "status", "message"),
    [
        ("agenda.pdf", b"<html><script>alert(1)</script></html>", 415, "Dit soort bestand"),
        ("agenda.pdf", EXE, 415, "Dit soort bestand"),
        ("leeg.pdf", b"", 400, "Het bestand is leeg."),
    ],
)
def test_document_upload_bad_input(api, session, participant, name, content, status, message):
    response = api(participant).post(
        f"/sessions/{session.pk}/documents",
        {"file": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    assert response.status_code == status
    assert response.json()["detail"].startswith(message)
    assert not Document.objects.exists()


def test_document_upload_without_file(api, session, participant):
    response = api(participant).post(
        f"/sessions/{session.pk}/documents", {"description": "x"}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Kies eerst een bestand."


def test_oversized_document_refused(api, session, participant, _media_root):
    big = SimpleUploadedFile("groot.pdf", b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024))
    response = api(participant).post(
        f"/sessions/{session.pk}/documents", {"file": big}, format="multipart"
    )
    assert response.status_code == 413
    assert "te groot" in response.json()["detail"]
    assert not Document.objects.exists()
    assert not _media_root.exists() or not any(_media_root.rglob("*.*"))


def test_document_upload_refused_for_member(api, session, member):
    response = api(member).post(
        f"/sessions/{session.pk}/documents",
        {"file": SimpleUploadedFile("a.pdf", pdf_bytes())},
        format="multipart",
    )
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_photo_upload_list_download(api, session, member, django_capture_on_commit_callbacks):
    client = api(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/sessions/{session.pk}/photos",
            {"file": SimpleUploadedFile("zaal.webp", jpeg_bytes()), "caption": "De zaal"},
            format="multipart",
        )
    assert response.status_code == 201, response.content
    item = response.json()
    assert item["name"] == "zaal.jpg" and item["caption"] == "De zaal"
    assert client.get(f"/sessions/{session.pk}/photos").json()["count"] == 1
    for url in (path(item["download_url"]), path(item["thumbnail_url"])):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert api().get(url).status_code == 403
    assert api().get(f"/sessions/{session.pk}/photos").status_code == 403


def test_photo_upload_refuses_svg(api, session, member):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    response = api(member).post(
        f"/sessions/{session.pk}/photos",
        {"file": SimpleUploadedFile("foto.jpg", svg, content_type="image/jpeg")},
        format="multipart",
    )
    assert response.status_code == 415
    assert response.json()["detail"] == "Dit is geen foto die hier kan: alleen JPEG, PNG en WebP."
    assert not Photo.objects.exists()


def test_policy_api(api, session, host, member):
    url = f"/sessions/{session.pk}/space-policy"
    assert api(member).get(url).json()["comments_view"] == "participants"
    assert api(member).patch(url, {"photos_view": "public"}).status_code == 403
    response = api(host).patch(url, {"photos_view": "public"})
    assert response.status_code == 200 and response.json()["photos_view"] == "public"
    assert api().get(f"/sessions/{session.pk}/photos").status_code == 200
    response = api(host).patch(url, {"photos_post": "public"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "photos_post"


def test_comments_api_query_count_does_not_grow(
    api, session, participant, django_assert_max_num_queries
):
    from tests.factories import RegistrationFactory, UserFactory

    client = api(participant)
    services.comment_create(session=session, user=participant, body="Eerste")
    with django_assert_max_num_queries(20) as few:
        assert client.get(f"/sessions/{session.pk}/comments").json()["count"] == 1
    for number in range(20):
        author = RegistrationFactory(session=session, member=UserFactory()).member
        services.comment_create(session=session, user=author, body=f"Reactie {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/sessions/{session.pk}/comments").json()["count"] == 21


def test_decompression_bomb_via_api_refused(api, session, member):
    from .files import png_bomb_bytes

    response = api(member).post(
        f"/sessions/{session.pk}/photos",
        {"file": SimpleUploadedFile("bom.png", png_bomb_bytes())},
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "Deze foto heeft te veel beeldpunten; verklein hem eerst."
    assert not Photo.objects.exists()


def test_openapi_documents_the_space_paths(api):
    paths = api().get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/sessions/{id}/comments"])
    assert (
        "multipart/form-data"
        in (paths["/api/v1/sessions/{id}/documents"]["post"]["requestBody"]["content"])
    )
    assert "/api/v1/sessions/{id}/photos/{photo_id}/download" in paths
