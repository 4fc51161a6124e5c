"""The pages of the toolkit of help: activities with their meetings, attendance and people;
the worker's week and the month's log; workshops for staff; sparring requests. Every object
comes through the policy; every page that names people is audited."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_export,
    audit_list,
    audit_read,
    get_object_or_deny,
)
from earlyhelp.activities import selectors, services
from earlyhelp.activities.access import (
    activity_institutions,
    listed_institutions,
    sparring_institutions,
)
from earlyhelp.activities.forms import (
    ActivityEditForm,
    ActivityForm,
    ActivityListForm,
    FeedbackForm,
    ParticipantAddForm,
    ParticipantForm,
    SessionAddForm,
    SessionRecordForm,
    SparringDeclineForm,
    SparringRequestForm,
    SparringScheduleForm,
)
from earlyhelp.activities.models import (
    Activity,
    ActivityType,
    Session,
    SparringRequest,
)
from earlyhelp.core.exports import FORMATS, table_download
from earlyhelp.core.forms import SANE_YEARS, acted, saved
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.core.text import plain_number
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.core.weeks import monday_of
from earlyhelp.organisations.models import Group, Institution, Membership, Role
from earlyhelp.programmes.services import programmes_shown

# --- Activities -------------------------------------------------------------------------------


@login_required
def activity_list(request):
    if not can(request.user, Action.LIST, Activity):
        raise PermissionDenied
    institutions = listed_institutions(request.user)
    types = ActivityType.objects.filter(municipality_id__in=institutions.values("municipality_id"))
    # Only the filters the page offers reach the query: a typed-in value (a NUL byte, which
    # PostgreSQL refuses in a text column) is refused by the form and filters nothing.
    form = ActivityListForm(
        request.GET,
        types=types,
        institutions=institutions.order_by("name"),
        statuses=Activity.Status.choices,
        sorts=[
            ("next", gettext_lazy("Next meeting first")),
            ("newest", gettext_lazy("Newest first")),
        ],
        period_label=_("With a meeting between these days."),
    )
    filters = form.filters
    page = selectors.activity_page(
        request.user, cursor=request.GET.get("after", ""), mine=form.mine, filters=filters
    )
    audit_list(
        request,
        object_type="activities.activity",
        purpose="activities",
        changes={"rows": len(page.rows), "searched": bool(filters.get("child"))},
    )
    return render(
        request,
        "activities/list.html",
        {
            "page": page,
            "form": form,
            "mine": form.mine,
            "can_create": can(request.user, Action.CREATE, Activity),
        },
    )


@login_required
def activity_new(request):
    if not can(request.user, Action.CREATE, Activity):
        raise PermissionDenied
    institutions = activity_institutions(request.user)
    initial = {}
    if request.GET.get("type"):
        # The type chosen in advance brings the method it follows.
        initial["type"], initial["method"] = (
            ActivityType.objects.filter(
                municipality_id__in=institutions.values("municipality_id"),
                code=request.GET["type"],
            )
            .values_list("pk", "method_id")
            .first()
        ) or (None, None)
    if (concern := plain_number(request.GET.get("concern"))) is not None:
        initial["concern"] = concern
    form = ActivityForm(
        request.POST or None,
        initial=initial,
        **selectors.activity_form_choices(request.user, institutions),
    )
    made = {}

    def save(data):
        made["activity"] = services.activity_create(
            user=request.user, data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The activity was planned."))
        return redirect(made["activity"])
    return render(request, "activities/form.html", {"form": form, "activity": None})


def _activity(request, pk: int, action: str = Action.VIEW) -> Activity:
    return get_object_or_deny(
        request,
        Activity.objects.select_related("type", "institution", "lead", "concern", "case", "method"),
        action,
        pk=pk,
    )


def _detail(request, activity: Activity, forms: dict | None = None, status: int = 200):
    user = request.user
    context = selectors.activity_detail(user, activity)
    context["linked_programmes"] = programmes_shown(user, activity)
    if context["details"]:
        # The page names who takes part: every showing of it is audited, a refused form's too.
        audit_read(request, activity, purpose="activity")
    context.update(_page_forms(request, activity, context, forms or {}))
    return render(request, "activities/detail.html", context, status=status)


def _page_forms(request, activity: Activity, page: dict, forms: dict) -> dict:
    """The forms of the activity's page, those the user may use, a refused one as it came."""
    made = {}
    for p in page.get("participants", []):
        p.form = forms.get(f"participant_{p.pk}") or ParticipantForm(
            prefix=f"p{p.pk}",
            initial={
                "target_group": p.target_group, "outcome": p.outcome,
                "outcome_note": p.outcome_note, "left_on": p.left_on,
                "left_reason": p.left_reason, "version": p.version,
            },
        )  # fmt: skip
    own = page["registration"]
    if page["may_give_feedback"]:
        made["feedback_form"] = FeedbackForm(
            initial={"rating": own.feedback_rating, "feedback": own.feedback}
        )
    if page["may_add"]:
        made["session_form"] = SessionAddForm(
            initial={
                "start": activity.start_time, "minutes": activity.minutes, "place": activity.place
            }
        )  # fmt: skip
        made["participant_form"] = _participant_add_form(request, activity)
    for name, form in forms.items():
        if not name.startswith("participant_") or name == "participant_form":
            made[name] = form
    return made


def _participant_add_form(request, activity: Activity, data=None) -> ParticipantAddForm:
    return ParticipantAddForm(data, **selectors.participant_choices(request.user, activity))


@login_required
def activity_detail(request, pk: int):
    activity = _activity(request, pk)
    return _detail(request, activity)


@login_required
def activity_edit(request, pk: int):
    activity = _activity(request, pk, Action.CHANGE)
    institutions = Institution.objects.filter(pk=activity.institution_id)
    initial = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    initial.update(
        status=activity.status,
        version=activity.version,
        workers=list(activity.workers.all()),
        programmes=list(activity.programmes.all()),
        partners=list(activity.partners.all()),
    )
    form = ActivityEditForm(
        request.POST or None,
        initial=initial,
        **selectors.activity_form_choices(request.user, institutions, activity),
    )

    def save(data):
        services.activity_update(
            user=request.user, activity=activity, data=data, version=data["version"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(activity)
    return render(request, "activities/form.html", {"form": form, "activity": activity})


@login_required
@require_POST
def session_add(request, pk: int):
    activity = _activity(request, pk, Action.CHANGE)
    form = SessionAddForm(request.POST)

    def save(data):
        services.sessions_plan(
            user=request.user, activity=activity, days=[data["day"]], start=data["start"],
            minutes=data["minutes"], place=data["place"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The meeting was added."))
        return redirect(f"{activity.get_absolute_url()}#sessions-heading")
    return _detail(request, activity, {"session_form": form}, status=400)


@login_required
def session_record(request, pk: int, session_pk: int):
    """Attendance and the note of one meeting, on one screen that works on a phone: everyone
    starts as present, so a helper taps only those who are missing."""
    activity = _activity(request, pk, Action.CHANGE)
    session = visible_of(request.user, activity, activity.sessions.filter(pk=session_pk)).first()
    if session is None:
        raise Http404
    session.activity = activity
    participants, hidden = services.readable(request.user, services.attendees(session))
    marked = dict(session.attendance.values_list("participant_id", "status"))
    # A planned meeting is offered as held once it may be (the common case: recording it
    # afterwards); one still to come stays planned, so that saving it never fails.
    held = session.status == Session.Status.PLANNED and session.may_be_held()
    initial = {
        "status": Session.Status.HELD if held else session.status,
        "minutes": session.minutes,
        "head_count": session.head_count,
        "note": session.note,
        "version": session.version,
    }
    form = SessionRecordForm(
        request.POST or None, initial=initial, participants=participants, marked=marked
    )
    if request.method == "GET":
        audit_read(request, activity, purpose="attendance")

    def save(data):
        services.session_record(
            user=request.user, session=session, version=data["version"], status=data["status"],
            minutes=data["minutes"], note=data["note"], head_count=data["head_count"],
            attendance=form.attendance(), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The meeting was recorded."))
        return redirect(f"{activity.get_absolute_url()}#sessions-heading")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "activities/session.html",
        {"activity": activity, "session": session, "form": form, "hidden": hidden},
        status=status,
    )


@login_required
@require_POST
def participant_add(request, pk: int):
    activity = _activity(request, pk, Action.CHANGE)
    form = _participant_add_form(request, activity, request.POST)

    def save(data):
        services.participant_add(
            user=request.user, activity=activity, child=data["child"], adult=data["adult"],
            name=data["name"], target_group=data["target_group"], joined_on=data["joined_on"],
            **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("Added to the participants."))
        return redirect(f"{activity.get_absolute_url()}#participants-heading")
    return _detail(request, activity, {"participant_form": form}, status=400)


@login_required
@require_POST
def participant_update(request, pk: int, participant_pk: int):
    activity = _activity(request, pk, Action.CHANGE)
    participant = visible_of(
        request.user, activity, activity.participants.filter(pk=participant_pk)
    ).first()
    if participant is None or not services.readable(request.user, [participant])[0]:
        raise Http404
    participant.activity = activity
    form = ParticipantForm(request.POST, prefix=f"p{participant.pk}")

    def save(data):
        services.participant_update(
            user=request.user, participant=participant, **data, **audit_context(request)
        )

    if saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(f"{activity.get_absolute_url()}#participants-heading")
    return _detail(request, activity, {f"participant_{participant.pk}": form}, status=400)


# --- Workshops --------------------------------------------------------------------------------


@login_required
def workshops(request):
    """The workshops for staff of the user's institutions, to register for, and their own."""
    today = timezone.localdate()
    upcoming = (
        visible(
            request.user, Activity.objects.select_related("type", "institution"), Action.REGISTER
        )
        .filter(Q(ends_on__gte=today) | Q(ends_on__isnull=True, starts_on__gte=today))
        .order_by("starts_on", "pk")
    )
    registered = visible(
        request.user,
        Activity.objects.select_related("type", "institution").filter(
            participants__staff=request.user, participants__left_on__isnull=True
        ),
        Action.VIEW,
    ).order_by("-starts_on")
    if not sparring_institutions(request.user) and not registered.exists():
        raise PermissionDenied
    return render(
        request,
        "activities/workshops.html",
        {"upcoming": upcoming[:50], "registered": registered[:50]},
    )


@login_required
@require_POST
def register(request, pk: int):
    activity = _activity(request, pk)
    acted(
        request, forms.Form({}),
        lambda data: services.workshop_register(
            user=request.user, activity=activity, **audit_context(request)
        ),
        _("You are registered."),
    )  # fmt: skip
    return redirect(activity)


@login_required
@require_POST
def unregister(request, pk: int):
    activity = _activity(request, pk)
    acted(
        request, forms.Form({}),
        lambda data: services.workshop_cancel_registration(
            user=request.user, activity=activity, **audit_context(request)
        ),
        _("Your registration was cancelled."),
    )  # fmt: skip
    return redirect(activity)


@login_required
@require_POST
def feedback(request, pk: int):
    activity = _activity(request, pk)
    form = FeedbackForm(request.POST)

    def save(data):
        services.workshop_feedback(
            user=request.user, activity=activity, rating=data["rating"],
            feedback=data["feedback"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("Thank you for your feedback."))
        return redirect(activity)
    return _detail(request, activity, {"feedback_form": form}, status=400)


# --- The week and the month -------------------------------------------------------------------


def _monday(value: str) -> date:
    try:
        day = date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if not SANE_YEARS[0] <= day.year <= SANE_YEARS[1]:
        day = timezone.localdate()
    return monday_of(day)


@login_required
def week(request):
    if not can(request.user, Action.LIST, Activity):
        raise PermissionDenied
    monday = _monday(request.GET.get("week", ""))
    context = selectors.week(request.user, monday)
    context.update(
        monday=monday,
        sunday=monday + timedelta(days=6),
        previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
        today=timezone.localdate(),
        # The month most of the week lies in (its Thursday's, as ISO weeks count).
        this_month=(monday + timedelta(days=3)).strftime("%Y-%m"),
    )
    return render(request, "activities/week.html", context)


@login_required
def export(request):
    """The month's activity log for the municipality: one row per meeting with counts of who
    took part, no names. Audited as an export."""
    if not can(request.user, Action.LIST, Activity):
        raise PermissionDenied
    fmt = request.GET.get("format", "xlsx")
    try:
        first = date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        first = None
    if first is not None and not SANE_YEARS[0] <= first.year <= SANE_YEARS[1]:
        first = None
    if fmt not in FORMATS or first is None:
        messages.error(request, _("Choose a month and a format (CSV or XLSX)."))
        return redirect("activities:week")
    team = request.GET.get("scope") == "team"
    sessions = selectors.month_sessions(request.user, first, team=team)
    audit_export(request, purpose=f"activity log {first:%Y-%m}{' team' if team else ''}")
    columns = [str(_(c)) for c in selectors.LOG_COLUMNS]
    return table_download(
        columns,
        selectors.log_rows(sessions, user=request.user, stream=team),
        filename=f"activity-log-{first:%Y-%m}",
        fmt=fmt,
    )


# --- Sparring ---------------------------------------------------------------------------------


@login_required
def sparring_list(request):
    if not can(request.user, Action.LIST, SparringRequest):
        raise PermissionDenied
    requests = visible(
        request.user, SparringRequest.objects.select_related("institution", "requested_by")
    )
    status = request.GET.get("status", "")
    if status in SparringRequest.Status.values:
        requests = requests.filter(status=status)
    page = keyset_page(
        requests, [Key("created_at", descending=True), Key("pk", descending=True)],
        request.GET.get("after", ""), 25,
    )  # fmt: skip
    return render(
        request,
        "activities/sparring_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SparringRequest.Status.choices,
            "can_create": can(request.user, Action.CREATE, SparringRequest),
        },
    )


@login_required
def sparring_new(request):
    if not can(request.user, Action.CREATE, SparringRequest):
        raise PermissionDenied
    ids = sparring_institutions(request.user)
    form = SparringRequestForm(
        request.POST or None,
        # Only where a social helper works: elsewhere nobody would answer.
        institutions=Institution.objects.filter(pk__in=ids)
        .filter(
            pk__in=Membership.objects.active()
            .filter(role=Role.SOCIAL_HELPER)
            .values("institution_id")
        )
        .order_by("name"),
        groups=Group.objects.filter(institution_id__in=ids).order_by("name"),
    )
    made = {}

    def save(data):
        made["request"] = services.sparring_request(
            user=request.user, institution=data["institution"], about=data["about"],
            topic=data["topic"], group=data["group"], preferred_times=data["preferred_times"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Your request was sent to the social helpers."))
        return redirect(made["request"])
    return render(request, "activities/sparring_new.html", {"form": form})


def _sparring(request, pk: int, action: str = Action.VIEW) -> SparringRequest:
    return get_object_or_deny(
        request,
        SparringRequest.objects.select_related(
            "institution", "requested_by", "group", "helper", "activity"
        ),
        action,
        pk=pk,
    )


def _sparring_page(request, item: SparringRequest, forms: dict | None = None, status=200):
    can_change = can(request.user, Action.CHANGE, item)
    context = {
        "item": item,
        "can_change": can_change,
        "can_withdraw": can(request.user, Action.CLOSE, item),
        "session": (
            visible(request.user, item.activity.sessions.all()).first() if item.activity else None
        ),
    }
    if can_change:
        context["schedule_form"] = SparringScheduleForm(initial={"version": item.version})
        if item.status == SparringRequest.Status.REQUESTED:
            context["decline_form"] = SparringDeclineForm(initial={"version": item.version})
    context.update(forms or {})
    return render(request, "activities/sparring.html", context, status=status)


@login_required
def sparring_detail(request, pk: int):
    item = _sparring(request, pk)
    audit_read(request, item, purpose="sparring")
    return _sparring_page(request, item)


@login_required
@require_POST
def sparring_schedule(request, pk: int):
    item = _sparring(request, pk, Action.CHANGE)
    form = SparringScheduleForm(request.POST)

    def save(data):
        services.sparring_schedule(
            user=request.user, request=item, version=data["version"],
            starts_at=data["starts_at"], minutes=data["minutes"], place=data["place"],
            answer=data["answer"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The sparring is scheduled; the one who asked was told."))
        return redirect(item)
    return _sparring_page(request, item, {"schedule_form": form}, status=400)


@login_required
@require_POST
def sparring_decline(request, pk: int):
    item = _sparring(request, pk, Action.CHANGE)
    form = SparringDeclineForm(request.POST)

    def save(data):
        services.sparring_decline(
            user=request.user, request=item, version=data["version"], answer=data["answer"],
            **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The request was declined; the one who asked was told."))
        return redirect(item)
    return _sparring_page(request, item, {"decline_form": form}, status=400)


@login_required
@require_POST
def sparring_withdraw(request, pk: int):
    item = _sparring(request, pk, Action.CLOSE)
    try:
        services.sparring_withdraw(user=request.user, request=item, **audit_context(request))
    except StaleVersionError as error:  # answered at the same moment
        messages.error(request, error.args[0])
        return redirect(item)
    messages.success(request, _("Your request was withdrawn."))
    return redirect(reverse("activities:sparring_list"))
