"""Issue 15 §1 in the browser: a host edits a two-day congress and only what they touch changes."""

import datetime

import pytest
from django.core import mail

from tests.factories import PASSWORD, RegistrationFactory, SessionFactory, UserFactory

from .conftest import login

SUMMER = datetime.timezone(datetime.timedelta(hours=2))


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_host_edits_only_the_location_of_a_two_day_congress(site, transactional_db, width):
    site.set_viewport_size({"width": width, "height": 900})
    host = UserFactory(full_name="Diana Kool", email="diana@example.nl")
    session = SessionFactory(
        title="Congres verankering",
        type="congres",
        host=host,
        location="Utrecht",
        start=datetime.datetime(2027, 6, 10, 9, 0, tzinfo=SUMMER),
        end=datetime.datetime(2027, 6, 11, 17, 0, tzinfo=SUMMER),
    )
    participant = RegistrationFactory(session=session).member
    before = (session.start, session.end, session.title, session.intro, session.capacity)

    login(site, host.email, PASSWORD)
    site.goto(f"/sessies/{session.pk}/wijzigen/")
    # The browser's date inputs show the stored days (ISO values), both of them.
    assert site.get_by_label("Begindatum").input_value() == "2027-06-10"
    assert site.get_by_label("Begintijd").input_value() == "09:00"
    assert site.get_by_label("Einddatum").input_value() == "2027-06-11"
    assert site.get_by_label("Eindtijd").input_value() == "17:00"
    site.get_by_label("Locatie").fill("Den Haag")
    mail.outbox.clear()
    site.locator("main form").get_by_role("button", name="Wijzigingen opslaan").click()
    site.check()
    assert "De sessie is bijgewerkt." in site.content()

    session.refresh_from_db()
    assert session.location == "Den Haag"
    assert (session.start, session.end, session.title, session.intro, session.capacity) == before
    assert list(session.changes.values_list("field", flat=True)) == ["location"]
    [message] = [m for m in mail.outbox if m.to == [participant.email]]
    assert "Locatie: Utrecht → Den Haag" in message.body
    assert "Begint" not in message.body and "Eindigt" not in message.body

    # Saving again without touching anything records and mails nothing.
    mail.outbox.clear()
    site.goto(f"/sessies/{session.pk}/wijzigen/")
    site.locator("main form").get_by_role("button", name="Wijzigingen opslaan").click()
    site.check()
    assert session.changes.count() == 1 and mail.outbox == []
    site.goto(session.get_absolute_url())
    assert "Den Haag" in site.content()


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_host_cancels_with_a_reason_and_participants_receive_it(site, transactional_db, width):
    # Issue 15 §3: "Sessie annuleren" asks for a reason and a confirmation; the reason is mailed.
    site.set_viewport_size({"width": width, "height": 900})
    host = UserFactory(full_name="Diana Kool", email="diana@example.nl")
    session = SessionFactory(title="Opgaven verbinden", host=host)
    participant = RegistrationFactory(session=session).member

    login(site, host.email, PASSWORD)
    site.goto(f"/sessies/{session.pk}/beheer/")
    site.get_by_role("link", name="Sessie annuleren").click()
    site.check()
    assert "1 aangemelde deelnemers" in site.content()
    # Confirming without a reason is refused beside the field; nothing happens.
    site.get_by_role("button", name="Ja, annuleer de sessie").click()
    site.check()
    session.refresh_from_db()
    assert session.status == "published"
    site.get_by_label("Reden van annulering").fill("De spreker is ziek; we plannen opnieuw.")
    mail.outbox.clear()
    site.get_by_role("button", name="Ja, annuleer de sessie").click()
    site.check()
    session.refresh_from_db()
    assert session.status == "cancelled"
    [message] = [m for m in mail.outbox if m.to == [participant.email]]
    assert "Reden: De spreker is ziek; we plannen opnieuw." in message.body
    site.goto(session.get_absolute_url())
    assert "De spreker is ziek; we plannen opnieuw." in site.content()


def test_trekker_writes_an_issue_after_a_location_only_change(site, transactional_db):
    # Issue 15 §9: after only the location changed, the next issue said "de datum en het
    # programma zijn gewijzigd". The preview now names only the location.
    from django.utils import timezone

    from bouwplaats.events import services
    from bouwplaats.newsletters.models import Issue, NewsletterList
    from tests.factories import MembershipFactory, ProgrammeFactory

    programme = ProgrammeFactory(name="Leerplatform MIRT", slug="leerplatform-mirt")
    newsletter_list = NewsletterList.objects.create(
        programme=programme, name="Nieuwsflits Leerplatform MIRT", slug="nieuwsflits-mirt"
    )
    Issue.objects.create(
        newsletter_list=newsletter_list,
        subject="Nieuwsflits september",
        status=Issue.Status.SENT,
        sent_at=timezone.now() - datetime.timedelta(days=7),
    )
    diana = UserFactory(email="diana@example.nl", full_name="Diana Kool")
    MembershipFactory(programme=programme, user=diana, role="trekker")
    session = SessionFactory(
        programme=programme, title="Opgaven verbinden", host=diana, location="Utrecht"
    )
    services.session_update(session=session, actor=diana, location="Den Haag")

    login(site, diana.email, PASSWORD)
    site.goto(f"/nieuwsflits/{newsletter_list.slug}/")
    site.get_by_role("link", name="Nieuwe nieuwsflits schrijven").click()
    site.check()
    site.get_by_label("Onderwerp").first.fill("Nieuwsflits Leerplatform MIRT - oktober")
    site.get_by_role("button", name="Concept opslaan").click()
    site.check()
    content = site.content()
    assert "Let op: de locatie is gewijzigd sinds de vorige nieuwsbrief" in content
    assert "de datum" not in content and "het programma zijn" not in content
