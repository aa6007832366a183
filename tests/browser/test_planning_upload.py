"""Werk-met-werk in the browser (axe on every page, desktop and 390 px phone): a planner uploads
a CSV of works, sees the refused rows beside the form with nothing stored, uploads the corrected
file and sees the count; then places a work by address without drawing (the locator mocked:
PDOK is another organisation's server)."""

import datetime
import re

import pytest
from django.utils import timezone

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning import locator
from bouwplaats.planning.models import Work
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
MOLENSTRAAT = {
    "response": {
        "docs": [
            {
                "type": "weg",
                "weergavenaam": "Molenstraat, Ede",
                "centroide_ll": "POINT(5.663 52.0445)",
                "geometrie_ll": "MULTILINESTRING((5.6618 52.0442,5.6642 52.0448))",
            }
        ]
    }
}


def _csv(*lines: str) -> bytes:
    header = "titel;soort;start;eind;hinder;adres;lon;lat"
    return ("\ufeff" + "\r\n".join([header, *lines]) + "\r\n").encode()


def _no_sideways_scroll(site, width):
    assert site.evaluate("document.documentElement.scrollWidth") <= width


@WIDTHS
def test_planner_uploads_a_csv_fixes_a_row_and_places_a_work_by_address(
    site, db, width, monkeypatch
):
    site.set_viewport_size({"width": width, "height": 900})
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    asked = []

    def fetch(url, params):
        asked.append(params["q"])
        return MOLENSTRAAT if "molenstraat" in params["q"].lower() else {"response": {"docs": []}}

    monkeypatch.setattr(locator, "fetch_json", fetch)
    ede = OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    planner = PlannerFactory(
        email="wijkbeheer@example.nl", full_name="Petra Wijkbeheer", organisation=ede
    )
    year = timezone.localdate().year + 1
    login(site, planner.email, PASSWORD)
    site.goto("/werk-met-werk/lijst/")
    site.get_by_role("link", name="Werken uploaden").click()
    site.check()
    _no_sideways_scroll(site, width)
    assert "titel" in site.locator("table").inner_text()

    # Row 3 ends before it starts and row 4 has no place: both listed, nothing stored.
    upload = site.get_by_label("Bestand (CSV of GeoJSON)")
    upload.set_input_files(
        {
            "name": "werken.csv",
            "mimeType": "text/csv",
            "buffer": _csv(
                f"Riolering Molenstraat;riolering;1-5-{year};30-6-{year};afsluiting;"
                "Molenstraat Ede;;",
                f"Kabel Stationsweg;kabels en leidingen;1-9-{year};1-8-{year};rijstrook;;"
                "5,6650;52,0405",
                f"Groen Kerkplein;groen;1-4-{year};2-4-{year};geen;;;",
            ),
        }
    )
    site.get_by_role("button", name="Bestand inlezen").click()
    site.check()
    summary = site.locator(".bp-error-summary")
    assert "Er is niets opgeslagen" in summary.inner_text()
    assert site.evaluate("document.activeElement.classList.contains('bp-error-summary')")
    problems = site.locator("#fouten").inner_text()
    assert "2 fouten in het bestand" in problems
    assert "Rij 3, kolom eind: De einddatum ligt voor de begindatum." in problems
    assert "Rij 4, kolom lon/lat/adres: Geef de plaats" in problems
    assert not Work.objects.exists()
    _no_sideways_scroll(site, width)

    # The corrected file: all three stored, the count confirmed on the same page.
    site.get_by_label("Bestand (CSV of GeoJSON)").set_input_files(
        {
            "name": "werken.csv",
            "mimeType": "text/csv",
            "buffer": _csv(
                f"Riolering Molenstraat;riolering;1-5-{year};30-6-{year};afsluiting;"
                "Molenstraat Ede;;",
                f"Kabel Stationsweg;kabels en leidingen;1-9-{year};1-10-{year};rijstrook;;"
                "5,6650;52,0405",
                f"Groen Kerkplein;groen;1-4-{year};2-4-{year};geen;6711 AB;;",
            ),
        }
    )
    site.get_by_role("button", name="Bestand inlezen").click()
    site.check()
    assert "Er is niets opgeslagen" in site.locator(".bp-error-summary").inner_text()
    assert "Rij 4, kolom adres: Geen straat, postcode of adres gevonden" in (
        site.locator("#fouten").inner_text()
    )
    assert not Work.objects.exists()
    site.get_by_label("Bestand (CSV of GeoJSON)").set_input_files(
        {
            "name": "werken.csv",
            "mimeType": "text/csv",
            "buffer": _csv(
                f"Riolering Molenstraat;riolering;1-5-{year};30-6-{year};afsluiting;"
                "Molenstraat Ede;;",
                f"Kabel Stationsweg;kabels en leidingen;1-9-{year};1-10-{year};rijstrook;;"
                "5,6650;52,0405",
                f"Groen Kerkplein;groen;1-4-{year};2-4-{year};geen;Molenstraat 1 Ede;;",
            ),
        }
    )
    site.get_by_role("button", name="Bestand inlezen").click()
    site.check()
    assert "3 werken ingelezen (3 nieuw, 0 bijgewerkt)." in site.locator("#meldingen").inner_text()
    assert Work.objects.count() == 3
    assert Work.objects.get(title="Riolering Molenstraat").geometry["type"] == "MultiLineString"

    # A work placed by address, without drawing: the server asks the locator on submit.
    site.get_by_role("link", name="Werk invoeren").first.click()
    site.check()
    start = timezone.localdate() + datetime.timedelta(days=30)
    site.get_by_label("Titel").fill("Herinrichting Molenstraat")
    site.get_by_label("Soort werk").select_option("asfalt")
    site.get_by_label("Begin").fill(start.isoformat())
    site.get_by_label("Einde").fill((start + datetime.timedelta(days=30)).isoformat())
    site.get_by_label("Adres of postcode").fill("Nergensweg 99")
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    assert (
        "Geen straat, postcode of adres gevonden" in site.locator("#id_address_errors").inner_text()
    )
    assert not Work.objects.filter(title="Herinrichting Molenstraat").exists()
    site.get_by_label("Adres of postcode").fill("Molenstraat, Ede")
    site.get_by_role("button", name="Werk opslaan").click()
    site.check()
    work = Work.objects.get(title="Herinrichting Molenstraat")
    assert work.geometry["type"] == "MultiLineString"
    assert site.page.url.endswith(work.get_absolute_url())
    assert "Het werk staat op Molenstraat, Ede" in site.locator("#meldingen").inner_text()
    _no_sideways_scroll(site, width)
    assert "Nergensweg 99" in asked
