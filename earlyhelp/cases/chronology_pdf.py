"""The chronology of a case as a PDF to print or file: every entry of the chosen kind, oldest
first, with who wrote it and what it corrects, in the reader's language. Laid out by
`earlyhelp.core.pdf`, like every earlyhelp document."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.cases.models import Case, ChronologyEntry
from earlyhelp.core.pdf import Document
from earlyhelp.core.pdf import local_datetime as _when


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def chronology_filename(case: Case) -> str:
    return f"case-{case.pk}-chronology.pdf"


def render_chronology(case: Case, entries: list[ChronologyEntry], *, user, kind: str = "") -> bytes:
    title = _("Case #%(n)s: %(title)s") % {"n": case.pk, "title": case.title}
    notice = _("Confidential: personal data of a child and family. Do not pass on.")
    pdf = Document(running_head=f"{title} · {_('Chronology')}", notice=notice)
    pdf.begin(_("Chronology"))  # no names in the metadata
    pdf.heading(title, size=15)
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
        pdf.paragraph(line, size=9, height=4.5)
    pdf.paragraph(notice, size=9, bold=True, height=4.5)
    pdf.ln(3)
    corrected = {e.corrects_id for e in entries if e.corrects_id}
    for entry in entries:
        head = f"{_when(entry.happened_at)} · {entry.get_kind_display()} · {entry.title}"
        if entry.pk in corrected:
            head += f" [{_('corrected')}]"
        pdf.paragraph(head, bold=True)
        by = _("by %(name)s, recorded %(at)s") % {
            "name": _name(entry.author),
            "at": _when(entry.recorded_at),
        }
        if entry.corrects_id:
            by += " · " + _("corrects the entry of %(at)s") % {
                "at": _when(entry.corrects.happened_at)
            }
        pdf.paragraph(by, size=8.5, height=4.5)
        if entry.text:
            pdf.paragraph(entry.text)
        pdf.ln(2)
    return pdf.to_bytes()
