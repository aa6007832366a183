"""Calls and pilots in the browser (axe on every page, desktop and 390 px phone): the programme
team writes a rolling call with review rounds and publishes it; a pilot team asks for support,
the programme team answers, and the pilot is evaluated with a way on to record a lesson."""

import datetime
import re

import pytest
from django.utils import timezone

from bouwplaats.projects.models import Call, PilotEvaluation, SupportRequest
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.projects.helpers import answers_for, make_call

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


def log_out(site):
    # At phone width the log-out button sits in the collapsed menu: end the session instead.
    site.context.clear_cookies()


def programme_with_team():
    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Petra Programmateam", email="petra@platform31.example"),
    ).user
    return programme, team


@WIDTHS
def test_team_writes_a_rolling_call_with_rounds_and_publishes_it(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme, team = programme_with_team()
    login(site, team.email, PASSWORD)
    site.goto("/oproepen/")
    site.get_by_role("link", name="Nieuwe oproep").click()
    site.check()
    today = timezone.localdate()
    site.get_by_label("Titel").fill("Meedoen met uw project?")
    site.get_by_label("Tekst").fill(
        "Deelname aan het programma levert u nieuwe kennis, ervaring en een verbreding van uw "
        "netwerk op."
    )
    site.get_by_label("Open vanaf").fill(today.isoformat())
    site.get_by_label("Doorlopende aanmelding").check()
    site.get_by_label("Gemeente", exact=True).check()
    site.get_by_label("Marktpartij").check()
    site.get_by_label(re.compile("^Vragen")).fill(
        "Wat wilt u versnellen, opschalen of verbeteren?\n(optioneel) Welke begeleiding zoekt u?"
    )
    site.get_by_label(re.compile("^Beoordelingscriteria")).fill("Versnellen | 3\nLeerwaarde | 2")
    # A round on a line without a date: the page says which line, and stores nothing.
    site.get_by_label(re.compile("^Beoordelingsrondes")).fill("Voorjaarsronde")
    site.get_by_role("button", name="Oproep opslaan").click()
    site.check()
    assert "Regel 1" in site.locator("main").inner_text()
    assert not Call.objects.exists()
    spring = today + datetime.timedelta(days=60)
    site.get_by_label(re.compile("^Beoordelingsrondes")).fill(f"Voorjaarsronde | {spring:%d-%m-%Y}")
    site.get_by_role("button", name="Oproep opslaan").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "Concept: alleen het programmateam ziet deze oproep." in main
    assert "Voorjaarsronde: aanmeldingen tot en met" in main

    site.get_by_role("link", name="Oproep wijzigen").click()
    site.check()
    site.get_by_label("Gepubliceerd").check()
    site.get_by_role("button", name="Oproep opslaan").click()
    site.check()
    assert "De oproep is bijgewerkt." in site.locator("main").inner_text()
    call = Call.objects.get()
    assert call.published and call.rolling and call.rounds.count() == 1
    log_out(site)
    site.goto("/oproepen/")
    assert "Meedoen met uw project?" in site.locator("main").inner_text()


@WIDTHS
def test_pilot_team_asks_for_support_team_answers_and_the_pilot_is_evaluated(
    site, transactional_db, width
):
    from bouwplaats.projects import services

    site.set_viewport_size({"width": width, "height": 900})
    programme, team = programme_with_team()
    planner = PlannerFactory(
        full_name="Jan Pluim",
        email="jan@deventer.example",
        organisation=OrganisationFactory(name="Gemeente Deventer", kind="gemeente"),
    )
    call = make_call(programme)
    submission = services.submission_create(
        actor=planner, call=call, organisation=planner.organisation,
        title="Transformatie Havenkwartier", answers=answers_for(call),
    )  # fmt: skip
    for status in ("in_behandeling", "toegelaten"):
        services.submission_set_status(
            actor=team, submission=submission, status=status, reason="Past goed"
        )
    pilot = submission.pilot

    login(site, planner.email, PASSWORD)
    site.goto(pilot.get_absolute_url())
    site.get_by_text("Om ondersteuning vragen").click()
    site.get_by_label("Soort ondersteuning").select_option(label="Bemiddeling richting ministeries")
    site.get_by_label("Uw vraag").fill("Wij zoeken contact met BZK over tijdelijke woningen.")
    site.get_by_role("button", name="Hulpvraag versturen").click()
    site.check()
    assert "Uw hulpvraag is verstuurd" in site.locator("main").inner_text()
    support = SupportRequest.objects.get()
    log_out(site)

    login(site, team.email, PASSWORD)
    site.goto(pilot.get_absolute_url())
    item = site.locator(f'[data-support="{support.pk}"]')
    item.get_by_text("Hulpvraag beantwoorden").click()
    item.get_by_label("Status").select_option(label="Beantwoord")
    item.get_by_label(re.compile("^Antwoord")).fill(
        "De programmadirecteur brengt u in contact met de directie Woningbouw."
    )
    item.get_by_role("button", name="Opslaan").click()
    site.check()
    assert "directie Woningbouw" in site.locator('[data-status="beantwoord"]').inner_text()

    site.get_by_text("Evaluatie schrijven").click()
    site.get_by_label("Uitkomst").select_option(label="Doelen deels gehaald")
    site.get_by_label("Wat heeft de pilot opgeleverd").fill("Tweehonderd woningen.")
    site.get_by_label(re.compile("^Wat zou u anders doen")).fill(
        "Eerder met de omgevingsdienst om tafel."
    )
    site.get_by_role("button", name="Evaluatie opslaan").click()
    site.check()
    assert PilotEvaluation.objects.get().outcome == "deels"
    evaluation = site.locator("#evaluation").locator("xpath=..").inner_text()
    assert "Doelen deels gehaald" in evaluation and "omgevingsdienst" in evaluation
    link = site.get_by_role("link", name="Les vastleggen voor de kennisbank")
    assert link.get_attribute("href") == f"/kennis/les/nieuw/?pilot={pilot.pk}"

    # The programme page carries the other apps' sections (sessions, nieuwsflits, ...).
    site.goto(programme.get_absolute_url())
    assert "Komende sessies" in site.locator("main").inner_text()
