"""The works as CSV: what the list shows, for spreadsheets (geometry as GeoJSON, WGS84)."""

import json
from collections.abc import Iterable, Iterator

from bouwplaats.core.exports import iter_csv

from .models import Work

COLUMNS = [
    "id", "titel", "eigenaar", "afdeling", "soort", "status", "begin", "einde", "hinder",
    "openbaar", "extern_kenmerk", "contact", "geometrie",
]  # fmt: skip


def works_csv(works: Iterable[Work], *, internal: bool) -> Iterator[str]:
    """Yield the CSV lines (``;``-separated, UTF-8 byte order mark first) of ``works``.

    ``internal`` (permissions.can_view_internal) adds the external id and the contact.
    Written by core.exports, so no member's text becomes a spreadsheet formula.
    """
    rows = (
        [
            w.pk,
            w.title,
            w.owner.name,
            w.department,
            w.kind,
            w.status,
            w.start,
            w.end,
            w.hindrance,
            "ja" if w.public else "nee",
            w.external_id if internal else "",
            w.contact if internal else "",
            json.dumps(w.geometry),
        ]
        for w in works
    )
    return iter_csv(COLUMNS, rows)
