"""Foster-carer support in the API, under the same policy as the household list and the
household page (fostercare/access.py): a household is seen by the key worker of its current
support agreement and by the case workers and supervisors of its service; 404 outside, 403 for
a role that lists no households (managers and analysts read only the compliance overview, on
its page). A household says who its carers are, which children are placed with it (only those
the reader may see: a restricted child's placement is for the child's team), its agreements
and where it stands with each requirement of the agreement, with the due date and what is
left. The free texts of the records (visit notes, who looked after a child in respite, the
development plan) and the methodology checklist stay on the page. Every page and record read
is audited (purpose "api"), a record with one row more for each carer and child it names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible_of
from earlyhelp.access.shortcuts import audit_list, audit_read, get_object_or_deny
from earlyhelp.api.cases import ProgrammeRef
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id
from earlyhelp.fostercare import selectors
from earlyhelp.fostercare.models import (
    Carer,
    Household,
    Placement,
    Requirement,
    Respite,
    SupportAgreement,
    Training,
    Visit,
)
from earlyhelp.fostercare.rules import STATUS_LABELS, Compliance, Status, compliance_of
from earlyhelp.programmes.services import programmes_shown

router = Router(tags=["foster care"])
HOUSEHOLD_ID = Path(...)
# Met, on track, due soon, missed, does not apply (fostercare/rules.py).
RequirementStatus = Literal[tuple(STATUS_LABELS)]


class RequirementOut(Schema):
    code: Choice(Requirement)
    # Training is counted per carer: the carer's id (of `carers`), null for the others.
    carer_id: int | None
    status: RequirementStatus
    due_on: date | None
    required: float
    done: float
    left: float
    planned: float
    last_on: date | None
    note: str


class HouseholdOut(Schema):
    id: int
    version: int
    name: str | None
    anonymised_at: datetime | None
    active: bool
    municipality_id: int
    service_id: int
    status: RequirementStatus
    next_due: date | None
    key_worker_id: int | None
    due: list[RequirementOut]


class CarerOut(Schema):
    id: int
    adult_id: int
    since: date | None


class PlacementOut(Schema):
    id: int
    version: int
    child_id: int
    kind: Choice(Placement.Kind)
    starts_on: date
    ends_on: date | None


class AgreementOut(Schema):
    id: int
    version: int
    reference: str
    service_id: int
    key_worker_id: int
    signed_on: date
    ends_on: date | None
    current: bool
    programmes: list[ProgrammeRef]
    programmes_not_shown: int


class VisitOut(Schema):
    id: int
    kind: Choice(Visit.Kind)
    on: date
    by_id: int


class TrainingOut(Schema):
    id: int
    carer_id: int
    on: date
    hours: float


class RespiteOut(Schema):
    id: int
    placement_id: int
    starts_on: date
    ends_on: date
    days: int


class HouseholdDetailOut(HouseholdOut):
    address: str | None
    address_protected: bool
    requirements: list[RequirementOut]
    carers: list[CarerOut]
    placements: list[PlacementOut]
    agreements: list[AgreementOut]
    visits: list[VisitOut]
    trainings: list[TrainingOut]
    respites: list[RespiteOut]


class HouseholdPage(Schema):
    items: list[HouseholdOut]
    next_cursor: str | None


def _requirement(r: Status) -> dict:
    return {
        "code": r.code,
        "carer_id": r.carer.pk if r.carer else None,
        "status": r.status,
        "due_on": r.due_on,
        "required": r.required,
        "done": r.done,
        "left": r.left,
        "planned": r.planned,
        "last_on": r.last_on,
        "note": str(r.note),
    }


def _household(c: Compliance) -> dict:
    """A household with its compliance, as a row of the household list shows it: the overall
    status (that of its worst requirement; `not_applicable` without a current agreement, when
    `key_worker_id` is null too) and the requirements that need attention (due soon or
    missed)."""
    h = c.household
    return {
        "id": h.pk,
        "version": h.version,
        # An anonymised household has no name left; the pages call it by its number.
        "name": None if h.anonymised_at else h.name,
        "anonymised_at": h.anonymised_at,
        "active": h.active,
        "municipality_id": h.municipality_id,
        "service_id": h.service_id,
        "status": c.status,
        "next_due": c.next_due,
        "key_worker_id": c.agreement.key_worker_id if c.agreement else None,
        "due": [_requirement(r) for r in c.requirements if r.alerting],
    }


@router.get(
    "/foster-households",
    response={200: HouseholdPage, **documented(401, 403, 422)},
    url_name="household_list",
    operation_id="household_list",
)
def household_list(
    request,
    status: RequirementStatus | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The supported foster households this account may see, by name (the page's order, the
    most urgent first, changes with the day; each household carries its `status` and
    `next_due` to sort by). `status`: only those whose worst requirement has it. Page with
    `next_cursor`."""
    known_query(request, "status", "cursor", "limit")
    if not can(request.user, Action.LIST, Household):
        raise Problem(403, _("This account may not list foster households."))
    page = selectors.household_page(
        request.user,
        today=timezone.localdate(),
        status=status or "",
        cursor=check_cursor(cursor, Household.objects.none(), selectors.HOUSEHOLD_ORDER),
        page_size=limit,
    )
    audit_list(
        request,
        object_type="fostercare.household",
        purpose="api",
        changes={"households": [c.household.pk for c in page.rows]},
    )
    return {"items": [_household(c) for c in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/foster-households/{household_id}",
    response={200: HouseholdDetailOut, **documented(401, 403, 404, 422)},
    url_name="household_detail",
    operation_id="household_detail",
)
def household_detail(request, household_id: Id = HOUSEHOLD_ID):
    """One household as its page shows it: the requirements of its agreement with their status,
    due date and what is left; its carers, the children placed with it whom the account may
    see, its agreements, and the dates of its visits, training and respite. Outside the
    account's scope: 404."""
    known_query(request)
    user = request.user
    household = get_object_or_deny(
        request, selectors.household_queryset(), Action.VIEW, pk=household_id
    )
    today = timezone.localdate()
    compliance = compliance_of(household, today)
    placements = selectors.placements(user, household)
    carers = visible_of(user, household, Carer.objects.all()).order_by("pk")
    agreements = []
    for a in visible_of(user, household, SupportAgreement.objects.order_by("-signed_on", "-pk")):
        named, more = programmes_shown(user, a)
        agreements.append(
            {
                "id": a.pk,
                "version": a.version,
                "reference": a.reference,
                "service_id": a.service_id,
                "key_worker_id": a.key_worker_id,
                "signed_on": a.signed_on,
                "ends_on": a.ends_on,
                "current": a.is_current(today),
                "programmes": [{"id": p.pk, "reference": p.reference} for p in named],
                "programmes_not_shown": more,
            }
        )
    # Respite names the child: only of the placements the reader may see, as on the page.
    respites = visible_of(user, household, Respite.objects.all()).filter(
        placement__in=[p.pk for p in placements]
    )
    # One row for the household, and one for each carer and placed child it names.
    audit_read(request, household, purpose="api", subjects=selectors.people_named(user, household))
    return {
        **_household(compliance),
        "address": household.address if can(user, Action.VIEW_DETAILS, household) else None,
        "address_protected": household.address_protected,
        "requirements": [_requirement(r) for r in compliance.requirements],
        "carers": [{"id": c.pk, "adult_id": c.adult_id, "since": c.since} for c in carers],
        "placements": [
            {
                "id": p.pk,
                "version": p.version,
                "child_id": p.child_id,
                "kind": p.kind,
                "starts_on": p.starts_on,
                "ends_on": p.ends_on,
            }
            for p in placements
        ],
        "agreements": agreements,
        "visits": [
            {"id": v.pk, "kind": v.kind, "on": v.on, "by_id": v.by_id}
            for v in visible_of(user, household, Visit.objects.order_by("-on", "-pk"))[:50]
        ],
        "trainings": [
            {"id": t.pk, "carer_id": t.carer_id, "on": t.on, "hours": t.hours}
            for t in visible_of(user, household, Training.objects.order_by("-on", "-pk"))[:50]
        ],
        "respites": [
            {
                "id": r.pk,
                "placement_id": r.placement_id,
                "starts_on": r.starts_on,
                "ends_on": r.ends_on,
                "days": r.days,
            }
            for r in respites.order_by("-starts_on", "-pk")[:50]
        ],
    }
