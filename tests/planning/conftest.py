import datetime

import pytest
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from tests.factories import OrganisationFactory, PlannerFactory

# Ede, around the Molenstraat: WGS84 longitude/latitude.
LON, LAT = 5.6650, 52.0405
# About one metre in degrees at this latitude.
M_LON, M_LAT = 1 / 68_600, 1 / 111_250


def line(dx_m=0.0, dy_m=0.0, length_m=60.0):
    """Return a west-east GeoJSON line starting dx/dy metres from the base point."""
    x, y = LON + dx_m * M_LON, LAT + dy_m * M_LAT
    return {"type": "LineString", "coordinates": [[x, y], [x + length_m * M_LON, y]]}


def square(half_deg=0.002, lon=LON, lat=LAT):
    """Return a GeoJSON square around (lon, lat)."""
    d = half_deg
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d]]
    return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}


def vertical(dx_deg=0.0002, half_deg=0.001):
    """Return a south-north GeoJSON line crossing the base point's latitude."""
    x = LON + dx_deg
    return {"type": "LineString", "coordinates": [[x, LAT - half_deg], [x, LAT + half_deg]]}


def feature(geometry=None, **props):
    today = timezone.localdate()
    base = {
        "kind": "riolering",
        "title": "Vervangen riolering Molenstraat",
        "start": (today + datetime.timedelta(days=30)).isoformat(),
        "end": (today + datetime.timedelta(days=90)).isoformat(),
        "hindrance": "afsluiting",
    }
    base.update(props)
    return {"type": "Feature", "geometry": geometry or line(), "properties": base}


@pytest.fixture
def ede(db):
    return OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)


@pytest.fixture
def liander(db):
    return OrganisationFactory(name="Liander", kind=Organisation.Kind.NETBEHEERDER)


@pytest.fixture
def ede_planner(ede):
    return PlannerFactory(full_name="Planner Wijkbeheer", organisation=ede)


@pytest.fixture
def liander_planner(liander):
    return PlannerFactory(full_name="Planner Liander", organisation=liander)


@pytest.fixture
def ede_work(ede_planner):
    return services.work_create(
        actor=ede_planner, feature=feature(department="wijkbeheer", external_id="EDE-1")
    )


@pytest.fixture
def liander_work(liander_planner):
    return services.work_create(
        actor=liander_planner,
        feature=feature(
            line(dy_m=8),
            kind="kabels en leidingen",
            title="Vervangen middenspanningskabel",
            hindrance="rijstrook",
            external_id="L-100",
        ),
    )


D = 0.001
BOWTIE_GEOMETRY = {
    "type": "Polygon",
    "coordinates": [[[LON, LAT], [LON + D, LAT + D], [LON + D, LAT], [LON, LAT + D], [LON, LAT]]],
}
