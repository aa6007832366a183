"""Calls for projects: a municipality submits, the programme team asks for more, the
submitter completes it, the team admits it, and the submitter reads the whole dated history."""

import re

from django.core import mail

from bouwplaats.projects.models import Submission
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    PlannerFactory,
    ProgrammeFactory,
    UserFactory,
)
from tests.projects.helpers import make_call

from .conftest import login


def log_out(site):
    site.get_by_role("button", name="Uitloggen").click()
    site.page.wait_for_load_state("domcontentloaded")


def take_step(site, url, status, reason):
    site.goto(url)
    site.get_by_label("Nieuwe status").select_option(label=status)
    site.get_by_label("Reden").fill(reason)
    site.get_by_role("button", name="Status wijzigen").click()
    site.check()
    assert "De status is gewijzigd" in site.locator("main").inner_text()


def test_submit_incomplete_complete_admit_with_history(site, db):

    programme = ProgrammeFactory(
        name="Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties", slug="ipbg"
    )
    make_call(programme)
    team = MembershipFactory(
        programme=programme,
        user=UserFactory(full_name="Petra Programmateam", email="petra@platform31.example"),
    ).user
    planner = PlannerFactory(
        full_name="Jan Pluim",
        email="jan@deventer.example",
        organisation=OrganisationFactory(name="Gemeente Deventer", kind="gemeente"),
    )

    # The planner finds the open call and submits, first forgetting the required question.
    login(site, planner.email, PASSWORD)
    site.goto("/oproepen/")
    site.get_by_role("link", name="Meedoen met uw project?").click()
    site.check()
    site.get_by_role("link", name="Project aanmelden").click()
    site.check()
    site.get_by_label("Titel van uw project of case").fill("Transformatie Havenkwartier")
    site.get_by_label("Samenvatting").fill("Van bedrijventerrein naar woon-werkwijk.")
    site.get_by_role("button", name="Indienen").click()
    site.check()
    assert "Beantwoord deze verplichte vraag" in site.locator("main").inner_text()
    assert not Submission.objects.exists()
    site.get_by_label(re.compile("Wat wilt u versnellen")).fill("De eerste woningen in 2027.")
    site.get_by_role("button", name="Indienen").click()
    site.check()
    main = site.locator("main").inner_text()
    assert "Uw aanmelding is ingediend" in main and "Status: Ingediend" in main
    submission = Submission.objects.get()
    url = submission.get_absolute_url()
    log_out(site)

    # The programme team finds it incomplete.
    login(site, team.email, PASSWORD)
    take_step(site, url, "Onvolledig", "De begroting ontbreekt.")
    log_out(site)

    # The submitter reads why, completes it within the hersteltermijn and submits it again.
    login(site, planner.email, PASSWORD)
    site.goto(url)
    main = site.locator("main").inner_text()
    assert "Status: Onvolledig" in main and "hersteltermijn" in main
    assert "De begroting ontbreekt." in main and "Petra Programmateam" in main
    site.get_by_role("link", name="Aanvullen").click()
    site.check()
    site.get_by_label("Samenvatting").fill("Met begroting: 12 miljoen euro.")
    site.get_by_role("button", name="Aangevuld indienen").click()
    site.check()
    assert "Status: Ingediend" in site.locator("main").inner_text()
    log_out(site)

    # The team reviews and admits it.
    login(site, team.email, PASSWORD)
    take_step(site, url, "In behandeling", "Volledig; de beoordeling is gestart.")
    take_step(site, url, "Toegelaten", "Past goed bij versnellen en opschalen.")
    log_out(site)

    # The submitter sees the whole dated history.
    login(site, planner.email, PASSWORD)
    site.goto(url)
    items = site.locator("ol.bp-history li").all_inner_texts()
    assert [re.search(r": (\w[\w ]*)\n", item).group(1) for item in items] == [
        "Ingediend",
        "Onvolledig",
        "Ingediend",
        "In behandeling",
        "Toegelaten",
    ]
    assert all(re.match(r"\d{1,2} \w+ 20\d\d \d\d:\d\d", item) for item in items)
    assert "Past goed bij versnellen en opschalen." in items[-1]
    assert site.locator("ol.bp-history time").count() == 5
    assert "Status: Toegelaten" in site.locator("main").inner_text()
    # Every step was mailed to the submitter.
    subjects = [m.subject for m in mail.outbox if m.to == [f"Jan Pluim <{planner.email}>"]]
    assert [s.rsplit(": ", 1)[-1] for s in subjects] == [
        "ingediend", "onvolledig", "ingediend", "in behandeling", "toegelaten",
    ]  # fmt: skip
