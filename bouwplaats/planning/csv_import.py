"""Works from a spreadsheet: CSV rows read into the GeoJSON FeatureCollection of POST /works.

Only reading happens here (headers, dates, numbers, a place for an address); the rules on the
values stay the service's (``services.works_import``), so a CSV row and an API feature are
refused with the same words. Dutch Excel writes ``;`` between cells, a decimal comma and often
a byte order mark: all three are understood. The export (``exports.COLUMNS``) reads back in.
"""

import csv
import datetime
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import locator
from .placing import MAX_ADDRESS, PlaceNotFound

# A list of works from a planning system, not a database dump: larger sets go to the API.
# Measured: 5,000 rows took 16 s on a loaded machine (load 8 on 2 cores), close to the web
# server's 30 s; 2,000 leave room for listing every refusal too.
MAX_ROWS = 2_000
# Each address is one question to PDOK: more than this, and the rows should carry lon/lat.
MAX_ADDRESSES = 200
# How much of a refused value an error message repeats.
SHOWN = 40

# Header as written (lower case; spaces, underscores and hyphens alike) -> property of a
# POST /works feature, or a location column. ``id`` is the export's own number: not read.
HEADERS = {
    "titel": "title",
    "eigenaar": "owner",
    "afdeling": "department",
    "soort": "kind",
    "soort werk": "kind",
    "status": "status",
    "start": "start",
    "begin": "start",
    "startdatum": "start",
    "begindatum": "start",
    "eind": "end",
    "einde": "end",
    "einddatum": "end",
    "hinder": "hindrance",
    "omschrijving": "description",
    "contact": "contact",
    "kenmerk": "external_id",
    "extern kenmerk": "external_id",
    "openbaar": "public",
    "geometrie": "geometry",
    "lon": "lon",
    "lengtegraad": "lon",
    "lat": "lat",
    "breedtegraad": "lat",
    "adres": "address",
    "adres of postcode": "address",
    "postcode": "address",
    "id": None,
}
TEXT_PROPERTIES = ["title", "department", "kind", "status", "hindrance", "description", "contact"]
CHOICE_PROPERTIES = {"kind", "status", "hindrance", "department"}
LOCATION_COLUMNS = {"geometry", "lon", "lat", "address"}
# The column named in an error about a property that has no column of its own in the file.
DEFAULT_COLUMN = {
    "title": "titel",
    "owner": "eigenaar",
    "department": "afdeling",
    "kind": "soort",
    "status": "status",
    "start": "start",
    "end": "eind",
    "hindrance": "hinder",
    "description": "omschrijving",
    "contact": "contact",
    "external_id": "kenmerk",
    "public": "openbaar",
    "geometry": "geometrie",
}
YES = {"ja", "j", "true", "waar", "1", "yes", "y"}
NO = {"nee", "n", "false", "onwaar", "0", "no"}
DATE_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d"]

# The page's table of columns: header, what it holds, an example, required.
COLUMN_HELP = [
    ("titel", gettext_lazy("Naam van het werk; leeg: de soort werk"),
     "Vervangen riolering Molenstraat", False),
    ("soort", gettext_lazy("riolering, asfalt, kabels en leidingen, groen, verkeer, woningbouw "
                           "of anders"), "riolering", True),
    ("start", gettext_lazy("Eerste dag, als 2027-05-01 of 1-5-2027 (ook: begin)"),
     "1-5-2027", True),
    ("eind", gettext_lazy("Laatste dag, op of na de start (ook: einde)"), "30-6-2027", True),
    ("eigenaar", gettext_lazy("Naam van de organisatie; leeg: de organisatie waarvoor u werkt"),
     "Gemeente Ede", False),
    ("afdeling", gettext_lazy("programmering, verkeer, ruimtelijke projecten of wijkbeheer"),
     "wijkbeheer", False),
    ("status", gettext_lazy("idee, gepland, in voorbereiding, in uitvoering of gereed; leeg: "
                            "gepland"), "gepland", False),
    ("hinder", gettext_lazy("geen, beperkt, rijstrook of afsluiting; leeg: geen"),
     "afsluiting", False),
    ("omschrijving", gettext_lazy("Toelichting, ook over meerdere regels"),
     "Riool en huisaansluitingen vervangen", False),
    ("contact", gettext_lazy("Naam, telefoon of e-mail voor vragen"), "0318 123 456", False),
    ("kenmerk", gettext_lazy("Uw eigen nummer; hetzelfde kenmerk werkt dat werk bij "
                             "(ook: extern_kenmerk)"), "RIO-2027-014", False),
    ("openbaar", gettext_lazy("ja of nee: tonen op de kaart voor bewoners; leeg: ja"),
     "ja", False),
    ("geometrie", gettext_lazy("De plaats als WKT of GeoJSON-geometrie, in WGS84 of RD New"),
     "LINESTRING (5.6618 52.0442, 5.6642 52.0448)", False),
    ("lon, lat", gettext_lazy("Of: één punt als lengte- en breedtegraad (WGS84)"),
     "5,6631; 52,0446", False),
    ("adres", gettext_lazy("Of: straat, postcode of adres; de adreszoeker van PDOK zoekt de "
                           "plaats (een straat wordt een lijn)"), "Molenstraat, Ede", False),
]  # fmt: skip


MORE_CELLS = gettext_lazy(
    "Deze rij heeft meer cellen dan de kopregel kolommen; staat er een scheidingsteken in een "
    "tekst zonder aanhalingstekens?"
)


class CsvError(Exception):
    """The file as a whole cannot be read; ``message`` is Dutch and nothing is stored."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass
class RowError:
    """One refusal: the spreadsheet row (the header is row 1), the column and why."""

    row: int
    column: str
    message: str


@dataclass
class CsvWorks:
    """The rows that read well as Features, each with its row and the columns to name."""

    features: list[dict] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    columns: list[dict[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= SHOWN else f"{value[:SHOWN]}…"


def _header_key(header: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", header.strip().lower()).split())


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _date(value: str) -> str:
    """Return an ISO date from 2027-05-01, 1-5-2027, 1/5/2027 or 1.5.2027 (a time is cut)."""
    text = value.strip().split("T")[0].split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()  # noqa: DTZ007
        except ValueError:
            continue
    raise ValueError(
        _("„%(value)s” is geen datum; schrijf bijvoorbeeld 2027-05-01 of 1-5-2027.")
        % {"value": _shown(value)}
    )


def _number(value: str) -> float:
    text = value.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # the decimal comma of Dutch spreadsheets
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise ValueError(_("„%(value)s” is geen getal.") % {"value": _shown(value)})
    return number


def _public(value: str) -> bool:
    text = value.strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("Schrijf ja of nee (niet „%(value)s”).") % {"value": _shown(value)})


def _geometry(value: str) -> dict:
    """Return a GeoJSON geometry from WKT or GeoJSON text (checked later by the service)."""
    text = value.strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ValueError(_("Geen geldige GeoJSON-geometrie.")) from exc
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict):
            raise ValueError(_("Geen geldige GeoJSON-geometrie."))
        return data
    try:
        geom = shapely.from_wkt(text)
    except (shapely.errors.GEOSException, ValueError) as exc:
        raise ValueError(
            _("„%(value)s” is geen geldige WKT of GeoJSON.") % {"value": _shown(value)}
        ) from exc
    return json.loads(shapely.to_geojson(geom))


def _choice(value: str, choices) -> str:
    """Return the choice whose value or label is ``value`` (any case), else ``value`` as is."""
    wanted = value.strip().lower()
    for key, label in choices:
        if wanted in (str(key).lower(), str(label).lower()):
            return key
    return value.strip()


def _choices() -> dict:
    from .models import Department, Work

    return {
        "kind": Work.Kind.choices,
        "status": Work.Status.choices,
        "hindrance": Work.Hindrance.choices,
        "department": Department.choices,
    }


def _read_headers(header_row: list[str]) -> dict[int, str]:
    """Return column position -> property; raise CsvError for unknown or doubled columns."""
    positions, unknown, seen = {}, [], {}
    for position, header in enumerate(header_row):
        key = _header_key(header)
        if not key:
            continue
        if key not in HEADERS:
            unknown.append(_shown(header))
            continue
        prop = HEADERS[key]
        if prop is None:
            continue
        if prop in seen:
            raise CsvError(
                _("De kolommen „%(a)s” en „%(b)s” betekenen hetzelfde; houd er één.")
                % {"a": seen[prop], "b": _shown(header)}
            )
        seen[prop] = _shown(header.strip())
        positions[position] = prop
    if unknown:
        raise CsvError(
            _(
                "Onbekende kolom(men) in de kopregel: %(unknown)s. Gebruik de kolommen uit de "
                "tabel hieronder."
            )
            % {"unknown": ", ".join(unknown[:10])}  # fmt: skip
        )
    props = set(positions.values())
    missing = [DEFAULT_COLUMN[p] for p in ("kind", "start", "end") if p not in props]
    if missing:
        raise CsvError(
            _("De kopregel mist de kolom(men): %(missing)s. De eerste regel noemt de kolommen.")
            % {"missing": ", ".join(missing)}
        )
    if not (props & {"geometry", "address"} or {"lon", "lat"} <= props):
        raise CsvError(
            _("Het bestand heeft geen kolom voor de plaats: geometrie, lon en lat, of adres.")
        )
    return positions


class _Locator:
    """Find places for the rows' addresses, each distinct address once."""

    def __init__(self, locate: Callable):
        self.locate = locate
        self.found: dict[str, dict | PlaceNotFound] = {}

    def geometry(self, address: str) -> dict:
        key = " ".join(address.lower().split())
        if key not in self.found:
            if len(self.found) >= MAX_ADDRESSES:
                raise CsvError(
                    _(
                        "Meer dan %(max)s verschillende adressen: geef voor de overige rijen lon "
                        "en lat of een geometrie."
                    )
                    % {"max": MAX_ADDRESSES}  # fmt: skip
                )
            try:
                self.found[key] = self.locate(address)[1]
            except PlaceNotFound as error:
                self.found[key] = error
            except locator.LocatorError as error:
                raise CsvError(
                    _(
                        "%(reason)s Er is niets opgeslagen; geef de plaats als geometrie of lon en "
                        "lat, of probeer het later opnieuw."
                    )
                    % {"reason": error.message}  # fmt: skip
                ) from error
        found = self.found[key]
        if isinstance(found, PlaceNotFound):
            raise ValueError(found.message)
        return found


class _PlaceError(ValueError):
    """A row's place cannot be read; ``source`` is the location property it came from."""

    def __init__(self, message, source: str | None = None):
        super().__init__(message)
        self.source = source


def _location(cells: dict[str, str], places: _Locator) -> tuple[dict, str]:
    """Return the row's geometry and the property it came from (raises _PlaceError)."""
    if cells.get("geometry", "").strip():
        try:
            return _geometry(cells["geometry"]), "geometry"
        except ValueError as error:
            raise _PlaceError(str(error), "geometry") from error
    lon, lat = cells.get("lon", "").strip(), cells.get("lat", "").strip()
    if lon or lat:
        if not (lon and lat):
            raise _PlaceError(_("Geef zowel lon als lat."), "lon")
        try:
            return {"type": "Point", "coordinates": [_number(lon), _number(lat)]}, "lon"
        except ValueError as error:
            raise _PlaceError(str(error), "lon") from error
    address = " ".join(cells.get("address", "").split())
    if address:
        if len(address) > MAX_ADDRESS:
            raise _PlaceError(
                _("Een adres telt hooguit %(max)s tekens.") % {"max": MAX_ADDRESS}, "address"
            )
        try:
            return places.geometry(address), "address"
        except ValueError as error:
            raise _PlaceError(str(error), "address") from error
    raise _PlaceError(_("Geef de plaats: een geometrie, lon en lat, of een adres."))


def read_csv(text: str, *, locate: Callable) -> CsvWorks:
    """Read CSV text (header row first) into Features for ``services.works_import``.

    ``locate`` is ``placing.locate``: an address -> (place, geometry). Rows that cannot be
    read are listed in ``errors`` (row, column, Dutch reason), all of them, not just the
    first. Raises CsvError when the file as a whole cannot be read (no CSV, unknown or missing
    columns, too many rows, the address finder unreachable).
    """
    # newline="": line breaks inside quoted cells stay part of the cell (the csv module's way).
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    result = CsvWorks()
    choices = _choices()
    places = _Locator(locate)
    positions, names, count, width = None, {}, 0, 0
    row_number = 0
    try:
        for row_number, row in enumerate(reader, start=1):
            if not any(cell.strip() for cell in row):
                continue
            if positions is None:
                positions = _read_headers(row)
                names = {prop: _shown(row[pos].strip()) for pos, prop in positions.items()}
                width = len(row)
                continue
            count += 1
            if count > MAX_ROWS:
                raise CsvError(
                    _(
                        "Meer dan %(max)s werken in één bestand: verdeel het bestand of gebruik "
                        "de API."
                    )
                    % {"max": MAX_ROWS}  # fmt: skip
                )
            if any(cell.strip() for cell in row[width:]):
                result.errors.append(RowError(row_number, "", str(MORE_CELLS)))
                continue
            _read_row(row_number, row, positions, names, choices, places, result)
    except csv.Error as error:
        # The csv module's own bound on one cell is 128 KiB; the service's are far lower.
        reason = _("een cel is te lang") if "larger" in str(error) else _("onleesbaar")
        raise CsvError(
            _("Het bestand is geen leesbare CSV: rij %(row)s, %(reason)s.")
            % {"row": row_number + 1, "reason": reason}
        ) from error
    if positions is None or count == 0:
        raise CsvError(_("Het bestand bevat geen werken: alleen een kopregel of niets."))
    return result


def _place_column(names: dict[str, str], source: str | None) -> str:
    """Return the column(s) to name for a place: its own, or all place columns of the file."""
    if source == "lon":
        return f"{names['lon']}/{names['lat']}"
    if source is not None:
        return names[source]
    return "/".join(names[p] for p in ("geometry", "lon", "lat", "address") if p in names)


def _model_errors(row_number: int, props: dict, names: dict[str, str]) -> list[RowError]:
    """Return the model's refusals (Work.full_clean: choices, lengths, lines, the period) of
    the values a row read, each named by its column; the service checks the same once a row
    reads well."""
    from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

    from .models import Work

    fields = {f.name for f in Work._meta.fields}
    values = {name: value for name, value in props.items() if name in fields and name != "owner"}
    try:
        Work(**values).full_clean(
            exclude=fields - set(values), validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return [
            RowError(row_number, "" if name == NON_FIELD_ERRORS else names.get(name, name), text)
            for name, texts in error.message_dict.items()
            for text in texts
        ]
    return []


def _read_row(row_number, row, positions, names, choices, places, result) -> None:
    errors = []
    cells = {prop: row[pos] if pos < len(row) else "" for pos, prop in positions.items()}
    props: dict = {}
    for prop in TEXT_PROPERTIES:
        if cells.get(prop, "").strip():
            value = cells[prop]
            props[prop] = _choice(value, choices[prop]) if prop in CHOICE_PROPERTIES else value
    owner = cells.get("owner", "").strip()
    if owner:
        props["owner"] = int(owner) if owner.isascii() and owner.isdigit() else owner
    if cells.get("external_id", "").strip():
        props["external_id"] = cells["external_id"]
    readers = [("start", _date), ("end", _date), ("public", _public)]
    for prop, read in readers:
        if cells.get(prop, "").strip():
            try:
                props[prop] = read(cells[prop])
            except ValueError as error:
                errors.append(RowError(row_number, names[prop], str(error)))
    try:
        geometry, source = _location(cells, places)
    except _PlaceError as error:
        errors.append(RowError(row_number, _place_column(names, error.source), str(error)))
    if errors:
        # The row goes no further than reading: the model's rules on what did read are said
        # now too, so the row's every error shows at once, each beside its column.
        result.errors.extend(errors + _model_errors(row_number, props, names))
        return
    columns = {prop: names.get(prop, DEFAULT_COLUMN.get(prop, prop)) for prop in DEFAULT_COLUMN}
    columns["geometry"] = _place_column(names, source)
    result.features.append({"type": "Feature", "geometry": geometry, "properties": props})
    result.rows.append(row_number)
    result.columns.append(columns)
