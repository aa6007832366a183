"""The programme team edits its own programme page's themes, regions and timeline, no admin
needed (issue 12, deliverable 1)."""

import pytest

from bouwplaats.core.errors import InvalidInput
from bouwplaats.programmes import services
from bouwplaats.programmes.models import Region, Theme
from tests.factories import MembershipFactory, ProgrammeFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "summary": "Kennis opbouwen en verankeren",
    "description": "",
    "period_note": "",
    "start_date": "2017-10-01",
    "end_date": "2021-10-01",
}


@pytest.fixture
def other_team_member(db):
    other = ProgrammeFactory(name="Goedopweg", slug="goedopweg")
    return MembershipFactory(programme=other, user=UserFactory(full_name="Anna Smit")).user


@pytest.fixture
def staff(db):
    return UserFactory(full_name="Beheerder", is_staff=True)


@pytest.fixture
def choices(db):
    return {
        "theme": ThemeFactory(name="Mobiliteit", slug="mobiliteit"),
        "other_theme": ThemeFactory(name="Energie", slug="energie"),
        "region": Region.objects.create(name="Regio Twente", slug="twente"),
    }


def _who(name, member, other_team_member, team_member, staff):
    return {"visitor": None, "member": member, "other_team": other_team_member,
            "team": team_member, "staff": staff}[name]  # fmt: skip


ACCESS = [("visitor", 302), ("member", 403), ("other_team", 403), ("team", 200), ("staff", 200)]


def test_team_chooses_themes_and_regions_on_the_edit_page(client, programme, team_member, choices):
    client.force_login(team_member)
    url = f"/programmas/{programme.slug}/bewerken/"
    html = client.get(url).content.decode()
    assert 'type="checkbox" name="themes"' in html and "Regio Twente" in html
    data = {**GOOD, "themes": [choices["theme"].pk], "regions": [choices["region"].pk]}
    html = client.post(url, data, follow=True).content.decode()
    assert "De programmapagina is bijgewerkt" in html
    assert "Mobiliteit" in html and "Regio Twente" in html and "Energie" not in html
    assert list(programme.themes.all()) == [choices["theme"]]
    # Unticking all removes them.
    client.post(url, GOOD)
    assert not programme.themes.exists() and not programme.regions.exists()


def test_an_unknown_theme_is_refused_beside_the_field(client, programme, team_member, choices):
    client.force_login(team_member)
    response = client.post(f"/programmas/{programme.slug}/bewerken/", {**GOOD, "themes": [999999]})
    assert 'id="id_themes_errors"' in response.content.decode()
    assert not programme.themes.exists()


def test_service_refuses_an_unstored_theme_and_stores_nothing(programme, team_member, choices):
    with pytest.raises(InvalidInput) as exc:
        services.programme_update(actor=team_member, programme=programme, summary="Nieuw",
                                  description="", period_note="", start_date=None, end_date=None,
                                  themes=[choices["theme"], Theme(name="Los")])  # fmt: skip
    assert exc.value.code == "themes"
    programme.refresh_from_db()
    assert programme.summary != "Nieuw" and not programme.themes.exists()


@pytest.mark.parametrize(("who", "status"), ACCESS)
def test_edit_page_access(client, programme, member, other_team_member, team_member, staff, who,
                          status, choices):  # fmt: skip
    user = _who(who, member, other_team_member, team_member, staff)
    if user:
        client.force_login(user)
    url = f"/programmas/{programme.slug}/bewerken/"
    assert client.get(url).status_code == status
    response = client.post(url, {**GOOD, "themes": [choices["theme"].pk]})
    assert response.status_code == (302 if status == 200 else status)
    assert programme.themes.exists() == (status == 200)
