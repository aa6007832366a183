"""A resident without an account follows their street, on a desktop and on a phone: the
offer sits right under the street's heading, an empty address is said beside the field with
the box still there and focused, the mail's link names the street and gives the way out, a
dead link says so at once. PDOK (the locator and the tiles) is another organisation's
server: mocked and refused."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import locator, services
from tests.factories import OrganisationFactory, PlannerFactory

STREET = "MULTILINESTRING((5.66180 52.04420,5.66420 52.04480))"
MOLENSTRAAT = {
    "response": {
        "docs": [
            {
                "id": "wgd-1",
                "type": "weg",
                "weergavenaam": "Molenstraat, Ede",
                "centroide_ll": "POINT(5.663 52.0445)",
                "geometrie_ll": STREET,
            }
        ]
    }
}
OFFER = "Volg deze straat: u krijgt een mail bij nieuw werk"


@pytest.fixture
def molenstraat(db, monkeypatch):
    monkeypatch.setattr(locator, "fetch_json", lambda url, params: MOLENSTRAAT)
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    planner = PlannerFactory(email="wijkbeheer@example.nl", organisation=ede)
    today = timezone.localdate()
    for n, title in enumerate(["Vervangen riolering Molenstraat", "Geveltuinen Molenstraat"]):
        services.work_create(
            actor=planner,
            feature={
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[5.66180 + n / 10_000, 52.04420], [5.66420, 52.04480]],
                },
                "properties": {
                    "title": title,
                    "kind": "riolering",
                    "hindrance": "afsluiting",
                    "start": (today + datetime.timedelta(days=30 + n)).isoformat(),
                    "end": (today + datetime.timedelta(days=60 + n)).isoformat(),
                },
            },
        )


def _block_outside(site):
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())


def _go(site, target):
    # Wait for the new page's load before axe looks at it (the map keeping its window in
    # the address is a same-page navigation, which would end a wait for any navigation).
    with site.page.expect_event("load"):
        target.click()
    site.check()


def _box(locator):
    box = locator.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize("width", [1280, 390])
def test_resident_follows_their_street(site, molenstraat, width):
    _block_outside(site)
    site.page.set_viewport_size({"width": width, "height": 900})
    site.goto("/werk-met-werk/in-uw-straat/")
    main = site.locator("main")
    # No menu holding only this page itself.
    assert main.locator(".bp-subnav").count() == 0
    site.get_by_label("Straat of postcode").fill("Molenstraat Ede")
    _go(site, site.get_by_role("button", name="Zoeken"))
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width

    # The offer comes right after the street's heading, before its works, and open.
    heading = site.get_by_role("heading", name=re.compile("Werk in of bij Molenstraat, Ede"))
    offer = site.get_by_role("heading", name=OFFER)
    first_work = main.locator(".planning-entry").first
    assert _box(heading)["y"] < _box(offer)["y"] < _box(first_work)["y"]
    field = site.get_by_label("Uw e-mailadres")
    assert field.is_visible()
    if width == 1280:
        # On a desktop the map stands beside the list, not after it.
        the_map = site.locator("#planning-map")
        assert _box(the_map)["x"] > _box(first_work)["x"] + _box(first_work)["width"] - 1
        assert _box(the_map)["y"] < _box(first_work)["y"] + _box(first_work)["height"]

    # Sent empty: the error beside the field, named, the box still there and in focus.
    _go(site, site.get_by_role("button", name="Volg Molenstraat, Ede"))
    summary = site.locator("#volgen [data-error-summary]")
    assert "Uw e-mailadres" in summary.inner_text()
    assert site.page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), (
        site.page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    )
    assert site.locator("#id_email_errors").is_visible()
    assert site.locator("#id_email").get_attribute("aria-invalid") == "true" or (
        "bp-field--invalid" in (site.locator("#volgen .bp-field").get_attribute("class") or "")
    )
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width

    # Typed wrong: the address is kept for mending.
    site.get_by_label("Uw e-mailadres").fill("bewoner@")
    _go(site, site.get_by_role("button", name="Volg Molenstraat, Ede"))
    assert site.get_by_label("Uw e-mailadres").input_value() == "bewoner@"
    site.get_by_label("Uw e-mailadres").fill("bewoner@example.nl")
    _go(site, site.get_by_role("button", name="Volg Molenstraat, Ede"))
    assert "Bijna klaar" in main.inner_text()

    # The mail's link names the street, and once confirmed gives the way out.
    path = re.search(r"https?://[^/\s]+(/\S+/bevestigen/\S+/)", mail.outbox[-1].body)[1]
    site.goto(path)
    assert "Molenstraat, Ede" in site.get_by_role("heading", level=1).inner_text()
    _go(site, site.get_by_role("button", name="Ja, bevestig"))
    text = main.inner_text()
    assert "nieuw werk in Molenstraat, Ede" in text
    _go(site, site.get_by_role("link", name="Stop met Molenstraat, Ede volgen"))
    _go(site, site.get_by_role("button", name="Ja, stop de berichten"))
    assert "U krijgt geen mail meer over werk in Molenstraat, Ede." in main.inner_text()

    # The used link now says at once that it no longer works, and what to do.
    site.goto(path)
    assert site.get_by_role("heading", level=1).inner_text() == "Deze link werkt niet (meer)"
    assert site.get_by_role("button", name="Ja, bevestig").count() == 0
    assert site.get_by_role("link", name="Zoek uw straat").is_visible()
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width
