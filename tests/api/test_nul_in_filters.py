"""A NUL byte in a filter or a slug list is refused as bad input, never a 500 (PostgreSQL)."""

import pytest

pytestmark = pytest.mark.django_db

NUL = "th\x00ema"


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/api/v1/knowledge", {"theme": NUL}),
        ("/api/v1/questions", {"theme": NUL}),
        ("/api/v1/search", {"q": "bewoners", "theme": NUL}),
        ("/api/v1/search", {"q": "bewoners", "type": NUL}),
    ],
)
def test_a_nul_byte_in_a_filter_is_a_422(client, path, params):
    response = client.get(path, params)
    assert response.status_code == 422, response.content[:300]
    assert "detail" in response.json()


def test_a_nul_byte_in_a_question_theme_is_a_422(client, django_user_model):
    from bouwplaats.accounts.services import api_token_create

    member = django_user_model.objects.create_user(email="vrager@example.nl", password=None)
    _token, key = api_token_create(user=member, name="test")
    response = client.post(
        "/api/v1/questions",
        {"title": "Wie weet hoe het zit?", "body": "", "themes": [NUL]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 422, response.content[:300]
    assert "themes.0" in response.json()["errors"]


@pytest.mark.parametrize(
    "url",
    [
        "/zoeken/?q=bewoners&thema=th%00ema",
        "/zoeken/?q=bewoners&soort=vr%00aag",
        "/zoeken/?q=bew%00oners",
        "/kennis/?thema=th%00ema",
        "/kennis/vragen/?thema=th%00ema",
        "/kennis/vragen/vergelijkbaar/?title=wie%00weet",
    ],
)
def test_a_nul_byte_in_a_page_filter_is_never_a_server_error(client, url):
    response = client.get(url)
    assert response.status_code < 500
