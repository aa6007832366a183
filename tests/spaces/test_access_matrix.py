"""Every role × kind × action × channel, each cell asserted against the default policy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bouwplaats.spaces import services
from bouwplaats.spaces.models import Comment, Document, Photo
from bouwplaats.spaces.permissions import space_access
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory

from .files import jpeg_bytes, pdf_bytes

ROLES = [
    "visitor", "member", "pending", "waitlisted", "declined", "cancelled",
    "participant", "host", "co_host", "team", "admin",
]  # fmt: skip
PARTICIPANT_OR_MORE = {"participant", "host", "co_host", "team", "admin"}
ORGANISERS = {"host", "co_host", "team", "admin"}
MEMBERS = set(ROLES) - {"visitor"}

ACTIONS = {
    "comments": ["view", "post", "delete", "hide"],
    "photos": ["view", "post", "download", "delete"],
    "documents": ["view", "post", "download", "delete"],
}
CELLS = [
    (role, kind, action, channel)
    for role in ROLES
    for kind, actions in ACTIONS.items()
    for action in actions
    for channel in ("page", "api")
]


def expected(role: str, kind: str, action: str) -> bool:
    """The default policy: comments and documents for participants, photos for members."""
    allowed = MEMBERS if kind == "photos" else PARTICIPANT_OR_MORE
    if action in {"view", "post", "download"}:
        return role in allowed
    if action == "hide":
        return role in ORGANISERS
    # Delete the participant's own item: the author, and organisers for photos and documents.
    if kind == "comments":
        return role == "participant"
    return role == "participant" or role in ORGANISERS


def make_actor(role, session, owner, admin_user):
    if role == "visitor":
        return None
    if role == "participant":
        return owner
    if role == "host":
        return session.host
    if role == "admin":
        return admin_user
    user = UserFactory()
    if role == "co_host":
        session.co_hosts.add(user)
    elif role == "team":
        MembershipFactory(programme=session.programme, user=user)
    elif role != "member":
        RegistrationFactory(session=session, member=user, status=role)
    return user


@pytest.fixture
def items(session, participant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return {
            "comments": services.comment_create(
                session=session, user=participant, body="Matrixreactie"
            ),
            "photos": services.photo_upload(
                session=session,
                user=participant,
                upload=SimpleUploadedFile("m.jpg", jpeg_bytes()),
                caption="Matrixfoto",
            ),
            "documents": services.document_upload(
                session=session,
                user=participant,
                upload=SimpleUploadedFile("matrix.pdf", pdf_bytes()),
            ),
        }


MARKERS = {"comments": "Matrixreactie", "photos": "Matrixfoto", "documents": "matrix.pdf"}
MODELS = {"comments": Comment, "photos": Photo, "documents": Document}


def new_upload(kind):
    if kind == "photos":
        return SimpleUploadedFile("nieuw.jpg", jpeg_bytes())
    return SimpleUploadedFile("nieuw.pdf", pdf_bytes())


def on_page(client, session, kind, action, item) -> bool:
    model = MODELS[kind]
    space = reverse("spaces:session", kwargs={"session_pk": session.pk})
    if action == "view":
        html = client.get(space).content.decode()
        return MARKERS[kind] in html
    if action == "post":
        before = model.objects.count()
        if kind == "comments":
            client.post(
                reverse("spaces:comment_create", kwargs={"session_pk": session.pk}),
                {"comment-body": "Nieuw"},
            )
        else:
            prefix = "photo" if kind == "photos" else "document"
            client.post(
                reverse(f"spaces:{prefix}_upload", kwargs={"session_pk": session.pk}),
                {f"{prefix}-file": new_upload(kind)},
            )
        return model.objects.count() == before + 1
    if action == "download":
        name = "spaces:photo" if kind == "photos" else "spaces:document"
        status = client.get(reverse(name, kwargs={"pk": item.pk})).status_code
        assert status in {200, 404}
        return status == 200
    if action == "hide":
        client.post(reverse("spaces:comment_hide", kwargs={"pk": item.pk}), {"reason": "Test"})
        item.refresh_from_db()
        return item.is_hidden
    name = {"comments": "comment", "photos": "photo", "documents": "document"}[kind]
    client.post(reverse(f"spaces:{name}_delete", kwargs={"pk": item.pk}))
    return not model.objects.filter(pk=item.pk).exists()


def on_api(client, session, kind, action, item) -> bool:
    base = f"/sessions/{session.pk}/{kind}"
    if action == "view":
        response = client.get(base)
        ok = 200
    elif action == "post":
        if kind == "comments":
            response = client.post(base, {"body": "Nieuw"})
        else:
            response = client.post(base, {"file": new_upload(kind)}, format="multipart")
        ok = 201
    elif action == "download":
        response = client.get(f"{base}/{item.pk}/download")
        ok = 200
    elif action == "hide":
        response = client.post(f"{base}/{item.pk}/hide", {"reason": "Test"})
        ok = 200
    else:
        response = client.delete(f"{base}/{item.pk}")
        ok = 204
    assert response.status_code in {ok, 403}, (response.status_code, response.content[:200])
    if response.status_code == 403:
        assert response.json()["detail"]
    return response.status_code == ok


@pytest.mark.parametrize(("role", "kind", "action", "channel"), CELLS)
def test_access_matrix(
    role, kind, action, channel, session, participant, admin_user, items, api,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    actor = make_actor(role, session, participant, admin_user)
    item = items[kind]
    with django_capture_on_commit_callbacks(execute=True):
        if channel == "page":
            client = Client()
            if actor is not None:
                client.force_login(actor)
            allowed = on_page(client, session, kind, action, item)
        else:
            allowed = on_api(api(actor), session, kind, action, item)
    assert allowed is expected(role, kind, action)


def test_download_url_of_an_item_is_its_own(api, session, participant, items):
    """A download URL names its session: another session's id does not reach the item."""
    other = RegistrationFactory(member=participant).session
    document = items["documents"]
    response = api(participant).get(f"/sessions/{other.pk}/documents/{document.pk}/download")
    assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_draft_session_space_only_for_organisers(role, session, participant, admin_user, api):
    session.status = "draft"
    session.save()
    actor = make_actor(role, session, participant, admin_user)
    client = Client()
    if actor is not None:
        client.force_login(actor)
    page = client.get(reverse("spaces:session", kwargs={"session_pk": session.pk})).status_code
    listed = api(actor).get(f"/sessions/{session.pk}/photos").status_code
    if role in ORGANISERS:
        assert (page, listed) == (200, 200)
    else:
        assert (page, listed) == (404, 404)


@pytest.mark.parametrize(
    ("level", "role", "allowed"),
    [
        ("public", "visitor", True), ("members", "visitor", False), ("members", "pending", True),
        ("participants", "waitlisted", False), ("participants", "participant", True),
        ("hosts", "participant", False), ("hosts", "co_host", True), ("hosts", "team", True),
    ],
)  # fmt: skip
def test_host_chosen_levels(level, role, allowed, session, participant, admin_user):
    services.policy_update(
        session=session,
        user=session.host,
        documents_view=level,
        documents_post="members" if level == "public" else level,
    )
    session.refresh_from_db()
    actor = make_actor(role, session, participant, admin_user)
    assert space_access(session, actor).can_view("documents") is allowed
