"""File responses that cannot run script in the platform's origin, whatever the file holds."""

import logging

from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

SANDBOX_CSP = "sandbox; default-src 'none'"

MISSING_FILE = _("Dit bestand is niet meer beschikbaar.")


class StoredFileMissing(Http404):
    """A file's record exists but storage no longer holds its bytes (a page or API 404)."""


def _storage_name(field_file) -> str:
    # __class__, not type(): default_storage is a LazyObject that reports its target's class.
    storage = field_file.storage
    cls = storage.__class__
    name = f"{cls.__module__}.{cls.__qualname__}"
    bucket = getattr(storage, "bucket_name", None)
    return f"{name} (bucket {bucket})" if bucket else name


def open_stored(field_file):
    """Open ``field_file`` for binary reading from its storage.

    Raises StoredFileMissing (an Http404 with a Dutch message) when storage lacks the file
    (FileSystemStorage and django-storages' S3 both raise FileNotFoundError), after logging a
    warning naming the storage and the file.
    """
    try:
        return field_file.open("rb")
    except FileNotFoundError as exc:
        logger.warning(
            "Stored file %r is missing from storage %s", field_file.name, _storage_name(field_file)
        )
        raise StoredFileMissing(MISSING_FILE) from exc


def file_response(field_file, *, content_type: str, filename: str, attachment: bool):
    """Stream ``field_file`` with headers that forbid sniffing, framing and caching.

    Text is named with its charset: core.uploads stores every text file as UTF-8. A file
    gone from storage raises StoredFileMissing (404), see open_stored.
    """
    if content_type.startswith("text/") and "charset" not in content_type:
        content_type = f"{content_type}; charset=utf-8"
    response = FileResponse(
        open_stored(field_file),
        content_type=content_type,
        as_attachment=attachment,
        filename=filename,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Referrer-Policy"] = "no-referrer"
    # Access is checked on every request, so no copy may be kept where it would bypass that.
    response["Cache-Control"] = "private, no-store"
    return response
