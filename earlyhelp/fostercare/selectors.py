"""Reading foster-carer support, always through the policy: the households a worker supports
with their compliance, one household's records, and the service's compliance overview (exact
for the service's workers, small cells suppressed for managers and analysts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from earlyhelp.access.policy import SMALL_CELL, Action, visible, visible_of
from earlyhelp.core.keyset import Key, Page, encode_cursor, keyset_page
from earlyhelp.fostercare.access import FOSTER_ROLES, fostercare_figures_for
from earlyhelp.fostercare.models import Household, Placement, Requirement
from earlyhelp.fostercare.rules import (
    CHILD_NAMES,
    DUE_SOON,
    MET,
    MISSED,
    NOT_APPLICABLE,
    ON_TRACK,
    SEVERITY,
    STATUS_LABELS,
    Compliance,
    compliance_for,
)
from earlyhelp.organisations.access import workers


def household_queryset() -> QuerySet:
    return Household.objects.select_related("service", "municipality")


def household_list(user, *, today: date, status: str = "", active: bool = True) -> list:
    """The households the user may see, worst first, each with its compliance."""
    households = visible(user, household_queryset(), Action.VIEW)
    if active:
        households = households.filter(active=True)
    rows = compliance_for(households.order_by("name", "pk"), today)
    if status:
        rows = [c for c in rows if c.status == status]
    return sorted(rows, key=lambda c: (SEVERITY.index(c.status), c.next_due or date.max))


# The households' order for a page read by cursor: by name, as the model orders them. The web
# list's order (the most urgent first) changes with the day, which a cursor cannot follow.
HOUSEHOLD_ORDER = [Key("name"), Key("pk")]


def household_page(
    user, *, today: date, status: str = "", cursor: str = "", page_size: int = 50
) -> Page:
    """A page of the supported households the user may see, by name, as `Page` of their
    `Compliance`. With `status`, only those whose overall status it is: the status is computed,
    not stored, so the households after the cursor are read in batches until the page is full
    (a service supports tens of families, not thousands)."""
    households = visible(user, household_queryset(), Action.VIEW).filter(active=True)
    if not status:
        page = keyset_page(households, HOUSEHOLD_ORDER, cursor, page_size)
        ids = [h.pk for h in page.rows]
        ordered = households.filter(pk__in=ids).order_by("name", "pk")
        return Page(rows=compliance_for(ordered, today), next_cursor=page.next_cursor)
    found: list[Compliance] = []
    batch = max(page_size, 100)
    while True:
        page = keyset_page(households, HOUSEHOLD_ORDER, cursor, batch)
        ids = [h.pk for h in page.rows]
        ordered = households.filter(pk__in=ids).order_by("name", "pk")
        for compliance in compliance_for(ordered, today):
            if compliance.status == status:
                found.append(compliance)
            if len(found) > page_size:
                last = found[page_size - 1].household
                return Page(found[:page_size], encode_cursor([last.name, last.pk]))
        if page.next_cursor is None:
            return Page(found, None)
        cursor = page.next_cursor


def placements(user, household: Household) -> list[Placement]:
    return list(
        visible(user, household.placements.select_related(*CHILD_NAMES), Action.VIEW).order_by(
            "-starts_on", "pk"
        )
    )


def placeable_children(user, household: Household) -> QuerySet:
    """The children a placement with the household may be recorded for: those of its
    municipality the user may see."""
    from earlyhelp.people.models import Child

    children = Child.objects.filter(municipality_id=household.municipality_id)
    return visible(user, children).order_by("family_name", "given_name")


def changeable_carers(user, household: Household) -> QuerySet:
    """The household's carers a record (a training, a goal of the plan) may name."""
    return visible_of(user, household, household.carers.all(), Action.CHANGE)


def key_workers(household: Household) -> QuerySet:
    """The key workers a household's agreement may have: the case workers and supervisors of
    its service."""
    return workers(FOSTER_ROLES, services=[household.service_id])


def people_named(user, household: Household) -> list[str]:
    """The people a household's page names to the user, as audit subjects: its carers and the
    placed children the user may see."""
    carers = visible_of(user, household, household.carers.all()).values_list("adult_id", flat=True)
    children = (
        visible(user, household.placements.all()).values_list("child_id", flat=True).distinct()
    )
    return [f"people.adult:{pk}" for pk in carers] + [f"people.child:{pk}" for pk in children]


def contact_arrangements(user, children) -> dict[int, list]:
    """The placed children's assisted-contact arrangements with the birth family that the
    user may see, per child (one query for all of them)."""
    from earlyhelp.contacts.models import Arrangement

    table: dict[int, list] = {}
    rows = visible(
        user,
        Arrangement.objects.filter(child__in=[c.pk for c in children]).select_related(
            "visitor__municipality__jurisdiction", "carer", "stages_version"
        ),
        Action.VIEW,
    ).order_by("-starts_on")
    from earlyhelp.contacts.selectors import name_visitors

    rows = list(rows)
    name_visitors(user, rows)
    for arrangement in rows:
        table.setdefault(arrangement.child_id, []).append(arrangement)
    return table


@dataclass
class OverviewRow:
    """One requirement across a service's households: how many are in each status."""

    code: str
    label: str
    counts: list[tuple[str, int | None]]  # (status label, count) in the order of STATUSES


STATUSES = [MET, ON_TRACK, DUE_SOON, MISSED, NOT_APPLICABLE]


def _suppressed_row(counts: list[int]) -> list[int | None]:
    """One row of counts (a partition of the row's total) with small cells hidden (None).

    A row whose total is below 5 shows nothing, zeros included (a zero next to hidden cells
    tells the rest). Otherwise every count from 1 to 4 is hidden and, where exactly one cell
    would be hidden, the next smallest is hidden with it, so that no hidden cell is the row's
    total minus the cells shown. The rows' totals are the only sums the overview shows or
    implies (the requirement rows are not parts of each other, and no total across services
    or requirements is shown), so suppressing within each row is enough."""
    if sum(counts) < SMALL_CELL:
        return [None] * len(counts)
    hidden = {i for i, count in enumerate(counts) if 0 < count < SMALL_CELL}
    if len(hidden) == 1:
        others = [i for i in range(len(counts)) if i not in hidden]
        # The next smallest; a non-zero one where there is one (hiding a 0 would not hide it).
        others.sort(key=lambda i: (counts[i] == 0, counts[i]))
        hidden.add(others[0])
    return [None if i in hidden else count for i, count in enumerate(counts)]


def _total(count: int, suppress: bool) -> int | None:
    return None if suppress and count < SMALL_CELL else count


def _row(counter: Counter, suppress: bool) -> list[tuple[str, int | None]]:
    counts = [counter[s] for s in STATUSES]
    shown = _suppressed_row(counts) if suppress else counts
    return [(STATUS_LABELS[s], c) for s, c in zip(STATUSES, shown, strict=True)]


def service_overview(user, *, today: date) -> dict:
    """Per service, the households by overall status and each requirement by status. Managers
    and analysts get the same figures with small cells hidden (None): see `_suppressed_row`."""
    households, suppress = fostercare_figures_for(user, household_queryset().filter(active=True))
    compliances: list[Compliance] = compliance_for(households.order_by("service_id", "pk"), today)
    services: dict = {}
    for compliance in compliances:
        entry = services.setdefault(
            compliance.household.service,
            {"households": 0, "overall": Counter(), "requirements": {}},
        )
        entry["households"] += 1
        entry["overall"][compliance.status] += 1
        seen: dict[str, str] = {}
        for requirement in compliance.requirements:
            # Training is counted per household, by its worst carer.
            current = seen.get(requirement.code)
            if current is None or SEVERITY.index(requirement.status) < SEVERITY.index(current):
                seen[requirement.code] = requirement.status
        for code, status in seen.items():
            entry["requirements"].setdefault(code, Counter())[status] += 1
    result = []
    for service, entry in services.items():
        result.append(
            {
                "service": service,
                "households": _total(entry["households"], suppress),
                "overall": _row(entry["overall"], suppress),
                "requirements": [
                    OverviewRow(
                        code,
                        str(Requirement(code).label),
                        _row(entry["requirements"][code], suppress),
                    )
                    for code in Requirement.values
                    if code in entry["requirements"]
                ],
            }
        )
    return {
        "services": result,
        "suppressed": suppress,
        "statuses": [(s, STATUS_LABELS[s]) for s in STATUSES],
    }
