"""Reading activities, always through the policy: the list, the worker's week, the month's
activity log for the municipality."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.activities.access import (
    ACTIVITY_OPENERS,
    activity_subjects,
    own_activity_ids,
    own_session_ids,
)
from earlyhelp.activities.models import Activity, ActivityType, Attendance, Participant, Session
from earlyhelp.activities.services import feedback_open, readable, registration_open
from earlyhelp.cases.models import Case
from earlyhelp.concerns.models import Concern
from earlyhelp.core.forms import first_choices
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.core.list_filters import meeting_between
from earlyhelp.core.weeks import week_days
from earlyhelp.knowledge.catalogue import offerable_methods
from earlyhelp.organisations.access import workers
from earlyhelp.people.access import findable_by_name
from earlyhelp.people.models import Adult, Child

# The list's orders (keyset pages, earlyhelp.core.keyset); each ends on the primary key.
# By the next meeting: the nearest planned meeting first; those with none planned last,
# newest first.
NEXT_ORDER = [
    Key("next_session", nullable=True),
    Key("starts_on", descending=True),
    Key("pk", descending=True),
]
NEWEST_ORDER = [Key("starts_on", descending=True), Key("pk", descending=True)]
LIST_ORDER = NEWEST_ORDER
ORDERS = {"next": NEXT_ORDER, "newest": NEWEST_ORDER}


def activity_page(
    user, *, cursor: str = "", mine: bool = False, filters: dict | None = None,
    page_size: int = 25,
) -> Page:  # fmt: skip
    """The activities the user may see (or those they deliver: `mine`), by the next planned
    meeting (`sort="next"`) or newest first (`sort="newest"`, the default), narrowed by the
    list's filters (`activities.forms.ActivityListForm`); each with its next meeting
    (`next_session`) and whom it is about, as far as the policy lets the user know
    (`subjects`)."""
    filters = filters or {}
    activities = visible(
        user, Activity.objects.select_related("type", "institution", "lead"), Action.VIEW
    )
    if mine:
        activities = activities.filter(pk__in=own_activity_ids(user))
    activities = _filtered(user, activities, filters)
    upcoming = Session.objects.filter(
        activity_id=OuterRef("pk"),
        status=Session.Status.PLANNED,
        starts_at__gte=timezone.now(),
    ).order_by("starts_at")
    activities = activities.annotate(next_session=Subquery(upcoming.values("starts_at")[:1]))
    order = ORDERS.get(filters.get("sort", ""), NEWEST_ORDER)
    page = keyset_page(activities, order, cursor, page_size)
    subjects = activity_subjects(user, page.rows)
    for activity in page.rows:
        activity.subjects = subjects[activity.pk]
    return page


def _filtered(user, activities: QuerySet, filters: dict) -> QuerySet:
    """The list's filters. A child's name is searched among the people taking part only
    where the user reads who takes part (`view_details`), and only among the children a list
    may name to the user (`findable_by_name`). The period keeps the activities with a meeting
    between its days."""
    if filters.get("type"):
        activities = activities.filter(type__code=filters["type"])
    if filters.get("status"):
        activities = activities.filter(status=filters["status"])
    if filters.get("institution"):
        activities = activities.filter(institution_id=filters["institution"])
    activities = meeting_between(
        activities, Session.objects.filter(activity_id=OuterRef("pk")), filters
    )
    if filters.get("child"):
        detailed = visible(user, Activity.objects.all(), Action.VIEW_DETAILS)
        taking_part = Participant.objects.filter(
            findable_by_name(user, filters["child"]), activity_id=OuterRef("pk")
        )
        activities = activities.filter(Exists(taking_part), pk__in=detailed.values("pk"))
    return activities


def activity_detail(user, activity: Activity) -> dict:
    """What the activity's page shows the user, through the policy: the meetings; to those who
    may see the details, the participants they may name and the feedback; the user's own
    registration; and what the user may do here (`can_register`, `may_give_feedback`,
    `may_add` meetings and participants)."""
    details = can(user, Action.VIEW_DETAILS, activity)
    can_change = details and can(user, Action.CHANGE, activity)
    sessions = list(visible_of(user, activity, activity.sessions.annotate(
        present=Count("attendance", filter=Q(attendance__status=Attendance.Status.PRESENT))
    ), Action.LIST))  # fmt: skip
    page = {
        "activity": activity,
        "details": details,
        "can_change": can_change,
        "sessions": sessions,
        "workers": list(activity.workers.all()),
        "now": timezone.now(),
        "minutes_held": sum(s.minutes for s in sessions if s.is_held),
        # Meetings and participants are added while the activity runs.
        "may_add": can_change and activity.is_active,
        "missing_agreement": activity.type.needs_agreement,
        "method": (
            activity.method
            if activity.method_id is not None and can(user, Action.VIEW, activity.method)
            else None
        ),
    }
    if details:
        participants = list(
            visible_of(user, activity, activity.participants.all())
            .select_related(
                "child__municipality__jurisdiction", "adult__municipality__jurisdiction", "staff"
            )
            .order_by(
                "left_on", "child__family_name", "adult__family_name", "staff__last_name", "name"
            )
        )
        page["participants"], page["hidden_participants"] = readable(user, participants)
        page["feedback"] = visible_of(
            user, activity, activity.participants.filter(feedback_rating__isnull=False)
        ).aggregate(average=Avg("feedback_rating"), count=Count("pk"))
    own = visible(user, activity.participants.filter(staff=user)).first()
    page["registration"] = own
    page["can_register"] = registration_open(activity=activity, registration=own) and can(
        user, Action.REGISTER, activity
    )
    if activity.type.registration:
        page["taken"] = visible_of(
            user, activity, activity.participants.filter(left_on__isnull=True), Action.LIST
        ).count()
    started = activity.sessions.filter(starts_at__lte=timezone.now())
    page["may_give_feedback"] = feedback_open(
        registration=own,
        started=own is not None and visible_of(user, activity, started, Action.LIST).exists(),
    )
    return page


def activity_form_choices(
    user, institutions: QuerySet, activity: Activity | None = None, *, limit: int | None = 200
) -> dict:
    """The choices of the activity form (new or edit) through the policy: the institutions
    given, the types of their municipalities' catalogues in use (and the activity's own, even
    switched off), co-workers, the concerns whose decision and the open cases the user may
    link, the methods on offer. A page offers the first `limit` concerns and cases in a list;
    the API, which names one by its id, takes any of them (`limit` None)."""
    municipalities = institutions.values("municipality_id")
    types = Q(active=True) | Q(pk=activity.type_id) if activity else Q(active=True)
    concerns = visible(
        user, Concern.objects.filter(institution__in=institutions), Action.VIEW_DECISION
    ).order_by("-received_at")
    cases = visible(user, Case.objects.filter(status=Case.Status.OPEN), Action.CHANGE).order_by(
        "title"
    )
    choices = {
        "institutions": institutions.order_by("name"),
        "types": ActivityType.objects.filter(types, municipality_id__in=municipalities),
        "workers": workers(
            ACTIVITY_OPENERS, municipalities=municipalities,
            exclude=activity.lead_id if activity else user.pk,
        ),
        "concerns": concerns if limit is None else first_choices(concerns, limit),
        "cases": cases if limit is None else first_choices(cases, limit),
        "methods": offerable_methods(user, municipalities),
    }  # fmt: skip
    # A link the user could not choose today (an older concern, another's case, a method no
    # longer in use) stays, named only to those who may see it (LinkChoiceField).
    choices["linked"] = {
        "concern": activity.concern_id if activity else None,
        "case": activity.case_id if activity else None,
        "method": activity.method_id if activity else None,
    }
    choices["user"] = user
    return choices


def participant_choices(user, activity: Activity, *, limit: int | None = 600) -> dict:
    """Whom a worker may add to the activity: the children enrolled in its institution who do
    not take part yet, and the adults related to children of the institution, as far as the
    user may see them. A page offers the first `limit` of each in a list; the API, which
    names one by its id, takes any of them (`limit` None)."""
    taking_part = visible_of(user, activity, activity.participants.all()).values("child_id")
    children = (
        visible(user, Child.objects.all())
        .filter(
            enrolments__group__institution_id=activity.institution_id,
            enrolments__ends_on__isnull=True,
        )
        .exclude(pk__in=taking_part.filter(child__isnull=False))
        .distinct()
        .order_by("family_name", "given_name")
    )
    adults = (
        visible(user, Adult.objects.all())
        .filter(relationships__child__enrolments__group__institution_id=activity.institution_id)
        .distinct()
        .order_by("family_name", "given_name")
    )
    if limit is None:
        return {"children": children, "adults": adults}
    return {"children": first_choices(children, limit), "adults": first_choices(adults, limit)}


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def own_sessions(user, first: date, last: date) -> QuerySet:
    """The meetings of the activities the user delivers (as lead or co-worker) between two
    days, both included, still through the policy: leaving the job ends the view."""
    start, end = _bounds(first, last)
    # Plain lookups by the period, then the policy over just those meetings: one statement
    # joining the union back to the policy costs more to plan than all of this takes to run.
    sessions = Session.objects.filter(pk__in=own_session_ids(user, start, end))
    return (
        visible(user, sessions, Action.VIEW)
        .select_related("activity__type", "activity__institution")
        .order_by("starts_at", "pk")
    )


def week(user, monday: date) -> dict:
    """The user's calendar for the week from `monday`: the meetings of each day, and the time
    per activity type (held and planned), cancelled meetings left out of the totals."""
    sessions = list(own_sessions(user, monday, monday + timedelta(days=6)))
    totals: dict[str, dict] = {}
    for session in sessions:
        if session.status == Session.Status.CANCELLED:
            continue
        activity_type = session.activity.type
        total = totals.setdefault(
            activity_type.code, {"type": activity_type, "held": 0, "planned": 0, "count": 0}
        )
        key = "held" if session.status == Session.Status.HELD else "planned"
        total[key] += session.minutes
        total["count"] += 1
    ordered = sorted(totals.values(), key=lambda t: (-(t["held"] + t["planned"]), str(t["type"])))
    return {
        "days": week_days(monday, sessions),
        "totals": ordered,
        "held": sum(t["held"] for t in ordered),
        "planned": sum(t["planned"] for t in ordered),
    }


LOG_COLUMNS = [
    "date", "start", "minutes", "status", "type", "kind of help", "activity", "institution",
    "delivered by", "present (named)", "children", "adults", "staff", "named on the day",
    "present (not named)", "from the action area", "programme", "method", "concern",
    "case",
]  # fmt: skip


def month_sessions(user, first: date, *, team: bool = False) -> QuerySet:
    """The meetings held or planned in the month beginning `first`: of the activities the user
    delivers, or with `team` every activity whose details the user may see (a supervisor's
    team, a social helper's institutions)."""
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if not team:
        return own_sessions(user, first, last)
    start, end = _bounds(first, last)
    period = Session.objects.filter(starts_at__gte=start, starts_at__lt=end)
    return visible(user, period, Action.VIEW).order_by("starts_at", "pk")


LOG_FIELDS = (
    "pk", "starts_at", "minutes", "status", "head_count", "activity__type_id",
    "activity__type__code", "activity__type__name", "activity__type__mode", "activity__title",
    "activity__institution__name", "lead__first_name", "lead__last_name", "lead__username",
    "activity_id", "activity__method__name", "activity__concern_id",
    "activity__case_id",
)  # fmt: skip
LOG_CHUNK = 500


def log_rows(sessions: QuerySet, *, user, stream: bool = True):
    """One row per meeting for the municipality's log: counts of who was there by kind and
    target group, never a name. Read as plain values (no model objects) and counted per chunk
    of meetings. With `stream` the meetings come through a server-side cursor, a chunk at a
    time (a team's month); without, at once (a worker's own month: a few hundred at most).
    The programme column names only the programmes `user` may view or link."""
    values = sessions.values_list(*LOG_FIELDS)
    rows = values.iterator(chunk_size=LOG_CHUNK) if stream else iter(list(values))
    statuses = {value: str(label) for value, label in Session.Status.choices}
    types: dict[int, tuple[str, str]] = {}
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == LOG_CHUNK:
            yield from _rows(chunk, statuses, types, user)
            chunk = []
    if chunk:
        yield from _rows(chunk, statuses, types, user)


def _rows(chunk: list[tuple], statuses: dict, types: dict, user):
    from earlyhelp.activities.models import ActivityType

    present = (
        Attendance.objects.filter(
            session_id__in=[row[0] for row in chunk], status=Attendance.Status.PRESENT
        )
        .values_list("session_id")
        .annotate(
            named=Count("pk"),
            children=Count("pk", filter=Q(participant__child__isnull=False)),
            adults=Count("pk", filter=Q(participant__adult__isnull=False)),
            staff=Count("pk", filter=Q(participant__staff__isnull=False)),
            action_area=Count(
                "pk", filter=Q(participant__target_group=Participant.TargetGroup.ACTION_AREA)
            ),
        )
        .order_by()
    )
    counts = {row[0]: row[1:] for row in present}
    nobody = (0, 0, 0, 0, 0)
    # The programmes each activity counts for that the reader may name (view or link), in a
    # few queries per chunk; the others are left out of the export.
    from earlyhelp.programmes.models import Programme

    programmes: dict[int, list[str]] = {}
    links = list(
        Activity.programmes.through.objects.filter(activity_id__in={row[14] for row in chunk})
        .values_list("activity_id", "programme_id", "programme__name")
        .order_by("programme__name")
    )
    linked = Programme.objects.filter(pk__in={row[1] for row in links})
    named = set(visible(user, linked, Action.VIEW).values_list("pk", flat=True))
    named |= set(visible(user, linked, Action.LINK).values_list("pk", flat=True))
    for activity_id, programme_id, programme_name in links:
        if programme_id in named:
            programmes.setdefault(activity_id, []).append(programme_name)
    for (
        pk, starts_at, minutes, status, head_count, type_id, code, name, mode, title,
        institution, first_name, last_name, username, activity_id, method, concern_id,
        case_id,
    ) in chunk:  # fmt: skip
        named, children, adults, staff, action_area = counts.get(pk, nobody)
        local = timezone.localtime(starts_at)
        if type_id not in types:
            # Labels translated once per export, not once per cell.
            activity_type = ActivityType(pk=type_id, code=code, name=name, mode=mode)
            types[type_id] = (str(activity_type), activity_type.get_mode_display())
        type_name, mode = types[type_id]
        lead = f"{first_name} {last_name}".strip() or username
        yield [
            local.date(), local.strftime("%H:%M"), minutes, statuses[status], type_name, mode,
            title, institution, lead, named, children, adults, staff,
            named - children - adults - staff, head_count or 0, action_area,
            ", ".join(programmes.get(activity_id, [])),
            method or "", concern_id or "", case_id or "",
        ]  # fmt: skip


def child_activities(user, child, *, consents=None, relationships=None) -> dict:
    """For a child's page: the activities the child takes part in whose details the user may
    see, and whether the user may hold a wellbeing conversation with the child now, or what
    agreement is still missing (from the child's `consents` and `relationships` when the page
    has read them already)."""
    from earlyhelp.access.policy import can
    from earlyhelp.activities.services import agreement_message, missing_agreements

    places = list(
        visible(user, Participant.objects.filter(child=child), Action.VIEW_DETAILS)
        .select_related("activity__type")
        .order_by("-joined_on")[:20]
    )
    context = {"activity_places": places, "can_plan_activity": can(user, Action.CREATE, Activity)}
    if context["can_plan_activity"]:
        missing = missing_agreements(child, consents=consents, relationships=relationships)
        context["wellbeing_missing"] = agreement_message(missing) if missing else ""
    return context
