"""Issue 15 §10: account mails are Dutch and carry the platform's name, never the host name."""

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory


@pytest.mark.parametrize("language", ["nl", "en"])
def test_verification_mail_is_dutch_and_names_bouwplaats(client, db, language):
    client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.nl",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nina Nieuw",
            "organisation_kind": "gemeente",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    (message,) = mail.outbox
    assert message.body.startswith("Goedendag,")
    assert "account op Bouwplaats" in message.body
    assert "Met vriendelijke groet,\nBouwplaats" in message.body
    assert "Hallo van" not in message.body and "Hello" not in message.body
    assert " je " not in message.body
    assert message.subject.startswith("[Bouwplaats] ")
    assert "Bevestig" in message.subject or "bevestig" in message.subject


def test_password_reset_mail_is_dutch_and_names_bouwplaats(client, db, settings):
    settings.SITE_URL = "https://bouwplaats.example.nl"
    member = UserFactory(email="anna@example.nl")
    client.post(
        reverse("account_reset_password"), {"email": member.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    (message,) = mail.outbox
    assert message.body.startswith("Goedendag,")
    assert "nieuw wachtwoord heeft gevraagd voor uw account op Bouwplaats" in message.body
    assert message.body.rstrip().endswith("Bouwplaats\nhttps://bouwplaats.example.nl")
    assert "127.0.0.1" not in message.body and "Hallo van" not in message.body
    assert " je " not in message.body
