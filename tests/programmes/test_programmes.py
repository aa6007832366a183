import pytest
from django.urls import reverse

from bouwplaats.core.errors import InvalidInput
from bouwplaats.core.validation import validate_instance
from bouwplaats.programmes import permissions
from bouwplaats.programmes.models import Programme, Theme
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
    # programme, themes, team; regions, timeline, governance bodies, partners (issue 12);
    # the sections: upcoming sessions, nieuwsflits lists, knowledge items and questions,
    # open calls.
    with django_assert_max_num_queries(12):
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


def test_team_rule_object_check_and_queryset_agree(programme, team_member, member, admin_user):
    from django.contrib.auth.models import AnonymousUser

    other = ProgrammeFactory()
    MembershipFactory(programme=other, user=team_member)
    third = ProgrammeFactory()
    everyone = {programme, other, third}
    for user, expected in [
        (AnonymousUser(), set()),
        (member, set()),
        (team_member, {programme, other}),
        (admin_user, everyone),
    ]:
        assert {p for p in everyone if permissions.is_team_member(user, p)} == expected
        assert set(permissions.programmes_with_team_member(user)) == expected
        narrowed = permissions.programmes_with_team_member(
            user, Programme.objects.exclude(pk=other.pk)
        )
        assert set(narrowed) == expected - {other}


# A bad value per row, the field it concerns; the admin's form and validate_instance agree.
BAD_PROGRAMMES = [
    ({"name": "Twee\nregels"}, "name"),
    ({"name": "n" * 201}, "name"),
    ({"summary": "s" * 301}, "summary"),
    ({"summary": "met\x07bel"}, "summary"),
    ({"period_note": "tab\tje"}, "period_note"),
    ({"description": "nul\x00"}, "description"),
    ({"start_date": "0001-01-01"}, "start_date"),
    ({"end_date": "9999-12-31"}, "end_date"),
    ({"start_date": "2020-01-01", "end_date": "2019-12-31"}, "end_date"),
    ({"slug": "met spatie"}, "slug"),
]


@pytest.mark.parametrize(("bad", "field"), BAD_PROGRAMMES)
def test_programme_rules_in_the_model(bad, field):
    import datetime

    values = {
        k: datetime.date.fromisoformat(v) if k.endswith("_date") else v for k, v in bad.items()
    }
    with pytest.raises(InvalidInput) as refused:
        validate_instance(Programme(**{"name": "Goed", "slug": "goed", **values}))
    assert field in refused.value.errors


@pytest.mark.parametrize(("bad", "field"), BAD_PROGRAMMES)
def test_admin_refuses_the_same_programme_values(client, admin_user, bad, field):
    client.force_login(admin_user)
    data = {
        "name": "Goed", "slug": "goed", "summary": "", "description": "", "period_note": "",
        "memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0",
        **bad,
    }  # fmt: skip
    response = client.post(reverse("admin:programmes_programme_add"), data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Programme.objects.exists()


def test_theme_name_is_one_line():
    with pytest.raises(InvalidInput) as refused:
        validate_instance(Theme(name="Twee\nregels", slug="twee"))
    assert "name" in refused.value.errors
