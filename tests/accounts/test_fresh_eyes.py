"""Stumbles of a fresh-eyes walk of the account pages: the API key and how to use it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_openapi_declares_the_bearer_scheme_on_the_operations(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert list(schemes.values()) == [
        {
            "type": "http",
            "scheme": "bearer",
            "description": schemes["BearerOrVisitor"]["description"],
        }
    ]
    assert "Authorization: Bearer" in schemes["BearerOrVisitor"]["description"]
    operation = schema["paths"]["/api/v1/sessions"]["get"]
    assert operation["security"] == [{"BearerOrVisitor": []}]


def test_visitors_still_read_and_a_bad_key_is_still_refused(api, client, programme):
    assert api().get("/programmes").status_code == 200
    assert api().get("/sessions").status_code == 200
    response = client.get("/api/v1/programmes", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401
    response = client.get("/api/v1/programmes", HTTP_AUTHORIZATION="Bearer nietbestaand")
    assert response.status_code == 401


def test_token_page_says_how_to_send_the_key_and_links_the_docs(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:tokens")).text
    assert "<code>Authorization: Bearer &lt;sleutel&gt;</code>" in page
    assert 'href="/api/v1/docs"' in page


# --- Wording of the sign-up (allauth's Dutch, in our catalogue accounts/allauth_u) ----------------


def _sign_up(client):
    from django.core import mail

    from tests.factories import PASSWORD

    response = client.post(
        reverse("account_signup"),
        {
            "email": "nieuw@example.nl",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "full_name": "Nina Nieuw",
            "function": "Beleidsmedewerker",
            "organisation": "Gemeente Ede",
            "organisation_kind": "gemeente",
        },
        follow=True,
    )
    (message,) = mail.outbox
    return response, message


def test_sign_up_says_bevestigingsmail_verzonden_naar(client):
    response, _message = _sign_up(client)
    page = response.content.decode()
    assert "Bevestigingsmail verzonden naar nieuw@example.nl." in page
    assert "Bevestigings e-mail" not in page


def test_confirm_page_asks_in_plain_words(client):
    import re

    _response, message = _sign_up(client)
    link = re.search(r"https?://[^/\s]+(/account/confirm-email/[^\s]+)", message.body).group(1)
    page = client.get(link).content.decode()
    assert "het e-mailadres van Nina Nieuw? Bevestig het hieronder" in page
    assert "een e-mailadres is voor gebruiker" not in page
