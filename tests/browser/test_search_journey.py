"""Search from the header: a visitor types a word in the box on any page, gets the results
page with the word highlighted, narrows it by type, and the same works on a phone (axe)."""

import re

import pytest

from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sessions(db):
    SessionFactory(title="Werksessie transitieopgaven", intro="Over de opgaven van bewoners.")
    SessionFactory(title="Bewonersavond in de wijk", intro="Een avond met bewoners.")
    SessionFactory(title="Fietsroutes", intro="Iets anders.")


@pytest.mark.parametrize("width", [1280, 390])
def test_search_from_the_header(site, sessions, width):
    site.set_viewport_size({"width": width, "height": 900})
    site.goto("/sessies/")
    box = site.get_by_role("search").get_by_role("searchbox")
    box.fill("transitieopgave")
    box.press("Enter")
    site.page.wait_for_url(re.compile(r"/zoeken/\?q=transitieopgave"))
    site.check()
    assert site.get_by_role("heading", level=1).inner_text() == "Zoeken"
    assert site.get_by_label(
        "Zoek in sessies, kennis, vragen, projecten en werken"
    ).input_value() == ("transitieopgave")
    results = site.locator(".bp-search-result")
    assert results.count() == 1
    assert results.first.get_by_role("link").inner_text() == "Werksessie transitieopgaven"

    # "bewoner" finds both sessions that speak of "bewoners"; the type filter keeps its count.
    box = site.get_by_label("Zoek in sessies, kennis, vragen, projecten en werken")
    box.fill("bewoner")
    site.get_by_role("button", name="Zoeken", exact=True).click()
    site.page.wait_for_url(re.compile(r"q=bewoner"))
    site.check()
    assert site.locator(".bp-search-result").count() == 2
    assert site.locator(".bp-search-result mark").first.inner_text().lower().startswith("bewoner")
    site.get_by_role("checkbox", name=re.compile(r"Sessie")).check()
    site.get_by_role("button", name="Filteren").click()
    site.page.wait_for_url(re.compile(r"soort=session"))
    site.check()
    assert site.locator(".bp-search-result").count() == 2
    assert site.get_by_role("checkbox", name=re.compile(r"Sessie")).is_checked()
    site.locator(".bp-search-result").first.get_by_role("link").click()
    site.page.wait_for_url(re.compile(r"/sessies/\d+/"))
    no_sideways = site.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways
