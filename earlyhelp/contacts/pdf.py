"""The report for the court or the statutory authority, as PDF, written from the records of
the period: the attendance table, observations against the competences, incidents, the
child's own words and the worker's summary. Fixed at release (Report.pdf)."""

from __future__ import annotations

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf.enums import XPos, YPos

from earlyhelp.concerns.official_form import FONT, DocumentPDF
from earlyhelp.contacts.models import Competence, Meeting, Party, Report

LINE = 5.2


def _local(value) -> str:
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _time(value) -> str:
    return formats.time_format(value) if value else "–"


def period_meetings(report: Report) -> list[Meeting]:
    return list(
        report.arrangement.meetings.filter(
            starts_at__date__gte=report.period_from, starts_at__date__lte=report.period_to
        ).order_by("starts_at", "pk")
    )


def attendance_figures(meetings: list[Meeting]) -> dict:
    """Held, cancelled and missed meetings, and who caused the cancellations and no-shows."""
    figures = {"held": 0, "cancelled": 0, "no_show": 0, "planned": 0, "late": 0, "by": {}}
    for meeting in meetings:
        figures[meeting.status] = figures.get(meeting.status, 0) + 1
        if meeting.status in (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW):
            label = str(Party(meeting.caused_by).label) if meeting.caused_by else _("Not recorded")
            figures["by"][label] = figures["by"].get(label, 0) + 1
        if meeting.minutes_late:
            figures["late"] += 1
    return figures


class _Writer:
    def __init__(self, report: Report):
        self.report = report
        arrangement = report.arrangement
        self.title = _("Report on assisted contact")
        self.pdf = DocumentPDF(
            running_head=f"{self.title} · {report.period_from} – {report.period_to}",
            notice=_("Confidential: for the addressee only."),
        )
        self.arrangement = arrangement

    def render(self) -> bytes:
        report, arrangement, pdf = self.report, self.arrangement, self.pdf
        pdf.set_title(self.title)  # no names in the metadata
        pdf.set_lang(translation.get_language() or "en")
        pdf.set_creator("earlyhelp")
        pdf.add_page()
        pdf.set_font(FONT, "B", 15)
        pdf.multi_cell(0, 8, self.title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font(FONT, "", 10)
        child = arrangement.child
        born = formats.date_format(child.birth_date, "SHORT_DATE_FORMAT")
        period = " – ".join(
            formats.date_format(d, "SHORT_DATE_FORMAT")
            for d in (report.period_from, report.period_to)
        )
        basis = [arrangement.get_basis_display(), arrangement.basis_reference]
        lines = [
            (_("For"), report.get_recipient_display()),
            (_("Period"), period),
            (_("Child"), f"{child} ({born})"),
            (_("Parent or relative meeting the child"), str(arrangement.visitor)),
            (_("Basis"), " ".join(filter(None, basis))),
            (_("Stage"), arrangement.get_stage_display()),
            (_("Service"), str(arrangement.service)),
            (_("Written by"), _name(report.written_by)),
        ]
        if report.reviewed_by_id:
            lines.append(
                (
                    _("Reviewed by"),
                    report.reviewed_by.get_full_name() or report.reviewed_by.get_username(),
                )
            )
        if report.released_at:
            lines.append((_("Released"), _local(report.released_at)))
        for label, value in lines:
            self._row(label, value)
        if arrangement.restrictions or arrangement.restrictions_note:
            self._section(_("Restrictions"))
            self._text(
                "\n".join(
                    [*arrangement.restriction_labels(), arrangement.restrictions_note]
                ).strip()
            )
        meetings = period_meetings(report)
        self._attendance(meetings)
        self._observations(meetings)
        self._section(_("Incidents"))
        incidents = [(m, m.incidents) for m in meetings if m.incidents] + [
            (m, _("Ended early: %(why)s") % {"why": m.early_end_reason})
            for m in meetings
            if m.ended_early
        ]
        self._dated(incidents, _("No incidents in the period."))
        self._section(_("The child's reactions, in the child's own words"))
        self._dated([(m, m.child_words) for m in meetings if m.child_words], _("Nothing recorded."))
        self._section(_("Worker's summary"))
        self._text(report.summary)
        return bytes(pdf.output())

    def _section(self, text: str) -> None:
        pdf = self.pdf
        if pdf.will_page_break(4 * LINE):
            pdf.add_page()
        pdf.ln(3)
        pdf.set_font(FONT, "B", 12)
        pdf.cell(0, 7, text, border="B", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)

    def _row(self, label: str, value: str) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(55, LINE, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_font(FONT, "", 10)
        pdf.multi_cell(0, LINE, value or "–", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _text(self, text: str) -> None:
        self.pdf.set_font(FONT, "", 10)
        self.pdf.multi_cell(0, LINE, text or "–", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _dated(self, items, empty: str) -> None:
        if not items:
            self._text(empty)
            return
        for meeting, text in items:
            self.pdf.set_font(FONT, "B", 9.5)
            self.pdf.multi_cell(
                0, LINE, _local(meeting.starts_at), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self._text(text)
            self.pdf.ln(1)

    def _attendance(self, meetings: list[Meeting]) -> None:
        pdf = self.pdf
        self._section(_("Attendance"))
        figures = attendance_figures(meetings)
        self._text(
            _("Held: %(held)s · cancelled: %(cancelled)s · did not come: %(no_show)s") % figures
            + " · "
            + _("late: %(late)s") % figures
        )
        for label, count in sorted(figures["by"].items()):
            self._text(f"{label}: {count}")
        pdf.ln(2)
        headings = [
            _("When"),
            _("Status"),
            _("Arrived (visitor / child)"),
            _("Handover – end"),
            _("Caused by, notice, lateness"),
        ]
        widths = [32, 24, 36, 30, pdf.epw - 122]
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=LINE) as table:
            row = table.row()
            for heading in headings:
                row.cell(heading)
            for m in meetings:
                row = table.row()
                row.cell(_local(m.starts_at))
                row.cell(m.get_status_display())
                row.cell(f"{_time(m.visitor_arrived_at)} / {_time(m.child_arrived_at)}")
                row.cell(f"{_time(m.handover_at)} – {_time(m.ended_at)}")
                cause = []
                if m.caused_by:
                    cause.append(m.get_caused_by_display())
                if m.notice_hours is not None:
                    cause.append(_("notice %(hours)s h") % {"hours": m.notice_hours})
                if m.minutes_late:
                    cause.append(_("%(minutes)s min late") % {"minutes": m.minutes_late})
                row.cell(", ".join(cause) or "–")

    def _observations(self, meetings: list[Meeting]) -> None:
        self._section(_("Observations against the competences worked on"))
        codes = self.arrangement.competences or list(Competence.values)
        any_written = False
        for code in codes:
            notes = [(m, m.observations.get(code)) for m in meetings if m.observations.get(code)]
            if not notes:
                continue
            any_written = True
            self.pdf.set_font(FONT, "B", 10.5)
            self.pdf.multi_cell(
                0, LINE + 1, str(Competence(code).label), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            self._dated(notes, "")
        if not any_written:
            self._text(_("No observations recorded in the period."))


def report_pdf(report: Report) -> bytes:
    return _Writer(report).render()
