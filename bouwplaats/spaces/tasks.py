"""Background work of the session space (django-tasks): thin wrappers that take primary keys."""

from django_tasks import task

from . import digest, thumbnails


@task()
def photo_make_thumbnail(photo_id: int) -> None:
    """Make the thumbnail of the photo ``photo_id`` (gone photos are skipped; one whose file is
    missing or unreadable is marked as having no thumbnail possible, once)."""
    thumbnails.photo_thumbnail_create(photo_id=photo_id)


@task()
def space_digests_send() -> int:
    """Send the daily mails of new comments and documents (run once a day)."""
    return digest.digest_send_all()
