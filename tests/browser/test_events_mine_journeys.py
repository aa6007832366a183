"""Issue 15 §7 and §5 in the browser (axe on every page, desktop and 390 px phone)."""

import re

import pytest
from django.core import mail

from bouwplaats.events.models import Registration
from tests.factories import (
    PASSWORD,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    UserFactory,
)

from .conftest import login

WIDTHS = pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])


@WIDTHS
def test_visitor_signs_up_from_a_session_and_lands_back_on_it(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    session = SessionFactory(programme=programme, title="Programmamanagers: door ná 2017")
    site.goto(session.get_absolute_url())
    site.get_by_role("link", name="Ja, ik praat mee").click()
    site.check()
    site.get_by_role(
        "link", name=re.compile("Maak een account|Registreer|account aan", re.I)
    ).first.click()
    site.check()
    site.get_by_label(re.compile("E-mailadres")).fill("nina@example.nl")
    site.get_by_label(re.compile("^Naam")).fill("Nina Nieuw")
    site.get_by_label(re.compile(r"^Wachtwoord:?$")).fill(PASSWORD)
    site.get_by_label(re.compile(r"^Wachtwoord \(bevestigen\)")).fill(PASSWORD)
    site.get_by_role("button", name="Registreren").click()
    site.check()
    (message,) = mail.outbox
    assert message.body.startswith("Goedendag,") and "Bouwplaats" in message.body
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", message.body).group(0)
    site.page.goto(link)
    site.check()
    site.get_by_role("button", name="Bevestigen").click()
    site.check()
    # Back on the session, logged in, with the button in reach.
    assert site.page.url.endswith(session.get_absolute_url())
    site.get_by_role("button", name="Ja, ik praat mee").click()
    site.check()
    assert Registration.objects.get(member__email="nina@example.nl").status == "confirmed"


@WIDTHS
def test_mijn_bouwplaats_shows_a_pending_approval_to_the_host(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    host = UserFactory(full_name="Jaco Pieper", email="jaco@example.nl")
    session = SessionFactory(
        programme=programme, host=host, title="Koffertjes vullen", requires_approval=True,
        capacity=1,
    )  # fmt: skip
    RegistrationFactory(session=session, status="confirmed")
    RegistrationFactory(
        session=session, status="pending", member=UserFactory(full_name="Anna Wacht")
    )
    login(site, host.email, PASSWORD)
    site.goto("/mijn-bouwplaats/")
    assert site.get_by_role("heading", name="Wacht op u").count() == 1
    site.get_by_role("link", name="Beoordeel de aanmelding van Anna Wacht").click()
    site.check()
    site.get_by_role("button", name="Goedkeuren: Anna Wacht").click()
    site.check()
    # The session was full: the page says where Anna went.
    assert "Anna Wacht staat nu op de wachtlijst" in site.content()
    site.goto("/mijn-bouwplaats/")
    assert "Er wacht niets op u." in site.content()
    site.get_by_role("button", name="Agenda-adres maken").click()
    site.check()
    assert "/mijn-bouwplaats/agenda/" in site.locator("#feed-url").inner_text()
