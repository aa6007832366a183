"""Every write in a session's space: comments, photos, documents and the access policy."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bouwplaats.core.audit import log_action
from bouwplaats.core.background import enqueue_on_commit
from bouwplaats.core.errors import DomainError, NotAllowed
from bouwplaats.core.uploads import (
    check_document,
    check_photo,
    delete_files_on_commit,
    store_with_file,
)
from bouwplaats.core.validation import validate_instance
from bouwplaats.events.models import Session

from . import conf, messages
from .models import Comment, DigestSubscription, Document, Photo, SpacePolicy
from .permissions import KINDS, space_access
from .tasks import photo_make_thumbnail


def _require_post(session: Session, user, kind: str):
    access = space_access(session, user)
    if not access.can_post(kind):
        raise NotAllowed(messages.refusal(access, kind), code="not_allowed")
    return access


@transaction.atomic
def comment_create(*, session: Session, user, body: str) -> Comment:
    """Place a comment in the session's space.

    Raises NotAllowed, or InvalidInput naming ``body`` (nothing stored).
    """
    _require_post(session, user, "comments")
    comment = Comment(session=session, author=user, body=(body or "").strip())
    validate_instance(comment)
    comment.save()
    log_action("spaces.comment.created", actor=user, obj=comment, data={"session": session.pk})
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, user, body: str) -> Comment:
    """Change the text of one's own comment."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    access = space_access(comment.session, user)
    if not access.can_edit_comment(comment):
        raise NotAllowed(_("U kunt alleen uw eigen reacties bewerken."), code="not_allowed")
    comment.body = (body or "").strip()
    comment.edited_at = timezone.now()
    validate_instance(comment)
    comment.save(update_fields=["body", "edited_at"])
    log_action("spaces.comment.updated", actor=user, obj=comment)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> None:
    """Delete one's own comment."""
    access = space_access(comment.session, user)
    if not access.can_delete_comment(comment):
        raise NotAllowed(_("U kunt alleen uw eigen reacties verwijderen."), code="not_allowed")
    log_action(
        "spaces.comment.deleted", actor=user, obj=comment, data={"session": comment.session_id}
    )
    comment.delete()


@transaction.atomic
def comment_hide(*, comment: Comment, user, reason: str, hidden: bool = True) -> Comment:
    """Hide a comment from everyone but the organisers (or show it again); hosts only.

    Raises NotAllowed, or InvalidInput naming ``hidden_reason`` (missing, too long, not one
    line).
    """
    comment = Comment.objects.select_for_update().select_related("session").get(pk=comment.pk)
    access = space_access(comment.session, user)
    if not access.can_hide_comment(comment):
        raise NotAllowed(
            _("Alleen de organisatoren kunnen reacties verbergen."), code="not_allowed"
        )
    if hidden:
        comment.hidden_at = timezone.now()
        comment.hidden_by = user
        comment.hidden_reason = (reason or "").strip()
    else:
        comment.hidden_at = None
        comment.hidden_by = None
        comment.hidden_reason = ""
    validate_instance(comment)
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    log_action(
        "spaces.comment.hidden" if hidden else "spaces.comment.shown",
        actor=user,
        obj=comment,
        data={"reason": comment.hidden_reason},
    )
    return comment


# The file is written by _save_with_file, after the row's other fields were checked.
_FILE_FIELDS = ["file", "thumbnail"]
# Set from the checked file, so not yet there when the person's own fields are checked.
_FROM_FILE = [*_FILE_FIELDS, "content_type", "name"]


def _save_with_file(instance, field: str, name: str, content: bytes, action: str, user) -> None:
    """Store the file, then the row; if the row cannot be saved, the file goes again."""
    store_with_file(
        instance,
        field,
        name=name,
        content=content,
        then=lambda: log_action(
            action, actor=user, obj=instance, data={"session": instance.session_id}
        ),
    )


def photo_upload(
    *, session: Session, user, upload: UploadedFile | None, caption: str = ""
) -> Photo:
    """Check, re-encode and store a photo; its thumbnail is made in the background.

    Raises NotAllowed, DomainError on ``file`` (type, size, damage), or InvalidInput naming
    ``caption``; nothing is stored then.
    """
    _require_post(session, user, "photos")
    photo = Photo(session=session, uploaded_by=user, caption=(caption or "").strip())
    validate_instance(photo, exclude=_FROM_FILE)
    checked = check_photo(
        upload, max_bytes=conf.photo_max_bytes(), max_pixels=conf.photo_max_pixels()
    )
    photo.content_type = checked.content_type
    photo.width, photo.height = checked.width, checked.height
    photo.size = len(checked.content)
    photo.original_name = checked.name
    validate_instance(photo, exclude=_FILE_FIELDS)
    _save_with_file(
        photo, "file", f"photo.{checked.extension}", checked.content, "spaces.photo.uploaded", user
    )
    enqueue_on_commit(photo_make_thumbnail, photo_id=photo.pk)
    return photo


@transaction.atomic
def photo_delete(*, photo: Photo, user) -> None:
    """Remove a photo (its uploader or an organiser)."""
    access = space_access(photo.session, user)
    if not access.can_delete_photo(photo):
        raise NotAllowed(
            _("Alleen wie de foto plaatste of een organisator kan hem verwijderen."),
            code="not_allowed",
        )
    log_action("spaces.photo.deleted", actor=user, obj=photo, data={"session": photo.session_id})
    delete_files_on_commit(photo.file, photo.thumbnail)
    photo.delete()


def document_upload(
    *, session: Session, user, upload: UploadedFile | None, description: str = ""
) -> Document:
    """Check a document by its content and store it under a random name.

    Raises NotAllowed, DomainError on ``file`` (type, size), or InvalidInput naming
    ``description``; nothing is stored then.
    """
    _require_post(session, user, "documents")
    document = Document(session=session, uploaded_by=user, description=(description or "").strip())
    validate_instance(document, exclude=_FROM_FILE)
    checked = check_document(upload, max_bytes=conf.document_max_bytes())
    document.name = checked.name
    document.content_type = checked.content_type
    document.size = len(checked.content)
    validate_instance(document, exclude=_FILE_FIELDS)
    _save_with_file(
        document,
        "file",
        f"document.{checked.extension}",
        checked.content,
        "spaces.document.uploaded",
        user,
    )
    return document


@transaction.atomic
def document_delete(*, document: Document, user) -> None:
    """Remove a document (its uploader or an organiser)."""
    access = space_access(document.session, user)
    if not access.can_delete_document(document):
        raise NotAllowed(
            _("Alleen wie het document plaatste of een organisator kan het verwijderen."),
            code="not_allowed",
        )
    log_action(
        "spaces.document.deleted", actor=user, obj=document, data={"session": document.session_id}
    )
    delete_files_on_commit(document.file)
    document.delete()


@transaction.atomic
def policy_update(*, session: Session, user, **levels: str) -> SpacePolicy:
    """Set who may view and post comments, photos and documents; organisers only.

    ``levels`` maps ``<kind>_<view|post>`` to a Level value. Raises NotAllowed, DomainError
    on an unknown key, or InvalidInput naming the refused field.
    """
    access = space_access(session, user)
    if not access.can_manage_policy():
        raise NotAllowed(
            _("Alleen de organisatoren kunnen de toegang tot de sessieruimte instellen."),
            code="not_allowed",
        )
    policy, _created = SpacePolicy.objects.select_for_update().get_or_create(session=session)
    for key, value in levels.items():
        kind, _sep, action = key.rpartition("_")
        if kind not in KINDS or action not in {"view", "post"}:
            raise DomainError(_("Onbekende instelling."), code=key)
        setattr(policy, key, value)
    policy.updated_by = user
    # Choices and "who posts must view" are the model's rules (SpacePolicy.clean); a refusal
    # rolls back the row get_or_create may have made.
    validate_instance(policy, exclude=["session"])
    policy.save()
    log_action(
        "spaces.policy.updated",
        actor=user,
        obj=session,
        data={f"{k}_{a}": getattr(policy, f"{k}_{a}") for k in KINDS for a in ("view", "post")},
    )
    return policy


@transaction.atomic
def digest_subscription_set(*, session: Session, user, subscribed: bool) -> bool:
    """Turn the daily mail of new comments and documents on or off for one session."""
    access = space_access(session, user)
    if subscribed:
        if not access.can_subscribe_digest():
            raise NotAllowed(messages.refusal(access, "comments"), code="not_allowed")
        _subscription, created = DigestSubscription.objects.get_or_create(
            session=session, member=user, defaults={"last_sent_at": timezone.now()}
        )
        if created:
            log_action("spaces.digest.subscribed", actor=user, obj=session)
    else:
        deleted, _details = DigestSubscription.objects.filter(session=session, member=user).delete()
        if deleted:
            log_action("spaces.digest.unsubscribed", actor=user, obj=session)
    return subscribed


def owed_work_requeue() -> int:
    """Queue the thumbnail of every photo still without one; return how many were queued.

    For `manage.py requeue_owed_work`: a job lost with a killed worker or never queued while
    the queue was down. Making one twice is harmless: the task locks the row and keeps a
    thumbnail already made.
    """
    missing = list(
        Photo.objects.filter(thumbnail="", thumbnail_impossible=False).values_list("pk", flat=True)
    )
    for photo_id in missing:
        photo_make_thumbnail.enqueue(photo_id=photo_id)
    return len(missing)
