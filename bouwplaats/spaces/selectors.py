"""Reads of a session's space that pages, the API and the daily mail share.

Each list takes the person's SpaceAccess (permissions.py) and is empty for what they may not
view, so no caller can forget the check.
"""

from django.db.models import QuerySet

from bouwplaats.events.models import Session
from bouwplaats.events.permissions import remember_answers

from .models import Comment, Document, Photo
from .permissions import SpaceAccess, space_access


def space_for(*, session_pk: int, user) -> SpaceAccess | None:
    """Return ``user``'s access to the session's space, or None if the session does not exist
    or is not visible to them (a draft for anyone but its hosts)."""
    session = (
        Session.objects.select_related("programme", "host", "space_policy")
        .filter(pk=session_pk)
        .first()
    )
    if session is None:
        return None
    # The space's page and the service it calls ask the same questions about the person
    # (co-host? programme team? participant?) several times in the request: each once.
    remember_answers(session)
    access = space_access(session, user)
    return access if access.session_visible else None


def comment_list(*, access: SpaceAccess) -> QuerySet[Comment]:
    """Return the session's comments, oldest first, with what the list shows."""
    return access.visible(
        "comments",
        Comment.objects.filter(session=access.session)
        .select_related("author", "author__organisation", "hidden_by")
        .order_by("created_at", "id"),
    )


def photo_list(*, access: SpaceAccess) -> QuerySet[Photo]:
    """Return the session's photos, oldest first, with their uploaders."""
    return access.visible(
        "photos",
        Photo.objects.filter(session=access.session)
        .select_related("uploaded_by")
        .order_by("created_at", "id"),
    )


def document_list(*, access: SpaceAccess) -> QuerySet[Document]:
    """Return the session's documents, oldest first, with their uploaders."""
    return access.visible(
        "documents",
        Document.objects.filter(session=access.session)
        .select_related("uploaded_by")
        .order_by("created_at", "id"),
    )
