"""Thumbnails of photos in a session's space, made by the background worker."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image

from bouwplaats.core.uploads import make_thumbnail

from . import conf
from .models import Photo

logger = logging.getLogger(__name__)

# What Pillow raises on bytes it cannot decode (they are in memory: trying again is useless).
UNREADABLE_IMAGE = (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError)


@transaction.atomic
def photo_thumbnail_create(*, photo_id: int) -> Photo | None:
    """Make the thumbnail of photo ``photo_id``; return the photo, or None if it is gone.

    The row is locked, so two workers never both write a thumbnail; one already made is kept.
    A photo whose file is gone from storage, or whose bytes no decoder reads, can never have
    one: it is marked ``thumbnail_impossible`` (with a warning in the log) so the owed-work
    timer does not queue it again; the photo itself then stands in for its thumbnail.
    """
    photo = Photo.objects.select_for_update().filter(pk=photo_id).first()
    if photo is None or photo.thumbnail or photo.thumbnail_impossible:
        return photo
    try:
        with photo.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        # FileSystemStorage and django-storages' S3 both say a missing file this way; other
        # storage errors (an unreachable store) raise on, so the timer tries again later.
        return _impossible(photo, f"its file {photo.file.name!r} is missing from storage")
    try:
        content = make_thumbnail(data, photo.content_type, size=conf.THUMBNAIL_SIZE)
    except UNREADABLE_IMAGE as error:
        return _impossible(photo, f"its file {photo.file.name!r} is no readable image ({error!r})")
    extension = photo.file.name.rsplit(".", 1)[-1]
    photo.thumbnail.save(f"thumbnail.{extension}", ContentFile(content), save=False)
    photo.save(update_fields=["thumbnail"])
    return photo


def _impossible(photo: Photo, why: str) -> Photo:
    logger.warning("No thumbnail possible for space photo %s: %s", photo.pk, why)
    photo.thumbnail_impossible = True
    photo.save(update_fields=["thumbnail_impossible"])
    return photo
