"""The pilots list in the browser (axe on every page, desktop and 390 px phone): a visitor
finds "Pilots" in the menu and is asked to log in; a member of a pilot's team and the
programme team open the list, filter it, open a pilot and come back to the same filtered list.
"""

import pytest

from bouwplaats.projects.models import Pilot, PilotMilestone, ProgressReport
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.projects.helpers import days, make_call
from tests.projects.test_pilot_list import make_pilot

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


def open_menu_item(site, width: int, name: str) -> None:
    """Follow the header menu's link ``name``; on a phone the menu opens first."""
    if width < 700:
        site.locator("summary.bp-menu__button").click()
        menu = site.locator("details.bp-menu")
    else:
        menu = site.locator(".bp-menu-wide")
    menu.get_by_role("link", name=name, exact=True).click()
    site.check()


def cards(site) -> list[str]:
    return site.locator("li.bp-card h3").all_inner_texts()


@WIDTHS
def test_visitor_and_members_find_filter_open_and_come_back(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    call = make_call(programme)
    losser = OrganisationFactory(name="Gemeente Losser", kind="gemeente")
    deventer = OrganisationFactory(name="Gemeente Deventer", kind="gemeente")
    member = PlannerFactory(full_name="Robert Middelhuis", email="robert@losser.example",
                            organisation=losser)  # fmt: skip
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Petra Programmateam", email="petra@platform31.example"),
    ).user
    dorpskern = make_pilot(
        call, losser, "Dorpskern Losser: wonen boven winkels", report="risico",
        milestones=[("Eerste tien woningen opgeleverd", days(45), "gepland")],
    )  # fmt: skip
    make_pilot(call, losser, "Bedrijventerrein Losser", report="op_koers")
    make_pilot(call, deventer, "Transformatie Havenkwartier Deventer")

    # A visitor finds the pilots in the menu and is told who sees them.
    site.goto("/")
    open_menu_item(site, width, "Pilots")
    main = site.locator("main").inner_text()
    assert "Een pilot is te zien voor het team van de pilot" in main
    assert cards(site) == []

    # A member of Gemeente Losser sees the two pilots of Losser, not Deventer's.
    login(site, member.email, PASSWORD)
    open_menu_item(site, width, "Pilots")
    assert sorted(cards(site)) == [
        "Bedrijventerrein Losser",
        "Dorpskern Losser: wonen boven winkels",
    ]
    # Filters the ones at risk, opens the pilot, and comes back to the same list.
    site.get_by_label("Stand").select_option(label="Risico")
    site.get_by_role("button", name="Filteren").click()
    site.check()
    assert cards(site) == ["Dorpskern Losser: wonen boven winkels"]
    card = site.locator("li.bp-card").inner_text()
    assert "Gemeente Losser" in card and "Meedoen met uw project?" in card
    assert "Volgende mijlpaal: Eerste tien woningen opgeleverd" in card
    site.get_by_role("link", name="Dorpskern Losser: wonen boven winkels").click()
    site.check()
    assert site.page.url.split("?")[0].endswith(dorpskern.get_absolute_url())
    assert "Eerste tien woningen opgeleverd" in site.locator("main").inner_text()
    site.locator("nav.bp-breadcrumb").get_by_role("link", name="Pilots").click()
    site.check()
    assert "status=risico" in site.page.url
    assert site.get_by_label("Stand").input_value() == "risico"
    assert cards(site) == ["Dorpskern Losser: wonen boven winkels"]
    site.context.clear_cookies()

    # The programme team sees all three, searches by organisation and finds Deventer's.
    login(site, team.email, PASSWORD)
    site.goto("/pilots/")
    assert len(cards(site)) == 3
    site.get_by_label("Zoeken in pilots").fill("deventer")
    site.get_by_role("button", name="Filteren").click()
    site.check()
    assert cards(site) == ["Transformatie Havenkwartier Deventer"]
    site.get_by_label("Zoeken in pilots").fill("bestaat niet")
    site.get_by_role("button", name="Filteren").click()
    site.check()
    assert "Er zijn geen pilots die aan de filters voldoen." in site.locator("main").inner_text()
    site.get_by_role("link", name="Alle pilots tonen").click()
    site.check()
    assert len(cards(site)) == 3
    assert Pilot.objects.count() == 3 and PilotMilestone.objects.count() == 1
    assert ProgressReport.objects.count() == 2
