"""Reads of a session's space that pages and the API share."""

from django.db.models import QuerySet

from bouwplaats.events.models import Session

from .models import Comment, Document, Photo


def comment_list(*, session: Session) -> QuerySet[Comment]:
    """Return the session's comments, oldest first, with what the list shows."""
    return (
        Comment.objects.filter(session=session)
        .select_related("author", "author__organisation", "hidden_by")
        .order_by("created_at", "id")
    )


def photo_list(*, session: Session) -> QuerySet[Photo]:
    """Return the session's photos, oldest first, with their uploaders."""
    return (
        Photo.objects.filter(session=session)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def document_list(*, session: Session) -> QuerySet[Document]:
    """Return the session's documents, oldest first, with their uploaders."""
    return (
        Document.objects.filter(session=session)
        .select_related("uploaded_by")
        .order_by("created_at", "id")
    )


def session_for_space(*, pk: int) -> Session | None:
    """Return the session with what the access checks need, or None."""
    return Session.objects.select_related("programme", "host", "space_policy").filter(pk=pk).first()
