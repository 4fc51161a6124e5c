"""The funder's reports of a programme: the list with a form to start the next one, a report as
the funder will see it (with exact figures and what the funder sees, for those who run the
programme), its narrative, its release by a second person, and its PDF and XLSX.

Every object comes through the policy; every page and download is audited. A released report is
built from its snapshot only."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_export,
    audit_list,
    audit_read,
    get_object_or_deny,
)
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import acted, date_field, period_in_order, saved
from earlyhelp.programmes import reports
from earlyhelp.programmes.access import figures_suppressed
from earlyhelp.programmes.models import Programme, Report

PURPOSE = "funder's report"
NARRATIVE_LIMIT = 20_000


class PeriodForm(forms.Form):
    period_starts = date_field(label=gettext_lazy("Period from"))
    period_ends = date_field(label=gettext_lazy("Period to"))

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.existing: Report | None = None

    def clean(self):
        data = super().clean()
        period_in_order(self, "period_starts", "period_ends")
        starts, ends = data.get("period_starts"), data.get("period_ends")
        programme = self.programme
        if starts and not programme.runs_on(starts):
            self.add_error("period_starts", _("The period must lie within the programme's."))
        if ends and not programme.runs_on(ends):
            self.add_error("period_ends", _("The period must lie within the programme's."))
        if starts and ends and not self.errors:
            # The model's rule (Report.clean), asked here to link the report it overlaps.
            probe = Report(programme=programme, period_starts=starts, period_ends=ends)
            self.existing = probe.overlapping()
            if self.existing is not None:
                raise probe.overlap_error(self.existing)
        return data


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=gettext_lazy("Narrative"),
        required=False,
        max_length=NARRATIVE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=gettext_lazy(
            "What the programme did in the period, in your words. The funder reads it as it "
            "stands when the report is released; name no child or family."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReleaseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Which counting of the figures the releaser saw (`reports.figures_stamp`).
    figures = forms.CharField(widget=forms.HiddenInput, max_length=64)


def _quarter_end(day: date) -> date:
    month = ((day.month - 1) // 3 + 1) * 3
    return date(day.year, month, calendar.monthrange(day.year, month)[1])


def next_period(programme: Programme) -> tuple[date, date] | None:
    """The period after the last report: from the day after it to the end of that calendar
    quarter (or the programme's end, if sooner); the first from the programme's start. None
    once the programme's end is reported: reports never overlap, so there is no next one."""
    last = programme.reports.order_by("-period_ends").first()
    starts = programme.starts_on if last is None else last.period_ends + timedelta(days=1)
    if starts > programme.ends_on:
        return None
    return starts, min(_quarter_end(starts), programme.ends_on)


def _programme(request, pk: int, action: str = Action.VIEW) -> Programme:
    return get_object_or_deny(request, Programme.objects.all(), action, pk=pk)


def _report(request, pk: int) -> Report:
    return get_object_or_deny(
        request, Report.objects.select_related("programme", "prepared_by", "released_by"), pk=pk
    )


def _list(request, programme: Programme, form: PeriodForm | None, status: int = 200):
    rows = visible(request.user, programme.reports.all()).select_related(
        "prepared_by", "released_by"
    )
    audit_list(
        request, object_type="programmes.report", purpose=PURPOSE, object_id=str(programme.pk)
    )
    return render(
        request,
        "programmes/reports.html",
        {
            "programme": programme,
            "reports": rows.order_by("-period_starts", "-period_ends"),
            "form": form,
            "next": next_period(programme),
        },
        status=status,
    )


@login_required
def report_list(request, pk: int):
    programme = _programme(request, pk)
    form = None
    if can(request.user, Action.CHANGE, programme):
        period = next_period(programme)
        initial = {"period_starts": period[0], "period_ends": period[1]} if period else {}
        form = PeriodForm(programme=programme, initial=initial)
    return _list(request, programme, form)


@login_required
@require_POST
def report_create(request, pk: int):
    programme = _programme(request, pk)
    if not can(request.user, Action.CHANGE, programme):
        raise PermissionDenied
    form = PeriodForm(request.POST, programme=programme)
    made: dict = {}

    def save(data):
        try:
            made["report"] = reports.create(
                user=request.user,
                programme=programme,
                starts=data["period_starts"],
                ends=data["period_ends"],
                **audit_context(request),
            )
        except (IntegrityError, ValidationError) as error:
            # Another tab made the same or an overlapping period a moment ago: link to it.
            probe = Report(
                programme=programme,
                period_starts=data["period_starts"],
                period_ends=data["period_ends"],
            )
            form.existing = probe.overlapping()
            if isinstance(error, ValidationError):
                raise
            raise ValidationError(_("There is already a report of this period.")) from error

    if saved(form, save):
        messages.success(request, _("The report was started as a draft."))
        return redirect("programmes:report", pk=made["report"].pk)
    return _list(request, programme, form, status=400)


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    user = request.user
    programme = report.programme
    may_change = not report.is_released and can(user, Action.CHANGE, report)
    form = None
    if may_change:
        form = NarrativeForm(
            request.POST or None,
            initial={"narrative": report.narrative, "version": report.version},
        )
    elif request.method == "POST":
        raise PermissionDenied

    def save(data):
        reports.save_narrative(
            user=user,
            report=report,
            narrative=data["narrative"],
            version=data["version"],
            **audit_context(request),
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The narrative was saved."))
        return redirect("programmes:report", pk=report.pk)

    # A draft's kept figures, read once for the exact content, the funder's and the stamp.
    stored = None if report.is_released else reports.draft_figures(report)
    exact = None if stored is None else reports.exact_content(report, stored)
    funder = reports.funder_content(report, exact)
    if exact is not None and figures_suppressed(user, programme):
        exact = None
    may_release = not report.is_released and can(user, Action.APPROVE, report)
    prepared_it = report.prepared_by_id == user.pk
    computed_at = (exact or funder).get("computed_at")
    audit_read(request, report, purpose=PURPOSE)
    return render(
        request,
        "programmes/report.html",
        {
            "report": report,
            "programme": programme,
            "facts": reports.fact_rows(funder),
            "sections": reports.screen(exact, funder) if exact else reports.screen(funder),
            "exact": exact is not None,
            "differs": exact is not None and reports.differs(exact, funder),
            "computed_at": computed_at and reports.local_moment(computed_at),
            "narrative": funder.get("narrative", ""),
            "form": form,
            "release_form": ReleaseForm(
                initial={"version": report.version, "figures": reports.figures_stamp(stored)}
            )
            if may_release
            else None,
            "may_compute": not report.is_released and can(user, Action.CHANGE, programme),
            "prepared_it": prepared_it and not report.is_released and not may_release,
            "suppression_note": reports.suppression_note(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def report_release(request, pk: int):
    report = _report(request, pk)
    if not can(request.user, Action.APPROVE, report):
        raise PermissionDenied

    def act(data):
        reports.release(
            user=request.user,
            report=report,
            version=data["version"],
            seen=data["figures"],
            **audit_context(request),
        )

    acted(
        request,
        ReleaseForm(request.POST),
        act,
        _("The report is released. From now on it is fixed as the funder received it."),
    )
    return redirect("programmes:report", pk=report.pk)


def _download(request, pk: int, extension: str):
    report = _report(request, pk)
    content = reports.funder_content(report)
    audit_export(
        request,
        report,
        purpose=PURPOSE,
        changes={"format": extension, "released": report.is_released},
    )
    return report, content


@login_required
def report_pdf(request, pk: int):
    report, content = _download(request, pk, "pdf")
    return private_download(
        reports.report_pdf(report, content),
        filename=reports.file_name(report, "pdf"),
        content_type="application/pdf",
    )


@login_required
def report_xlsx(request, pk: int):
    from earlyhelp.core.exports import table_download

    report, content = _download(request, pk, "xlsx")
    columns, rows = reports.report_rows(report, content)
    return table_download(columns, rows, filename=reports.file_name(report, ""), fmt="xlsx")
