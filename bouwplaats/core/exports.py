"""The one writer of CSV and XLSX exports: user text never becomes a formula.

Every export (participant lists, works, subscribers) goes through :func:`export_table`, so a
member named ``=HYPERLINK(…)`` stays text in every spreadsheet program (OWASP "CSV
injection"). CSV escaping is done by defusedcsv (pretix's library); XLSX text cells are
written as strings with openpyxl, dates as real dates, and columns get widths.
"""

import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from defusedcsv import csv
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")

# Spreadsheet programs strip these before reading a cell, so "\t=1+1" is a formula too.
_LEADING_CONTROLS = "\t\r\n"
# Widths in characters: wide enough to read a name or an address, never a whole text.
_MIN_WIDTH, _MAX_WIDTH = 8, 60
_DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
_DATE_FORMAT = "dd-mm-yyyy"


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        return value.lstrip(_LEADING_CONTROLS)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        # Spreadsheets have no time zones: show the instant as the Dutch reader expects.
        return timezone.localtime(value).replace(tzinfo=None)
    return value


class _Echo:
    """A file that hands back what is written, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    value = _cell(value)
    # ISO 8601: every spreadsheet program reads it as a date, whatever its locale.
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def iter_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Yield the table as CSV text, line by line: a BOM, then ``;``-separated rows.

    Text cells starting with ``=``, ``+``, ``-``, ``@``, ``|``, ``%`` (after any leading tab
    or line break) are prefixed with ``'`` by defusedcsv; numbers stay numbers; dates are
    ISO 8601 (instants in Europe/Amsterdam). Excel reads UTF-8 only with the BOM.
    """
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"
    yield writer.writerow([_csv_value(v) for v in header])
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Return the table as UTF-8 CSV bytes (see iter_csv)."""
    return "".join(iter_csv(header, rows)).encode()


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    """Return the table as an XLSX workbook with one sheet called ``title`` (max 31 chars).

    Text is stored as text (never a formula), datetimes and dates as spreadsheet dates in
    Europe/Amsterdam, numbers as numbers; the header row is frozen and columns get widths.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    widths: dict[int, int] = {}
    for row_number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            value = _cell(value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl turns text starting with "=" into a formula unless told otherwise.
                cell.data_type = "s"
            elif isinstance(value, datetime.datetime):
                cell.number_format = _DATETIME_FORMAT
            elif isinstance(value, datetime.date):
                cell.number_format = _DATE_FORMAT
            shown = len(str(value)) if value is not None else 0
            if isinstance(value, datetime.date):
                shown = 16
            widths[column] = max(widths.get(column, _MIN_WIDTH), min(shown + 2, _MAX_WIDTH))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_table(
    *, header: Sequence[str], rows: Iterable[Sequence[Any]], fmt: str, name: str, title: str
) -> tuple[bytes, str, str]:
    """Return ``(content, content type, file name)`` of the table in ``fmt`` (csv or xlsx).

    ``name`` is the file name without extension; ``title`` names the XLSX sheet.
    Raises ValueError for another format.
    """
    if fmt == "csv":
        return write_csv(header, rows), CSV_TYPE, f"{name}.csv"
    if fmt == "xlsx":
        return write_xlsx(header, list(rows), title=title), XLSX_TYPE, f"{name}.xlsx"
    raise ValueError(f"unknown export format {fmt!r}")
