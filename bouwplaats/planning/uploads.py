"""Works uploaded from a page: a GeoJSON or CSV file through the API's one import service.

A GeoJSON FeatureCollection goes to ``services.works_import`` as it is; a CSV is first read
into the same FeatureCollection (``csv_import``). All or nothing, as POST /works: when the
service refuses a feature, the import goes on after it inside a transaction that is rolled
back, so that every refused feature is listed at once; nothing is stored.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from bouwplaats.core.errors import DomainError

from . import csv_import, placing, services

# A planning system's list of works; larger sets go to the API (POST /works, 10 MB).
MAX_BYTES = 5 * 1024 * 1024
# The page lists this many refusals at most: enough to see what is wrong with a file (each
# costs two calls of the import service).
MAX_PROBLEMS = 50
# Property names of POST /works in a GeoJSON file's errors, in the page's words.
GEOJSON_WHERE = {"geometry": "geometry", "crs": "crs"}


class UploadError(Exception):
    """The file as a whole cannot be used; ``message`` is Dutch. Nothing is stored."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Problem:
    """One refusal shown beside the form: where (row and column, or feature) and why."""

    order: int
    where: str
    message: str


@dataclass
class Upload:
    """A file read into a FeatureCollection, with what could not be read (CSV only)."""

    kind: str  # "csv" or "geojson"
    data: dict
    problems: list[Problem] = field(default_factory=list)
    where: Callable[[int, str], tuple[int, str]] = lambda index, code: (index + 1, "")


@dataclass
class Result:
    saved: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False


def _content(upload: UploadedFile) -> bytes:
    upload.seek(0)
    # One byte past the limit: the declared size of a multipart part is the client's word.
    data = upload.read(MAX_BYTES + 1)
    if not data:
        raise UploadError(_("Het bestand is leeg."))
    if len(data) > MAX_BYTES:
        raise UploadError(
            _("Het bestand is te groot: de grens is %(limit)s. Verdeel het over meer bestanden.")
            % {"limit": filesizeformat(MAX_BYTES)}
        )
    return data


def _text(content: bytes) -> str:
    """Return the file's text; raise UploadError for a binary, zipped or non-UTF-8 file."""
    if content.startswith(b"PK\x03\x04"):
        raise UploadError(
            _(
                "Dit is een Excel- of ander zip-bestand. Kies in Excel „Opslaan als” en dan "
                "„CSV UTF-8 (gescheiden door lijstscheidingsteken)”."
            )  # fmt: skip
        )
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(
            _(
                "Het bestand is in UTF-16 opgeslagen. Sla het op als CSV UTF-8 of GeoJSON in UTF-8."
            )  # fmt: skip
        )
    if b"\x00" in content:
        raise UploadError(
            _(
                "Dit is geen tekstbestand (het bevat NUL-tekens). Upload een CSV- of "
                "GeoJSON-bestand."
            )  # fmt: skip
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise UploadError(
            _(
                "Het bestand is niet in UTF-8 opgeslagen (regel %(line)s). Kies in Excel "
                "„Opslaan als” en dan „CSV UTF-8”."
            )
            % {"line": line}  # fmt: skip
        ) from error


def _has_nul(data) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str) and "\x00" in value:
            return True
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _nul_in(data) -> str | None:
    """Return where the decoded JSON first holds a NUL character (Dutch), else None."""
    if not _has_nul(data):
        return None
    features = data.get("features") if isinstance(data, dict) else None
    if isinstance(data, dict) and data.get("type") == "Feature":
        features = [data]
    for number, feature in enumerate(features if isinstance(features, list) else [], 1):
        if not _has_nul(feature):
            continue
        props = feature.get("properties") if isinstance(feature, dict) else None
        if isinstance(props, dict):
            for key, value in props.items():
                if _has_nul(key) or _has_nul(value):
                    name = key.replace("\x00", "")[: csv_import.SHOWN]
                    return _("feature %(n)s, eigenschap %(name)s") % {"n": number, "name": name}
        return _("feature %(n)s") % {"n": number}
    return _("het bestand")


def _geojson(text: str) -> Upload:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise UploadError(
            _("Geen geldige GeoJSON: regel %(line)s, kolom %(column)s.")
            % {"line": error.lineno, "column": error.colno}
        ) from error
    except (ValueError, RecursionError) as error:
        raise UploadError(_("Geen geldige GeoJSON.")) from error
    # The text itself holds no NUL byte (see _text): only the escape can bring one.
    where_nul = _nul_in(data) if "\\u0000" in text.lower() else None
    if where_nul is not None:
        # The file is this page's edge: PostgreSQL holds no U+0000, so it stops here, as a
        # NUL byte in a form field stops at the request guard.
        raise UploadError(
            _(
                "Het bestand bevat een NUL-teken (\\u0000) in %(where)s. Verwijder het en "
                "upload het bestand opnieuw."
            )
            % {"where": where_nul}  # fmt: skip
        )
    features = data.get("features") if isinstance(data, dict) else None
    if isinstance(features, list) and len(features) > csv_import.MAX_ROWS:
        raise UploadError(
            _("Meer dan %(max)s werken in één bestand: verdeel het bestand of gebruik de API.")
            % {"max": csv_import.MAX_ROWS}
        )

    def where(index: int, code: str) -> tuple[int, str]:
        if code in {"__all__", "type", "properties", "invalid", ""}:
            return index + 1, _("Feature %(n)s") % {"n": index + 1}
        if code == "geometry":
            return index + 1, _("Feature %(n)s, geometrie") % {"n": index + 1}
        return index + 1, _("Feature %(n)s, eigenschap %(name)s") % {"n": index + 1, "name": code}

    return Upload(kind="geojson", data=data, where=where)


def _csv(text: str) -> Upload:
    try:
        works = csv_import.read_csv(text, locate=placing.locate)
    except csv_import.CsvError as error:
        raise UploadError(error.message) from error

    def where(index: int, code: str) -> tuple[int, str]:
        row = works.rows[index]
        column = works.columns[index].get(code)
        if column:
            return row, _("Rij %(row)s, kolom %(column)s") % {"row": row, "column": column}
        return row, _("Rij %(row)s") % {"row": row}

    problems = [
        Problem(
            error.row,
            _("Rij %(row)s, kolom %(column)s") % {"row": error.row, "column": error.column}
            if error.column
            else _("Rij %(row)s") % {"row": error.row},
            error.message,
        )
        for error in works.errors
    ]
    data = {"type": "FeatureCollection", "features": works.features}
    return Upload(kind="csv", data=data, problems=problems, where=where)


def read(upload: UploadedFile) -> Upload:
    """Read an uploaded GeoJSON or CSV file (told apart by its content, not its name).

    Raises UploadError when the file as a whole cannot be used: empty, larger than MAX_BYTES,
    binary, not UTF-8, no JSON, unknown columns, or the address finder unreachable.
    """
    text = _text(_content(upload))
    if text.lstrip().startswith(("{", "[")):
        return _geojson(text)
    return _csv(text)


def _problems(upload: Upload, index: int, error: DomainError) -> list[Problem]:
    found = []
    for code, messages in error.errors.items():
        order, where = upload.where(index, code)
        found.extend(Problem(order, where, message) for message in messages)
    return found


def _features(data: dict) -> list:
    if data.get("type") == "Feature":
        return [data]
    return data["features"]


def _collection(upload: Upload, features: list) -> dict:
    data = {"type": "FeatureCollection", "features": features}
    if "crs" in upload.data:
        data["crs"] = upload.data["crs"]
    return data


def _refusals(*, actor, upload: Upload, room: int, first=None) -> tuple[list[Problem], bool]:
    """Return every refusal of the service (at most ``room``) and whether the list was cut.

    Runs inside a transaction that is always rolled back. The service reports the first
    refused feature of a call; the features before it are saved again (so later features
    see them, as in one import) and the next call starts after it: about two passes over
    the file through the batched import, however many features are refused. ``first`` is
    the (index, error) of the whole file's call, when already known.
    """
    features = _features(upload.data)
    found: list[Problem] = []
    truncated = False
    with transaction.atomic():
        at, known = 0, first
        while at < len(features) and not truncated:
            rest = features[at:]
            if known is not None:
                (index, error), known = known, None
            else:
                try:
                    with transaction.atomic():
                        services.works_import(actor=actor, data=_collection(upload, rest))
                    break
                except DomainError as exc:
                    index, error = getattr(exc, "index", None), exc
                if index is None:
                    found.append(Problem(at + 1, "", error.message))
                    break
            found.extend(_problems(upload, at + index, error))
            truncated = len(found) >= room
            if index and not truncated:
                try:
                    with transaction.atomic():
                        services.works_import(actor=actor, data=_collection(upload, rest[:index]))
                except DomainError as exc:  # not expected: they passed a moment ago
                    found.extend(_problems(upload, at + (getattr(exc, "index", 0) or 0), exc))
            at += index + 1
        transaction.set_rollback(True)
    return found[:room], truncated


def import_works(*, actor, upload: Upload) -> Result:
    """Store the upload's works through ``services.works_import`` (all or nothing).

    Returns the saved works, or every problem (reading and the service's refusals, by row)
    when any feature is refused; then nothing is stored. Raises UploadError for a refusal of
    the file as a whole (no features, an unknown coordinate system).
    """
    problems = list(upload.problems)
    first = None
    if not problems:
        try:
            # The file's own collection, as POST /works would get it.
            return Result(saved=services.works_import(actor=actor, data=upload.data))
        except DomainError as error:
            index = getattr(error, "index", None)
            if index is None:
                raise UploadError(error.message) from error
            first = (index, error)
    if len(problems) >= MAX_PROBLEMS:
        return Result(problems=problems[:MAX_PROBLEMS], truncated=True)
    refused, truncated = _refusals(
        actor=actor, upload=upload, room=MAX_PROBLEMS - len(problems), first=first
    )
    problems.extend(refused)
    problems.sort(key=lambda problem: problem.order)
    return Result(problems=problems[:MAX_PROBLEMS], truncated=truncated)
