"""Reading activities, always through the policy: the list, the worker's week, the month's
activity log for the municipality."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from earlyhelp.access.policy import Action, visible
from earlyhelp.activities.models import Activity, Attendance, Participant, Session
from earlyhelp.core.keyset import Key, Page, keyset_page

LIST_ORDER = [Key("starts_on", descending=True), Key("pk", descending=True)]


def activity_queryset() -> QuerySet:
    return Activity.objects.select_related("type", "institution", "lead")


def activity_page(
    user, *, cursor: str = "", mine: bool = False, type_code: str = "", status: str = "",
    institution_id: int | None = None, page_size: int = 25,
) -> Page:  # fmt: skip
    activities = visible(user, activity_queryset(), Action.VIEW)
    if mine:
        activities = activities.filter(pk__in=_own_ids(user))
    if type_code:
        activities = activities.filter(type__code=type_code)
    if status:
        activities = activities.filter(status=status)
    if institution_id:
        activities = activities.filter(institution_id=institution_id)
    return keyset_page(activities, LIST_ORDER, cursor, page_size)


def _own_ids(user) -> QuerySet:
    """The ids of the activities the user leads or works on, as a union of two index scans
    (lead, co-worker): an `OR` of the two makes PostgreSQL read every meeting of the period
    in the country and join them to every activity."""
    led = Activity.objects.filter(lead_id=user.pk).values("pk")
    co_worked = Activity.workers.through.objects.filter(user_id=user.pk).values("activity_id")
    return led.union(co_worked, all=True)


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    return start, end


def own_sessions(user, first: date, last: date) -> QuerySet:
    """The meetings of the activities the user delivers (as lead or co-worker) between two
    days, both included, still through the policy: leaving the job ends the view. The
    meetings are found by the period first (those the user leads, and those of the few
    activities they co-work), so the cost follows the period, not the user's history."""
    start, end = _bounds(first, last)
    period = Session.objects.filter(starts_at__gte=start, starts_at__lt=end).order_by()
    led = period.filter(lead_id=user.pk).values_list("pk", "activity_id")
    co_worked = period.filter(
        activity_id__in=Activity.workers.through.objects.filter(user_id=user.pk).values(
            "activity_id"
        )
    ).values_list("pk", "activity_id")
    # Two plain lookups, then the policy over just those activities: one statement joining
    # the union back to the policy costs more to plan than all of this takes to run.
    found = list(led.union(co_worked))
    activities = visible(
        user, Activity.objects.filter(pk__in={a for _, a in found}), Action.VIEW_DETAILS
    )
    return (
        Session.objects.filter(pk__in=[pk for pk, _ in found], activity__in=activities)
        .select_related("activity__type", "activity__institution")
        .order_by("starts_at", "pk")
    )


def week(user, monday: date) -> dict:
    """The user's calendar for the week from `monday`: the meetings of each day, and the time
    per activity type (held and planned), cancelled meetings left out of the totals."""
    sessions = list(own_sessions(user, monday, monday + timedelta(days=6)))
    days = {monday + timedelta(days=n): [] for n in range(7)}
    totals: dict[str, dict] = {}
    for session in sessions:
        days[timezone.localtime(session.starts_at).date()].append(session)
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
        "days": days,
        "totals": ordered,
        "held": sum(t["held"] for t in ordered),
        "planned": sum(t["planned"] for t in ordered),
    }


LOG_COLUMNS = [
    "date", "start", "minutes", "status", "type", "kind of help", "activity", "institution",
    "delivered by", "present (named)", "children", "adults", "staff", "named on the day",
    "present (not named)", "from the action area", "programme", "intervention", "concern",
    "case",
]  # fmt: skip


def month_sessions(user, first: date, *, team: bool = False) -> QuerySet:
    """The meetings held or planned in the month beginning `first`: of the activities the user
    delivers, or with `team` every activity whose details the user may see (a supervisor's
    team, a social helper's institutions)."""
    last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    if not team:
        return own_sessions(user, first, last).select_related("lead")
    start, end = _bounds(first, last)
    activities = visible(user, Activity.objects.all(), Action.VIEW_DETAILS)
    return (
        Session.objects.filter(activity__in=activities, starts_at__gte=start, starts_at__lt=end)
        .select_related("activity__type", "activity__institution", "lead")
        .order_by("starts_at", "pk")
    )


def log_rows(sessions: QuerySet):
    """One row per meeting for the municipality's log: counts of who was there by kind and
    target group, never a name. Counted per chunk of meetings, so the export streams."""
    chunk: list[Session] = []
    for session in sessions.iterator(chunk_size=500):
        chunk.append(session)
        if len(chunk) == 500:
            yield from _rows(chunk)
            chunk = []
    if chunk:
        yield from _rows(chunk)


def _rows(sessions: list[Session]):
    present = (
        Attendance.objects.filter(
            session_id__in=[s.pk for s in sessions], status=Attendance.Status.PRESENT
        )
        .values("session_id")
        .annotate(
            named=Count("pk"),
            children=Count("pk", filter=Q(participant__child__isnull=False)),
            adults=Count("pk", filter=Q(participant__adult__isnull=False)),
            staff=Count("pk", filter=Q(participant__staff__isnull=False)),
            action_area=Count(
                "pk", filter=Q(participant__target_group=Participant.TargetGroup.ACTION_AREA)
            ),
        )
    )
    counts = defaultdict(dict, {row["session_id"]: row for row in present})
    # Labels translated once per chunk, not once per cell.
    statuses = {value: str(label) for value, label in Session.Status.choices}
    types = {s.activity.type_id: s.activity.type for s in sessions}
    type_names = {pk: str(t) for pk, t in types.items()}
    modes = {pk: t.get_mode_display() for pk, t in types.items()}
    for session in sessions:
        activity = session.activity
        count = counts[session.pk]
        named = count.get("named", 0)
        people = count.get("children", 0) + count.get("adults", 0) + count.get("staff", 0)
        local = timezone.localtime(session.starts_at)
        yield [
            local.date(), local.strftime("%H:%M"), session.minutes,
            statuses[session.status], type_names[activity.type_id], modes[activity.type_id],
            activity.title, activity.institution.name, session.lead.get_full_name()
            or session.lead.get_username(), named, count.get("children", 0),
            count.get("adults", 0), count.get("staff", 0), named - people,
            session.head_count or 0, count.get("action_area", 0), activity.programme,
            activity.intervention, activity.concern_id or "", activity.case_id or "",
        ]  # fmt: skip


def child_activities(user, child) -> dict:
    """For a child's page: the activities the child takes part in whose details the user may
    see, and whether the user may hold a wellbeing conversation with the child now, or what
    agreement is still missing."""
    from earlyhelp.access.policy import can
    from earlyhelp.activities.services import agreement_message, missing_agreements

    places = list(
        Participant.objects.filter(
            child=child,
            activity__in=visible(user, Activity.objects.all(), Action.VIEW_DETAILS),
        )
        .select_related("activity__type")
        .order_by("-joined_on")[:20]
    )
    context = {"activity_places": places, "can_plan_activity": can(user, Action.CREATE, Activity)}
    if context["can_plan_activity"]:
        missing = missing_agreements(child)
        context["wellbeing_missing"] = agreement_message(missing) if missing else ""
    return context
