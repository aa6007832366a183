"""AVG: the member's readable overview, its PDF and the ZIP with everything."""

import io
import json
import zipfile

import pytest

from bouwplaats.accounts.services import member_export
from bouwplaats.personal_data import (
    SECTION_MODELS,
    _choice_label,
    _choice_labels,
    _safe_name,
    _sections,
    _value,
)
from tests.factories import RegistrationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_visitors_are_sent_to_log_in(client):
    for path in ["/profiel/mijn-gegevens/", "/profiel/mijn-gegevens.zip"]:
        response = client.get(path)
        assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_overview_lists_registrations_in_dutch(client, member):
    session = SessionFactory(title="Programmamanagers: door ná 2017")
    RegistrationFactory(session=session, member=member)
    client.force_login(member)
    html = client.get("/profiel/mijn-gegevens/").content.decode()
    assert "Uw aanmeldingen voor sessies" in html
    assert "Programmamanagers: door ná 2017" in html
    assert session.start.isoformat() not in html


def test_zip_holds_page_pdf_and_json(client, member):
    client.force_login(member)
    response = client.get("/profiel/mijn-gegevens.zip")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert json.loads(archive.read("gegevens.json"))["profile"]["email"] == member.email
    assert archive.read("overzicht.pdf").startswith(b"%PDF")
    pdf = client.get("/profiel/mijn-gegevens.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_values_read_as_dutch():
    assert _value(True) == "ja" and _value(None) == "—"
    assert _value("2026-12-15") == "dinsdag 15 december 2026"
    assert _value(["a", "b"]) == "a; b"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("../../etc/passwd", "etc/passwd"), ("documenten/1-a\x00b.pdf", "documenten/1-a_b.pdf")],
)
def test_archive_names_stay_inside_the_zip(name, expected):
    assert _safe_name(name) == expected


def test_stored_choices_and_keys_read_as_dutch_while_the_json_keeps_them(client, member):
    from bouwplaats.accounts.models import Organisation, OrganisationMembership

    ede = Organisation.objects.create(name="Gemeente Ede", kind="gemeente")
    OrganisationMembership.objects.create(user=member, organisation=ede, status="requested")
    session = SessionFactory(title="Bouwsessie Zuidas")
    RegistrationFactory(session=session, member=member, status="cancelled")
    client.force_login(member)
    html = client.get("/profiel/mijn-gegevens/").content.decode()
    for dutch in ("Aangevraagd", "aangevraagd op", "Gemeente"):
        assert dutch in html, dutch
    # "cancelled" is stored by sessions and registrations alike: a registration reads as its own
    # model's label ("Afgemeld"), never a session's ("Geannuleerd").
    assert "Afgemeld" in html and "Geannuleerd" not in html
    for stored in (">requested<", ">cancelled<", "requested at", "decided at", "kind:"):
        assert stored not in html, stored
    data = json.loads(
        zipfile.ZipFile(io.BytesIO(client.get("/profiel/mijn-gegevens.zip").content)).read(
            "gegevens.json"
        )
    )
    assert data["organisation_memberships"][0]["status"] == "requested"


def _column(sections, title: str, column: str) -> list[str]:
    [section] = [s for s in sections if s["title"] == title]
    at = section["columns"].index(column)
    return [row[at] for row in section["rows"]]


def test_each_stored_choice_reads_as_its_own_models_label(member):
    SessionFactory(title="Bouwsessie Zuidas", host=member, status="cancelled")
    RegistrationFactory(session=SessionFactory(title="Webinar"), member=member, status="cancelled")
    sections = _sections(member_export(user=member))
    assert _column(sections, "Uw aanmeldingen voor sessies", "status") == ["Afgemeld"]
    assert _column(sections, "Sessies die u organiseert", "status") == ["Geannuleerd"]


def test_every_shared_stored_value_has_each_models_own_label():
    shared = {key: by_model for key, by_model in _choice_labels().items()
              if len({str(label) for label in by_model.values()}) > 1}  # fmt: skip
    assert ("status", "cancelled") in shared
    for section, model in SECTION_MODELS.items():
        for (field, value), by_model in shared.items():
            if model in by_model:
                assert _choice_label(field, value, section) == str(by_model[model])
    # A section unknown to the table shows every label rather than the wrong one.
    assert _choice_label("status", "cancelled", None) in ("Geannuleerd / Afgemeld",
                                                          "Afgemeld / Geannuleerd")  # fmt: skip


def test_the_table_names_sections_the_export_has(member):
    data = member_export(user=member)
    keys = set(data) | {k for v in data.values() if isinstance(v, dict) for k in v}
    assert set(SECTION_MODELS) <= keys
