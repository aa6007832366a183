import pytest

from tests.factories import MembershipFactory, ProgrammeFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes():
    themes = [ThemeFactory(), ThemeFactory()]
    result = []
    for _ in range(25):
        programme = ProgrammeFactory()
        programme.themes.set(themes)
        result.append(programme)
    return result


def test_list_page_paginates_with_pinned_queries(client, programmes, django_assert_num_queries):
    # session + count + page + themes prefetch
    with django_assert_num_queries(3):
        response = client.get("/programmas/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pagina 1 van 2" in html and "Volgende" in html
    assert client.get("/programmas/?page=2").status_code == 200


def test_list_page_empty_state(client):
    assert "Er zijn nog geen programma" in client.get("/programmas/").content.decode()


def test_detail_page_shows_team_and_themes(client, programme, django_assert_max_num_queries):
    programme.themes.add(ThemeFactory(name="Verankering"))
    MembershipFactory(
        programme=programme, user=UserFactory(full_name="Jaco Pieper"), role="trekker"
    )
    with django_assert_max_num_queries(4):
        response = client.get(f"/programmas/{programme.slug}/")
    html = response.content.decode()
    assert "Beter Benutten" in html and "Verankering" in html
    assert "Jaco Pieper" in html and "Trekker" in html


def test_detail_page_404(client):
    assert client.get("/programmas/bestaat-niet/").status_code == 404


def test_api_lists_programmes_paginated(api, programmes):
    data = api().get("/programmes", {"limit": 10, "offset": 20}).json()
    assert data["count"] == 25
    assert len(data["items"]) == 5
    assert {t["slug"] for t in data["items"][0]["themes"]} == {
        t.slug for t in programmes[0].themes.all()
    }


def test_api_programme_detail(api, programme, team_member):
    data = api().get(f"/programmes/{programme.pk}").json()
    assert data["name"] == "Beter Benutten"
    assert data["team"][0]["name"] == "Jaco Pieper"
    assert data["url"] == "/programmas/beter-benutten/"


def test_api_programme_not_found(api):
    response = api().get("/programmes/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Niet gevonden."}


def test_team_membership_rule(programme, team_member, member, admin_user):
    from django.contrib.auth.models import AnonymousUser

    assert programme.is_team_member(team_member)
    assert not programme.is_team_member(member)
    assert not programme.is_team_member(AnonymousUser())
    assert programme.is_team_member(admin_user)
