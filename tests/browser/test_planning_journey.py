"""Werk-met-werk in a real browser: draw a work, find the combination, send, accept."""

import datetime
import re

from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from bouwplaats.planning.models import CombinationRequest, Work
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login

LON, LAT = 5.6650, 52.0405
M_LON = 1 / 68_600


def _liander_work(planner):
    today = timezone.localdate()
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[LON, LAT], [LON + 80 * M_LON, LAT]],
            },
            "properties": {
                "title": "Vervangen middenspanningskabel Molenstraat",
                "kind": "kabels en leidingen",
                "start": (today + datetime.timedelta(days=40)).isoformat(),
                "end": (today + datetime.timedelta(days=80)).isoformat(),
                "hindrance": "rijstrook",
            },
        },
    )


def _block_tiles(site):
    # No network here: refuse the background tiles outright so that the map must cope.
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())


def test_planner_draws_work_sends_request_and_liander_accepts(site, db):
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    liander = OrganisationFactory(name="Liander", kind=Organisation.Kind.NETBEHEERDER)
    wijkbeheer = PlannerFactory(
        email="planner.wijkbeheer@example.nl", full_name="Planner Wijkbeheer", organisation=ede
    )
    netbeheer = PlannerFactory(
        email="planner.liander@example.nl", full_name="Planner Liander", organisation=liander
    )
    cable = _liander_work(netbeheer)
    _block_tiles(site)

    login(site, wijkbeheer.email, PASSWORD)
    site.goto("/werk-met-werk/")
    # The background cannot load, yet the works are drawn and the visitor is told.
    site.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
    site.locator("#planning-tile-notice").wait_for(state="visible")
    site.check()

    site.get_by_role("link", name="Werk invoeren").first.click()
    site.check()
    assert site.locator(".leaflet-draw-draw-polyline").get_attribute("title") == "Teken een lijn"
    # Draw a line across the map's centre, where Liander's cable lies.
    site.locator(".leaflet-draw-draw-polyline").click()
    box = site.locator("#planning-draw").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # Leaflet.draw places a vertex where the pointer moved before the click: move, then click.
    for x in (cx - 40, cx + 40):
        site.mouse.move(x - 5, cy + 4)
        site.mouse.move(x, cy + 4, steps=3)
        site.mouse.down()
        site.mouse.up()
    assert site.locator(".leaflet-marker-icon.leaflet-div-icon").count() == 2
    site.get_by_role("link", name="Voltooien").click()
    geometry = site.get_by_label("Geometrie (GeoJSON)")
    assert '"LineString"' in geometry.input_value()

    today = timezone.localdate()
    site.get_by_label("Titel").fill("Herinrichting Molenstraat")
    site.get_by_label("Afdeling").select_option("wijkbeheer")
    site.get_by_label("Soort werk").select_option("riolering")
    site.get_by_label("Begin").fill((today + datetime.timedelta(days=30)).isoformat())
    site.get_by_label("Einde").fill((today + datetime.timedelta(days=90)).isoformat())
    site.get_by_label("Verwachte hinder").select_option("afsluiting")
    # A slip of the keyboard: the year 9999 is refused beside the field, nothing is stored.
    site.get_by_label("Einde").fill("9999-12-31")
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    assert "Kies een datum tussen 1900 en 2200." in site.locator("#id_end_errors").inner_text()
    assert not Work.objects.filter(title="Herinrichting Molenstraat").exists()
    assert '"LineString"' in site.get_by_label("Geometrie (GeoJSON)").input_value()
    site.get_by_label("Einde").fill((today + datetime.timedelta(days=90)).isoformat())
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    work = Work.objects.get(title="Herinrichting Molenstraat")
    assert work.owner == ede and work.geometry["type"] == "LineString"
    assert "1 mogelijke combinatie," in site.content()

    # The suggested combination with Liander's cable, and the request.
    combinations = site.locator("#combinaties").locator("xpath=..")
    assert cable.title in combinations.inner_text()
    site.get_by_role("link", name=re.compile("Stuur combinatieverzoek")).click()
    site.check()
    site.get_by_label("Toelichting").fill("Wij openen de straat; leg uw kabel dan mee.")
    site.get_by_role("button", name="Verzoek versturen").click()
    site.check()
    assert "Het combinatieverzoek is verstuurd naar Liander." in site.content()
    assert CombinationRequest.objects.get().status == "open"

    site.get_by_role("button", name="Uitloggen").click()
    login(site, netbeheer.email, PASSWORD)
    site.goto("/werk-met-werk/verzoeken/")
    assert "leg uw kabel dan mee" in site.content()
    site.get_by_role("link", name=re.compile("Accepteren")).click()
    site.check()
    site.get_by_role("button", name="Ja, accepteer het verzoek").click()
    site.check()
    owners = site.locator(".planning-owners").inner_text()
    assert "Gemeente Ede (wijkbeheer)" in owners and "Liander" in owners
    work.refresh_from_db()
    cable.refresh_from_db()
    assert work.joint_id and work.joint_id == cable.joint_id

    # The same data without a map, and the residents' map.
    site.goto("/werk-met-werk/lijst/")
    assert "Herinrichting Molenstraat" in site.content()
    site.goto("/werk-met-werk/in-uw-straat/")
    site.locator(".leaflet-overlay-pane path").first.wait_for(state="attached")
