"""Checks on uploaded files: the type comes from the content, never from the name.

One copy for every app that takes uploads (the session space, calls and submissions); each
app passes its own limits. Stored files get a random name (random_storage_name) and are
written through Django's storage API, so S3-compatible storage works by configuration.
"""

import io
import logging
import re
import secrets
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

logger = logging.getLogger(__name__)

KiB = 1024
MiB = 1024 * KiB
# The default limit of a document; apps may take a setting of their own.
DOCUMENT_MAX_BYTES = 25 * MiB

# Sniffed MIME type → extension used for storage and for the download name.
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "text/plain": "txt",
    "text/csv": "csv",
}
PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
_PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The kind of document a person reads in a list, by extension.
DOCUMENT_LABELS = {
    "pdf": "PDF", "docx": "Word", "xlsx": "Excel", "pptx": "PowerPoint",
    "odt": "OpenDocument-tekst", "ods": "OpenDocument-rekenblad",
    "odp": "OpenDocument-presentatie", "txt": "Tekst", "csv": "CSV",
}  # fmt: skip

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass
class CheckedFile:
    content: bytes
    content_type: str
    extension: str
    name: str
    width: int = 0
    height: int = 0


def _size_check(upload: UploadedFile | None, limit: int) -> None:
    if upload is None:
        raise DomainError(_("Kies eerst een bestand."), code="file")
    size = upload.size or 0
    if size == 0:
        raise DomainError(_("Het bestand is leeg."), code="file")
    if size > limit:
        raise DomainError(
            _("Het bestand is te groot: %(size)s, de grens is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="file",
            status_code=413,
        )


def _read(upload: UploadedFile, limit: int) -> bytes:
    upload.seek(0)
    # One byte past the limit: the declared size of a multipart part is the client's word.
    data = upload.read(limit + 1)
    if not data:
        raise DomainError(_("Het bestand is leeg."), code="file")
    if len(data) > limit:
        raise DomainError(
            _("Het bestand is te groot: de grens is %(limit)s.") % {"limit": filesizeformat(limit)},
            code="file",
            status_code=413,
        )
    return data


def clean_filename(name: str, extension: str) -> str:
    """Return a safe download name: the person's name, with the extension of the real type."""
    stem = PurePosixPath((name or "").replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", stem)
    stem = PurePosixPath(stem).stem if "." in stem else stem
    stem = re.sub(r"[^\w\s.()+,-]", "", stem, flags=re.UNICODE)
    # One line: tabs and line breaks in a client's file name become spaces.
    stem = " ".join(stem.split()).strip(" .")[:150]
    return f"{stem or 'document'}.{extension}"


def _text(data: bytes, name: str) -> tuple[str, bytes] | None:
    """Return (text/plain or text/csv, the text as UTF-8) if ``data`` is plain text, else None.

    A text that begins with markup (``<``: HTML, SVG, XML) is not plain text: that is where a
    browser's sniffing looks for a page. Markup further on (a ``<script>`` quoted in notes) is
    text like any other: file_response serves it as text/plain with nosniff, as a download, in
    a sandbox. Text in Windows-1252 is stored as UTF-8 with a byte order mark, so the response
    can name one charset and spreadsheets still read the CSV right.
    """
    if b"\x00" in data:
        return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text) or text.lstrip().startswith("<"):
            return None
        content_type = "text/csv" if name.lower().endswith(".csv") else "text/plain"
        return content_type, data if encoding == "utf-8-sig" else text.encode("utf-8-sig")
    return None


def document_label(content_type: str) -> str:
    """Return the kind of document ("PDF", "Word", …) of a sniffed MIME type, or ""."""
    return DOCUMENT_LABELS.get(DOCUMENT_TYPES.get(content_type, ""), "")


def check_document(upload: UploadedFile | None, *, max_bytes: int) -> CheckedFile:
    """Return the document's content and real type, or raise a DomainError saying what is wrong.

    The DomainError names ``file``: 413 above ``max_bytes``, 415 for a type that is not in
    DOCUMENT_TYPES (whatever the name's extension says), 400 for no file or an empty one.
    """
    limit = max_bytes
    _size_check(upload, limit)
    data = _read(upload, limit)
    kind = filetype.guess(data)
    if kind is not None:
        content_type = kind.mime
    else:
        content_type, data = _text(data, upload.name or "") or (None, data)
    if content_type not in DOCUMENT_TYPES:
        raise DomainError(
            _(
                "Dit soort bestand kan hier niet worden geplaatst. Dat kan wel: PDF, Word, Excel, "
                "PowerPoint, OpenDocument, CSV en platte tekst."
            ),
            code="file",
            status_code=415,
        )
    extension = DOCUMENT_TYPES[content_type]
    return CheckedFile(
        content=data,
        content_type=content_type,
        extension=extension,
        name=clean_filename(upload.name, extension),
    )


def _not_a_photo() -> DomainError:
    return DomainError(
        _("Dit is geen foto die hier kan: alleen JPEG, PNG en WebP."),
        code="file",
        status_code=415,
    )


def check_photo(upload: UploadedFile | None, *, max_bytes: int, max_pixels: int) -> CheckedFile:
    """Return the photo re-encoded without metadata (EXIF, GPS), or raise a DomainError.

    More than ``max_pixels`` pixels is treated as a decompression bomb (413).
    """
    limit = max_bytes
    _size_check(upload, limit)
    data = _read(upload, limit)
    kind = filetype.guess(data)
    if kind is None or kind.mime not in PHOTO_TYPES:
        raise _not_a_photo()
    too_big = DomainError(
        _("Deze foto heeft te veel beeldpunten; verklein hem eerst."), code="file", status_code=413
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if _PILLOW_FORMATS.get(probe.format) != kind.mime:
                    raise _not_a_photo()
                width, height = probe.size
                if width * height > max_pixels:
                    raise too_big
                probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_big from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise DomainError(
            _("Deze foto is beschadigd en kan niet worden geopend."), code="file", status_code=415
        ) from None
    image = ImageOps.exif_transpose(image)
    content = encode_image(image, kind.mime)
    extension = PHOTO_TYPES[kind.mime]
    return CheckedFile(
        content=content,
        content_type=kind.mime,
        extension=extension,
        name=clean_filename(upload.name, extension),
        width=image.width,
        height=image.height,
    )


def encode_image(image: Image.Image, content_type: str) -> bytes:
    """Encode ``image`` afresh; no EXIF, XMP, ICC or text chunks are carried over."""
    out = io.BytesIO()
    if content_type == "image/jpeg":
        if image.mode != "RGB":
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True)
    elif content_type == "image/webp":
        if image.mode not in {"RGB", "RGBA"}:
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        image.save(out, "WEBP", quality=85)
    else:
        if image.mode not in {"RGB", "RGBA", "L", "LA", "P"}:
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def make_thumbnail(data: bytes, content_type: str, *, size: tuple[int, int]) -> bytes:
    """Return a thumbnail (at most ``size`` pixels) of the (already re-encoded) photo ``data``,
    in the same format."""
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        image.thumbnail(size)
        return encode_image(image, content_type)


def random_storage_name(folder: str, filename: str) -> str:
    """Return ``<folder>/<random token><extension>``: the stored name says nothing about the
    person's file (the services pass a name that carries the sniffed extension)."""
    extension = PurePosixPath(filename).suffix.lower()[:10]
    return f"{folder}/{secrets.token_hex(16)}{extension}"


# What the storages raise when the store itself fails: the file system, or S3 (botocore).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


def store_with_file(instance, field: str, *, name: str, content: bytes, then=None) -> None:
    """Write ``content`` to ``instance``'s file ``field``, then save the row and call ``then()``
    in one transaction; if the row cannot be saved, the written file is deleted again.

    Raises DomainError (503) on ``field`` when the file store fails; nothing is saved then."""
    file = getattr(instance, field)
    try:
        file.save(name, ContentFile(content), save=False)
    except STORAGE_ERRORS as error:
        # The file store (a full disk, an unreachable S3 server) is down: nothing was saved.
        logger.error("Storing %s in %s failed: %r", name, type(file.storage).__name__, error)
        raise DomainError(
            _("Het bestand kan nu niet worden opgeslagen. Probeer het later opnieuw."),
            code=field,
            status_code=503,
        ) from error
    try:
        with transaction.atomic():
            instance.save()
            if then is not None:
                then()
    except BaseException:
        file.storage.delete(file.name)
        raise


def delete_files_on_commit(*files) -> None:
    """Delete the stored ``files`` once the transaction commits (none if it rolls back)."""
    for file in files:
        if file:
            storage, name = file.storage, file.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
