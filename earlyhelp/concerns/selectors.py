"""Reading concerns, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from earlyhelp.access.policy import Action, visible, visible_of
from earlyhelp.concerns.access import concern_subjects, led_institutions, own_group_institutions
from earlyhelp.concerns.models import Concern, ConcernChild
from earlyhelp.concerns.services import awaiting_written_signal
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.people.access import findable_by_name, household_children
from earlyhelp.people.models import Child, Enrolment

# The lists' orders, for keyset pages (earlyhelp.core.keyset); each ends on the primary key.
# The queue by deadline: immediate danger first, then the nearest deadline (an overdue one is
# the nearest), then the oldest report.
QUEUE_ORDER = [
    Key("immediate_danger", descending=True),
    Key("next_due_at", nullable=True),
    Key("received_at", nullable=True),
    Key("pk"),
]
RECEIVED_ORDER = [Key("received_at", descending=True, nullable=True), Key("pk", descending=True)]
DEADLINE_ORDER = [Key("next_due_at", nullable=True), Key("pk")]
MINE_ORDER = RECEIVED_ORDER
INSTITUTION_ORDER = RECEIVED_ORDER
ORDERS = {"deadline": QUEUE_ORDER, "received": RECEIVED_ORDER, "due": DEADLINE_ORDER}
OPEN_STATUSES = (Concern.Status.SUBMITTED, Concern.Status.ACKNOWLEDGED, Concern.Status.TRIAGED)
DRAFTS_SHOWN = 20


def _page_size(page_size: int | None) -> int:
    return page_size or settings.EARLYHELP_PAGE_SIZE


def _filtered(user, concerns: QuerySet, filters: dict) -> QuerySet:
    """The list's filters (`core.list_filters.ListFilterForm.filters`). The child's name is
    searched only among the children the list may name (`findable_by_name`)."""
    if filters.get("status"):
        concerns = concerns.filter(status=filters["status"])
    if filters.get("institution"):
        concerns = concerns.filter(institution_id=filters["institution"])
    if filters.get("received_from"):
        concerns = concerns.filter(received_at__gte=filters["received_from"])
    if filters.get("received_before"):
        concerns = concerns.filter(received_at__lt=filters["received_before"])
    if filters.get("overdue"):
        concerns = concerns.filter(next_due_at__lt=timezone.now())
    if filters.get("child"):
        query = filters["child"]
        named = ConcernChild.objects.filter(
            findable_by_name(user, query), concern_id=OuterRef("pk")
        )
        described = ConcernChild.objects.filter(concern_id=OuterRef("pk"), child__isnull=True)
        for word in query.split()[:5]:
            described = described.filter(described_as__icontains=word)
        concerns = concerns.filter(Exists(named) | Exists(described))
    return concerns


def _listed(user, page: Page, *, details: bool = False) -> Page:
    """Each concern of the page with who and what it is about, as far as the policy lets
    the user know (`concerns.access.concern_subjects`), in a few queries for the page."""
    subjects = concern_subjects(user, page.rows, details=details)
    now = timezone.now()
    for concern in page.rows:
        concern.subjects = subjects[concern.pk]
        concern.overdue = concern.next_due_at is not None and concern.next_due_at < now
    return page


def triage_queue(
    *,
    user,
    filters: dict | None = None,
    cursor: str = "",
    page_size: int | None = None,
) -> Page:
    """Open concerns the user triages, by deadline (immediate danger first, then the nearest
    deadline: `next_due_at`, kept up to date when deadlines are stored or met) or newest
    first (`sort="received"`)."""
    filters = filters or {}
    concerns = visible(
        user, Concern.objects.exclude(status=Concern.Status.DRAFT), Action.VIEW_DETAILS
    )
    concerns = concerns.filter(status__in=OPEN_STATUSES)
    concerns = _filtered(user, concerns, filters).select_related("institution")
    order = RECEIVED_ORDER if filters.get("sort") == "received" else QUEUE_ORDER
    page = keyset_page(concerns, order, cursor, _page_size(page_size))
    return _listed(user, page, details=True)


def my_concerns(
    *, user, filters: dict | None = None, cursor: str = "", page_size: int | None = None
) -> Page:
    """The concerns the user sent, newest first (or by the nearest deadline); drafts are
    listed apart (`my_drafts`)."""
    filters = filters or {}
    concerns = visible(
        user,
        Concern.objects.filter(reporter=user)
        .exclude(status=Concern.Status.DRAFT)
        .select_related("institution"),
        Action.VIEW,
    )
    concerns = _filtered(user, concerns, filters)
    order = DEADLINE_ORDER if filters.get("sort") == "due" else RECEIVED_ORDER
    return _listed(user, keyset_page(concerns, order, cursor, _page_size(page_size)))


def my_drafts(*, user) -> list[Concern]:
    """The user's drafts not sent yet, last changed first (a reporter has a few)."""
    drafts = visible(
        user,
        Concern.objects.filter(reporter=user, status=Concern.Status.DRAFT).select_related(
            "institution"
        ),
        Action.VIEW,
    )
    return list(drafts.order_by("-created_at", "-pk")[:DRAFTS_SHOWN])


def institution_concerns(
    *, user, filters: dict | None = None, cursor: str = "", page_size: int | None = None
) -> Page:
    """For an institution's lead: the status of every concern of the institution, newest
    first. A child's name is searched only among the concerns whose content the lead reads
    (their own reports)."""
    filters = filters or {}
    led = led_institutions(user)
    concerns = visible(user, Concern.objects.filter(institution_id__in=led), Action.VIEW)
    if filters.get("child"):
        concerns = concerns.filter(pk__in=visible(user, concerns, Action.VIEW_DETAILS).values("pk"))
    concerns = _filtered(user, concerns, filters).select_related("institution")
    return _listed(user, keyset_page(concerns, INSTITUTION_ORDER, cursor, _page_size(page_size)))


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
        # What the time line shows (concerns/_pattern.html), and no more: the full rows of 50
        # concerns cost more to build than the page's own query.
        .only("received_at", "categories", "status", "institution__name")
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
