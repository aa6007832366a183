"""Place a work by address: the PDOK Locatieserver's best place, as the work's geometry.

The work form (no drawing needed) and the CSV upload (an ``adres`` column) both use it; the
locator module stays the one HTTP edge.
"""

import json

import shapely
from django.utils.translation import gettext as _

from . import locator
from .geo import ALLOWED_TYPES

# The same bound as the residents' street search: a place, not a text.
MAX_ADDRESS = locator.MAX_QUERY


class PlaceNotFound(Exception):
    """The locator knows no street, postcode or address by that name; ``message`` is Dutch."""

    def __init__(self, query: str):
        shown = query if len(query) <= 60 else f"{query[:60]}…"
        self.message = _(
            "Geen straat, postcode of adres gevonden voor „%(query)s”. Controleer de spelling."
        ) % {"query": shown}
        super().__init__(self.message)


def work_geometry(place: locator.Place) -> dict:
    """Return the GeoJSON (WGS84) a work gets from ``place``: the street's line, else a point.

    A shape the works do not take (a collection) becomes its centre point.
    """
    geometry = place.geometry
    if geometry.get("type") in ALLOWED_TYPES:
        return geometry
    centre = shapely.geometry.shape(geometry).centroid
    return json.loads(shapely.to_geojson(centre))


def locate(query: str) -> tuple[locator.Place, dict]:
    """Return the best place for a street, postcode or address and the geometry it gives.

    Raises PlaceNotFound when the locator finds nothing, locator.LocatorError when it cannot
    be reached (its message is Dutch).
    """
    query = " ".join(str(query or "").split())
    places = locator.search(query) if query else []
    if not places:
        raise PlaceNotFound(query)
    return places[0], work_geometry(places[0])
