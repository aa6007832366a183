"""Fresh-eyes walk 4: the registration mails say how to cancel; Mijn Bouwplaats names the
session sign-ups as such (a call's submissions are another thing)."""

import re

from django.test import Client

from bouwplaats.events import mails
from tests.factories import RegistrationFactory, SessionFactory


def test_a_registration_mail_links_to_the_cancel_page(db, member):
    session = SessionFactory()
    registration = RegistrationFactory(session=session, member=member)
    for kind in ("confirmed", "waitlisted", "pending", "promoted", "approved"):
        body = mails.registration_message(registration, kind).body
        assert "Kunt u toch niet? Meld u dan af via deze link:" in body, kind
    body = mails.registration_message(registration, "confirmed").body
    url = re.search(r"Meld u dan af via deze link: (\S+)", body).group(1)
    assert url.endswith(f"/sessies/{session.pk}/afmelden/")
    # The link opens the question "Afmelden voor deze sessie?", it does not cancel by itself.
    client = Client()
    client.force_login(member)
    page = client.get("/" + url.split("://", 1)[1].split("/", 1)[1])
    assert page.status_code == 200
    assert "Afmelden voor deze sessie?" in page.text
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    for kind in ("declined", "cancelled"):
        assert "Meld u dan af" not in mails.registration_message(registration, kind).body


def test_mijn_bouwplaats_names_the_session_sign_ups(client, member):
    client.force_login(member)
    page = client.get("/mijn-bouwplaats/").text
    assert ">Mijn aanmeldingen voor sessies</h2>" in page
