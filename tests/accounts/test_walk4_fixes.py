"""Fresh-eyes walk 4: logging in lands on Mijn Bouwplaats (or a safe ``next``); "Heeft u"."""

import pytest
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _log_in(client, email, query=""):
    return client.post(f"/account/login/{query}", {"login": email, "password": PASSWORD})


def test_logging_in_lands_on_mijn_bouwplaats(client):
    member = UserFactory(email="esther@example.nl")
    response = _log_in(client, member.email)
    assert response.status_code == 302 and response["Location"] == "/mijn-bouwplaats/"
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "target, landing",
    [
        ("/sessies/", "/sessies/"),
        ("https://evil.example/", "/mijn-bouwplaats/"),
        ("//evil.example/", "/mijn-bouwplaats/"),
    ],
)
def test_a_safe_next_wins_and_an_unsafe_one_is_ignored(client, target, landing):
    member = UserFactory(email="esther@example.nl")
    response = client.post(
        "/account/login/", {"login": member.email, "password": PASSWORD, "next": target}
    )
    assert response.status_code == 302 and response["Location"] == landing


def test_confirming_the_address_logs_in_on_mijn_bouwplaats(client):
    client.post(
        "/account/signup/",
        {
            "email": "anna@example.nl",
            "full_name": "Anna de Vries",
            "function": "Omgevingsmanager",
            "organisation": "Gemeente Ede",
            "organisation_kind": "gemeente",
            "password1": "Koffertje-na-2017!",
            "password2": "Koffertje-na-2017!",
        },
    )
    link = next(w for w in mail.outbox[-1].body.split() if "/account/confirm-email/" in w)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/mijn-bouwplaats/"


def test_the_login_page_says_heeft_u(client):
    page = client.get("/account/login/").text
    assert "Heeft u nog geen account?" in page and "Hebt u" not in page
    assert "Heeft u al een account?" in client.get("/account/signup/").text
