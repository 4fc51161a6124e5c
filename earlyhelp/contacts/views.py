"""The pages of assisted contact: the worker's arrangements, an arrangement with its meetings
and reports, planning a series with its clashes explained, recording a meeting on a tablet or
phone, the service's contact calendar, and reports for the court or the authority. Every object
comes through the policy; every page that names a child is audited."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_export,
    audit_list,
    audit_read,
    get_object_or_deny,
)
from earlyhelp.cases.models import Case
from earlyhelp.contacts import selectors, services
from earlyhelp.contacts.access import CONTACT_ROLES, contact_services, listed_services
from earlyhelp.contacts.forms import (
    ArrangementEditForm,
    ArrangementForm,
    ArrangementListForm,
    MeetingCancelForm,
    MeetingRecordForm,
    ReportEditForm,
    ReportForm,
    ReviewForm,
    SeriesForm,
    ShiftForm,
    StageForm,
)
from earlyhelp.contacts.models import Arrangement, Meeting, Report, Room
from earlyhelp.contacts.pdf import attendance_figures, period_meetings, report_pdf
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import SANE_YEARS, acted, first_choices, saved
from earlyhelp.core.text import plain_number
from earlyhelp.core.versioning import StaleVersionError, posted_version
from earlyhelp.core.weeks import monday_of
from earlyhelp.knowledge.items import Kind, current_items
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Service
from earlyhelp.people.models import Adult, Child
from earlyhelp.programmes.services import programmes_shown


def _choices(user, services_qs, child: Child | None, arrangement: Arrangement | None = None):
    """The choices of the arrangement form, each through the policy: the child's relatives
    the user may see (a restricted adult only for those who may open the record), the open
    cases the user works, the workers of the services' municipalities and their rooms. What
    the arrangement already names stays, named only to those who may see it."""
    municipalities = services_qs.values("municipality_id")
    adults = visible(
        user, Adult.objects.filter(relationships__child_id=child.pk if child else None)
    ).order_by("family_name", "given_name")
    cases = first_choices(
        visible(user, Case.objects.filter(status=Case.Status.OPEN), Action.CHANGE).order_by(
            "title"
        ),
        200,
    )
    return {
        "services": services_qs,
        "children": visible(user, Child.objects.filter(pk=child.pk if child else None)),
        "adults": adults,
        "rooms": Room.objects.filter(service__in=services_qs, active=True),
        "workers": workers(
            CONTACT_ROLES,
            municipalities=municipalities,
            exclude=arrangement.lead_id if arrangement else user.pk,
        ),
        "cases": cases,
        "linked": {
            "visitor": arrangement.visitor_id if arrangement else None,
            "carer": arrangement.carer_id if arrangement else None,
            "case": arrangement.case_id if arrangement else None,
        },
        "user": user,
        "competences": arrangement.competence_items.choices
        if arrangement
        else _competence_choices(services_qs),
    }


def _competence_choices(services_qs) -> list[tuple[str, str]]:
    """The competences a new arrangement may work on: those of the current method of each
    service offered (the service's own list is checked again when it is saved)."""
    choices: dict[str, str] = {}
    for service in services_qs:
        for code, label in current_items(service, Kind.CONTACT_COMPETENCES).choices:
            choices.setdefault(code, label)
    return list(choices.items())


@login_required
def arrangement_list(request):
    if not can(request.user, Action.LIST, Arrangement):
        raise PermissionDenied
    form = ArrangementListForm(
        request.GET,
        services=Service.objects.filter(pk__in=listed_services(request.user)).order_by("name"),
        sorts=[
            ("next", gettext_lazy("Next meeting first")),
            ("newest", gettext_lazy("Newest first")),
        ],
        period_label=_("With a meeting between these days."),
    )
    filters = form.filters
    page = selectors.arrangement_page(
        request.user, cursor=request.GET.get("after", ""), mine=form.mine, filters=filters
    )
    # The list names children: a read of their names, audited as a list, once per showing.
    audit_list(
        request,
        object_type="people.child",
        purpose="contact arrangements",
        changes={
            "children": [a.child_id for a in page.rows],
            "rows": len(page.rows),
            "searched": bool(filters.get("child")),
        },
    )
    return render(
        request,
        "contacts/list.html",
        {
            "page": page,
            "form": form,
            "mine": form.mine,
            "can_create": can(request.user, Action.CREATE, Arrangement),
        },
    )


@login_required
def arrangement_new(request):
    if not can(request.user, Action.CREATE, Arrangement):
        raise PermissionDenied
    services_qs = Service.objects.filter(pk__in=contact_services(request.user)).order_by("name")
    child = None
    child_id = plain_number(request.POST.get("child") or request.GET.get("child"))
    if child_id is not None:
        child = visible(request.user, Child.objects.all()).filter(pk=child_id).first()
        if child is None:
            raise Http404
    if child is None:
        # First the child: the adults offered are the child's relatives.
        children = first_choices(
            visible(request.user, Child.objects.filter(
                municipality_id__in=services_qs.values("municipality_id")
            )).order_by("family_name", "given_name"),
            600,
        )  # fmt: skip
        return render(request, "contacts/choose_child.html", {"children": children})
    initial = {"child": child.pk, "starts_on": timezone.localdate()}
    form = ArrangementForm(
        request.POST or None, initial=initial, **_choices(request.user, services_qs, child)
    )
    made = {}

    def save(data):
        made["arrangement"] = services.arrangement_create(
            user=request.user, service=data["service"], child=child, data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The contact arrangement was recorded."))
        return redirect(made["arrangement"])
    audit_read(request, child, purpose="contact arrangement")
    return render(
        request, "contacts/form.html", {"form": form, "arrangement": None, "child": child}
    )


def _arrangement(request, pk: int, action: str = Action.VIEW) -> Arrangement:
    """The arrangement through the policy, with whom its pages may name."""
    arrangement = get_object_or_deny(request, selectors.arrangement_queryset(), action, pk=pk)
    selectors.name_visitors(request.user, [arrangement])
    return arrangement


def _detail(request, arrangement: Arrangement, forms: dict | None = None, status: int = 200):
    user = request.user
    can_change = can(user, Action.CHANGE, arrangement)
    now = timezone.now()
    meetings = list(
        visible_of(user, arrangement, arrangement.meetings.select_related("room", "lead"))
    )
    context = {
        "arrangement": arrangement,
        "can_change": can_change,
        "workers": list(arrangement.workers.all()),
        "upcoming": [m for m in meetings if m.starts_at >= now and m.is_planned],
        "past": [m for m in meetings if m.starts_at < now or not m.is_planned][::-1],
        "figures": attendance_figures(meetings),
        "stages": list(arrangement.stage_changes.select_related("changed_by")),
        "reports": list(visible(user, arrangement.reports.select_related("written_by"))),
        "now": now,
        "show_case": arrangement.case_id is not None and can(user, Action.VIEW, arrangement.case),
        "named": _named_adults(user, arrangement),
        "linked_programmes": programmes_shown(user, arrangement),
    }
    if can_change and arrangement.status == Arrangement.Status.ACTIVE:
        context["stage_form"] = StageForm(
            initial={"version": arrangement.version}, stages=arrangement.stages.choices
        )
        context["shift_form"] = ShiftForm(initial={"version": arrangement.version})
    context.update(forms or {})
    audit_read(request, arrangement, purpose="contact arrangement")
    return render(request, "contacts/detail.html", context, status=status)


def _named_adults(user, arrangement: Arrangement) -> dict[str, bool]:
    """Whether the page may name the visitor and the carer (the policy's `unnamed`, asked
    where the arrangement was fetched)."""
    return {"visitor": arrangement.visitor_named, "carer": arrangement.carer_named}


@login_required
def arrangement_detail(request, pk: int):
    return _detail(request, _arrangement(request, pk))


@login_required
def arrangement_edit(request, pk: int):
    arrangement = _arrangement(request, pk, Action.CHANGE)
    services_qs = Service.objects.filter(pk=arrangement.service_id)
    initial = {name: getattr(arrangement, name) for name in services.ARRANGEMENT_FIELDS}
    initial.update(
        status=arrangement.status, version=arrangement.version,
        workers=list(arrangement.workers.all()), programmes=list(arrangement.programmes.all()),
    )  # fmt: skip
    form = ArrangementEditForm(
        request.POST or None,
        initial=initial,
        **_choices(request.user, services_qs, arrangement.child, arrangement),
    )

    def save(data):
        services.arrangement_update(
            user=request.user, arrangement=arrangement, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(arrangement)
    audit_read(request, arrangement, purpose="contact arrangement")
    return render(
        request,
        "contacts/form.html",
        {"form": form, "arrangement": arrangement, "child": arrangement.child},
    )


@login_required
@require_POST
def arrangement_stage(request, pk: int):
    arrangement = _arrangement(request, pk, Action.CHANGE)
    form = StageForm(request.POST, stages=arrangement.stages.choices)

    def act(data):
        services.arrangement_stage(
            user=request.user, arrangement=arrangement, stage=data["stage"], on=data["on"],
            reason=data["reason"], version=data["version"], **audit_context(request),
        )  # fmt: skip

    acted(request, form, act, _("The stage was changed."))
    return redirect(f"{arrangement.get_absolute_url()}#stage-heading")


@login_required
@require_POST
def series_shift(request, pk: int):
    arrangement = _arrangement(request, pk, Action.CHANGE)
    form = ShiftForm(request.POST)

    def act(data):
        services.series_shift(
            user=request.user, arrangement=arrangement, from_day=data["from_day"],
            days=data["days"], minutes=data["minutes"], version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    acted(request, form, act, _("The planned meetings were moved."))
    return redirect(f"{arrangement.get_absolute_url()}#upcoming-heading")


@login_required
def series_plan(request, pk: int):
    """Plan one meeting or a series: the dates are checked first and every clash explained;
    then all are planned, or only the free ones."""
    arrangement = _arrangement(request, pk, Action.CHANGE)
    step = services.STEP_DAYS.get(arrangement.frequency, 14)
    initial = {
        "minutes": arrangement.minutes, "step_days": step, "room": arrangement.room_id,
        "lead": arrangement.lead_id, "count": 6,
        "first_day": timezone.localdate() + timedelta(days=1),
    }  # fmt: skip
    form = SeriesForm(
        request.POST or None, initial=initial, **selectors.series_choices(arrangement)
    )
    slots = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            slots = services.series_slots(
                arrangement, first_day=data["first_day"], start=data["start"],
                count=data["count"], step_days=data["step_days"], minutes=data["minutes"],
                room=data["room"], lead=data["lead"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error.messages)
        action = request.POST.get("action", "check")
        if slots is not None and action in ("plan", "plan_free"):
            try:
                planned = services.meetings_plan(
                    user=request.user, arrangement=arrangement, slots=slots, room=data["room"],
                    lead=data["lead"], skip_clashes=action == "plan_free",
                    **audit_context(request),
                )  # fmt: skip
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s meeting was planned.",
                        "%(count)s meetings were planned.",
                        len(planned),
                    )
                    % {"count": len(planned)},
                )
                return redirect(f"{arrangement.get_absolute_url()}#upcoming-heading")
    audit_read(request, arrangement, purpose="contact planning")
    return render(
        request,
        "contacts/plan.html",
        {
            "arrangement": arrangement,
            "form": form,
            "slots": slots,
            "free": sum(1 for s in slots or [] if s.free),
        },
    )


def _meeting(request, pk: int, meeting_pk: int, action: str) -> Meeting:
    arrangement = _arrangement(request, pk, action)
    meetings = arrangement.meetings.select_related("room", "lead").filter(pk=meeting_pk)
    meeting = visible_of(request.user, arrangement, meetings, action).first()
    if meeting is None:
        raise Http404
    meeting.arrangement = arrangement
    return meeting


@login_required
def meeting_record(request, pk: int, meeting_pk: int):
    """The record of one meeting on one screen that works on a tablet or phone."""
    meeting = _meeting(request, pk, meeting_pk, Action.CHANGE)
    form = MeetingRecordForm.for_meeting(meeting, request.POST or None)

    def save(data):
        services.meeting_record(
            user=request.user, meeting=meeting, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The contact meeting was written up."))
        return redirect(f"{meeting.arrangement.get_absolute_url()}#past-heading")
    audit_read(request, meeting.arrangement, purpose="contact meeting")
    cancel_form = None
    if meeting.status == Meeting.Status.PLANNED:
        cancel_form = MeetingCancelForm(initial={"version": meeting.version})
    return render(
        request,
        "contacts/meeting.html",
        {"meeting": meeting, "arrangement": meeting.arrangement, "form": form,
         "cancel_form": cancel_form},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
@require_POST
def meeting_cancel(request, pk: int, meeting_pk: int):
    meeting = _meeting(request, pk, meeting_pk, Action.CHANGE)
    form = MeetingCancelForm(request.POST)

    def save(data):
        services.meeting_cancel(
            user=request.user, meeting=meeting, status=data["status"],
            caused_by=data["caused_by"], reason=data["reason"], version=data["version"],
            notice_given_at=data["notice_given_at"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(f"{meeting.arrangement.get_absolute_url()}#past-heading")
    audit_read(request, meeting.arrangement, purpose="contact meeting")
    return render(
        request,
        "contacts/meeting.html",
        {"meeting": meeting, "arrangement": meeting.arrangement,
         "form": MeetingRecordForm.for_meeting(meeting), "cancel_form": form},
        status=400,
    )  # fmt: skip


@login_required
def calendar(request):
    if not can(request.user, Action.LIST, Arrangement):
        raise PermissionDenied
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    if not SANE_YEARS[0] <= day.year <= SANE_YEARS[1]:
        day = timezone.localdate()
    monday = monday_of(day)
    context = selectors.calendar(request.user, monday)
    if context["count"]:
        children = sorted({m.child_id for day in context["days"].values() for m in day})
        audit_list(
            request,
            object_type="people.child",
            purpose="contact calendar",
            changes={"children": children},
        )
    context.update(
        monday=monday, sunday=monday + timedelta(days=6), previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7), today=timezone.localdate(),
    )  # fmt: skip
    return render(request, "contacts/calendar.html", context)


# --- Reports ------------------------------------------------------------------------------------


@login_required
def report_new(request, pk: int):
    arrangement = _arrangement(request, pk, Action.CHANGE)
    last = visible(request.user, arrangement.reports.order_by("-period_to")).first()
    initial = {
        "period_from": last.period_to + timedelta(days=1) if last else arrangement.starts_on,
        "period_to": timezone.localdate(),
    }
    form = ReportForm(request.POST or None, initial=initial)
    made = {}

    def save(data):
        made["report"] = services.report_create(
            user=request.user, arrangement=arrangement, recipient=data["recipient"],
            period_from=data["period_from"], period_to=data["period_to"],
            summary=data["summary"], **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The report was saved as a draft."))
        return redirect("contacts:report", pk=arrangement.pk, report_pk=made["report"].pk)
    audit_read(request, arrangement, purpose="contact report")
    return render(request, "contacts/report_form.html", {"form": form, "arrangement": arrangement})


def _report(request, pk: int, report_pk: int) -> Report:
    arrangement = _arrangement(request, pk)
    report = visible(request.user, arrangement.reports.all()).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    report.arrangement = arrangement
    return report


@login_required
def report_detail(request, pk: int, report_pk: int):
    report = _report(request, pk, report_pk)
    user = request.user
    editable = report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
    can_change = editable and can(user, Action.CHANGE, report)
    form = None
    if can_change:
        form = ReportEditForm(
            request.POST or None,
            initial={
                "recipient": report.recipient, "period_from": report.period_from,
                "period_to": report.period_to, "summary": report.summary,
                "version": report.version,
            },
        )  # fmt: skip
    elif request.method == "POST":
        raise PermissionDenied

    def save(data):
        services.report_update(
            user=user, report=report, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("contacts:report", pk=pk, report_pk=report.pk)
    can_review = report.status == Report.Status.IN_REVIEW and can(user, Action.APPROVE, report)
    meetings = period_meetings(user, report)
    audit_read(request, report.arrangement, purpose="contact report")
    return render(
        request,
        "contacts/report.html",
        {
            "report": report,
            "arrangement": report.arrangement,
            "form": form,
            "can_submit": can_change,
            "review_form": ReviewForm(initial={"version": report.version}) if can_review else None,
            "figures": attendance_figures(meetings),
            "meetings": meetings,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def report_submit(request, pk: int, report_pk: int):
    report = _report(request, pk, report_pk)
    if not can(request.user, Action.CHANGE, report):
        raise PermissionDenied
    try:
        services.report_submit(
            user=request.user,
            report=report,
            version=posted_version(request.POST.get("version")),
            **audit_context(request),
        )
    except StaleVersionError as error:
        messages.error(request, error.args[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is waiting for the supervisor's review."))
    return redirect("contacts:report", pk=pk, report_pk=report.pk)


@login_required
@require_POST
def report_review(request, pk: int, report_pk: int):
    report = _report(request, pk, report_pk)
    if not can(request.user, Action.APPROVE, report):
        raise PermissionDenied
    form = ReviewForm(request.POST)

    def act(data):
        services.report_review(
            user=request.user, report=report, release=data["decision"] == "release",
            note=data["note"], version=data["version"], **audit_context(request),
        )  # fmt: skip

    acted(request, form, act, _("The review was saved."))
    return redirect("contacts:report", pk=pk, report_pk=report.pk)


@login_required
def report_download(request, pk: int, report_pk: int):
    """The released report as it was released; before release, a draft built from the records
    now (marked as a draft in its file name). Audited as an export."""
    report = _report(request, pk, report_pk)
    if report.status == Report.Status.RELEASED and report.pdf:
        body, name = bytes(report.pdf), f"contact-report-{report.pk}.pdf"
    else:
        if not can(request.user, Action.CHANGE, report) and not can(
            request.user, Action.APPROVE, report
        ):
            raise PermissionDenied
        body, name = report_pdf(report, request.user), f"contact-report-{report.pk}-draft.pdf"
    audit_export(
        request,
        report,
        purpose="contact report",
        subject=f"people.child:{report.arrangement.child_id}",
    )
    return private_download(body, filename=name, content_type="application/pdf")
