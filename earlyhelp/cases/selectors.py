"""Reading cases, always through the access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)
from django.utils import timezone

from earlyhelp.access.policy import Action, visible, visible_of, visible_prefetch
from earlyhelp.cases.access import own_case_ids, supervised_services
from earlyhelp.cases.models import (
    Case,
    CaseChild,
    CaseParticipant,
    ChronologyEntry,
    Goal,
    PlanAction,
    ProblemAssessment,
)
from earlyhelp.concerns.models import Concern
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.people.access import findable_by_name, is_named, unnamed, unnamed_reasons
from earlyhelp.people.models import Child

CASE_ORDER = [Key("opened_at", descending=True), Key("pk", descending=True)]
# The cases whose family was contacted longest ago first; those never contacted last.
CONTACT_ORDER = [Key("last_contact", nullable=True), Key("pk")]
CHRONOLOGY_ORDER = [Key("happened_at", descending=True), Key("pk", descending=True)]
CHRONOLOGY_PAGE = 20


def case_list(
    *,
    user,
    mine: bool = True,
    status: str = Case.Status.OPEN,
    filters: dict | None = None,
    cursor: str = "",
) -> Page:
    """The cases whose team the user is on (`mine`), or every case the user may see (a
    supervisor's team's cases), newest first or by the last contact (`sort="contact"`), in
    keyset pages; each with the children and adult clients the user may name
    (`names`) and why the others are not named (`reasons`)."""
    filters = filters or {}
    cases = visible(user, Case.objects.all(), Action.VIEW)
    if mine:
        cases = cases.filter(pk__in=own_case_ids(user))
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    if filters.get("received_from"):
        cases = cases.filter(opened_at__gte=filters["received_from"])
    if filters.get("received_before"):
        cases = cases.filter(opened_at__lt=filters["received_before"])
    if filters.get("child"):
        named = CaseChild.objects.filter(
            findable_by_name(user, filters["child"]), case_id=OuterRef("pk")
        )
        cases = cases.filter(Exists(named))
    cases = with_last_contact(cases.select_related("lead_worker", "service"))
    order = CONTACT_ORDER if filters.get("sort") == "contact" else CASE_ORDER
    page = keyset_page(cases, order, cursor, settings.EARLYHELP_PAGE_SIZE)
    _name_people(user, page.rows)
    for case in page.rows:
        case.next_contact = next_contact(case, case.last_contact)
    return page


def _name_people(user, cases: list[Case]) -> None:
    """The children and adult clients of a page of cases, read where each case is seen, named
    as the policy lets the user name them (two queries for the children and clients, and one
    per kind of restricted person on the page)."""
    prefetch_related_objects(
        cases,
        visible_prefetch(
            user,
            "case_children",
            CaseChild.objects.select_related("child__municipality__jurisdiction").order_by("pk"),
            Action.VIEW,
            to_attr="listed_children",
        ),
        visible_prefetch(
            user,
            "participants",
            CaseParticipant.objects.filter(role=CaseParticipant.Role.CLIENT)
            .select_related("adult__municipality__jurisdiction")
            .order_by("pk"),
            Action.VIEW,
            to_attr="listed_clients",
        ),
    )
    people = [
        person
        for case in cases
        for person in [p.child for p in case.listed_children]
        + [p.adult for p in case.listed_clients]
    ]
    hidden = unnamed_reasons(user, people)
    for case in cases:
        case.names, case.reasons = [], []
        for person in [p.child for p in case.listed_children] + [
            p.adult for p in case.listed_clients
        ]:
            reason = hidden.get((person._meta.label_lower, person.pk))
            if reason is None:
                case.names.append(person.full_name)
            elif str(reason) not in case.reasons:
                case.reasons.append(str(reason))


CONTACT_KINDS = (ChronologyEntry.Kind.CONTACT, ChronologyEntry.Kind.SESSION)


def with_last_contact(cases: QuerySet) -> QuerySet:
    """Each case with the time of its latest contact with the family or session with the
    child (one subquery, read from the chronology's index)."""
    latest = (
        ChronologyEntry.objects.filter(case_id=OuterRef("pk"), kind__in=CONTACT_KINDS)
        .order_by("-happened_at")
        .values("happened_at")[:1]
    )
    return cases.annotate(last_contact=Subquery(latest))


def next_contact(case: Case, last_contact) -> date | None:
    """When the family is next to be contacted under the kind's cadence (a crisis case every
    day); None for a closed case."""
    if case.status != Case.Status.OPEN:
        return None
    since = last_contact or case.opened_at
    return timezone.localtime(since).date() + case.contact_every


def caseload(*, user) -> list[dict]:
    """Open cases per lead worker in the services the user supervises."""
    services = supervised_services(user)
    if not services:
        return []
    # Counted through the policy: a restricted case is its team's alone, even as a number.
    open_cases = visible(user, Case.objects.filter(status=Case.Status.OPEN), Action.VIEW)
    rows = (
        open_cases.filter(service_id__in=services)
        .values("lead_worker_id", "lead_worker__first_name", "lead_worker__last_name",
                "lead_worker__username")
        .annotate(
            cases=Count("id"),
            crisis=Count("id", filter=Q(kind=Case.Kind.CRISIS)),
        )
        .order_by("-cases", "lead_worker__last_name")
    )  # fmt: skip
    return list(rows)


def case_page(*, user, case: Case) -> dict:
    """What the case page shows first, in a number of queries that does not grow with the case:
    its children (the names the user may read), team, concerns and plan. The rest are sections
    of their own (see `cases.views.case_detail`)."""
    places = list(
        visible_of(
            user, case, case.case_children.select_related("child__municipality__jurisdiction")
        )
    )
    participants = list(
        visible_of(
            user, case, case.participants.select_related("adult__municipality__jurisdiction")
        )
    )
    hidden = unnamed(user, [p.child for p in places] + [p.adult for p in participants])
    concerns = visible(
        user,
        Concern.objects.filter(case_link__case=case).select_related("institution"),
        Action.VIEW,
    ).order_by("-received_at", "-pk")
    goals = plan(case=case)
    clients = [p for p in participants if p.role == CaseParticipant.Role.CLIENT]
    return {
        "children": [(p.child, is_named(hidden, p.child)) for p in places],
        "clients": [(p.adult, is_named(hidden, p.adult)) for p in clients],
        "members": list(
            visible_of(user, case, case.members.filter(left_at__isnull=True))
            .select_related("user")
            .order_by("role")
        ),
        "concerns": list(concerns),
        # Each person's plan: a child's, or an adult client's in a case about adults.
        "plan": [(p.child, is_named(hidden, p.child), goals.get(p.child_id, [])) for p in places]
        + [
            (p.adult, is_named(hidden, p.adult), goals.get(("adult", p.adult_id), []))
            for p in clients
        ],
        "participants": [
            p
            for p in participants
            if is_named(hidden, p.adult) and p.role != CaseParticipant.Role.CLIENT
        ],
    }


def case_chronology(*, user, case: Case, kind: str = "", cursor: str = "") -> dict:
    """One page of the case's chronology (of one kind, if asked), newest first, and which of
    its entries a later entry corrects: two queries, however long the chronology."""
    entries = visible_of(user, case, ChronologyEntry.objects.select_related("author", "corrects"))
    if kind in ChronologyEntry.Kind.values:
        entries = entries.filter(kind=kind)
    page = keyset_page(entries, CHRONOLOGY_ORDER, cursor, CHRONOLOGY_PAGE)
    corrections = ChronologyEntry.objects.filter(corrects_id__in=[e.pk for e in page.rows])
    corrected = set(visible_of(user, case, corrections).values_list("corrects_id", flat=True))
    return {"chronology": page, "corrected": corrected}


def case_queryset() -> QuerySet:
    return with_last_contact(
        Case.objects.select_related("service", "lead_worker", "municipality__jurisdiction")
    )


def concerns_to_link(*, user, case: Case) -> QuerySet:
    """Concerns decided as "open or join a case" about the case's children, not yet in a case,
    that the user triages."""
    child_ids = visible_of(user, case, case.case_children.all()).values("child_id")
    return (
        visible(user, Concern.objects.all(), Action.VIEW_DECISION)
        .filter(decision=Concern.Decision.CASE, case_link__isnull=True)
        .filter(children__child_id__in=child_ids)
        .distinct()
        .order_by("-received_at")
    )


@dataclass
class DomainRow:
    domain: str
    label: str
    latest: ProblemAssessment | None
    previous: ProblemAssessment | None

    @property
    def change(self) -> int | None:
        if self.latest is None or self.previous is None:
            return None
        return self.latest.severity - self.previous.severity


def problem_map(*, case: Case) -> list[DomainRow]:
    """Each life domain with its latest and previous assessment (one query)."""
    found: dict[str, list[ProblemAssessment]] = {}
    for row in case.assessments.select_related("assessed_by").order_by(
        "domain", "-assessed_on", "-pk"
    ):
        found.setdefault(row.domain, []).append(row)
    rows = []
    for domain in case.domains:
        history = found.get(domain.value, [])
        rows.append(
            DomainRow(
                domain=domain.value,
                label=str(domain.label),
                latest=history[0] if history else None,
                previous=history[1] if len(history) > 1 else None,
            )
        )
    return rows


def plan(*, case: Case) -> dict:
    """Each child's goals (by child id), and each adult client's (by ("adult", adult id)),
    with their steps (two queries)."""
    goals = list(
        case.goals.select_related("child").prefetch_related(
            Prefetch("actions", queryset=PlanAction.objects.select_related("owner", "method"))
        )
    )
    by_person: dict = {}
    for goal in goals:
        key = goal.child_id if goal.child_id is not None else ("adult", goal.adult_id)
        by_person.setdefault(key, []).append(goal)
    return by_person


def next_review(*, case: Case) -> date:
    last = case.reviews.order_by("-reviewed_on", "-pk").first()
    if last is not None:
        return last.next_review_on
    return timezone.localtime(case.opened_at).date() + case.review_every


def case_children(*, user, case: Case) -> QuerySet:
    """The children the case is about, for the forms that name one of them: those the user may
    name (a child on a restricted record only for those who may open it)."""
    return visible(
        user,
        Child.objects.filter(case_places__case=case).select_related("municipality__jurisdiction"),
        Action.VIEW,
    )


def case_clients(*, user, case: Case) -> QuerySet:
    """The adults a case about adults is about, for the forms that name one of them: those the
    user may see."""
    from earlyhelp.people.models import Adult

    return visible(
        user,
        Adult.objects.filter(
            case_places__case=case, case_places__role=CaseParticipant.Role.CLIENT
        ).select_related("municipality__jurisdiction"),
        Action.VIEW,
    ).order_by("family_name", "given_name")


def adult_cases(*, user, adult) -> list[Case]:
    """The cases an adult takes part in (as a client or a family member) that the user may
    see, newest first: the adult's page lists them."""
    return list(
        visible(user, Case.objects.filter(participants__adult=adult), Action.VIEW)
        .select_related("service", "lead_worker")
        .order_by("-opened_at", "-pk")
        .distinct()
    )


# --- What the case forms offer, for the pages and the API alike ---------------------------------


def opening_choices(*, user) -> dict:
    """The choices of any case-opening form, through the policy: the user's services, the
    workers who may lead, the programmes the user may link."""
    from earlyhelp.cases.access import case_services
    from earlyhelp.cases.services import TEAM_ROLES
    from earlyhelp.organisations.access import workers
    from earlyhelp.organisations.models import Service

    services = Service.objects.filter(pk__in=case_services(user)).order_by("name")
    # Who may lead or join a case opened by `user`: people working with families in the
    # municipalities of the user's services.
    municipalities = services.values("municipality_id")
    return {
        "services": services,
        "workers": workers(TEAM_ROLES, municipalities=municipalities),
        "user": user,
    }


def opening_children(*, user, concern: Concern | None = None, child: Child | None = None):
    """Where a case about children starts (a concern decided as "open or join a case", or a
    child, each fetched through the policy): the children it is about unless the opener says
    otherwise, and the children it may be about, theirs and their brothers' and sisters' that
    the user may see."""
    from earlyhelp.people.access import household_children

    child_ids: list[int] = []
    if concern is not None:
        child_ids = [
            c.child_id for c in visible_of(user, concern, concern.children.all()) if c.child_id
        ]
    elif child is not None:
        child_ids = [child.pk]
    offered = visible(
        user,
        Child.objects.filter(pk__in=household_children(user=user, child_ids=child_ids)),
        Action.VIEW,
    ).select_related("municipality__jurisdiction")
    return child_ids, offered


def opening_adults(*, user, adult) -> QuerySet:
    """Where a case about an adult starts (an adult fetched through the policy): the adults it
    may be about, the adult and the other adults of the same children whom the user may see
    (a household)."""
    from earlyhelp.people.models import Adult

    household = Q(pk=adult.pk) | Q(relationships__child__relationships__adult=adult)
    return (
        visible(user, Adult.objects.filter(household), Action.VIEW)
        .select_related("municipality__jurisdiction")
        .distinct()
        .order_by("family_name", "given_name")
    )


def plan_people(*, user, case: Case) -> dict:
    """Whom a goal of the case's plan may be for, as the goal form takes them: a child of a
    case about children, an adult client of a case about adults (those the user may see)."""
    if case.is_about_adults:
        return {"adults": case_clients(user=user, case=case)}
    return {"children": case_children(user=user, case=case)}


def team_users(*, case: Case) -> QuerySet:
    """The professionals on the case's team today: who may own a step of its plan."""
    from earlyhelp.accounts.models import User

    return User.objects.filter(
        case_memberships__case=case, case_memberships__left_at__isnull=True
    ).order_by("last_name", "first_name", "username")


def case_goal(*, case: Case, goal_id: int) -> Goal | None:
    """A goal of the case's plan (a case fetched through the policy), or None."""
    return Goal.objects.filter(case=case, pk=goal_id).select_related("case").first()


def case_step(*, case: Case, step_id: int) -> PlanAction | None:
    """A step of the case's plan (a case fetched through the policy), or None."""
    return (
        PlanAction.objects.filter(goal__case=case, pk=step_id).select_related("goal__case").first()
    )


def entry_to_correct(*, user, case: Case, entry_id: int) -> ChronologyEntry | None:
    """An entry of the case's chronology that the user may correct with a new one, or None."""
    return visible_of(
        user, case, ChronologyEntry.objects.filter(pk=entry_id), Action.CHANGE
    ).first()
