"""Foster-carer support in the API, under the same policy as the household list and the
household page (fostercare/access.py): a household is seen by the key worker of its current
support agreement and by the case workers and supervisors of its service; 404 outside, 403 for
a role that lists no households (managers and analysts read only the compliance overview, on
its page). A household says who its carers are, which children are placed with it (only those
the reader may see: a restricted child's placement is for the child's team), its agreements
and where it stands with each requirement of the agreement, with the due date and what is
left. The free texts of the records (visit notes, who looked after a child in respite, the
development plan) and the methodology checklist stay on the page. Every page and record read
is audited (purpose "api"), a record with one row more for each carer and child it names.

Those who work a household record its visits and trainings and add its placements and
support agreements, through the forms and services of the household's pages: the same checks,
one audit row each, once per Idempotency-Key."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible_of
from earlyhelp.access.shortcuts import audit_context, audit_list, audit_read, get_object_or_deny
from earlyhelp.api.cases import ProgrammeRef
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    form_refused,
    known_query,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text, UniqueList
from earlyhelp.fostercare import selectors, services
from earlyhelp.fostercare.forms import AgreementForm, PlacementForm, TrainingForm, VisitForm
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
CREATE_ERRORS = documented(400, 401, 403, 404, 409, 413, 415, 422)
# The longest visit note the API takes (the model's text field declares none).
NOTE_LIMIT = 20000
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


def _placement(p: Placement) -> dict:
    return {
        "id": p.pk,
        "version": p.version,
        "child_id": p.child_id,
        "kind": p.kind,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
    }


def _agreement(user, a: SupportAgreement, today: date) -> dict:
    named, more = programmes_shown(user, a)
    return {
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


def _visit(v: Visit) -> dict:
    return {"id": v.pk, "kind": v.kind, "on": v.on, "by_id": v.by_id}


def _training(t: Training) -> dict:
    return {"id": t.pk, "carer_id": t.carer_id, "on": t.on, "hours": t.hours}


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
    agreements = [
        _agreement(user, a, today)
        for a in visible_of(user, household, SupportAgreement.objects.order_by("-signed_on", "-pk"))
    ]
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
        "placements": [_placement(p) for p in placements],
        "agreements": agreements,
        "visits": [
            _visit(v)
            for v in visible_of(user, household, Visit.objects.order_by("-on", "-pk"))[:50]
        ],
        "trainings": [
            _training(t)
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


def _for_change(request, household_id: int) -> Household:
    """The household a record is added to: 404 outside the scope, 403 for those who may not
    change it (as its pages). The service audits the row it creates."""
    known_query(request)
    household = get_object_or_deny(
        request, selectors.household_queryset(), Action.VIEW, pk=household_id
    )
    if not can(request.user, Action.CHANGE, household):
        raise Problem(403, _("This account may not change this foster household."))
    return household


class HouseholdVisitIn(StrictSchema):
    """A contact with the household, as the household page's form takes it: its `kind`, the
    day (`on`, not more than a week ahead) and a `note` (kept on the page, never answered)."""

    kind: Choice(Visit.Kind)
    on: date
    note: Text(NOTE_LIMIT, multiline=True) = ""


@router.post(
    "/foster-households/{household_id}/visits",
    response={200: VisitOut, 201: VisitOut, **CREATE_ERRORS},
    url_name="household_visit_create",
    operation_id="household_visit_create",
)
def household_visit_create(
    request,
    payload: HouseholdVisitIn,
    household_id: Id = HOUSEHOLD_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Record a contact with the household (the key worker's contact, counselling), as its
    page does: it counts towards the agreement's requirements from that day; one audit row.
    Answers the visit as the household lists it, without its note. Needs an Idempotency-Key:
    a retry gets the first answer again, with status 200."""
    household = _for_change(request, household_id)

    def create() -> dict:
        form = VisitForm(payload.dict())
        if not form.is_valid():
            raise form_refused(form)
        data = form.cleaned_data
        visit = services.visit_record(
            user=request.user, household=household, kind=data["kind"], on=data["on"],
            note=data["note"], **audit_context(request),
        )  # fmt: skip
        return _visit(visit)

    under = f"foster-households/{household.pk}/visits"
    return idempotent(request, idempotency_key, payload, create=create, out=VisitOut, under=under)


class HouseholdTrainingIn(StrictSchema):
    """A training one of the household's carers (`carer_id`, of the household's `carers`)
    attended, as the household page's form takes it: the day (not more than a week ahead),
    its `title` and the `hours` (at least 0.5, to one decimal)."""

    carer_id: Id
    on: date
    title: Text(200)
    hours: float


@router.post(
    "/foster-households/{household_id}/trainings",
    response={200: TrainingOut, 201: TrainingOut, **CREATE_ERRORS},
    url_name="household_training_create",
    operation_id="household_training_create",
)
def household_training_create(
    request,
    payload: HouseholdTrainingIn,
    household_id: Id = HOUSEHOLD_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Record a training a carer attended, as the household page does: it counts towards the
    carer's hours of the agreement's training requirement; one audit row. Answers the
    training as the household lists it. Needs an Idempotency-Key: a retry gets the first
    answer again, with status 200."""
    household = _for_change(request, household_id)

    def create() -> dict:
        data = {**payload.dict(), "hours": str(payload.hours)}
        data["carer"] = data.pop("carer_id")
        form = TrainingForm(data, carers=selectors.changeable_carers(request.user, household))
        if not form.is_valid():
            raise form_refused(form, {"carer": "carer_id"})
        cleaned = form.cleaned_data
        training = services.training_record(
            user=request.user, household=household, carer=cleaned["carer"], on=cleaned["on"],
            title=cleaned["title"], hours=cleaned["hours"], **audit_context(request),
        )  # fmt: skip
        return _training(training)

    under = f"foster-households/{household.pk}/trainings"
    return idempotent(
        request, idempotency_key, payload, create=create, out=TrainingOut, under=under
    )


class HouseholdPlacementIn(StrictSchema):
    """A child placed with the household, as the placement form takes it: a child of the
    household's municipality whom the account may see (`child_id`), the `kind`, from
    `starts_on`, until `ends_on` if it has ended."""

    child_id: Id
    kind: Choice(Placement.Kind)
    starts_on: date
    ends_on: date | None = None


@router.post(
    "/foster-households/{household_id}/placements",
    response={200: PlacementOut, 201: PlacementOut, **CREATE_ERRORS},
    url_name="household_placement_create",
    operation_id="household_placement_create",
)
def household_placement_create(
    request,
    payload: HouseholdPlacementIn,
    household_id: Id = HOUSEHOLD_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Record a child's placement with the household, as the placement page does: not while
    the child is placed elsewhere; one audit row. Needs an Idempotency-Key: a retry gets the
    first answer again, with status 200."""
    household = _for_change(request, household_id)

    def create() -> dict:
        data = payload.dict()
        data["child"] = data.pop("child_id")
        form = PlacementForm(data, children=selectors.placeable_children(request.user, household))
        if not form.is_valid():
            raise form_refused(form, {"child": "child_id"})
        placement = services.placement_create(
            user=request.user, household=household, child=form.cleaned_data["child"],
            data=form.cleaned_data, **audit_context(request),
        )  # fmt: skip
        return _placement(placement)

    under = f"foster-households/{household.pk}/placements"
    return idempotent(
        request, idempotency_key, payload, create=create, out=PlacementOut, under=under
    )


class HouseholdAgreementIn(StrictSchema):
    """A support agreement, as the agreement form takes it: the `key_worker_id` (a case
    worker or supervisor of the household's service), a `reference`, signed on `signed_on`,
    until `ends_on` if it is for a time, and the programmes it counts for
    (`programme_ids`, those the account may link)."""

    key_worker_id: Id
    reference: Text(60) = ""
    signed_on: date
    ends_on: date | None = None
    programme_ids: UniqueList(Id, max_length=50) = []


@router.post(
    "/foster-households/{household_id}/agreements",
    response={200: AgreementOut, 201: AgreementOut, **CREATE_ERRORS},
    url_name="household_agreement_create",
    operation_id="household_agreement_create",
)
def household_agreement_create(
    request,
    payload: HouseholdAgreementIn,
    household_id: Id = HOUSEHOLD_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Record a support agreement with the household, as the agreement page does: not while
    another of its agreements runs; from the day it is signed its requirements apply and its
    key worker supports the household. One audit row. Needs an Idempotency-Key: a retry gets
    the first answer again, with status 200."""
    household = _for_change(request, household_id)

    def create() -> dict:
        data = payload.dict()
        data["key_worker"] = data.pop("key_worker_id")
        data["programmes"] = data.pop("programme_ids")
        form = AgreementForm(
            data, workers=selectors.key_workers(household), user=request.user,
            municipality_id=household.municipality_id,
        )  # fmt: skip
        if not form.is_valid():
            raise form_refused(form, {"key_worker": "key_worker_id", "programmes": "programme_ids"})
        agreement = services.agreement_create(
            user=request.user, household=household, data=form.cleaned_data, **audit_context(request)
        )
        return _agreement(request.user, agreement, timezone.localdate())

    under = f"foster-households/{household.pk}/agreements"
    return idempotent(
        request, idempotency_key, payload, create=create, out=AgreementOut, under=under
    )
