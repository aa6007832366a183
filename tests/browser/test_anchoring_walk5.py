"""Verankering walk 5 in the browser (axe at desktop and phone width): the programme team adds
a region from the empty koffertjes page and sets up its writers (an unknown address shown
beside the field, the fold-out open); the koffertjes grid and the stakeholder grid are
readable on a phone, with every name in full."""

import re

import pytest

from bouwplaats.anchoring import services
from tests.anchoring.helpers import region_with_koffertje
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
)

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
LONG = "Werkgeversvereniging Oost-Nederland en Twente"


def team_of(name="Coöperatief programmamanagement", slug="cooperatief-programmamanagement"):
    programme = ProgrammeFactory(name=name, slug=slug)
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Jaco Pieper", email="jaco@example.nl"),
    ).user
    return programme, team


def page_width(site) -> int:
    return site.page.evaluate("document.documentElement.scrollWidth")


@WIDTHS
def test_the_team_adds_a_region_and_names_its_writers(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    _programme, team = team_of()
    UserFactory(full_name="Esther de Lange", email="esther@example.nl")
    OrganisationFactory(name="Gemeente Enschede", kind="gemeente", verified=True)
    login(site, team.email, PASSWORD)
    site.goto("/programmas/cooperatief-programmamanagement/koffertjes/")
    main = site.locator("main").inner_text()
    assert "Voeg hieronder de eerste regio toe" in main
    assert site.get_by_role("link", name=re.compile("Download als PDF")).count() == 0
    site.get_by_label("Naam van de regio").fill("Regio Twente")
    site.get_by_role("button", name="Regio toevoegen en koffertje starten").click()
    site.check()
    assert "Regio ‘Regio Twente’ is toegevoegd." in site.locator("main").inner_text()
    fold_out = site.locator("details#inrichten")
    assert fold_out.get_attribute("open") is not None
    # The region's organisations are checkboxes, not a ctrl-click list.
    assert site.locator("details#inrichten select").count() == 0
    site.get_by_role("checkbox", name="Gemeente Enschede").check()
    site.get_by_label("Andere schrijvers").fill("niemand@example.nl")
    site.get_by_role("button", name="Opslaan").click()
    site.check()
    assert site.locator("details#inrichten").get_attribute("open") is not None
    error = site.locator("#id_writers_errors")
    assert error.is_visible()
    assert "niemand@example.nl" in error.inner_text()
    site.get_by_label("Andere schrijvers").fill("esther@example.nl")
    site.get_by_role("button", name="Opslaan").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "Wie dit koffertje vult is bijgewerkt." in main
    assert "Organisaties van de regio: Gemeente Enschede" in main
    assert page_width(site) <= width


@WIDTHS
def test_the_koffertjes_grid_fits_a_phone_and_the_desktop_shows_regions_side_by_side(
    site, transactional_db, width
):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = team_of()
    for name, organisation in [
        ("Arnhem-Nijmegen", "Provincie Gelderland"),
        ("Brabant", "Provincie Noord-Brabant"),
        ("Zuid-Limburg", "Provincie Limburg"),
    ]:
        koffertje, member = region_with_koffertje(programme, team, name, organisation)
        services.koffertje_item_add(
            actor=member,
            koffertje=koffertje,
            element="vervolgstap",
            text=f"Bouwsessie in {name} over de verankering na het programma.",
            owner="Taskforce",
            status="idee",
        )
    site.goto("/programmas/cooperatief-programmamanagement/koffertjes/")
    assert page_width(site) <= width
    if width > 640:
        table = site.locator("table.bp-koffer")
        assert table.is_visible()
        # Three regions fit beside each other here: no cue to slide what does not move.
        assert site.locator(".bp-scroll-cue").first.is_hidden()
        assert site.locator(".bp-koffer-stack").is_hidden()
        site.set_viewport_size({"width": 700, "height": 900})
        site.page.wait_for_function(
            "document.querySelector('.bp-koffer-wide .bp-scroll').getAttribute('role') === 'region'"
        )
        assert site.locator(".bp-scroll-cue").first.is_visible()
        assert site.locator(".bp-koffer-wide .bp-scroll").get_attribute("tabindex") == "0"
    else:
        assert site.locator("table.bp-koffer").is_hidden()
        stack = site.locator(".bp-koffer-stack")
        assert stack.locator("h2").all_inner_texts() == [
            "Arnhem-Nijmegen",
            "Brabant",
            "Zuid-Limburg",
        ]
        text = stack.inner_text()
        assert "Bouwsessie in Zuid-Limburg over de verankering na het programma." in text
        last = stack.get_by_text("Bouwsessie in Zuid-Limburg").bounding_box()
        assert last["x"] + last["width"] <= width
        stack.get_by_role("link", name="Zuid-Limburg").click()
        site.check()
        assert "Koffertje van Zuid-Limburg" in site.locator("h1").inner_text()


@WIDTHS
def test_the_stakeholder_grid_names_everyone_in_full_on_a_phone(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = team_of()
    stakeholder = services.stakeholder_create(
        actor=team,
        programme=programme,
        name=LONG,
        kind="organisatie",
        interest=3,
        influence=5,
        level="adviseren",
        direction="top_down",
        reason="Werkgevers dragen de mobiliteitsaanpak",
    )
    login(site, team.email, PASSWORD)
    site.goto("/programmas/cooperatief-programmamanagement/stakeholders/")
    assert page_width(site) <= width
    legend = site.locator(".bp-grid-legend")
    assert legend.is_visible()
    link = legend.get_by_role("link", name=LONG)
    assert link.is_visible()
    box = link.bounding_box()
    assert box["x"] + box["width"] <= width
    number = site.locator("svg.bp-grid .bp-grid__number").first
    assert number.text_content() == "1"
    # The number is legible: at least 8 CSS pixels high as drawn.
    assert number.bounding_box()["height"] >= 8
    label = site.locator("svg.bp-grid .bp-grid__label").first
    assert label.is_visible() == (width > 640)
    # The grid is wider than a phone: the figure says it slides; a desktop needs no cue.
    assert site.locator(".bp-figure .bp-scroll-cue").is_visible() == (width < 640)
    link.click()
    site.check()
    assert site.page.url.endswith(stakeholder.get_absolute_url())
