"""Werk-met-werk maps at production-like counts in a real browser: more works than the map
draws, so it first says to zoom in; zoomed in to a street, it fetches that window and shows
the street's works (members: every work there; residents: what visitors may see), axe clean at
desktop and phone width. The limit is small (MAP_LIMIT) to keep the journey fast."""

import datetime
import math
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services, views
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login

LON, LAT = 5.6650, 52.0405
M_LON, M_LAT = 1 / 68_600, 1 / 111_250
LIMIT = 20
WIDTHS = [1280, 390]


def _block_tiles(site):
    # No network here: refuse the background tiles outright so that the map must cope.
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())


def _line(dx_m, dy_m, length_m=10.0):
    # Slightly rising: a level line's drawn box has no height, which no pointer can click.
    x, y = LON + dx_m * M_LON, LAT + dy_m * M_LAT
    end = [x + length_m * M_LON, y + length_m / 4 * M_LAT]
    return {"type": "LineString", "coordinates": [[x, y], end]}


def _feature(geometry, title, start_days, **props):
    today = timezone.localdate()
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {
            "title": title,
            "kind": "riolering",
            "hindrance": "geen",
            "start": (today + datetime.timedelta(days=start_days)).isoformat(),
            "end": (today + datetime.timedelta(days=start_days + 20)).isoformat(),
            **props,
        },
    }


@pytest.fixture
def busy_region(db, monkeypatch):
    """Twice the map's limit around a street, and the street's own works: they start last,
    so the first works the map draws are elsewhere."""
    monkeypatch.setattr(views, "MAP_LIMIT", LIMIT)
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    planner = PlannerFactory(email="planner.ede@example.nl", organisation=ede)
    features = []
    # Two rings, symmetric around the street: the first-drawn ring centres the map on it.
    for ring, (radius, start) in enumerate([(1500, 10), (800, 60)]):
        for i in range(LIMIT):
            angle = 2 * math.pi * i / LIMIT
            dx, dy = radius * math.cos(angle), radius * math.sin(angle)
            features.append(_feature(_line(dx - 5, dy), f"Ring {ring} werk {i}", start + i))
    street = ["Molenstraat riolering", "Molenstraat kabels", "Molenstraat groen"]
    for n, title in enumerate(street):
        features.append(_feature(_line(-8, -10 + n * 10, 16), title, 200 + n))
    features.append(_feature(_line(-8, 12, 16), "Molenstraat idee", 205, status="idee"))
    services.works_import(actor=planner, data={"type": "FeatureCollection", "features": features})
    return planner, street


def _zoom_to_the_street(site):
    """Zoom in with the map's own button, as far as it goes: the street is the map's centre."""
    zoom_in = site.locator("#planning-map .leaflet-control-zoom-in")
    for _ in range(20):
        if "leaflet-disabled" in (zoom_in.get_attribute("class") or ""):
            break
        zoom = site.locator("#planning-map").get_attribute("data-zoom")
        zoom_in.click()
        # A click during the zoom's animation is not taken: one step at a time.
        site.page.wait_for_function(
            "z => document.getElementById('planning-map').dataset.zoom !== z", arg=zoom
        )
    assert "leaflet-disabled" in (zoom_in.get_attribute("class") or "")


def _drawn(site):
    return site.locator("#planning-map .leaflet-overlay-pane path")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_planner_zooms_in_to_a_street_and_sees_its_works(site, busy_region, width):
    planner, street = busy_region
    _block_tiles(site)
    site.set_viewport_size({"width": width, "height": 900})
    login(site, planner.email, PASSWORD)
    site.goto("/werk-met-werk/")
    notice = site.locator("#planning-window-notice")
    expect(notice).to_contain_text("Zoom in om alle werken te zien")
    summary = site.locator("#planning-summary")
    expect(summary).to_contain_text(f"{LIMIT} werken op de kaart")
    expect(_drawn(site)).to_have_count(LIMIT)

    _zoom_to_the_street(site)
    # The window's works, fetched with the debounce: the street's, ideas included (members).
    expect(summary).to_contain_text("4 werken op de kaart")
    expect(notice).not_to_contain_text("Zoom in")
    expect(_drawn(site)).to_have_count(4)
    assert re.search(r"[?&]bbox=", site.page.url)
    site.check()
    _drawn(site).first.click()
    popup = site.locator(".leaflet-popup-content")
    expect(popup).to_contain_text(re.compile("Molenstraat"))

    # The address keeps the window: a reload draws the street's works at once (no script
    # needed for that), with the filter form keeping the window too.
    site.page.reload()
    expect(summary).to_contain_text("4 werken op de kaart")
    bbox = site.locator("input[name=bbox]").get_attribute("value")
    assert bbox and bbox.count(",") == 3
    site.check()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_resident_zooms_in_to_a_street_and_sees_what_happens_there(site, busy_region, width):
    _planner, street = busy_region
    _block_tiles(site)
    site.set_viewport_size({"width": width, "height": 900})
    site.goto("/werk-met-werk/in-uw-straat/")
    notice = site.locator("#planning-window-notice")
    expect(notice).to_contain_text("Zoom in of zoek uw straat")
    expect(_drawn(site)).to_have_count(LIMIT)

    _zoom_to_the_street(site)
    # The street's works residents may see: not the idea.
    expect(_drawn(site)).to_have_count(len(street))
    expect(notice).not_to_contain_text("Zoom in")
    site.check()
    _drawn(site).first.click()
    expect(site.locator(".leaflet-popup-content")).to_contain_text(re.compile("Molenstraat"))
    assert "idee" not in site.locator(".leaflet-popup-content").inner_text()
