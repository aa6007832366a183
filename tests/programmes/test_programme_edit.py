"""The programme team edits its own programme page, without the admin."""

import datetime

import pytest

from bouwplaats.core.errors import InvalidInput, NotAllowed
from bouwplaats.programmes import services
from bouwplaats.programmes.models import Programme

pytestmark = pytest.mark.django_db

GOOD = {
    "summary": "Kennis opbouwen en verankeren",
    "description": "Deelname levert u **nieuwe kennis** op.",
    "period_note": "Vier jaar, met een evaluatie in het vierde jaar",
    "start_date": "2017-10-01",
    "end_date": "2021-10-01",
}


def test_team_edits_its_programme_page(client, programme, team_member):
    client.force_login(team_member)
    url = f"/programmas/{programme.slug}/"
    assert "Programmapagina wijzigen" in client.get(url).content.decode()
    response = client.post(url + "bewerken/", GOOD, follow=True)
    html = response.content.decode()
    assert "De programmapagina is bijgewerkt" in html and "<strong>nieuwe kennis</strong>" in html
    programme.refresh_from_db()
    assert programme.start_date == datetime.date(2017, 10, 1)


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"summary": "twee\nregels"}, "summary", "regeleinden"),
        ({"end_date": "2016-01-01"}, "end_date", "vóór de begindatum"),
        ({"start_date": "1800-01-01"}, "start_date", "tussen 1900 en 2200"),
        ({"description": "esc\x1b"}, "description", "stuurtekens"),
    ],
)
def test_bad_values_are_refused_beside_the_field(client, programme, team_member, change, field,
                                                words):  # fmt: skip
    client.force_login(team_member)
    response = client.post(f"/programmas/{programme.slug}/bewerken/", {**GOOD, **change})
    html = response.content.decode()
    assert f'id="id_{field}_errors"' in html and words in html
    programme.refresh_from_db()
    assert programme.summary != GOOD["summary"]


def test_others_may_not_edit(client, programme, member):
    url = f"/programmas/{programme.slug}/bewerken/"
    assert client.get(url).status_code == 302
    client.force_login(member)
    assert client.get(url).status_code == 403
    assert client.post(url, GOOD).status_code == 403
    assert (
        "Programmapagina wijzigen"
        not in client.get(f"/programmas/{programme.slug}/").content.decode()
    )
    with pytest.raises(NotAllowed):
        services.programme_update(actor=member, programme=programme, summary="x", description="",
                                  period_note="", start_date=None, end_date=None)  # fmt: skip
    assert Programme.objects.get(pk=programme.pk).summary != "x"


def test_service_refuses_with_the_field_named(programme, team_member):
    with pytest.raises(InvalidInput) as exc:
        services.programme_update(actor=team_member, programme=programme, summary="x" * 301,
                                  description="", period_note="", start_date=None,
                                  end_date=None)  # fmt: skip
    assert exc.value.code == "summary"
