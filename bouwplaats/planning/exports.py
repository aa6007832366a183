"""The works as CSV: what the list shows, for spreadsheets (geometry as GeoJSON, WGS84)."""

import csv
import json
from collections.abc import Iterable, Iterator

from .models import Work

COLUMNS = [
    "id", "titel", "eigenaar", "afdeling", "soort", "status", "begin", "einde", "hinder",
    "openbaar", "extern_kenmerk", "contact", "geometrie",
]  # fmt: skip
# A cell starting with one of these is a formula to a spreadsheet: user text never becomes one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def works_csv(works: Iterable[Work], *, internal: bool) -> Iterator[str]:
    """Yield the CSV lines (``;``-separated, UTF-8 byte order mark first) of ``works``.

    ``internal`` (permissions.can_view_internal) adds the external id and the contact.
    """
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # Excel reads UTF-8 only with the byte order mark.
    yield writer.writerow(COLUMNS)
    for w in works:
        yield writer.writerow(
            [
                w.pk,
                _cell(w.title),
                _cell(w.owner.name),
                w.department,
                w.kind,
                w.status,
                w.start.isoformat(),
                w.end.isoformat(),
                w.hindrance,
                "ja" if w.public else "nee",
                _cell(w.external_id) if internal else "",
                _cell(w.contact) if internal else "",
                json.dumps(w.geometry),
            ]
        )
