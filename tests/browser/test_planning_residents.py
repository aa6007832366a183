"""A resident finds their street: the locator (mocked: PDOK is another organisation's
server) finds the Molenstraat, the page shows the joint work once, with both owners and
their public contact, the hindrance in plain words, and no idea."""

import datetime
import re

import pytest
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import locator, services
from tests.factories import OrganisationFactory, PlannerFactory

M_LON = 1 / 68_600
STREET = "MULTILINESTRING((5.66180 52.04420,5.66420 52.04480))"


def _work(planner, title, coords, *, status="gepland", hindrance="afsluiting", days=60):
    today = timezone.localdate()
    return services.work_create(
        actor=planner,
        feature={
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": coords},
            "properties": {
                "title": title,
                "kind": "riolering",
                "status": status,
                "hindrance": hindrance,
                "start": (today + datetime.timedelta(days=days)).isoformat(),
                "end": (today + datetime.timedelta(days=days + 60)).isoformat(),
            },
        },
    )


@pytest.fixture
def molenstraat(db):
    ede = OrganisationFactory(
        name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE, contact="14 0318"
    )
    liander = OrganisationFactory(
        name="Liander", kind=Organisation.Kind.NETBEHEERDER, contact="liander.nl/storingen"
    )
    wijkbeheer = PlannerFactory(email="wijkbeheer@example.nl", organisation=ede)
    netbeheer = PlannerFactory(email="net@example.nl", organisation=liander)
    sewer = _work(
        wijkbeheer, "Vervangen riolering Molenstraat", [[5.66180, 52.04420], [5.66420, 52.04480]]
    )
    cable = _work(
        netbeheer,
        "Vervangen middenspanningskabel Molenstraat",
        [[5.66182, 52.04425], [5.66418, 52.04485]],
        hindrance="rijstrook",
        days=90,
    )
    request = services.combination_request_send(
        actor=wijkbeheer,
        from_work=sewer,
        to_work=cable,
        deadline=timezone.localdate() + datetime.timedelta(days=14),
        message="Wij openen de straat in mei.",
    )
    services.combination_request_accept(actor=netbeheer, request=request)
    _work(
        wijkbeheer,
        "Vergroenen Molenstraat",
        [[5.66200, 52.04430], [5.66300, 52.04450]],
        status="idee",
    )
    _work(wijkbeheer, "Asfalt Maanderweg", [[5.67200, 52.03300], [5.67800, 52.03600]])


def test_resident_searches_a_street_and_sees_the_joint_work_once(
    site, molenstraat, monkeypatch, settings
):
    settings.PDOK_LOCATIESERVER_URL = "https://locator.example/search/v3_1"
    asked = []

    def fake_fetch(url, params):
        asked.append((url, params["q"]))
        return {
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

    monkeypatch.setattr(locator, "fetch_json", fake_fetch)
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    site.goto("/werk-in-uw-straat/")
    site.get_by_label("Straat of postcode").fill("Molenstraat Ede")
    site.get_by_role("button", name="Zoeken").click()
    site.page.wait_for_load_state("domcontentloaded")
    site.check()
    assert asked == [("https://locator.example/search/v3_1/free", "Molenstraat Ede")]
    section = site.locator(
        "section", has=site.get_by_role("heading", name=re.compile("Molenstraat, Ede"))
    )
    cards = section.locator(".planning-entry")
    assert cards.count() == 1
    card = cards.first
    text = card.inner_text()
    assert "Gezamenlijk werk" in text
    assert "Gemeente Ede" in text and "Liander" in text
    # The owners' public contact, and the heaviest hindrance in plain words.
    assert "14 0318" in text and "liander.nl/storingen" in text
    assert "De straat is afgesloten voor verkeer" in text
    assert "Vergroenen" not in site.locator("main").inner_text()
    assert "Maanderweg" not in section.inner_text()
    # The same at a phone's width, without sideways scrolling.
    site.page.set_viewport_size({"width": 360, "height": 800})
    assert site.page.evaluate("document.documentElement.scrollWidth") <= 360
    site.check()

    # A period whose end comes before its start is said so, not "no work planned".
    site.page.set_viewport_size({"width": 1280, "height": 900})
    site.goto("/werk-met-werk/in-uw-straat/")
    site.get_by_label("Vanaf").fill("2027-06-01")
    site.get_by_label("Tot en met").fill("2027-01-01")
    site.get_by_role("button", name="Zoeken").click()
    site.page.wait_for_load_state("domcontentloaded")
    text = site.locator("main").inner_text()
    assert "De einddatum ligt voor de begindatum." in text
    assert "Er is in deze periode geen werk gepland." not in text
    _shots(site, "public_badperiod")

    # A work's own page names each owner's public contact, so the promise holds.
    from bouwplaats.planning.models import Work

    site.goto(Work.objects.get(title="Vervangen riolering Molenstraat").get_absolute_url())
    text = site.locator("main").inner_text()
    assert "wie u vragen kunt stellen" in text
    assert "14 0318" in text and "liander.nl/storingen" in text
    _shots(site, "public_work")


def _shots(site, name: str) -> None:
    """Look at the page at a desktop's and a phone's width (axe at both)."""
    import pathlib

    pathlib.Path("/tmp/hfixplan/shots").mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        site.page.set_viewport_size({"width": width, "height": 900})
        site.check()
        assert site.page.evaluate("document.documentElement.scrollWidth") <= width
        site.page.screenshot(path=f"/tmp/hfixplan/shots/{name}_{width}.png", full_page=True)
    site.page.set_viewport_size({"width": 1280, "height": 900})
