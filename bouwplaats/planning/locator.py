"""Find a street, postcode or address with PDOK Locatieserver (the Dutch convention).

The one place that speaks to another organisation's server: ``fetch_json`` is the HTTP edge
(tests replace only that). The service's address is the setting ``PDOK_LOCATIESERVER_URL``
(https://api.pdok.nl/bzk/locatieserver/search/v3_1 by default); its ``free`` search answers
Solr JSON with ``response.docs``, each with ``weergavenaam``, ``type`` and WKT geometry in
WGS84 (``centroide_ll``, ``geometrie_ll``).
"""

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .geo import nl_area, to_rd, to_wgs84

logger = logging.getLogger(__name__)

TIMEOUT_S = 5
MAX_QUERY = 120
MAX_PLACES = 5
# The types a resident means by "my street": a street, a postcode (6 positions) or an address.
TYPES = "type:(weg OR postcode OR adres)"
# How far from the place a work still counts as "there", in metres (RD New): a street's own
# line gets a pavement's width either side, a postcode or an address a few houses around.
REACH_M = {"weg": 30.0, "postcode": 150.0, "adres": 75.0}


class LocatorError(Exception):
    """The locator could not answer; ``message`` is shown to the person (Dutch)."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Place:
    """A place the locator found: its name, kind and geometry in WGS84 (GeoJSON)."""

    id: str
    label: str
    kind: str
    geometry: dict

    def area_rd(self) -> shapely.Geometry:
        """Return the area around the place in RD New (metres) that counts as "there"."""
        geom = shapely.transform(shapely.geometry.shape(self.geometry), _rd_coords, include_z=False)
        return shapely.buffer(geom, REACH_M.get(self.kind, 75.0))

    def area_wgs84(self) -> dict:
        """Return that area as a GeoJSON polygon in WGS84 (stored with a followed street)."""
        area = shapely.transform(self.area_rd(), _wgs84_coords, include_z=False)
        return json.loads(shapely.to_geojson(shapely.set_precision(area, 1e-7)))


def _rd_coords(coords):
    x, y = to_rd().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def _wgs84_coords(coords):
    x, y = to_wgs84().transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def fetch_json(url: str, params: dict) -> dict:
    """GET ``url`` with ``params`` and return the decoded JSON (the HTTP edge).

    Raises LocatorError when the server cannot be reached, answers an error status or no JSON.
    """
    full = f"{url}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(full, headers={"Accept": "application/json"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310
            return json.loads(response.read(2_000_000))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        logger.warning("PDOK Locatieserver unreachable: %s", error)
        raise LocatorError(
            _("De adreszoeker van PDOK is nu niet bereikbaar. Probeer het later opnieuw.")
        ) from error


def _geometry(doc: dict) -> dict | None:
    for key in ("geometrie_ll", "centroide_ll"):
        wkt = doc.get(key)
        if not isinstance(wkt, str):
            continue
        try:
            geom = shapely.from_wkt(wkt)
        except shapely.errors.GEOSException:
            continue
        if not geom.is_empty and nl_area().contains(geom.centroid):
            return json.loads(shapely.to_geojson(geom))
    return None


def search(query: str) -> list[Place]:
    """Return up to five places for a street name, postcode or address (best first).

    An empty or over-long query finds nothing; raises LocatorError when PDOK cannot answer.
    """
    query = " ".join(str(query or "").split())[:MAX_QUERY]
    if not query:
        return []
    data = fetch_json(
        f"{settings.PDOK_LOCATIESERVER_URL.rstrip('/')}/free",
        {
            "q": query,
            "fq": TYPES,
            "rows": MAX_PLACES,
            "fl": "id,weergavenaam,type,centroide_ll,geometrie_ll",
        },
    )
    docs = data.get("response", {}).get("docs", []) if isinstance(data, dict) else []
    places = []
    for doc in docs if isinstance(docs, list) else []:
        if not isinstance(doc, dict):
            continue
        geometry = _geometry(doc)
        label = str(doc.get("weergavenaam") or "").strip()
        if geometry is None or not label:
            continue
        places.append(
            Place(
                id=str(doc.get("id") or label)[:100],
                label=label[:200],
                kind=str(doc.get("type") or ""),
                geometry=geometry,
            )
        )
    return places[:MAX_PLACES]
