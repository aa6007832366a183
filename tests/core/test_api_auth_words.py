"""The API's 401 refusals (bouwplaats.accounts.auth) go through the translation catalogue and
keep their shape: ``{"detail": <message>}``."""

import pytest
from django.test import Client

from bouwplaats.accounts import auth

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(monkeypatch):
    """Every message auth.py translates comes back marked, as another language would."""
    monkeypatch.setattr(auth, "_", lambda text: f"[vertaald] {text}")


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Basic abc", "Ongeldige Authorization-header: gebruik 'Bearer <sleutel>'."),
        ("Bearer ", "Ongeldige Authorization-header: gebruik 'Bearer <sleutel>'."),
        ("Bearer bp_nope", "Ongeldige of ingetrokken API-sleutel."),
    ],
)
def test_a_refused_key_is_said_through_the_catalogue(translated, header, detail):
    response = Client().get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json() == {"detail": f"[vertaald] {detail}"}
