"""The stakeholder register as CSV and XLSX: through core.exports (no formulas), named persons
for the programme team only, members without them, visitors not at all."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from bouwplaats.anchoring import services

pytestmark = pytest.mark.django_db


def url(programme, fmt):
    return reverse("anchoring:stakeholders_export", kwargs={"slug": programme.slug, "fmt": fmt})


@pytest.fixture
def hostile(programme, team_member, stakeholder):
    services.stakeholder_person_add(
        actor=team_member, stakeholder=stakeholder, name="Marieke Jansen", role="Voorzitter"
    )
    services.stakeholder_create(
        actor=team_member,
        programme=programme,
        name='=HYPERLINK("http://x.example","klik")',
        kind="organisatie",
        interest=2,
        influence=5,
        level="informeren",
        direction="top_down",
        reason="@SUM(1+1)",
        notes="Werkgeversvereniging Oost — één tekst met ü",
    )
    services.stakeholder_rate(
        actor=team_member,
        stakeholder=stakeholder,
        interest=5,
        influence=3,
        level="coproduceren",
        direction="bottom_up",
        reason="Bewoners trekken nu mee",
    )


def rows_of_csv(response):
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))


def test_the_team_downloads_csv_with_named_persons_and_no_formulas(
    client, programme, team_member, hostile
):
    client.force_login(team_member)
    page = client.get(reverse("anchoring:stakeholders", kwargs={"slug": programme.slug}))
    assert f'href="{url(programme, "csv")}"' in page.content.decode()
    assert f'href="{url(programme, "xlsx")}"' in page.content.decode()
    response = client.get(url(programme, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="stakeholders-beter-benutten-' in response["Content-Disposition"]
    rows = rows_of_csv(response)
    assert rows[0][0] == "Stakeholder" and rows[0][-1] == "Contactpersonen"
    by_name = {row[0].lstrip("'"): row for row in rows[1:]}
    collective = by_name["Bewonerscollectief"]
    assert collective[-1] == "Marieke Jansen (Voorzitter)"
    assert collective[3:6] == ["5", "3", "Coproduceren"]
    assert collective[9].startswith("4/2 (") and " → 5/3 (" in collective[9]
    assert collective[10] == "Bewoners trekken nu mee"
    for row in rows[1:]:
        for cell in row:
            assert not cell.startswith(("=", "@", "+", "-")), cell


def test_the_xlsx_holds_text_not_formulas(client, programme, team_member, hostile):
    client.force_login(team_member)
    response = client.get(url(programme, "xlsx"))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][-1] == "Contactpersonen"
    names = [row[0] for row in values[1:]]
    assert '=HYPERLINK("http://x.example","klik")' in names
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s"


def test_a_member_gets_the_register_without_named_persons(client, programme, outsider, hostile):
    client.force_login(outsider)
    page = client.get(reverse("anchoring:stakeholders", kwargs={"slug": programme.slug}))
    assert f'href="{url(programme, "csv")}"' in page.content.decode()
    rows = rows_of_csv(client.get(url(programme, "csv")))
    assert "Contactpersonen" not in rows[0]
    assert "Marieke" not in str(rows)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(url(programme, "xlsx")).content)).active
    assert "Marieke" not in str([[c.value for c in row] for row in sheet.iter_rows()])


def test_visitors_and_unknown_formats_get_nothing(client, programme, team_member, hostile):
    response = client.get(url(programme, "csv"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(team_member)
    assert client.get(url(programme, "pdf")).status_code == 404
    assert client.get(url(programme, "x" * 500)).status_code == 404
