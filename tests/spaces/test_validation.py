"""The page and the API refuse the same bad values, name the same field and store nothing.

One table per model of the session space; each row goes through the page's form and the API.
The rules live on the models (spaces/models.py) and run in the services.
"""

import pytest

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment, Document, Photo, SpacePolicy
from tests.refusals import HUGE, api_fields, page_fields

from .files import jpeg_bytes, pdf_bytes

pytestmark = pytest.mark.django_db


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


COMMENT_CASES = ["", "   ", "x" * 5001, "Hallo\x00", "Hallo\x07", "Hallo\x1b[31m"]


@pytest.mark.parametrize("value", COMMENT_CASES)
def test_comment_page_and_api_refuse_the_same(client, api, session, participant, value):
    client.force_login(participant)
    page = client.post(f"/sessieruimte/sessie/{session.pk}/reacties/", {"comment-body": value})
    assert page.status_code == 400
    assert page_fields(page.content.decode()) == {"body"}
    response = api(participant).post(f"/sessions/{session.pk}/comments", {"body": value})
    assert response.status_code == 422, response.content
    assert api_fields(response) == {"body"}
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("value", COMMENT_CASES)
def test_comment_edit_refused_alike_and_unchanged(client, api, session, participant, value):
    comment = services.comment_create(session=session, user=participant, body="Eerste versie")
    client.force_login(participant)
    page = client.post(f"/sessieruimte/reactie/{comment.pk}/bewerken/", {"comment-body": value})
    assert page_fields(page.content.decode()) == {"body"}
    response = api(participant).patch(
        f"/sessions/{session.pk}/comments/{comment.pk}", {"body": value}
    )
    assert response.status_code == 422
    assert api_fields(response) == {"body"}
    comment.refresh_from_db()
    assert (comment.body, comment.edited_at) == ("Eerste versie", None)


@pytest.mark.parametrize("value", ["", "x" * 301, "Reclame\nvoor iets", "Reclame\x00"])
def test_hiding_needs_a_one_line_reason_on_page_and_api(client, api, session, participant, value):
    comment = services.comment_create(session=session, user=participant, body="Reclame")
    client.force_login(session.host)
    page = client.post(f"/sessieruimte/reactie/{comment.pk}/verbergen/", {"reason": value})
    assert page.status_code == 302
    response = api(session.host).post(
        f"/sessions/{session.pk}/comments/{comment.pk}/hide", {"reason": value}
    )
    assert response.status_code == 422
    # The API calls the model's hidden_reason "reason", as the page's form does.
    assert api_fields(response) <= {"reason", "hidden_reason"}
    comment.refresh_from_db()
    assert comment.hidden_at is None and comment.hidden_reason == ""


# kind, field, bad value
UPLOAD_CASES = [
    ("photo", "caption", "x" * 301),
    ("photo", "caption", "De zaal\nvan boven"),
    ("photo", "caption", "De zaal\x00"),
    ("document", "description", "x" * 301),
    ("document", "description", "Agenda\r\nen notulen"),
    ("document", "description", "Agenda\x07"),
]


@pytest.mark.parametrize(("kind", "field", "value"), UPLOAD_CASES)
def test_upload_texts_refused_alike(
    client, api, session, participant, upload, _media_root, kind, field, value
):
    policy = {"photos_post": "participants"} if kind == "photo" else {}
    if policy:
        services.policy_update(session=session, user=session.host, **policy)

    def new_file():
        if kind == "photo":
            return upload("zaal.jpg", jpeg_bytes(), "image/jpeg")
        return upload("agenda.pdf", pdf_bytes(), "application/pdf")

    plural = "fotos" if kind == "photo" else "documenten"
    client.force_login(participant)
    page = client.post(
        f"/sessieruimte/sessie/{session.pk}/{plural}/",
        {f"{kind}-file": new_file(), f"{kind}-{field}": value},
    )
    assert page.status_code == 400
    assert page_fields(page.content.decode()) == {field}
    response = api(participant).post(
        f"/sessions/{session.pk}/{'photos' if kind == 'photo' else 'documents'}",
        {"file": new_file(), field: value},
        format="multipart",
    )
    assert response.status_code == 422, response.content
    assert api_fields(response) == {field}
    assert Photo.objects.count() == Document.objects.count() == 0
    assert stored_files(_media_root) == []


def test_a_line_break_in_a_file_name_becomes_a_space(session, participant, upload):
    document = services.document_upload(
        session=session,
        user=participant,
        upload=upload("agenda\nen\tnotulen.pdf", pdf_bytes(), "application/pdf"),
    )
    assert document.name == "agenda en notulen.pdf"


# The six levels as the page sends them; each case changes some.
DEFAULT_LEVELS = {
    "comments_view": "participants",
    "comments_post": "participants",
    "photos_view": "members",
    "photos_post": "members",
    "documents_view": "participants",
    "documents_post": "participants",
}
POLICY_CASES = [
    ({"photos_post": "public"}, "photos_post"),
    ({"comments_view": "iedereen"}, "comments_view"),
    ({"documents_view": "hosts", "documents_post": "participants"}, "documents_post"),
    ({"comments_view": "members\n"}, "comments_view"),
    ({"photos_view": "x" * 10_000}, "photos_view"),
]


@pytest.mark.parametrize(("change", "field"), POLICY_CASES)
def test_policy_page_and_api_refuse_the_same(client, api, session, change, field):
    client.force_login(session.host)
    page = client.post(f"/sessieruimte/sessie/{session.pk}/toegang/", {**DEFAULT_LEVELS, **change})
    assert page.status_code == 400
    assert page_fields(page.content.decode()) == {field}
    response = api(session.host).patch(f"/sessions/{session.pk}/space-policy", change)
    assert response.status_code == 422, response.content
    assert api_fields(response) == {field}
    assert SpacePolicy.objects.count() == 0


@pytest.mark.parametrize("bad_id", ["٣", "²", HUGE, "0"])
def test_bad_ids_in_api_paths_are_refused_naming_the_id(api, session, participant, bad_id):
    client = api(participant)
    assert api_fields(client.get(f"/sessions/{bad_id}/comments")) == {"id"}
    assert api_fields(client.post(f"/sessions/{bad_id}/comments", {"body": "Hoi"})) == {"id"}
    response = client.patch(f"/sessions/{session.pk}/comments/{bad_id}", {"body": "Hoi"})
    assert response.status_code == 422 and api_fields(response) == {"comment_id"}
    response = client.get(f"/sessions/{session.pk}/photos/{bad_id}/download")
    assert response.status_code == 422 and api_fields(response) == {"photo_id"}
    response = client.delete(f"/sessions/{session.pk}/documents/{bad_id}")
    assert response.status_code == 422 and api_fields(response) == {"document_id"}
    assert Comment.objects.count() == 0


@pytest.mark.parametrize("bad_id", ["٣", "²", HUGE])
def test_bad_ids_on_pages_are_not_found(client, session, participant, bad_id):
    client.force_login(participant)
    assert client.get(f"/sessieruimte/sessie/{bad_id}/").status_code == 404
    assert (
        client.post(f"/sessieruimte/sessie/{bad_id}/reacties/", {"comment-body": "Hoi"}).status_code
        == 404
    )
    assert client.get(f"/sessieruimte/foto/{bad_id}/").status_code == 404
    assert client.post(f"/sessieruimte/document/{bad_id}/verwijderen/").status_code == 404
    assert Comment.objects.count() == 0


def test_openapi_shows_the_models_limits():
    from bouwplaats.api import api

    doc = api.get_openapi_schema()
    schemas = doc["components"]["schemas"]
    assert schemas["CommentIn"]["properties"]["body"]["maxLength"] == 5000
    assert schemas["HideIn"]["properties"]["reason"]["maxLength"] == 300
    post = schemas["PolicyPatch"]["properties"]["photos_post"]["anyOf"][0]["enum"]
    assert post == ["members", "participants", "hosts"]
    upload = doc["paths"]["/api/v1/sessions/{id}/photos"]["post"]["requestBody"]
    caption = upload["content"]["multipart/form-data"]["schema"]["properties"]["caption"]
    assert caption["maxLength"] == 300
