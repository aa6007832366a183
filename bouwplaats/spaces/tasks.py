from django_tasks import task

from .models import Photo
from .services import photo_thumbnail_create


@task()
def photo_make_thumbnail(photo_id: int) -> None:
    """Make the thumbnail of the photo ``photo_id`` (gone photos are skipped)."""
    photo = Photo.objects.filter(pk=photo_id).first()
    if photo is not None:
        photo_thumbnail_create(photo=photo)


@task()
def space_digests_send() -> int:
    """Send the daily mails of new comments and documents (run once a day)."""
    from .digest import digest_send_all

    return digest_send_all()
