"""Reading a roster file: CSV (the delimiter and, failing UTF-8, the country's usual Windows
code page detected) or XLSX (openpyxl, read-only, values as stored). A formula is never
evaluated: its cell reads as `FORMULA`, and the row is refused for it."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _

# Windows code pages of the countries' spreadsheet programs, tried when a file is not UTF-8.
CODE_PAGES = {"HU": "cp1250", "CZ": "cp1250", "DK": "cp1252"}
DELIMITERS = ",;\t"


class Formula(str):
    """A cell that holds a formula: kept as text for the report, never run."""


class UnreadableFile(Exception):
    """The file is not a roster earlyhelp can read; the message says why, for the user."""


def read_table(content: bytes, file_name: str, country: str) -> tuple[list[str], Iterator[list]]:
    """The headings and the rows (lists of cells: text, a date, or a Formula)."""
    if file_name.lower().endswith(".xlsx"):
        return _xlsx(content)
    if file_name.lower().endswith((".csv", ".txt")):
        return _csv(content, country)
    raise UnreadableFile(_("Upload a CSV or XLSX file."))


def _text(content: bytes, country: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode(CODE_PAGES.get(country, "cp1252"), errors="replace")


def _csv(content: bytes, country: str):
    text = _text(content, country)
    if "\x00" in text:
        raise UnreadableFile(_("This file is not a text (CSV) file. Upload a CSV or XLSX file."))
    try:
        dialect = csv.Sniffer().sniff(text[:65536], delimiters=DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    headings = next(reader, None)
    if not headings:
        raise UnreadableFile(_("The file is empty."))

    def rows():
        for row in reader:
            yield [Formula(cell) if cell.startswith("=") else cell for cell in row]

    return [h.strip() for h in headings], rows()


def _xlsx(content: bytes):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise UnreadableFile(
            _("This XLSX file cannot be read. Save it again from the spreadsheet program.")
        ) from error
    sheet = book.worksheets[0]
    cells = sheet.iter_rows()
    first = next(cells, None)
    if first is None:
        raise UnreadableFile(_("The file is empty."))
    headings = [str(_cell(c) or "").strip() for c in first]

    def rows():
        for row in cells:
            yield [_cell(c) for c in row]
        book.close()

    return headings, rows()


def _cell(cell):
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def heading_key(value: str) -> str:
    return " ".join(str(value).split()).casefold()
