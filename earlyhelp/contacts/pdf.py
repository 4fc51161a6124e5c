"""The report for the court or the statutory authority, as PDF, written from the records of
the period: the attendance table, observations against the competences, incidents, the
child's own words and the worker's summary. Fixed at release (Report.pdf)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from earlyhelp.access.policy import visible_of
from earlyhelp.contacts.models import Meeting, Party, Report
from earlyhelp.core.pdf import Document, local_date
from earlyhelp.core.pdf import local_datetime as _local

LINE = 5.2


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _time(value) -> str:
    return formats.time_format(value) if value else "–"


def period_meetings(user, report: Report) -> list[Meeting]:
    """The meetings of the report's period, as `user` may read them."""
    meetings = report.arrangement.meetings.filter(
        starts_at__date__gte=report.period_from, starts_at__date__lte=report.period_to
    )
    return list(visible_of(user, report.arrangement, meetings).order_by("starts_at", "pk"))


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
    def __init__(self, report: Report, user):
        self.user = user
        self.report = report
        arrangement = report.arrangement
        self.title = _("Report on assisted contact")
        self.pdf = Document(
            running_head=f"{self.title} · {report.period_from} – {report.period_to}",
            notice=_("Confidential: for the addressee only."),
            line=LINE,
        )
        self.arrangement = arrangement

    def render(self) -> bytes:
        report, arrangement, pdf = self.report, self.arrangement, self.pdf
        pdf.begin(self.title)  # no names in the metadata
        pdf.heading(self.title, size=15)
        child = arrangement.child
        born = local_date(child.birth_date)
        period = " – ".join(local_date(d) for d in (report.period_from, report.period_to))
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
            pdf.row(label, value)
        if arrangement.restrictions or arrangement.restrictions_note:
            self._section(_("Restrictions"))
            self._text(
                "\n".join(
                    [*arrangement.restriction_labels(), arrangement.restrictions_note]
                ).strip()
            )
        meetings = period_meetings(self.user, report)
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
        return pdf.to_bytes()

    def _section(self, text: str) -> None:
        self.pdf.section(text)

    def _text(self, text: str) -> None:
        self.pdf.paragraph(text or "–")

    def _dated(self, items, empty: str) -> None:
        if not items:
            self._text(empty)
            return
        for meeting, text in items:
            self.pdf.paragraph(_local(meeting.starts_at), size=9.5, bold=True)
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
        rows = []
        for m in meetings:
            cause = []
            if m.caused_by:
                cause.append(m.get_caused_by_display())
            if m.notice_hours is not None:
                cause.append(_("notice %(hours)s h") % {"hours": m.notice_hours})
            if m.minutes_late:
                cause.append(_("%(minutes)s min late") % {"minutes": m.minutes_late})
            rows.append(
                [
                    _local(m.starts_at),
                    m.get_status_display(),
                    f"{_time(m.visitor_arrived_at)} / {_time(m.child_arrived_at)}",
                    f"{_time(m.handover_at)} – {_time(m.ended_at)}",
                    ", ".join(cause) or "–",
                ]
            )
        pdf.grid(headings, rows, widths=widths)

    def _observations(self, meetings: list[Meeting]) -> None:
        self._section(_("Observations against the competences worked on"))
        competences = self.arrangement.competence_items
        codes = self.arrangement.competences or competences.codes
        any_written = False
        for code in codes:
            notes = [(m, m.observations.get(code)) for m in meetings if m.observations.get(code)]
            if not notes:
                continue
            any_written = True
            self.pdf.paragraph(competences.label(code), size=10.5, bold=True, height=LINE + 1)
            self._dated(notes, "")
        if not any_written:
            self._text(_("No observations recorded in the period."))


def report_pdf(report: Report, user) -> bytes:
    return _Writer(report, user).render()
