"""Thumbnails of photos in a session's space, made by the background worker."""

from django.core.files.base import ContentFile
from django.db import transaction

from bouwplaats.core.uploads import make_thumbnail

from . import conf
from .models import Photo


@transaction.atomic
def photo_thumbnail_create(*, photo_id: int) -> Photo | None:
    """Make the thumbnail of photo ``photo_id``; return the photo, or None if it is gone.

    The row is locked, so two workers never both write a thumbnail; one already made is kept.
    """
    photo = Photo.objects.select_for_update().filter(pk=photo_id).first()
    if photo is None or photo.thumbnail:
        return photo
    with photo.file.open("rb") as handle:
        data = handle.read()
    content = make_thumbnail(data, photo.content_type, size=conf.THUMBNAIL_SIZE)
    extension = photo.file.name.rsplit(".", 1)[-1]
    photo.thumbnail.save(f"thumbnail.{extension}", ContentFile(content), save=False)
    photo.save(update_fields=["thumbnail"])
    return photo
