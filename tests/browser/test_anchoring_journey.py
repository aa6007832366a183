"""Verankering in the browser (axe on every page, desktop and phone width): a region member fills
the koffertje and the grid shows two regions side by side and downloads as PDF; the programme
team re-rates a stakeholder with a reason and the grid draws the path; the dashboard shows a
re-planned milestone with its original date."""

import datetime
import io
import re

import pypdf
import pytest

from bouwplaats.anchoring import services
from bouwplaats.projects import services as projects
from tests.anchoring.helpers import make_pilot, region_with_koffertje
from tests.factories import PASSWORD, MembershipFactory, ProgrammeFactory, UserFactory

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


def beter_benutten():
    programme = ProgrammeFactory(name="Beter Benutten", slug="beter-benutten")
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Jaco Pieper", email="jaco@example.nl"),
    ).user
    return programme, team


@WIDTHS
def test_a_region_member_fills_the_koffertje_and_the_regions_sit_side_by_side(
    site, transactional_db, width
):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = beter_benutten()
    brabant, member = region_with_koffertje(programme, team, "Brabant", "Provincie Noord-Brabant")
    gelderland, gelders = region_with_koffertje(
        programme, team, "Arnhem-Nijmegen", "Provincie Gelderland"
    )
    services.koffertje_item_add(
        actor=gelders,
        koffertje=gelderland,
        element="vervolgstap",
        text="Eerst de huidige maatregelen uitvoeren.",
        owner="Programma Goedopweg",
        status="idee",
    )

    login(site, member.email, PASSWORD)
    site.goto("/programmas/beter-benutten/koffertjes/")
    site.get_by_role("link", name="Brabant", exact=True).click()
    site.check()
    site.get_by_label("Onderdeel").select_option(label="Samenwerkingsverband om door te zetten")
    site.get_by_label("Wat de regio verankert").fill(
        "Met een Taskforce verkennen wat de opties na 2017 zijn."
    )
    site.get_by_label(re.compile("^Eigenaar")).fill("Taskforce Brabant")
    site.get_by_label("Status").select_option(label="Besproken")
    site.get_by_role("button", name="Toevoegen aan het koffertje").click()
    site.check()
    assert "Het koffertje is aangevuld." in site.locator("main").inner_text()
    # The region decides it: the item's status moves on.
    site.get_by_role("link", name=re.compile("^Wijzigen")).click()
    site.check()
    site.get_by_label("Status").select_option(label="Besloten")
    site.get_by_role("button", name="Wijzigingen opslaan").click()
    site.check()
    assert "Het koffertje is bijgewerkt." in site.locator("main").inner_text()
    # The other region's koffertje is read-only for this member.
    site.goto("/programmas/beter-benutten/koffertjes/arnhem-nijmegen/")
    assert site.get_by_role("button", name="Toevoegen aan het koffertje").count() == 0

    site.goto("/programmas/beter-benutten/koffertjes/")
    # Side by side on a wide screen; stacked per region on a phone (no table wider than it).
    shown = ".bp-koffer-wide" if width > 640 else ".bp-koffer-stack"
    if width > 640:
        headers = site.locator("table.bp-koffer thead th").all_inner_texts()
        assert headers == ["Onderdeel", "Arnhem-Nijmegen", "Brabant"]
    else:
        regions = site.locator(".bp-koffer-stack h2").all_inner_texts()
        assert regions == ["Arnhem-Nijmegen", "Brabant"]
    grid = site.locator(shown).inner_text()
    assert "Taskforce Brabant" in grid and "Programma Goedopweg" in grid
    site.get_by_label("Status").select_option(label="Besloten")
    site.get_by_role("button", name="Filteren").click()
    site.check()
    grid = site.locator(shown).inner_text()
    assert "Taskforce Brabant" in grid and "Programma Goedopweg" not in grid

    site.goto("/programmas/beter-benutten/koffertjes/")
    with site.page.expect_download() as download:
        site.get_by_role("link", name="Download als PDF (A4 liggend)").click()
    path = download.value.path()
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Brabant" in text and "Arnhem-Nijmegen" in text
    assert "Met een Taskforce verkennen" in text


@WIDTHS
def test_the_team_re_rates_a_stakeholder_and_the_grid_shows_the_path(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = beter_benutten()
    stakeholder = services.stakeholder_create(
        actor=team,
        programme=programme,
        name="Bewonerscollectief",
        kind="groep",
        interest=4,
        influence=2,
        level="raadplegen",
        direction="bottom_up",
        reason="Bewoners nemen het initiatief",
    )
    login(site, team.email, PASSWORD)
    site.goto("/programmas/beter-benutten/stakeholders/")
    site.locator("table").get_by_role("link", name="Bewonerscollectief").click()
    site.check()
    form = site.locator("form", has=site.get_by_role("button", name="Inschatting vastleggen"))
    form.get_by_label("Belang (1–5)").fill("5")
    form.get_by_label("Invloed (1–5)").fill("4")
    form.get_by_label("Trede op de participatieladder").select_option(label="Meebeslissen")
    form.get_by_label("Reden van de inschatting").fill("Formaliseermoment: realisatieprogramma")
    form.get_by_role("button", name="Inschatting vastleggen").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "De nieuwe inschatting is vastgelegd." in main
    assert "Formaliseermoment: realisatieprogramma" in main
    assert "U beslist mee" in main  # the promise of the new level

    site.goto("/programmas/beter-benutten/stakeholders/")
    svg = site.locator("svg.bp-grid").first
    assert svg.locator("polyline.bp-grid__path").count() == 1
    name = svg.locator(f'a[href="{stakeholder.get_absolute_url()}"] > title').text_content()
    assert "4/2" in name and "5/4" in name
    row = site.locator(f'tr[data-stakeholder="{stakeholder.pk}"]').inner_text()
    assert "4/2" in row and "5/4" in row and "Meebeslissen" in row


@WIDTHS
def test_the_dashboard_shows_a_replanned_milestone_with_its_original_date(
    site, transactional_db, width
):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = beter_benutten()
    pilot = make_pilot(
        programme,
        team,
        title="Spitsmijden Brabant",
        milestones=[("Eerste deelnemers", datetime.date(2027, 6, 1))],
    )
    projects.milestone_update(
        actor=team,
        milestone=pilot.milestones.get(),
        current=datetime.date(2027, 11, 1),
        reason="Aanbesteding later",
    )
    projects.progress_report_create(
        actor=pilot.planner, pilot=pilot, status="op_koers", reason="Volgens planning"
    )
    login(site, team.email, PASSWORD)
    site.goto("/programmas/beter-benutten/dashboard/")
    row = site.locator("tr[data-milestone]").inner_text()
    assert "1 juni 2027" in row and "1 november 2027" in row and "Aanbesteding later" in row
    status = site.locator(f'tr[data-pilot="{pilot.pk}"]').inner_text()
    assert "volgens de herplanning, niet volgens het oorspronkelijke plan" in status
    # A mark of the chart leads to the pilot behind it (by mouse and by keyboard).
    mark = site.locator("svg a", has_text="Spitsmijden Brabant: Eerste").first
    with site.page.expect_navigation():
        mark.locator("circle.bp-chart__current").click()
    site.check()
    assert site.locator("h1").inner_text() == "Spitsmijden Brabant"
    site.page.go_back()
    mark.focus()
    with site.page.expect_navigation():
        site.keyboard.press("Enter")
    site.check()
    assert site.locator("h1").inner_text() == "Spitsmijden Brabant"
