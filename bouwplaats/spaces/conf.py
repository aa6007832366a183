"""Limits of the session space; each can be overridden by a Django setting of the same name."""

from django.conf import settings

from bouwplaats.core.uploads import DOCUMENT_MAX_BYTES, MiB


def document_max_bytes() -> int:
    """Return the largest document accepted (setting ``SPACES_DOCUMENT_MAX_BYTES``)."""
    return int(getattr(settings, "SPACES_DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))


def photo_max_bytes() -> int:
    """Return the largest photo accepted (setting ``SPACES_PHOTO_MAX_BYTES``)."""
    return int(getattr(settings, "SPACES_PHOTO_MAX_BYTES", 8 * MiB))


def photo_max_pixels() -> int:
    """Return the most pixels a photo may have; more is treated as a decompression bomb."""
    return int(getattr(settings, "SPACES_PHOTO_MAX_PIXELS", 40_000_000))


def storage_alias() -> str:
    """Return the ``STORAGES`` alias for uploads (setting ``SPACES_STORAGE``, default "default")."""
    return getattr(settings, "SPACES_STORAGE", "default")


COMMENT_MAX_LENGTH = 5000
CAPTION_MAX_LENGTH = 300
HIDE_REASON_MAX_LENGTH = 300
THUMBNAIL_SIZE = (480, 480)
