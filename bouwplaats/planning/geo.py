"""GeoJSON in, RD New (EPSG:28992) metres for analysis: parsing, checks and conversion."""

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely.geometry import mapping, shape

ALLOWED_TYPES = {
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
}
# The Netherlands with its territorial waters, generously: lon/lat and RD New.
NL_LON = (3.2, 7.3)
NL_LAT = (50.7, 53.7)
RD_X = (-7_000.0, 300_000.0)
RD_Y = (289_000.0, 629_000.0)
PRECISION = 7
# A rough outline of the Netherlands (lon, lat) with its islands and coastal waters, widened
# by about 3 km: it refuses Brussels, Antwerp or Aachen, which a bounding box would let in.
NL_OUTLINE = [
    (3.30, 51.37), (3.40, 51.58), (3.60, 51.78), (3.90, 52.00), (4.40, 52.35), (4.55, 52.62),
    (4.65, 52.95), (4.70, 53.18), (5.10, 53.38), (5.80, 53.50), (6.90, 53.55), (7.25, 53.32),
    (7.23, 53.00), (7.08, 52.65), (7.08, 52.35), (6.85, 52.05), (6.82, 51.95), (6.20, 51.85),
    (6.00, 51.80), (6.25, 51.50), (6.22, 51.20), (6.10, 51.05), (6.04, 50.76), (5.70, 50.74),
    (5.63, 50.85), (5.78, 51.12), (5.25, 51.25), (4.75, 51.42), (4.25, 51.37), (3.90, 51.20),
    (3.35, 51.26),
]  # fmt: skip


@cache
def nl_area() -> shapely.Geometry:
    area = shapely.buffer(shapely.Polygon(NL_OUTLINE), 0.03)
    shapely.prepare(area)
    return area


class GeometryError(ValueError):
    """The geometry is not usable; the message is Dutch and shown to the person."""


@cache
def to_rd() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


@cache
def to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


@dataclass(frozen=True)
class ParsedGeometry:
    geojson: dict  # WGS84, 7 decimals
    rd: shapely.Geometry  # RD New, metres

    @property
    def rd_wkb(self) -> bytes:
        return shapely.to_wkb(self.rd)

    @property
    def rd_bounds(self) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in shapely.bounds(self.rd))


def declared_crs(data: dict) -> str | None:
    crs = data.get("crs")
    if not isinstance(crs, dict):
        return None
    props = crs.get("properties") or {}
    name = str(props.get("name", "")) if isinstance(props, dict) else ""
    if "28992" in name:
        return "rd"
    if "4326" in name or "CRS84" in name.upper():
        return "wgs84"
    raise GeometryError(_("Onbekend coördinatenstelsel: gebruik WGS84 of RD New (EPSG:28992)."))


def _looks_like_rd(coords: np.ndarray) -> bool:
    xs, ys = coords[:, 0], coords[:, 1]
    return bool(
        xs.min() >= RD_X[0] and xs.max() <= RD_X[1] and ys.min() >= RD_Y[0] and ys.max() <= RD_Y[1]
    )


def parse_geometry(data, *, crs: str | None = None) -> ParsedGeometry:
    """Check a GeoJSON geometry and return it in WGS84 (7 decimals) and in RD New.

    RD New input is recognised by a ``crs`` member naming EPSG:28992, by ``crs="rd"``, or by
    coordinates in RD's range (no WGS84 coordinate in the Netherlands falls in it).
    """
    if not isinstance(data, dict) or "type" not in data:
        raise GeometryError(_("Geen geldige GeoJSON-geometrie."))
    if data.get("type") not in ALLOWED_TYPES:
        raise GeometryError(_("Gebruik een punt, lijn of vlak als geometrie."))
    try:
        geom = shape(data)
    except Exception as exc:  # shapely raises several types for malformed input
        raise GeometryError(_("Geen geldige GeoJSON-geometrie.")) from exc
    if geom.is_empty:
        raise GeometryError(_("De geometrie is leeg."))
    if geom.geom_type in ("LineString", "MultiLineString") and shapely.length(geom) == 0:
        raise GeometryError(_("De geometrie heeft te weinig verschillende punten."))
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        raise GeometryError(_("Geen geldige GeoJSON-geometrie."))
    crs = crs or declared_crs(data)
    if crs is None:
        crs = "rd" if _looks_like_rd(coords) else "wgs84"
    if crs == "rd":
        geom = shapely.transform(geom, lambda xy: np.column_stack(to_wgs84().transform(*xy.T)))
        coords = shapely.get_coordinates(geom)
    lon, lat = coords[:, 0], coords[:, 1]
    inside = NL_LON[0] <= lon.min() and lon.max() <= NL_LON[1]
    inside = inside and NL_LAT[0] <= lat.min() and lat.max() <= NL_LAT[1]
    if not inside or not shapely.within(geom, nl_area()):
        raise GeometryError(_("De coördinaten liggen buiten Nederland."))
    geom = shapely.transform(geom, lambda xy: np.round(xy, PRECISION))
    if not shapely.is_valid(geom):
        reason = shapely.is_valid_reason(geom)
        if "Self-intersection" in reason:
            raise GeometryError(_("Het vlak snijdt zichzelf."))
        if "Too few points" in reason:
            raise GeometryError(_("De geometrie heeft te weinig verschillende punten."))
        if "Hole" in reason or "Nested shells" in reason:
            raise GeometryError(_("Een gat ligt buiten het vlak of vlakken liggen in elkaar."))
        raise GeometryError(_("De geometrie is ongeldig (%(reason)s).") % {"reason": reason})
    rd = shapely.transform(geom, lambda xy: np.column_stack(to_rd().transform(*xy.T)))
    return ParsedGeometry(geojson=_rounded_mapping(geom), rd=rd)


class BatchGeometryError(GeometryError):
    """``parse_geometries`` refused the geometry at ``index`` (0-based in its list)."""

    def __init__(self, message: str, *, index: int):
        super().__init__(message)
        self.index = index


def _scalar(items: list[tuple], at: int) -> ParsedGeometry:
    try:
        return parse_geometry(items[at][0], crs=items[at][1])
    except GeometryError as exc:
        raise BatchGeometryError(str(exc), index=at) from exc


def _per_geometry(values: np.ndarray, index: np.ndarray, n: int, func) -> np.ndarray:
    starts = np.searchsorted(index, np.arange(n))
    return func.reduceat(values, starts)


_SIMPLE = {0: "Point", 1: "LineString", 3: "Polygon"}


def _simple_mapping(kind: int, holes: int, coords: np.ndarray) -> dict | None:
    """Return ``_rounded_mapping`` of a point, line or polygon without holes from its
    coordinates (already rounded), or None for other shapes."""
    name = _SIMPLE.get(int(kind))
    if name is None or (name == "Polygon" and holes):
        return None
    # np.round to 7 decimals gives the double nearest the 7-decimal value, which round()
    # gives back unchanged: the same numbers as _rounded_mapping.
    points = coords.tolist()
    shaped = {"Point": points[0], "LineString": points, "Polygon": [points]}[name]
    return {"type": name, "coordinates": shaped}


def parse_geometries(items: list[tuple]) -> list[ParsedGeometry]:
    """Return ``parse_geometry(data, crs=crs)`` for each ``(data, crs)`` of ``items``.

    The same checks and conversions, run over the whole list at once (one coordinate
    transformation each way, vectorised shapely checks): an upload of thousands of works
    costs milliseconds. Any geometry the fast path does not take as it is (a refusal, 3D
    coordinates) goes through ``parse_geometry`` itself, so refusals and their Dutch
    messages are its own. Raises BatchGeometryError with the ``index`` of the first refused.
    """
    n = len(items)
    found: list[ParsedGeometry | None] = [None] * n
    geoms = np.empty(n, dtype=object)
    crss: list[str | None] = [None] * n
    fast = np.zeros(n, dtype=bool)
    for at, (data, crs) in enumerate(items):
        if not isinstance(data, dict) or data.get("type") not in ALLOWED_TYPES:
            _scalar(items, at)  # raises
        try:
            geom = shape(data)
            crss[at] = crs or declared_crs(data)
        except Exception:  # shapely raises several types for malformed input
            _scalar(items, at)  # raises its own message
            raise
        geoms[at] = geom
        fast[at] = True
    fast &= ~shapely.is_empty(geoms, where=fast, out=np.zeros(n, dtype=bool))
    fast &= ~shapely.has_z(geoms, where=fast, out=np.zeros(n, dtype=bool))
    lines = np.isin(shapely.get_type_id(geoms), (1, 5)) & fast
    fast &= ~(lines & (shapely.length(geoms, where=lines, out=np.ones(n)) == 0))
    coords, index = shapely.get_coordinates(geoms[fast], return_index=True)
    chosen = np.flatnonzero(fast)
    if len(chosen):
        finite = _per_geometry(np.isfinite(coords).all(axis=1), index, len(chosen), np.logical_and)
        chosen_ok = finite.copy()
        x, y = coords[:, 0], coords[:, 1]
        with np.errstate(invalid="ignore"):
            in_rd = (
                (_per_geometry(x, index, len(chosen), np.minimum) >= RD_X[0])
                & (_per_geometry(x, index, len(chosen), np.maximum) <= RD_X[1])
                & (_per_geometry(y, index, len(chosen), np.minimum) >= RD_Y[0])
                & (_per_geometry(y, index, len(chosen), np.maximum) <= RD_Y[1])
            )
        is_rd = np.array(
            [crss[at] == "rd" or (crss[at] is None and in_rd[k]) for k, at in enumerate(chosen)]
        )
        rows = is_rd[index] & finite[index]
        if rows.any():
            coords = coords.copy()
            coords[rows] = np.column_stack(to_wgs84().transform(*coords[rows].T))
        lon, lat = coords[:, 0], coords[:, 1]
        with np.errstate(invalid="ignore"):
            inside = (
                (_per_geometry(lon, index, len(chosen), np.minimum) >= NL_LON[0])
                & (_per_geometry(lon, index, len(chosen), np.maximum) <= NL_LON[1])
                & (_per_geometry(lat, index, len(chosen), np.minimum) >= NL_LAT[0])
                & (_per_geometry(lat, index, len(chosen), np.maximum) <= NL_LAT[1])
            )
        chosen_ok &= inside
        wgs = shapely.set_coordinates(shapely.from_wkb(shapely.to_wkb(geoms[chosen])), coords)
        chosen_ok &= shapely.within(wgs, nl_area(), where=chosen_ok, out=np.zeros_like(chosen_ok))
        rounded = np.round(coords, PRECISION)
        wgs = shapely.set_coordinates(wgs, rounded)
        chosen_ok &= shapely.is_valid(wgs)
        rd = shapely.set_coordinates(
            shapely.from_wkb(shapely.to_wkb(wgs)),
            np.column_stack(to_rd().transform(*rounded.T)) if len(rounded) else rounded,
        )
        kinds = shapely.get_type_id(wgs)
        holes = shapely.get_num_interior_rings(wgs)
        starts = np.searchsorted(index, np.arange(len(chosen) + 1))
        for k, at in enumerate(chosen):
            if chosen_ok[k]:
                part = rounded[starts[k] : starts[k + 1]]
                found[at] = ParsedGeometry(
                    geojson=_simple_mapping(kinds[k], holes[k], part) or _rounded_mapping(wgs[k]),
                    rd=rd[k],
                )
    # In feature order: the first refusal is the one reported.
    return [item if item is not None else _scalar(items, at) for at, item in enumerate(found)]


def validate_wgs84_geometry(value) -> None:
    """Refuse anything but a valid point, line or area in the Netherlands, in WGS84.

    The model field's validator: services parse first (RD New in, WGS84 stored), so this only
    refuses what bypassed them. Raises ValidationError with the Dutch reason.
    """
    try:
        parse_geometry(value, crs="wgs84")
    except GeometryError as exc:
        raise ValidationError(str(exc), code="geometry") from exc


def validate_area(value) -> None:
    """Refuse anything but a valid (multi)polygon in the Netherlands, in WGS84."""
    validate_wgs84_geometry(value)
    if value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("Teken een vlak als interessegebied."), code="geometry")


def _rounded_mapping(geom) -> dict:
    """Return GeoJSON with plain lists and coordinates at 7 decimals."""

    def clean(value):
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], (int, float)):
                return [round(float(v), PRECISION) for v in value]
            return [clean(v) for v in value]
        return value

    data = mapping(geom)
    return {"type": data["type"], "coordinates": clean(data["coordinates"])}


def rd_geometries(wkbs) -> np.ndarray:
    """Return RD New geometries from stored WKB, vectorised."""
    return shapely.from_wkb(np.asarray([bytes(w) for w in wkbs], dtype=object))


# One coordinate of a ``bbox``: ASCII digits only (float() also takes "nan", "inf", "1_0"
# and other scripts' digits), at most 20 decimals.
_BBOX_NUMBER = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{1,20})?", re.ASCII)
BBOX_MAX_CHARS = 200
# The widest box GET /works and the maps take (metres, RD New): a region's works; the whole
# country needs no box.
BBOX_MAX_M = 50_000


def bbox_bounds(text: str, *, max_side_m: float = BBOX_MAX_M) -> tuple[float, float, float, float]:
    """Return a GeoJSON bbox ``min_lon,min_lat,max_lon,max_lat`` (WGS84, RFC 7946 §5) as
    RD New bounds (minx, miny, maxx, maxy) in metres: the box around its corners.

    The part outside the Netherlands is cut off (a map window may reach over the border).
    Raises GeometryError (Dutch) for another shape or a number that is not a plain decimal,
    a coordinate outside WGS84's range, a minimum above its maximum (no box crosses the
    antimeridian here), a box that does not reach the Netherlands, or a side longer than
    ``max_side_m``.
    """
    text = str(text)
    parts = text.split(",") if len(text) <= BBOX_MAX_CHARS else []
    if len(parts) != 4 or not all(_BBOX_NUMBER.fullmatch(p.strip()) for p in parts):
        raise GeometryError(
            _(
                "Geef het kaartvenster (bbox) als min_lon,min_lat,max_lon,max_lat in WGS84, "
                "bijvoorbeeld 5.66,52.03,5.68,52.05."
            )
        )
    minlon, minlat, maxlon, maxlat = (float(p) for p in parts)
    if not (-180 <= minlon <= 180 and -180 <= maxlon <= 180):
        raise GeometryError(_("Een lengtegraad van het kaartvenster ligt buiten -180 tot 180."))
    if not (-90 <= minlat <= 90 and -90 <= maxlat <= 90):
        raise GeometryError(_("Een breedtegraad van het kaartvenster ligt buiten -90 tot 90."))
    if minlon > maxlon or minlat > maxlat:
        raise GeometryError(
            _(
                "Het kaartvenster is omgedraaid: eerst de minimale lengte- en breedtegraad, "
                "dan de maximale."
            )
        )
    minlon, maxlon = max(minlon, NL_LON[0]), min(maxlon, NL_LON[1])
    minlat, maxlat = max(minlat, NL_LAT[0]), min(maxlat, NL_LAT[1])
    if minlon > maxlon or minlat > maxlat:
        raise GeometryError(_("Het kaartvenster ligt buiten Nederland."))
    xs, ys = to_rd().transform([minlon, maxlon, maxlon, minlon], [minlat, minlat, maxlat, maxlat])
    bounds = (float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)))
    if max(bounds[2] - bounds[0], bounds[3] - bounds[1]) > max_side_m:
        raise GeometryError(
            _("Het kaartvenster is te groot: hoogstens %(km)s km breed en hoog; zoom in.")
            % {"km": f"{max_side_m / 1000:g}"}
        )
    return bounds
