"""Issue 15 §8: the session's type in its texts, "u" (never "je"), one Dutch date format."""

import datetime
import re

from django.test import Client
from django.utils import timezone

from bouwplaats.events import mails
from tests.factories import RegistrationFactory, SessionFactory

JE = re.compile(r"\b([Jj]e|[Jj]ij|[Jj]ouw|jezelf)\b")


def test_a_past_webinar_says_webinar_not_bouwsessie(db):
    start = timezone.now() - datetime.timedelta(days=3)
    webinar = SessionFactory(type="webinar", start=start, end=start + datetime.timedelta(hours=1))
    page = Client().get(webinar.get_absolute_url()).text
    assert "Dit webinar is afgelopen." in page  # "het webinar", the usual article
    own = page.split('id="sessieruimte"', 1)[0]
    assert "bouwsessie" not in own.lower().replace(webinar.title.lower(), "")


def test_registration_mails_name_the_type_and_say_u(db):
    for kind in (
        "confirmed",
        "waitlisted",
        "pending",
        "promoted",
        "approved",
        "declined",
        "cancelled",
    ):
        registration = RegistrationFactory(session=SessionFactory(type="cursus"))
        message = mails.registration_message(registration, kind)
        assert not JE.search(message.subject + message.body), (kind, message.body)
    confirmed = RegistrationFactory(session=SessionFactory(type="cursus"))
    assert (
        "U bent aangemeld voor deze cursus."
        in mails.registration_message(confirmed, "confirmed").body
    )


def test_the_session_page_says_u_and_one_date_format(client, member):
    session = SessionFactory(
        type="congres",
        criteria=["U bent programmamanager van een regio"],
        start=datetime.datetime(2027, 6, 10, 9, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2027, 6, 11, 15, 0, tzinfo=datetime.UTC),
        registration_deadline=datetime.datetime(2027, 6, 1, 12, 0, tzinfo=datetime.UTC),
        capacity=1,
    )
    RegistrationFactory(session=session)
    RegistrationFactory(session=session, member=member, status="waitlisted")
    client.force_login(member)
    page = client.get(session.get_absolute_url()).text
    # The session's own part (the session space below is the spaces app's).
    main = page.split("<main", 1)[1].split('id="sessieruimte"', 1)[0]
    text = re.sub(r"<[^>]+>", " ", main)
    assert not JE.search(text), JE.search(text)
    assert "donderdag 10 juni 2027, 11:00" in text and "vrijdag 11 juni 2027, 17:00" in text
    assert "dinsdag 1 juni 2027, 14:00" in text
    assert "U staat op de wachtlijst (plaats 1)" in text
