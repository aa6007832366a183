"""Werk-met-werk maps in a real browser: a click on a work opens its popup (name, period, owner
and, on the residents' map, the owner's public contact) at desktop and phone width, axe clean;
the map's list view is reached with the keyboard alone."""

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login

LON, LAT = 5.6650, 52.0405
# About 50 m: a square big enough to click at any width the map fits it in.
HALF = 0.0004
WIDTHS = [1280, 390]


def _block_tiles(site):
    # No network here: refuse the background tiles outright so that the map must cope.
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())


@pytest.fixture
def square_work(db):
    ede = OrganisationFactory(
        name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE, contact="Telefoon 14 0318"
    )
    planner = PlannerFactory(email="planner.ede@example.nl", organisation=ede)
    today = timezone.localdate()
    ring = [
        [LON - HALF, LAT - HALF],
        [LON + HALF, LAT - HALF],
        [LON + HALF, LAT + HALF],
        [LON - HALF, LAT + HALF],
        [LON - HALF, LAT - HALF],
    ]
    work = services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "properties": {
                "title": "Vergroenen Bergstraat (klimaatadaptatie)",
                "kind": "groen",
                "status": "gepland",
                "hindrance": "beperkt",
                "contact": "intern.bergstraat@ede.nl",
                "start": (today + datetime.timedelta(days=30)).isoformat(),
                "end": (today + datetime.timedelta(days=75)).isoformat(),
            },
        },
    )
    return planner, work


def _period(work) -> str:
    with translation.override("nl"):
        return f"{date_format(work.start)} – {date_format(work.end)}"


def _open_popup(site):
    """Click the drawn work; return the popup's text."""
    shape = site.locator("#planning-map .leaflet-overlay-pane path").first
    shape.wait_for(state="attached")
    shape.click()
    content = site.locator(".leaflet-popup-content")
    content.wait_for(state="visible")
    # Leaflet fades a popup in: axe reads the contrast of the text once it is opaque.
    expect(site.locator(".leaflet-popup")).to_have_css("opacity", "1")
    return content.inner_text()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_resident_clicks_a_work_and_reads_who_and_when(site, square_work, width):
    _planner, work = square_work
    _block_tiles(site)
    site.set_viewport_size({"width": width, "height": 900})
    site.goto("/werk-met-werk/in-uw-straat/")
    text = _open_popup(site)
    assert work.title in text
    assert _period(work) in text
    assert "Gemeente Ede" in text
    # The owner's public contact, never the work's own (internal) one.
    assert "Vragen" in text and "Telefoon 14 0318" in text
    assert "intern.bergstraat" not in text
    site.check()  # axe with the popup open
    site.locator(".leaflet-popup-close-button").click()
    site.locator(".leaflet-popup").wait_for(state="detached")


@pytest.mark.parametrize("width", WIDTHS)
def test_a_planner_clicks_a_work_on_the_internal_map(site, square_work, width):
    planner, work = square_work
    _block_tiles(site)
    site.set_viewport_size({"width": width, "height": 900})
    login(site, planner.email, PASSWORD)
    site.goto("/werk-met-werk/")
    text = _open_popup(site)
    assert work.title in text and _period(work) in text and "Gemeente Ede" in text
    site.check()
    site.locator(".leaflet-popup-content").get_by_role("link", name="Meer over dit werk").click()
    site.page.wait_for_url(re.compile(rf"/werk-met-werk/{work.pk}/$"))
    site.check()


def test_the_maps_list_view_is_reached_by_keyboard(site, square_work):
    """From the top of the filtered map, Tab reaches the list view and Enter opens it with
    the same filters; no pointer used."""
    planner, work = square_work
    _block_tiles(site)
    login(site, planner.email, PASSWORD)
    site.goto("/werk-met-werk/?kind=groen")
    site.locator("#planning-map .leaflet-overlay-pane path").first.wait_for(state="attached")
    site.page.locator("body").focus()
    for _ in range(80):
        site.keyboard.press("Tab")
        focused = site.page.evaluate("document.activeElement.textContent.trim()")
        if focused == "Dezelfde gegevens als lijst":
            break
    else:
        pytest.fail("Tab never reached the list view's link")
    site.keyboard.press("Enter")
    site.page.wait_for_url(re.compile(r"/werk-met-werk/lijst/\?kind=groen$"))
    site.check()
    assert site.get_by_role("link", name=work.title).count() >= 1
