"""The one layout of earlyhelp's PDF documents: the official forms of a concern, the
assisted-contact reports and a case's chronology all draw through `Document`.

A4, DejaVu Sans (vendored in `fonts/`, README.md there, so no system library is needed and
ő ű, ř ě ů, ø å æ come out right), a running head from the second page that repeats the
confidentiality notice, "page/pages" at the foot, and the building blocks: a title, section
headings, label–value rows, labelled blocks, paragraphs and tables. A document's module says
only what the document says.
"""

from __future__ import annotations

import functools
from pathlib import Path

from django.utils import formats, timezone, translation
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONTS = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVuSans"

EMPTY = "\u2014"  # —
OMITTED = "[\u2026]"  # […], as for words left out of a quotation

LINE = 5.5  # mm, the height of a line of body text
LABEL_WIDTH = 55  # mm, the label column of a two-column row


def local_datetime(value) -> str:
    """A moment in the reader's time zone and the active language's short format."""
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def local_date(value) -> str:
    """A day in the active language's short format."""
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@functools.cache
def _covered() -> frozenset[int]:
    """The characters the vendored fonts draw (both fonts were subset to the same ranges)."""
    with TTFont(FONTS / "DejaVuSans.ttf") as font:
        return frozenset(font.getBestCmap())


def printable(text: str) -> str:
    """`text` with each run of characters the fonts cannot draw (Cyrillic, Arabic, emoji)
    shown as […]: fpdf2 would leave them out without a trace, and a quotation that silently
    loses words is worse than one that says where it does."""
    covered = _covered()
    kept: list[str] = []
    spaces = ""  # spaces after a gap, dropped if the gap goes on after them
    in_gap = False
    for char in text:
        if in_gap and char == " ":
            spaces += char
        elif ord(char) in covered or char in "\n\r\t":
            kept.append(spaces + char)
            spaces, in_gap = "", False
        else:
            if not in_gap:
                kept.append(OMITTED)
            spaces, in_gap = "", True
    return "".join(kept) + spaces


class Document(FPDF):
    """A4 with a running head from the second page (repeating the confidentiality notice, if
    any, since a page may be read alone) and "page/pages" at the foot."""

    def __init__(self, running_head: str, notice: str = "", *, line: float = LINE):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_head = running_head
        self.notice = notice
        self.line_height = line
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.add_font(FONT, "", FONTS / "DejaVuSans.ttf")
        self.add_font(FONT, "B", FONTS / "DejaVuSans-Bold.ttf")

    def normalize_text(self, text: str) -> str:
        return super().normalize_text(printable(text))

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, self.running_head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0)
        if self.notice:
            self.set_font(FONT, "B", 8)
            self.multi_cell(0, 4, self.notice, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)

    # --- Building blocks ---

    def begin(self, title: str) -> None:
        """The metadata and the first page. The metadata holds the title only: it must never
        name a child, a family or a reporter."""
        self.set_title(title)
        self.set_lang(translation.get_language() or "en")
        self.set_creator("earlyhelp")
        self.add_page()

    def heading(self, text: str, *, size: float = 16) -> None:
        """The document's title at the top of the first page."""
        self.set_font(FONT, "B", size)
        self.multi_cell(0, 8, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def section(self, text: str) -> None:
        """A section heading, underlined, never alone at the foot of a page."""
        if self.will_page_break(4 * self.line_height):
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", 12)
        self.cell(0, 7, text, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)

    def row(self, label: str, value: str) -> None:
        """Label and value side by side; a value too long for that is written under its label."""
        line = self.line_height
        value = value or EMPTY
        value_width = self.epw - LABEL_WIDTH
        self.set_font(FONT, "B", 9.5)
        label_lines = self.multi_cell(LABEL_WIDTH - 2, line, label, dry_run=True, output="LINES")
        self.set_font(FONT, "", 10)
        value_lines = self.multi_cell(value_width, line, value, dry_run=True, output="LINES")
        height = max(len(label_lines), len(value_lines)) * line
        if height > self.eph / 3:
            self.block(label, value)
            return
        if self.will_page_break(height):
            self.add_page()
        top = self.get_y()
        self.set_font(FONT, "B", 9.5)
        self.multi_cell(LABEL_WIDTH - 2, line, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.set_x(self.l_margin + LABEL_WIDTH)
        self.set_font(FONT, "", 10)
        self.multi_cell(value_width, line, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(top + height, self.get_y()) + 0.8)

    def block(self, label: str, value: str, *, indent: float = 0) -> None:
        """A label and, under it, a text of any length: it wraps and runs onto the next pages."""
        line = self.line_height
        if self.will_page_break(2 * line):
            self.add_page()
        self.set_font(FONT, "B", 9.5)
        self.multi_cell(0, line, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", 10)
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, line, value or EMPTY, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        self.ln(1.5)

    def paragraph(
        self, text: str, *, size: float = 10, bold: bool = False, height: float | None = None
    ) -> None:
        """A paragraph across the page; an empty one shows as "—"."""
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(
            0,
            height or self.line_height,
            text or EMPTY,
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    def boxed(self, text: str) -> None:
        """A notice that must not be missed (the reporter's confidentiality), in a grey box."""
        self.set_font(FONT, "B", 11)
        self.set_fill_color(235)
        self.set_line_width(0.6)
        self.multi_cell(
            0,
            6,
            text,
            border=1,
            fill=True,
            align="L",
            padding=2,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_line_width(0.2)
        self.ln(2)

    def keep_with_next(self, height: float) -> None:
        """A new page unless `height` mm still fit on this one."""
        if self.will_page_break(height):
            self.add_page()

    def grid(self, headings: list[str], rows: list[list[str]], *, widths: list[float]) -> None:
        """A table with a heading row, repeated at the top of each page it runs onto."""
        self.set_font(FONT, "", 10)
        with self.table(
            col_widths=widths, text_align="LEFT", line_height=self.line_height
        ) as table:
            heading = table.row()
            for text in headings:
                heading.cell(text)
            for cells in rows:
                row = table.row()
                for text in cells:
                    row.cell(text)

    def signature_lines(self, left: str, right: str) -> None:
        """Two lines to sign on, side by side, captioned underneath ("Place and date",
        "Signature"); kept together on one page."""
        if self.will_page_break(40):
            self.add_page()
        self.ln(12)
        width = (self.epw - 10) / 2
        top = self.get_y()
        self.line(self.l_margin, top, self.l_margin + width, top)
        self.line(self.l_margin + width + 10, top, self.l_margin + self.epw, top)
        self.set_font(FONT, "", 9)
        self.cell(width, self.line_height, left)
        self.set_x(self.l_margin + width + 10)
        self.cell(width, self.line_height, right, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def to_bytes(self) -> bytes:
        return bytes(self.output())
