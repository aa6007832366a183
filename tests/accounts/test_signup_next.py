"""Issue 15 §7: a visitor who signs up from a session and confirms the mail lands back there."""

import re

from django.core import mail
from django.urls import reverse

from bouwplaats.accounts.models import User
from tests.factories import PASSWORD, SessionFactory


def _link(message) -> str:
    return re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+)", message.body).group(1)


def test_signup_from_a_session_lands_back_on_it_logged_in(client, programme):
    session = SessionFactory(programme=programme)
    back = session.get_absolute_url()
    page = client.get(back).content.decode()
    login_url = f"{reverse('account_login')}?next={back.replace('/', '%2F')}"
    assert login_url in page
    login_page = client.get(login_url).content.decode()
    # The way to sign up keeps the way back.
    assert f"{reverse('account_signup')}?next={back.replace('/', '%2F')}" in login_page
    response = client.post(
        f"{reverse('account_signup')}?next={back}",
        {
            "email": "nieuw@example.nl",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nina Nieuw",
            "function": "Beleidsmedewerker",
            "organisation": "Gemeente Ede",
            "organisation_kind": "gemeente",
            "next": back,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (message,) = mail.outbox
    confirm = client.post(_link(message))
    assert confirm.status_code == 302
    assert confirm["Location"] == back
    page = client.get(back)
    assert page.wsgi_request.user == User.objects.get(email="nieuw@example.nl")
    assert "Ja, ik praat mee" in page.content.decode()
    assert 'action="' + reverse("events:register", args=[session.pk]) + '"' in page.content.decode()


def test_a_next_to_another_site_is_not_followed(client, programme):
    client.post(
        f"{reverse('account_signup')}?next=https://evil.example/",
        {
            "email": "nieuw@example.nl",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nina Nieuw",
            "organisation_kind": "gemeente",
            "next": "https://evil.example/",
        },
    )
    (message,) = mail.outbox
    confirm = client.post(_link(message))
    assert "evil.example" not in confirm["Location"]
