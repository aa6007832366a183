"""The programme team keeps its own programme page in the browser (axe on every page, desktop
and 390 px phone): it ticks themes and regions, adds a milestone, a partner, a governance body
with a member and a meeting date, and removes the meeting date after the confirm page."""

import re

import pytest

from bouwplaats.programmes.models import (
    GovernanceBody,
    GovernanceMeeting,
    GovernanceMember,
    ProgrammeMilestone,
    ProgrammePartner,
    Region,
)
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    ProgrammeFactory,
    ThemeFactory,
    UserFactory,
)

from .conftest import login

# The visually hidden part of a link's name ("Verwijderen: <date>") is read after a space.
MEETING_REMOVE = re.compile(r"^Verwijderen\W+donderdag 1 maart 2018$")
WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


def save(site):
    site.get_by_role("button", name="Opslaan").click()
    site.check()
    return site.locator("main").inner_text()


@WIDTHS
def test_team_keeps_its_programme_page(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Petra Programmateam", email="petra@platform31.example"),
    ).user
    ThemeFactory(name="Binnenstedelijke transformatie", slug="transformatie")
    ThemeFactory(name="Energietransitie", slug="energie")
    Region.objects.create(name="Regio Twente", slug="twente")
    OrganisationFactory(name="TU Delft", kind="kennisinstelling")
    OrganisationFactory(name="Gemeente Deventer", kind="gemeente")

    login(site, team.email, PASSWORD)
    site.goto(programme.get_absolute_url())
    site.get_by_role("link", name="Programmapagina wijzigen").click()
    site.check()
    # Themes and regions are groups of checkboxes, each named by its legend.
    site.get_by_role("group", name="Thema's").get_by_label("Binnenstedelijke transformatie").check()
    site.get_by_role("group", name="Regio's").get_by_label("Regio Twente").check()
    assert "De programmapagina is bijgewerkt." in save(site)
    assert [t.name for t in programme.themes.all()] == ["Binnenstedelijke transformatie"]

    site.get_by_role("link", name="Programmapagina wijzigen").click()
    site.check()
    site.get_by_role("link", name="Tijdlijn wijzigen").click()
    site.check()
    assert "De tijdlijn heeft nog geen mijlpalen." in site.locator("main").inner_text()
    site.get_by_role("link", name="Mijlpaal toevoegen").click()
    site.check()
    site.get_by_label("Datum").fill("2020-10-01")
    site.get_by_label("Mijlpaal").fill("Evaluatie in het vierde jaar")
    site.get_by_label(re.compile("^Toelichting")).fill("Met de regio's en de partners.")
    main = save(site)
    assert "De tijdlijn is bijgewerkt." in main and "donderdag 1 oktober 2020" in main

    site.get_by_role("link", name="Wijzigen", exact=True).click()  # the breadcrumb
    site.check()
    site.get_by_role("link", name="Partners wijzigen").click()
    site.check()
    site.get_by_role("link", name="Partner toevoegen").click()
    site.check()
    site.get_by_label("Organisatie").select_option(label="TU Delft")
    site.get_by_label(re.compile("^Rol")).fill("Coördinerende kennispartner")
    main = save(site)
    assert "De partners zijn bijgewerkt." in main and "Coördinerende kennispartner" in main

    site.get_by_role("link", name="Wijzigen", exact=True).click()
    site.check()
    site.get_by_role("link", name="Aansturing en uitvoering wijzigen").click()
    site.check()
    site.get_by_role("link", name="Orgaan toevoegen").click()
    site.check()
    site.get_by_label("Soort").select_option(label="Stuurgroep")
    site.get_by_label(re.compile("^Komt bijeen")).fill("Maandelijks")
    assert "De aansturing is bijgewerkt." in save(site)
    site.get_by_role("link", name=re.compile(r"^Wijzigen\W+Stuurgroep$")).click()
    site.check()
    assert "Dit orgaan heeft nog geen leden." in site.locator("main").inner_text()
    site.get_by_role("link", name="Lid toevoegen").click()
    site.check()
    site.get_by_label("Naam").fill("Wethouders")
    site.get_by_label(re.compile("^Rol")).fill("lid")
    site.get_by_label(re.compile("^Organisatie")).select_option(label="Gemeente Deventer")
    main = save(site)
    assert "De leden zijn bijgewerkt." in main and "Wethouders, lid (Gemeente Deventer)" in main
    site.get_by_role("link", name="Vergaderdatum toevoegen").click()
    site.check()
    site.get_by_label("Datum").fill("2018-03-01")
    site.get_by_label(re.compile("^Onderwerp")).fill("Jaarplan")
    main = save(site)
    assert "De vergaderdata zijn bijgewerkt." in main and "donderdag 1 maart 2018" in main

    # Removing asks first; going back keeps the date, confirming removes it.
    site.get_by_role("link", name=MEETING_REMOVE).click()
    site.check()
    assert "Vergaderdatum verwijderen?" in site.locator("h1").inner_text()
    site.get_by_role("link", name="Nee, ga terug").click()
    site.check()
    assert GovernanceMeeting.objects.count() == 1
    site.get_by_role("link", name=MEETING_REMOVE).click()
    site.check()
    site.get_by_role("button", name="Ja, verwijder de vergaderdatum").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "De vergaderdatum is verwijderd." in main and "Er zijn nog geen vergaderdata." in main
    assert not GovernanceMeeting.objects.exists()

    site.goto(programme.get_absolute_url())
    main = site.locator("main").inner_text()
    for shown in ("Binnenstedelijke transformatie", "Regio Twente", "Evaluatie in het vierde jaar",
                  "TU Delft", "Stuurgroep", "Maandelijks", "Wethouders"):  # fmt: skip
        assert shown in main, shown
    assert "Energietransitie" not in main
    assert ProgrammeMilestone.objects.count() == ProgrammePartner.objects.count() == 1
    assert GovernanceBody.objects.get().name == "Stuurgroep"
    assert GovernanceMember.objects.get().organisation.name == "Gemeente Deventer"
    assert len(site.visited) >= 20
