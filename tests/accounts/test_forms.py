"""Bad input on every accounts form shows a Dutch error next to the field."""

import re

import pytest
from django.core import mail

from bouwplaats.accounts.models import ApiToken, User

pytestmark = pytest.mark.django_db


def field_errors(html: str, field: str) -> list[str]:
    """Return the error texts rendered for ``field`` (allauth and our own forms)."""
    match = re.search(
        rf'<ul class="(?:errorlist|bp-field-errors)" id="id_{field}_error[s]?">(.*?)</ul>',
        html,
        re.S,
    )
    return re.findall(r"<li>(.*?)</li>", match.group(1)) if match else []


def signup(client, **overrides):
    data = {
        "email": "nieuw@example.nl",
        "full_name": "Nieuw Lid",
        "function": "Adviseur",
        "organisation": "Gemeente Ede",
        "password1": "Koffertje-na-2017!",
        "password2": "Koffertje-na-2017!",
    }
    data.update(overrides)
    return client.post("/account/signup/", data)


def test_signup_works_and_sends_confirmation(client, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # production's
    response = signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="nieuw@example.nl")
    assert user.full_name == "Nieuw Lid" and user.organisation.name == "Gemeente Ede"
    assert user.password.startswith("argon2")
    assert len(mail.outbox) == 1
    assert "/account/confirm-email/" in mail.outbox[0].body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Dit veld is verplicht."),
        ({"email": "geen-adres"}, "email", "Voer een geldig e-mailadres in."),
        ({"full_name": ""}, "full_name", "Dit veld is verplicht."),
        ({"full_name": "x" * 151}, "full_name", "niet meer dan 150 tekens"),
        ({"function": "x" * 151}, "function", "niet meer dan 150 tekens"),
        ({"password1": "12345678", "password2": "12345678"}, "password1", "te algemeen"),
        ({"password1": "kort", "password2": "kort"}, "password1", "te kort"),
        ({"password2": "iets-anders-2017!"}, "password2", "hetzelfde"),
    ],
)
def test_signup_bad_input_shows_dutch_error_next_to_field(client, overrides, field, message):
    response = signup(client, **overrides)
    assert response.status_code == 200
    errors = " ".join(field_errors(response.content.decode(), field))
    assert message in errors, errors
    assert not User.objects.filter(email="nieuw@example.nl").exists()
    assert mail.outbox == []


def test_signup_with_taken_address(client, member):
    response = signup(client, email=member.email)
    assert response.status_code in (200, 302)
    assert User.objects.filter(email=member.email).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Dit veld is verplicht."),
        ({"full_name": "x" * 151}, "full_name", "niet meer dan 150 tekens"),
        ({"organisation": "x" * 201}, "organisation", "niet meer dan 200 tekens"),
        ({"organisation_kind": "planeet"}, "organisation_kind", "Selecteer een geldige keuze"),
    ],
)
def test_profile_bad_input(client, member, data, field, message):
    client.force_login(member)
    payload = {
        "full_name": "Esther",
        "function": "",
        "organisation": "",
        "organisation_kind": "anders",
    }
    payload.update(data)
    response = client.post("/profiel/", payload)
    assert response.status_code == 200
    assert message in " ".join(field_errors(response.content.decode(), field))
    member.refresh_from_db()
    assert member.full_name == "Esther de Lange"


def test_profile_update(client, member):
    client.force_login(member)
    response = client.post(
        "/profiel/",
        {"full_name": "Esther de Lange", "function": "Trekker", "organisation": "Provincie Utrecht",
         "organisation_kind": "provincie"},
    )  # fmt: skip
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.function == "Trekker"
    assert member.organisation.name == "Provincie Utrecht"
    assert member.organisation.kind == "provincie"


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Geef de sleutel een naam."), ("x" * 101, "niet meer dan 100 tekens")],
)
def test_token_form_bad_input(client, member, name, message):
    client.force_login(member)
    response = client.post("/profiel/sleutels/", {"name": name})
    assert response.status_code == 200
    assert message in " ".join(field_errors(response.content.decode(), "name"))
    assert ApiToken.objects.count() == 0


def test_login_with_wrong_password_shows_dutch_error(client, member):
    response = client.post("/account/login/", {"login": member.email, "password": "fout"})
    assert response.status_code == 200
    assert "Het e-mailadres of het wachtwoord dat u opgaf klopt niet." in response.content.decode()


def test_login_is_rate_limited(client, member, password):
    for _ in range(5):
        client.post("/account/login/", {"login": member.email, "password": "fout"})
    response = client.post("/account/login/", {"login": member.email, "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    # How long, and the way out, are shown (tests/accounts/test_login_lockout.py).
    assert "Te veel mislukte inlogpogingen. Probeer het over" in response.content.decode()


def test_password_reset_sends_mail(client, member):
    response = client.post("/account/password/reset/", {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/account/password/reset/key/" in mail.outbox[0].body
