"""A work's title is text on every map: it never becomes markup in a tooltip or a popup."""

import datetime
import re

from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import services
from tests.factories import OrganisationFactory, PlannerFactory

LON, LAT = 5.6650, 52.0405
M_LON = 1 / 68_600
HOSTILE_TITLE = (
    '<b id="injected">Weg</b><meta http-equiv="refresh" content="0;url=/account/login/">'
    '<img src=x id="injected-img">'
)


def test_hostile_title_stays_text_in_the_public_map_tooltip(site, db):
    liander = OrganisationFactory(name="Liander", kind=Organisation.Kind.NETBEHEERDER)
    planner = PlannerFactory(email="planner.liander@example.nl", organisation=liander)
    today = timezone.localdate()
    services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {
                "type": "LineString",
                "coordinates": [[LON, LAT], [LON + 200 * M_LON, LAT]],
            },
            "properties": {
                "title": HOSTILE_TITLE,
                "kind": "kabels en leidingen",
                "start": (today + datetime.timedelta(days=10)).isoformat(),
                "end": (today + datetime.timedelta(days=40)).isoformat(),
                "hindrance": "rijstrook",
            },
        },
    )
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    site.goto("/werk-in-uw-straat/")
    shown_at = site.page.url
    path = site.locator(".leaflet-overlay-pane path").first
    path.wait_for(state="attached")
    path.hover(force=True)
    tooltip = site.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert "<b id=" in tooltip.inner_text()
    assert site.locator("#injected, #injected-img, .leaflet-tooltip meta").count() == 0
    path.click(force=True)
    popup = site.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "<b id=" in popup.inner_text()
    assert site.locator("#injected, #injected-img, .leaflet-popup meta").count() == 0
    site.page.wait_for_timeout(1500)
    # A <meta http-equiv="refresh"> taken in as markup would have moved the visitor away.
    assert site.page.url == shown_at
