"""AVG: what the session space holds about a member, and what happens when they leave."""

from typing import Any

from .models import Comment, DigestSubscription, Document, Photo, SpacePolicy


def export(*, user) -> dict[str, Any]:
    """Return the member's comments, photos and documents (AVG art. 15 and 20)."""
    return {
        "session_space": {
            "comments": [
                {
                    "session": c.session.title,
                    "session_id": c.session_id,
                    "body": c.body,
                    "created_at": c.created_at.isoformat(),
                    "edited_at": c.edited_at.isoformat() if c.edited_at else None,
                    "hidden": c.is_hidden,
                    "hidden_reason": c.hidden_reason,
                }
                for c in Comment.objects.filter(author=user).select_related("session")
            ],
            "photos": [
                {
                    "session": p.session.title,
                    "session_id": p.session_id,
                    "name": p.original_name,
                    "caption": p.caption,
                    "size": p.size,
                    "created_at": p.created_at.isoformat(),
                }
                for p in Photo.objects.filter(uploaded_by=user).select_related("session")
            ],
            "documents": [
                {
                    "session": d.session.title,
                    "session_id": d.session_id,
                    "name": d.name,
                    "description": d.description,
                    "content_type": d.content_type,
                    "size": d.size,
                    "created_at": d.created_at.isoformat(),
                }
                for d in Document.objects.filter(uploaded_by=user).select_related("session")
            ],
            "daily_mail_sessions": [
                {"session": s.session.title, "session_id": s.session_id}
                for s in DigestSubscription.objects.filter(member=user).select_related("session")
            ],
        }
    }


def forget(*, user) -> None:
    """Keep the member's contributions; the account itself shows them as "verwijderd lid".

    Comments, photos and documents belong to the session's shared record, so they stay;
    the references to the person that are not authorship (who hid a comment, who last set
    the policy) are cleared.
    """
    Comment.objects.filter(hidden_by=user).update(hidden_by=None)
    DigestSubscription.objects.filter(member=user).delete()
    SpacePolicy.objects.filter(updated_by=user).update(updated_by=None)


def files(*, user):
    """Yield ``(name in the archive, stored FieldFile)`` for every photo and document the
    member uploaded (the AVG download's ZIP)."""
    for photo in Photo.objects.filter(uploaded_by=user).order_by("pk"):
        yield f"fotos/{photo.pk}-{photo.original_name or 'foto'}", photo.file
    for document in Document.objects.filter(uploaded_by=user).order_by("pk"):
        yield f"documenten/{document.pk}-{document.name}", document.file
