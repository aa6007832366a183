"""Fresh-eyes walk 4 in the browser (axe on every page, desktop and phone width): the session
space says only what applies, the home page leads residents to their street, the personal
calendar offers a subscribe link and a copy button, and asking a question shows the likely
duplicates right under the title and explains the formatting in plain Dutch."""

import re

import pytest

from bouwplaats.knowledge import services as knowledge_services
from tests.factories import PASSWORD, SessionFactory, UserFactory

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
EARLIER = "Hoe kun je transitieopgaven effectief oppakken zonder formele macht?"


def on_screen(site, locator, width):
    box = locator.bounding_box()
    viewport = site.page.viewport_size
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box


@WIDTHS
def test_the_session_space_says_what_is_left_to_do(site, db, width):
    site.set_viewport_size({"width": width, "height": 900})
    session = SessionFactory(title="Programmamanagers: door ná 2017")
    member = UserFactory(email="esther@example.nl")

    site.goto(session.get_absolute_url())
    comments = site.locator("#reacties")
    assert "moet u inloggen en zich aanmelden voor deze bouwsessie" in comments.inner_text()
    assert comments.get_by_role("link", name="Inloggen").count() == 1

    login(site, member.email, PASSWORD)
    site.goto(session.get_absolute_url())
    for section, noun in (("#reacties", "reacties"), ("#documenten", "documenten")):
        text = site.locator(section).inner_text()
        assert f"Meld u aan voor deze bouwsessie om {noun} te bekijken of te plaatsen." in text
        assert "inloggen" not in text.lower()
        assert site.locator(section).get_by_role("link", name="Inloggen").count() == 0
    site.locator("#reacties").get_by_role("link", name="Aanmelden voor deze sessie").click()
    site.check()
    assert site.page.url.endswith(session.get_absolute_url() + "#aanmelden")


@WIDTHS
def test_residents_find_their_street_from_the_home_page(site, db, width):
    site.set_viewport_size({"width": width, "height": 800})
    site.goto("/")
    link = site.get_by_role("link", name="Wat gebeurt er in mijn straat?")
    on_screen(site, link, width)  # in the first screen, also on a phone
    link.click()
    site.check()
    assert site.page.url.endswith("/werk-met-werk/in-uw-straat/")


@WIDTHS
def test_the_personal_calendar_can_be_subscribed_to_and_copied(site, db, width):
    site.set_viewport_size({"width": width, "height": 900})
    site.context.grant_permissions(["clipboard-read", "clipboard-write"])
    member = UserFactory(email="esther@example.nl")
    login(site, member.email, PASSWORD)
    site.goto("/mijn-bouwplaats/#agenda")
    site.get_by_role("button", name="Agenda-adres maken").click()
    site.check()
    member.refresh_from_db()
    subscribe = site.get_by_role("link", name="Abonneer u in uw agenda-app")
    href = subscribe.get_attribute("href")
    assert href.startswith("webcal://") and href.endswith(f"/agenda/{member.calendar_token}.ics")
    address = site.locator("#feed-url")
    address.scroll_into_view_if_needed()
    on_screen(site, address, width)  # the whole address, wrapped on a phone, none cut off
    assert address.inner_text().endswith(f"/mijn-bouwplaats/agenda/{member.calendar_token}.ics")
    copy = site.get_by_role("button", name="Kopieer het adres")
    copy.click()
    site.get_by_role("status").filter(has_text="Het adres is gekopieerd.").wait_for()
    assert site.page.evaluate("navigator.clipboard.readText()") == address.inner_text()
    site.check()


def test_without_script_no_dead_copy_button(browser, live_server, db):
    member = UserFactory(email="esther@example.nl")
    member.calendar_token = "abc123"
    member.save(update_fields=["calendar_token"])
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/account/login/")
    page.get_by_label(re.compile("E-mailadres")).fill(member.email)
    page.get_by_label(re.compile("^Wachtwoord")).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Inloggen")).click()
    page.goto(live_server.url + "/mijn-bouwplaats/")
    assert page.get_by_role("link", name="Abonneer u in uw agenda-app").count() == 1
    assert page.get_by_role("button", name="Kopieer het adres").count() == 0
    context.close()


@WIDTHS
def test_asking_shows_duplicates_under_the_title_and_plain_formatting_help(site, db, width):
    site.set_viewport_size({"width": width, "height": 800})
    asker = UserFactory(email="anna@example.nl")
    knowledge_services.question_create(
        actor=UserFactory(), title=EARLIER, programme=None, themes=[]
    )
    login(site, asker.email, PASSWORD)
    site.goto("/kennis/vragen/nieuw/")
    title = site.get_by_label("Uw vraag")
    title.press_sequentially("Transitieopgave zonder formele macht", delay=5)
    similar = site.locator("#similar-questions")
    similar.get_by_role("link", name=EARLIER).wait_for()
    site.check()
    # Right under the title (before the text and the themes), in sight while typing.
    on_screen(site, similar.get_by_role("link", name=EARLIER), width)
    title_box, similar_box = title.bounding_box(), similar.bounding_box()
    body_box = site.get_by_label(re.compile("^Toelichting")).bounding_box()
    assert title_box["y"] < similar_box["y"] < body_box["y"]

    # The text field says in Dutch what it takes, and shows how.
    form = site.locator("main form")
    assert "U kunt **vet**, *cursief*, lijstjes en links gebruiken." in form.inner_text()
    assert "Markdown" not in form.inner_text()
    site.get_by_text("Zo maakt u tekst op").click()
    assert site.get_by_text("wordt een link met die tekst").is_visible()
    site.check()


@WIDTHS
def test_my_submissions_show_every_column_on_a_phone(site, db, width):
    from bouwplaats.projects import services as project_services
    from tests.factories import OrganisationFactory, PlannerFactory, ProgrammeFactory
    from tests.projects.helpers import GEMEENTE, answers_for, make_call

    site.set_viewport_size({"width": width, "height": 900})
    call = make_call(ProgrammeFactory())
    planner = PlannerFactory(
        organisation=OrganisationFactory(name="Gemeente Deventer", kind=GEMEENTE)
    )
    project_services.submission_create(
        actor=planner, call=call, organisation=planner.organisation,
        title="Transformatie Havenkwartier", answers=answers_for(call), submit=False,
    )  # fmt: skip
    login(site, planner.email, PASSWORD)
    site.goto("/mijn-bouwplaats/")
    section = site.locator('[data-section="submissions"]')
    # "Aanmelding" names the session sign-ups; here the column is the project.
    assert section.get_by_role("columnheader", name="Project").count() == 1
    for text in ("Transformatie Havenkwartier", call.title, "Gemeente Deventer", "Concept"):
        cell = section.get_by_role("cell").filter(has_text=text).first
        cell.scroll_into_view_if_needed()
        on_screen(site, cell, width)  # no column cut off at 390 px
    site.check()
