import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from bouwplaats.accounts.models import ApiToken, User
from bouwplaats.programmes.models import Programme, ProgrammeMembership

pytestmark = pytest.mark.django_db


def _counts():
    return (User.objects.count(), Programme.objects.count(), ProgrammeMembership.objects.count())


def test_load_demo_is_idempotent_and_has_the_seed_programmes(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    names = set(Programme.objects.values_list("name", flat=True))
    assert {
        "Beter Benutten",
        "Leerplatform MIRT",
        "Intensiveringsprogramma Binnenstedelijke Gebiedstransformaties",
        "Beheer openbare ruimte",
        "Coöperatief programmamanagement",
    } <= names
    esther = User.objects.get(full_name="Esther de Lange")
    assert esther.function == "Programmamanager Goedopweg"
    assert esther.organisation.name == "Rijkswaterstaat"
    items = Client().get("/api/v1/programmes").json()["items"]
    assert "Beter Benutten" in [p["name"] for p in items]


def test_demo_member_can_log_in(client):
    call_command("load_demo")
    from bouwplaats.accounts.demo import DEMO_PASSWORD

    response = client.post(
        "/account/login/", {"login": "jaco.pieper@demo.bouwplaats.nl", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302


def test_create_api_token_prints_a_working_token(capsys):
    call_command("create_api_token", "netbeheer@example.nl", "--create-user", "--staff")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    user = User.objects.get(email="netbeheer@example.nl")
    assert user.is_staff and user.is_superuser
    assert ApiToken.objects.get(user=user).key_hash == ApiToken.hash_key(key)
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.json()["email"] == "netbeheer@example.nl"


def test_create_api_token_refuses_unknown_member_without_create_user():
    with pytest.raises(CommandError, match="--create-user"):
        call_command("create_api_token", "onbekend@example.nl")
    assert not User.objects.filter(email="onbekend@example.nl").exists()
