"""A locked-out login says how long the lock lasts (from allauth's login_failed rate limit)
and offers the password reset as the way out."""

import pytest
from django.test import override_settings
from django.urls import reverse

from bouwplaats.accounts.adapter import login_lockout_seconds
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_failures():
    """Start from no counted failures (the rate-limit counts live in the cache)."""
    from django.core.cache import cache

    cache.clear()


def _summary(html: str) -> str:
    return html.split("bp-error-summary__list", 1)[1].split("</ul>", 1)[0]


def _fail_until_locked(client, email, tries):
    for _ in range(tries):
        response = client.post(reverse("account_login"), {"login": email, "password": "fout"})
        assert response.status_code == 200
    return client.post(reverse("account_login"), {"login": email, "password": "fout"})


def test_lockout_names_the_wait_and_links_to_the_password_reset(client):
    user = UserFactory(email="iemand@example.nl")
    html = _summary(_fail_until_locked(client, user.email, 5).content.decode())
    assert "Te veel mislukte inlogpogingen. Probeer het over 5 minuten opnieuw" in html
    assert f'<a href="{reverse("account_reset_password")}">Wachtwoord vergeten?</a>' in html
    assert "Too many" not in html and "&lt;a" not in html


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "20/m/ip,2/1h/key"})
def test_the_wait_follows_the_rate_limit_setting(client):
    assert login_lockout_seconds() == 3600
    user = UserFactory(email="ander@example.nl")
    html = _fail_until_locked(client, user.email, 2).content.decode()
    assert "Probeer het over 1 uur opnieuw" in html


@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/90s/key"})
def test_a_wait_in_seconds_is_rounded_up_to_minutes():
    assert login_lockout_seconds() == 90
    from bouwplaats.accounts.adapter import _duration_text

    assert _duration_text(90) == "2 minuten" and _duration_text(60) == "1 minuut"


def test_other_login_errors_stay_allauths(client):
    UserFactory(email="iemand@example.nl")
    html = client.post(
        reverse("account_login"), {"login": "iemand@example.nl", "password": "fout"}
    ).content.decode()
    assert "Te veel mislukte" not in _summary(html)
