"""The chronology of a case as a PDF to print or file: every entry of the chosen kind, oldest
first, with who wrote it and what it corrects, in the reader's language. Drawn with fpdf2 and
the DejaVu fonts vendored for the official forms (earlyhelp/concerns/fonts)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from earlyhelp.cases.models import Case, ChronologyEntry
from earlyhelp.concerns.official_form import FONT, DocumentPDF

LINE = 5.5  # mm


def _when(value) -> str:
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def chronology_filename(case: Case) -> str:
    return f"case-{case.pk}-chronology.pdf"


def render_chronology(case: Case, entries: list[ChronologyEntry], *, user, kind: str = "") -> bytes:
    title = _("Case #%(n)s: %(title)s") % {"n": case.pk, "title": case.title}
    notice = _("Confidential: personal data of a child and family. Do not pass on.")
    pdf = DocumentPDF(running_head=f"{title} · {_('Chronology')}", notice=notice)
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 9)
    scope = ChronologyEntry.Kind(kind).label if kind else _("Everything")
    facts = [
        _("Chronology: %(kind)s, oldest first; %(count)s entries.")
        % {"kind": scope, "count": len(entries)},
        _("Printed %(at)s by %(name)s.") % {"at": _when(timezone.now()), "name": _name(user)},
        _("Service: %(service)s · lead worker: %(lead)s · status: %(status)s")
        % {
            "service": case.service.name,
            "lead": _name(case.lead_worker),
            "status": case.get_status_display(),
        },
    ]
    for line in facts:
        pdf.multi_cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "B", 9)
    pdf.multi_cell(0, 4.5, notice, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    for entry in entries:
        pdf.set_font(FONT, "B", 10)
        head = f"{_when(entry.happened_at)} · {entry.get_kind_display()} · {entry.title}"
        if entry.pk in corrected:
            head += f" [{_('corrected')}]"
        pdf.multi_cell(0, LINE, head, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 8.5)
        by = _("by %(name)s, recorded %(at)s") % {
            "name": _name(entry.author),
            "at": _when(entry.recorded_at),
        }
        if entry.corrects_id:
            by += " · " + _("corrects the entry of %(at)s") % {
                "at": _when(entry.corrects.happened_at)
            }
        pdf.multi_cell(0, 4.5, by, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if entry.text:
            pdf.set_font(FONT, "", 10)
            pdf.multi_cell(0, LINE, entry.text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    return bytes(pdf.output())
