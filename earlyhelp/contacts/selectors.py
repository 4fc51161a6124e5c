"""Reading assisted contact, always through the policy: the worker's arrangements, the
service's contact calendar, an arrangement's meetings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from earlyhelp.access.policy import Action, visible
from earlyhelp.contacts.models import Arrangement, Meeting, Room
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.core.list_filters import meeting_between
from earlyhelp.core.weeks import week_days
from earlyhelp.people.access import findable_by_name, is_named, unnamed, unnamed_reasons

# The list's orders (keyset pages, earlyhelp.core.keyset); each ends on the primary key.
# By the next meeting: the nearest planned meeting first; those with none planned last,
# newest first.
NEXT_ORDER = [
    Key("next_meeting", nullable=True),
    Key("starts_on", descending=True),
    Key("pk", descending=True),
]
NEWEST_ORDER = [Key("starts_on", descending=True), Key("pk", descending=True)]
LIST_ORDER = NEWEST_ORDER
ORDERS = {"next": NEXT_ORDER, "newest": NEWEST_ORDER}


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


def series_choices(arrangement: Arrangement) -> dict:
    """The choices of planning the arrangement's meetings (the series form's `rooms` and
    `workers`): the active rooms of its service, and its worker or one of its other workers
    to lead a meeting."""
    from earlyhelp.accounts.models import User

    workers = User.objects.filter(
        Q(pk=arrangement.lead_id) | Q(contact_arrangements_worked=arrangement)
    ).distinct()
    return {
        "rooms": Room.objects.filter(service_id=arrangement.service_id, active=True),
        "workers": workers.order_by("last_name", "first_name"),
    }


def arrangement_page(
    user, *, cursor: str = "", mine: bool = True, filters: dict | None = None,
    page_size: int = 25,
) -> Page:  # fmt: skip
    """The arrangements the user may see (or those they work on: `mine`), by the next planned
    meeting (`sort="next"`) or newest first (the default), narrowed by the list's filters
    (`contacts.forms.ArrangementListForm`; `status` active unless given); each with its next
    meeting and whom it names (`name_people`)."""
    filters = filters or {}
    arrangements = visible(
        user,
        arrangement_queryset().select_related(
            "child__municipality__jurisdiction",
            "visitor__municipality__jurisdiction",
            "carer__municipality__jurisdiction",
        ),
        Action.VIEW,
    )
    if mine:
        worked = Arrangement.workers.through.objects.filter(
            arrangement_id=OuterRef("pk"), user_id=user.pk
        )
        arrangements = arrangements.filter(Q(lead_id=user.pk) | Q(Exists(worked)))
    arrangements = _filtered(user, arrangements, filters)
    next_meeting = Meeting.objects.filter(
        arrangement_id=OuterRef("pk"), status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
    ).order_by("starts_at")
    arrangements = arrangements.annotate(next_meeting=next_meeting.values("starts_at")[:1])
    order = ORDERS.get(filters.get("sort", ""), NEWEST_ORDER)
    page = keyset_page(arrangements, order, cursor, page_size)
    name_people(user, page.rows)
    return page


def _filtered(user, arrangements: QuerySet, filters: dict) -> QuerySet:
    """The list's filters. The child's name is searched only among the children a list may
    name to the user (`findable_by_name`); the period keeps the arrangements with a meeting
    between its days."""
    if filters.get("status"):
        arrangements = arrangements.filter(status=filters["status"])
    if filters.get("service"):
        arrangements = arrangements.filter(service_id=filters["service"].pk)
    arrangements = meeting_between(
        arrangements, Meeting.objects.filter(arrangement_id=OuterRef("pk")), filters
    )
    if filters.get("child"):
        arrangements = arrangements.filter(findable_by_name(user, filters["child"]))
    return arrangements


def name_people(user, arrangements) -> None:
    """Whom each arrangement of a list names, the child and the family (the visitor and the
    carer), as the policy lets the user name them (`people.access.unnamed_reasons`, asked once
    for the page): `child_named`, `visitor_named`, `carer_named`, and why the others are not
    (`reasons`)."""
    people = [p for a in arrangements for p in (a.child, a.visitor, a.carer)]
    hidden = unnamed_reasons(user, people)
    for arrangement in arrangements:
        arrangement.reasons = []
        for role in ("child", "visitor", "carer"):
            person = getattr(arrangement, role)
            reason = None if person is None else hidden.get((person._meta.label_lower, person.pk))
            setattr(arrangement, f"{role}_named", reason is None)
            if reason is not None and str(reason) not in arrangement.reasons:
                arrangement.reasons.append(str(reason))


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
