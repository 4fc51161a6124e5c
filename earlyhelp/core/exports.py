"""Tables people take away as CSV or XLSX: a cell that a spreadsheet would run as a formula is
neutralised, and the file is a private download (an attachment, never cached)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from django.http import HttpResponse, StreamingHttpResponse

from earlyhelp.core.downloads import private, private_download

FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)}  # fmt: skip
# A spreadsheet treats a text cell beginning with one of these as a formula (OWASP CSV
# injection); such a cell gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def table_download(
    columns: list[str], rows: Iterable[list], *, filename: str, fmt: str
) -> HttpResponse:
    """`rows` is consumed once: CSV is streamed row by row; XLSX is written row by row in
    constant memory (XlsxWriter) and sent when complete."""
    if fmt == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # so that spreadsheet programs read UTF-8
            yield writer.writerow(columns)
            for row in rows:
                yield writer.writerow([_cell(v) for v in row])

        return private(
            StreamingHttpResponse(lines(), content_type=FORMATS["csv"]), f"{filename}.csv"
        )
    import xlsxwriter

    body = io.BytesIO()
    # Cells are always written as what they are: never a text turned into a formula or a link.
    book = xlsxwriter.Workbook(
        body,
        {
            "in_memory": True,
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    sheet.write_row(0, 0, columns)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            _xlsx_write(sheet, number, column, value, day, moment)
    book.close()
    return private_download(
        body.getvalue(), filename=f"{filename}.xlsx", content_type=FORMATS["xlsx"]
    )


def _xlsx_write(sheet, row: int, column: int, value, day, moment) -> None:
    if isinstance(value, str):
        sheet.write_string(row, column, neutralise(value))
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, column, value.replace(tzinfo=None), moment)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, datetime(value.year, value.month, value.day), day)
    else:
        sheet.write_string(row, column, neutralise("" if value is None else str(value)))


def _cell(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)
