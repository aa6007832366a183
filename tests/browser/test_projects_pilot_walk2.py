"""A pilot's page in the browser, desktop and 390 px phone (axe on every page): every column of
the milestone table can be read without scrolling sideways, a refused filter is named, a
report keeps the list's filters for the way back, a finished milestone reopens only with a
reason, and an old /oproepen/pilots/ address leads to the page."""

import pytest

from bouwplaats.projects.models import PilotMilestone
from tests.factories import PASSWORD, OrganisationFactory, PlannerFactory, ProgrammeFactory
from tests.projects.helpers import days, make_call
from tests.projects.test_pilot_list import make_pilot

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
COLUMNS = ["Mijlpaal", "Oorspronkelijk gepland", "Huidige planning", "Keer herpland", "Status"]


def _cells_readable(site, width: int) -> list[str]:
    """Return the text of each milestone cell, failing if one lies (partly) outside the
    screen's width or is hidden."""
    texts = []
    for cell in site.locator("table[data-milestones] tbody td").all():
        assert cell.is_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, cell.inner_text()
        texts.append(cell.inner_text())
    return texts


@WIDTHS
def test_a_pilot_page_reads_on_a_phone_and_keeps_the_way_back(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    call = make_call(programme)
    losser = OrganisationFactory(name="Gemeente Losser", kind="gemeente")
    member = PlannerFactory(full_name="Robert Middelhuis", email="robert@losser.example",
                            organisation=losser)  # fmt: skip
    pilot = make_pilot(
        call, losser, "Dorpskern Losser: wonen boven winkels", report="risico",
        milestones=[("Eigenaren van de eerste drie panden akkoord", days(-60), "gereed"),
                    ("Eerste tien woningen opgeleverd", days(45), "gepland"),
                    ("Aanpak beschreven voor andere gemeenten", days(400), "gepland")],
    )  # fmt: skip
    make_pilot(call, losser, "Bedrijventerrein Losser", report="op_koers")

    login(site, member.email, PASSWORD)
    # A refused filter is named; the list is still shown.
    site.goto("/pilots/?status=onzin&page=-1")
    summary = site.locator("[data-error-summary]").inner_text()
    assert "Kies een stand uit de lijst." in summary and "Het paginanummer" in summary
    # Filter on the stand, search with a plural ("dorpskernen"), open the pilot.
    site.goto("/pilots/")
    site.get_by_label("Stand").select_option(label="Risico")
    site.get_by_label("Zoeken in pilots").fill("dorpskernen")
    site.get_by_role("button", name="Filteren").click()
    site.check()
    assert site.locator("li.bp-card h3").all_inner_texts() == [pilot.title]
    site.get_by_role("link", name=pilot.title).click()
    site.check()
    assert site.page.url.split("?")[0].endswith(f"/pilots/{pilot.pk}/")
    crumbs = site.locator("nav.bp-breadcrumb").inner_text().split()
    assert crumbs == ["Pilots", "›", *pilot.title.split()]

    # Every column of every milestone is on the screen, named on a phone.
    texts = _cells_readable(site, width)
    assert len(texts) == 3 * len(COLUMNS)
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width
    row = site.locator("table[data-milestones] tbody tr").nth(1).inner_text()
    assert "Eerste tien woningen opgeleverd" in row and "Gepland" in row
    if width < 700:
        for column in COLUMNS[1:]:
            assert f"{column}:" in row
    else:
        headers = site.locator("table[data-milestones] thead th").all_inner_texts()
        assert headers == COLUMNS

    # Reopening the finished milestone without a reason is refused, with one it is shown.
    site.locator("summary", has_text="Mijlpaal herplannen of afronden").click()
    form = site.locator("form", has=site.get_by_role("button", name="Mijlpaal bijwerken"))
    finished = PilotMilestone.objects.get(status="gereed")
    form.get_by_label("Mijlpaal", exact=True).select_option(value=str(finished.pk))
    form.get_by_label("Status").select_option(label="Gepland")
    form.get_by_role("button", name="Mijlpaal bijwerken").click()
    site.check()
    assert (
        "Geef aan waarom deze afgeronde mijlpaal weer open gaat."
        in site.locator("[data-error-summary]").inner_text()
    )
    form = site.locator("form", has=site.get_by_role("button", name="Mijlpaal bijwerken"))
    form.get_by_label("Waarom herpland of heropend").fill("De eigenaar trok zijn akkoord in.")
    form.get_by_role("button", name="Mijlpaal bijwerken").click()
    site.check()
    assert "De mijlpaal is bijgewerkt." in site.locator("main").inner_text()
    assert "De eigenaar trok zijn akkoord in." in site.locator("[data-reopened]").inner_text()
    assert PilotMilestone.objects.filter(status="gereed").count() == 0
    _cells_readable(site, width)

    # After the form the way back still leads to the filtered list.
    site.locator("nav.bp-breadcrumb").get_by_role("link", name="Pilots").click()
    site.check()
    assert "status=risico" in site.page.url and "dorpskernen" in site.page.url
    assert site.locator("li.bp-card h3").all_inner_texts() == [pilot.title]

    # A link from an old mail still works.
    site.goto(f"/oproepen/pilots/{pilot.pk}/")
    assert site.page.url.endswith(f"/pilots/{pilot.pk}/")
