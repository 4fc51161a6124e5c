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
    """`rows` is consumed once: CSV is streamed row by row; XLSX is built in a write-only
    workbook (constant memory per row) and sent when complete."""
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
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(columns)
    for row in rows:
        sheet.append([_xlsx_cell(v) for v in row])
    body = io.BytesIO()
    book.save(body)
    return private_download(
        body.getvalue(), filename=f"{filename}.xlsx", content_type=FORMATS["xlsx"]
    )


def _cell(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)


def _xlsx_cell(value):
    if isinstance(value, datetime | date | int | float):
        return value
    return neutralise("" if value is None else str(value))
