"""allauth's account mails go through core.mail: IDNA domains, one-line headers."""

from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory


def test_password_reset_to_an_idn_address_goes_to_its_punycode_form(client, db):
    member = UserFactory(email="anna@coöperatie-ede.nl")
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.recipients() == ["anna@xn--coperatie-ede-jmb.nl"]
    raw = message.message().as_bytes()
    assert b"xn--coperatie-ede-jmb.nl" in raw
    assert "/account/password/reset/key/" in message.body


def test_sign_up_verification_mail_still_arrives_with_a_one_line_subject(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw.lid@example.nl",
            "password1": "Een-lang-wachtwoord-2026",
            "password2": "Een-lang-wachtwoord-2026",
            "full_name": "Nieuw Lid",
        },
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["nieuw.lid@example.nl"]
    assert "\n" not in message.subject
    assert "/account/confirm-email/" in message.body
