"""Volume works in one region (core.volume); the stored pairs rebuilt after them."""

import datetime
import json
import math
import random

import numpy as np
import shapely

from bouwplaats.accounts.models import Organisation, User
from bouwplaats.core.volume import DOMAIN, ORGANISATION_PREFIX, count

from .geo import PRECISION, to_rd, to_wgs84
from .models import Department, Work
from .pairs import pairs_rebuild

WORKS = 100_000
# Ede (seed 003's KIP), in RD New metres: 100,000 works over 20 km × 20 km, as bench/planning.py;
# a smaller scale keeps that density over a smaller square.
CENTRE = (174_000.0, 448_000.0)
HALF_AT_FULL = 10_000.0
STREETS = [
    "Molenstraat", "Stationsweg", "Bergstraat", "Kerkstraat", "Klinkenbergerweg",
    "Verlengde Maanderweg", "Grotestraat", "Parkweg", "Zandlaan", "Bospoort", "Telefoonweg",
    "Hoflaan", "Akkerstraat", "Schaapsweg", "Nieuwe Stationsstraat",
]  # fmt: skip
WORK_TITLES = {
    Work.Kind.RIOLERING: "Vervangen riolering {street}",
    Work.Kind.ASFALT: "Groot onderhoud asfalt {street}",
    Work.Kind.KABELS: "Vervangen middenspanningskabel {street}",
    Work.Kind.GROEN: "Vergroenen {street} (klimaatadaptatie)",
    Work.Kind.VERKEER: "Herinrichting kruispunt {street}",
    Work.Kind.WONINGBOUW: "Nieuwbouw huurwoningen {street}",
}


def clear() -> None:
    Work.objects.filter(owner__name__startswith=ORGANISATION_PREFIX).delete()


def _geometry(rng: random.Random, x: float, y: float):
    shape = rng.random()
    if shape < 0.3:
        return shapely.Point(x, y)
    if shape < 0.7:
        angle, length = rng.uniform(0, math.pi), rng.uniform(20, 300)
        return shapely.LineString(
            [(x, y), (x + length * math.cos(angle), y + length * math.sin(angle))]
        )
    return shapely.box(x, y, x + rng.uniform(10, 120), y + rng.uniform(10, 120))


def load(*, scale: float, rng: random.Random) -> None:
    """Create the works with their RD New copies as the services store them; rebuild pairs."""
    owners = list(Organisation.objects.filter(name__startswith=ORGANISATION_PREFIX).order_by("pk"))
    planner = User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("pk").first()
    n = count(WORKS, scale)
    half = HALF_AT_FULL * math.sqrt(n / WORKS)
    rd = np.array(
        [
            _geometry(
                rng, CENTRE[0] + rng.uniform(-half, half), CENTRE[1] + rng.uniform(-half, half)
            )
            for _ in range(n)
        ],
        dtype=object,
    )
    # Stored as parse_geometry stores an upload: WGS84 at 7 decimals, RD New from that.
    back = to_wgs84()
    wgs = shapely.transform(
        rd, lambda xy: np.round(np.column_stack(back.transform(*xy.T)), PRECISION)
    )
    forth = to_rd()
    rd = shapely.transform(wgs, lambda xy: np.column_stack(forth.transform(*xy.T)))
    geojson = shapely.to_geojson(wgs)
    wkb = shapely.to_wkb(rd)
    bounds = shapely.bounds(rd)
    today = datetime.date.today()
    kinds = list(WORK_TITLES)
    departments = list(Department.values)
    rows = []
    for i in range(n):
        owner = rng.choice(owners)
        kind = rng.choice(kinds)
        start = today + datetime.timedelta(days=rng.randint(-180, 3 * 365))
        minx, miny, maxx, maxy = (float(v) for v in bounds[i])
        rows.append(
            Work(
                owner=owner,
                department=rng.choice(departments) if owner.kind == "gemeente" else "",
                title=WORK_TITLES[kind].format(street=rng.choice(STREETS)),
                kind=kind,
                geometry=json.loads(geojson[i]),
                rd_wkb=wkb[i],
                rd_minx=minx,
                rd_miny=miny,
                rd_maxx=maxx,
                rd_maxy=maxy,
                rd_span=max(maxx - minx, maxy - miny),
                start=start,
                end=start + datetime.timedelta(days=rng.randint(0, 240)),
                status=rng.choices(list(Work.Status.values), weights=[10, 50, 20, 15, 5])[0],
                hindrance=rng.choice(list(Work.Hindrance.values)),
                public=rng.random() < 0.95,
                external_id=f"VOL-{i:06d}",
                created_by=planner,
            )
        )
    for at in range(0, n, 2000):
        Work.objects.bulk_create(rows[at : at + 2000])
    pairs_rebuild()
