"""Reading assisted contact, always through the policy: the worker's arrangements, the
service's contact calendar, an arrangement's meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from earlyhelp.access.policy import Action, visible
from earlyhelp.contacts.models import Arrangement, Meeting
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.core.weeks import week_days
from earlyhelp.people.access import is_named, unnamed

LIST_ORDER = [Key("starts_on", descending=True), Key("pk", descending=True)]


def arrangement_queryset() -> QuerySet:
    return Arrangement.objects.select_related(
        "child",
        "visitor",
        "carer",
        "service",
        "lead",
        "room",
        "case",
        "stages_version",
        "competences_version",
    )


def arrangement_page(
    user, *, cursor: str = "", mine: bool = True, status: str = "active", page_size: int = 25
) -> Page:
    arrangements = visible(user, arrangement_queryset(), Action.VIEW)
    if mine:
        worked = Arrangement.workers.through.objects.filter(
            arrangement_id=OuterRef("pk"), user_id=user.pk
        )
        arrangements = arrangements.filter(Q(lead_id=user.pk) | Q(Exists(worked)))
    if status:
        arrangements = arrangements.filter(status=status)
    next_meeting = Meeting.objects.filter(
        arrangement_id=OuterRef("pk"), status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    arrangements = arrangements.annotate(next_meeting=next_meeting.values("starts_at")[:1])
    return keyset_page(arrangements, LIST_ORDER, cursor, page_size)


def calendar(user, monday: date) -> dict:
    """The contact meetings of the week in the arrangements the user may see, day by day,
    with their rooms and workers: the service's contact calendar."""
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    week_meetings = Meeting.objects.filter(starts_at__gte=start, starts_at__lt=end)
    meetings = list(
        visible(user, week_meetings, Action.VIEW)
        .select_related("arrangement__child", "arrangement__visitor", "room", "lead")
        .order_by("starts_at", "pk")
    )
    return {"days": week_days(monday, meetings), "count": len(meetings)}


def child_contacts(user, child) -> list[Arrangement]:
    """For a child's page: the child's contact arrangements the user may see."""
    arrangements = list(
        visible(
            user,
            Arrangement.objects.filter(child=child).select_related(
                "visitor", "carer", "stages_version"
            ),
        ).order_by("-starts_on")[:10]
    )
    name_visitors(user, arrangements)
    return arrangements


def name_visitors(user, arrangements) -> None:
    """Whom each arrangement's pages may name, its visitor and its carer (the policy's
    `unnamed`, asked once for all of them)."""
    hidden = unnamed(user, [p for a in arrangements for p in (a.visitor, a.carer)])
    for arrangement in arrangements:
        arrangement.visitor_named = is_named(hidden, arrangement.visitor)
        arrangement.carer_named = is_named(hidden, arrangement.carer)
