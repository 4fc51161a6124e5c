"""Reading concerns, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils import timezone

from earlyhelp.access.policy import Action, visible, visible_of
from earlyhelp.concerns.access import led_institutions, own_group_institutions
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.services import awaiting_written_signal
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.people.access import household_children
from earlyhelp.people.models import Child, Enrolment

# The lists' orders, for keyset pages (earlyhelp.core.keyset); each ends on the primary key.
QUEUE_ORDER = [
    Key("immediate_danger", descending=True),
    Key("next_due_at", nullable=True),
    Key("received_at", nullable=True),
    Key("pk"),
]
MINE_ORDER = [Key("created_at", descending=True), Key("pk", descending=True)]
INSTITUTION_ORDER = [Key("received_at", descending=True, nullable=True), Key("pk", descending=True)]


def _page_size(page_size: int | None) -> int:
    return page_size or settings.EARLYHELP_PAGE_SIZE


def triage_queue(
    *,
    user,
    status: str = "",
    overdue_only: bool = False,
    cursor: str = "",
    page_size: int | None = None,
) -> Page:
    """Open concerns the user triages: immediate danger first, then the nearest deadline
    (`next_due_at`, kept up to date when deadlines are stored or met)."""
    concerns = visible(
        user, Concern.objects.exclude(status=Concern.Status.DRAFT), Action.VIEW_DETAILS
    )
    concerns = concerns.filter(
        status__in=[Concern.Status.SUBMITTED, Concern.Status.ACKNOWLEDGED, Concern.Status.TRIAGED]
    )
    if status:
        concerns = concerns.filter(status=status)
    if overdue_only:
        concerns = concerns.filter(next_due_at__lt=timezone.now())
    concerns = concerns.select_related("institution")
    return keyset_page(concerns, QUEUE_ORDER, cursor, _page_size(page_size))


def my_concerns(*, user, cursor: str = "", page_size: int | None = None) -> Page:
    concerns = visible(
        user, Concern.objects.filter(reporter=user).select_related("institution"), Action.VIEW
    )
    return keyset_page(concerns, MINE_ORDER, cursor, _page_size(page_size))


def institution_concerns(*, user, cursor: str = "", page_size: int | None = None) -> Page:
    """For an institution's lead: the status of every concern of the institution."""
    led = led_institutions(user)
    concerns = visible(user, Concern.objects.filter(institution_id__in=led), Action.VIEW)
    return keyset_page(
        concerns.select_related("institution"), INSTITUTION_ORDER, cursor, _page_size(page_size)
    )


def reportable_children(*, user, institution_ids) -> QuerySet:
    """Children the reporter may name: those they can see, in the institutions they report for."""
    enrolled = Enrolment.objects.current().filter(group__institution_id__in=institution_ids)
    return (
        visible(user, Child.objects.filter(pk__in=enrolled.values("child_id")), Action.VIEW)
        .select_related("municipality__jurisdiction")
        .order_by("search_name", "pk")
    )


@dataclass(frozen=True)
class ReportClasses:
    """The classes a reporter picks children from: `groups` as (id, label) pairs, and the class
    of each child they may name (`of_child`), from the child's current enrolment."""

    groups: list[tuple[int, str]]
    of_child: dict[int, int]


def report_classes(*, user, institution_ids) -> ReportClasses:
    """The classes of the children the reporter may name, in the institutions they report for:
    picking a child fills in their class, and the next child's row starts in the same class."""
    enrolled = visible(
        user,
        Enrolment.objects.current().filter(group__institution_id__in=institution_ids),
        Action.LIST,
    ).filter(child__in=reportable_children(user=user, institution_ids=institution_ids).values("pk"))
    of_child: dict[int, int] = {}
    names: dict[int, tuple[str, str]] = {}
    rows = enrolled.order_by("-starts_on", "pk").values_list(
        "child_id", "group_id", "group__name", "group__institution__name"
    )
    for child_id, group_id, name, institution in rows:
        of_child.setdefault(child_id, group_id)
        names[group_id] = (name, institution)
    several = len({institution for _name, institution in names.values()}) > 1
    groups = sorted(
        (
            (pk, f"{name} · {institution}" if several else name)
            for pk, (name, institution) in names.items()
        ),
        key=lambda group: group[1],
    )
    return ReportClasses(groups=groups, of_child=of_child)


def own_group_institution(*, user, offered) -> int | None:
    """The one institution, among those offered, where the reporter belongs to a group or
    class of their own (an educator's class); none when there are several or none."""
    institutions = own_group_institutions(user) & set(offered)
    return institutions.pop() if len(institutions) == 1 else None


def likely_institution(*, user, offered) -> int | None:
    """The institution the reporter most likely means, among those offered (each with someone
    to receive the concern): the only one; else the one they last reported to (their own
    choice, made by hand); else the one institution of their own group or class; else the one
    where most of the children they may name are enrolled (their school or kindergarten);
    else none."""
    offered = set(offered)
    if not offered:
        return None
    if len(offered) == 1:
        return next(iter(offered))
    last = (
        visible(user, Concern.objects.filter(reporter=user, institution_id__in=offered))
        .order_by("-created_at", "-pk")
        .values_list("institution_id", flat=True)
        .first()
    )
    if last is not None:
        return last
    own = own_group_institution(user=user, offered=offered)
    if own is not None:
        return own
    children = reportable_children(user=user, institution_ids=offered)
    enrolled = Enrolment.objects.current().filter(
        group__institution_id__in=offered, child__in=children.values("pk")
    )
    busiest = (
        visible(user, enrolled, Action.LIST)
        .values("group__institution_id")
        .annotate(children=Count("pk"))
        .order_by("-children", "group__institution_id")
        .values_list("group__institution_id", flat=True)
        .first()
    )
    return busiest


def matchable_children(*, user, concern: Concern) -> QuerySet:
    """Records a triager may match a described child to: children of the concern's
    municipality whose full record the triager may read."""
    return (
        visible(
            user, Child.objects.filter(municipality_id=concern.municipality_id), Action.VIEW_DETAILS
        )
        .select_related("municipality__jurisdiction")
        .order_by("search_name", "pk")
    )


def concern_children(*, user, concern: Concern):
    return visible_of(
        user, concern, concern.children.select_related("child__municipality__jurisdiction")
    )


@dataclass
class Pattern:
    concerns: list
    recent: int
    flagged: bool


def concern_pattern(*, user, child_ids=(), child=None) -> Pattern:
    """Concerns about the children and their households that the user may read, newest first,
    and whether they reach the repeat threshold (e.g. a third concern within 90 days):
    the pattern matters more than any one report."""
    count, days = settings.EARLYHELP_REPEAT_CONCERNS
    concerns = list(
        visible(user, Concern.objects.exclude(status=Concern.Status.DRAFT), Action.VIEW_DETAILS)
        .filter(
            children__child_id__in=household_children(user=user, child_ids=child_ids, child=child)
        )
        .distinct()
        .select_related("institution")
        .order_by("-received_at")[:50]
    )
    since = timezone.now() - timedelta(days=days)
    recent = sum(1 for c in concerns if c.received_at and c.received_at >= since)
    return Pattern(concerns=concerns, recent=recent, flagged=recent >= count)


def institution_reporters(*, institution_ids: set[int]) -> QuerySet:
    """The people who may report for these institutions: whom a triager may name as the
    professional behind a report received by phone or letter."""
    from earlyhelp.concerns.access import REPORTING_ROLES
    from earlyhelp.organisations.access import workers

    return workers(REPORTING_ROLES, institutions=institution_ids)


def waiting_for_written_signal(*, user) -> QuerySet:
    """The user's oral signals whose written signal is still missing."""
    return visible(user, awaiting_written_signal().filter(reporter=user), Action.VIEW)
