"""A rate-limited page (allauth's 429, also while Redis is down) is the site's own Dutch page."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_earlier_attempts():
    cache.clear()  # allauth counts attempts in the cache


@override_settings(ACCOUNT_RATE_LIMITS={"login": "2/m/ip"})
def test_login_over_the_limit_answers_a_dutch_429_page(client):
    url = reverse("account_login")
    attempt = {"login": "iemand@example.nl", "password": "fout"}
    for _ in range(2):
        assert client.post(url, attempt).status_code == 200
    response = client.post(url, attempt)
    assert response.status_code == 429
    html = response.content.decode()
    assert "<title>Te veel verzoeken" in html
    assert "<h1>Te veel verzoeken</h1>" in html
    assert "Wacht een paar minuten en probeer het dan opnieuw." in html
    assert '<html lang="nl"' in html
    assert "Too Many Requests" not in html and "too many requests" not in html
