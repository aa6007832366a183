"""Forms that guide: an error summary at the top links to each field and takes the focus."""

import re

from bouwplaats.accounts.models import Organisation
from bouwplaats.planning.models import Work
from tests.factories import PASSWORD, OrganisationFactory, UserFactory

from .conftest import login

POINT = '{"type": "Point", "coordinates": [5.665, 52.0405]}'


def test_three_errors_show_a_summary_that_takes_the_focus(site, db):
    OrganisationFactory(name="Gemeente Ede", kind=Organisation.Kind.GEMEENTE)
    resident = UserFactory(email="bewoner@example.nl", full_name="Bewoner Molenstraat")
    site.page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1).*"), lambda r: r.abort())
    login(site, resident.email, PASSWORD)
    site.goto("/werk-met-werk/initiatieven/")
    # Title and place given; municipality, begin and end left out: three errors.
    site.get_by_label("Titel").fill("Geveltuinen Kerkstraat")
    site.get_by_label("Waar? Teken de plek op de kaart").fill(POINT)
    site.get_by_role("button", name="Initiatief voorstellen").click()
    site.page.wait_for_load_state("domcontentloaded")
    summary = site.locator("[data-error-summary]")
    summary.wait_for()
    site.check()
    assert summary.get_by_role("heading").inner_text() == "Er zijn 3 problemen"
    links = summary.get_by_role("link")
    assert links.count() == 3
    assert [links.nth(i).get_attribute("href") for i in range(3)] == [
        "#id_owner",
        "#id_start",
        "#id_end",
    ]
    # The focus is on the summary, so a screen reader reads it first.
    site.page.wait_for_function("document.activeElement.hasAttribute('data-error-summary')")
    # A link takes the person to the field, with the focus in it.
    links.nth(1).click()
    site.page.wait_for_function("document.activeElement.id === 'id_start'")
    # What was typed stays; nothing was stored.
    assert site.get_by_label("Titel").input_value() == "Geveltuinen Kerkstraat"
    assert not Work.objects.exists()
