"""Cases in the API: a summary a partner system may hold (a child welfare service keeping its
register, a school knowing that a pupil's family is being helped), under the same policy as
the case list and the case page (cases/access.py): the case's team and the supervisors of its
service, a restricted case its team's alone, 404 outside. The summary says who works the
case, for whom, since when and how it ended: ids and codes, never the case's name (the
family's), why it was opened, its chronology, assessments, plans or Signs of Safety content,
which stay on the pages. A child is named by id only if the reader may see the child; a
programme only if the reader may name it. Every page and record read is audited (purpose
"api").

A partner also opens a case, writes into its chronology, adds goals and steps to its plan,
marks a step's progress and closes it, each through the form and the service of the page
that does it. What it sends there is casework (the family's name, why, what happened, the
goal in the family's words): the answer to such a write holds only what the summary may
show, the new row's ids, codes, dates and version, never the text sent, so that neither the
answer nor its stored copy for a retry (api/idempotency.py) carries the casework."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema
from pydantic import AwareDatetime

from earlyhelp.access.policy import Action, can, visible, visible_prefetch
from earlyhelp.access.shortcuts import audit_context, audit_list, get_object_or_deny, open_record
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    etag,
    form_refused,
    if_match_version,
    known_query,
    period,
    refused,
    stale,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text, UniqueList
from earlyhelp.cases import selectors, services
from earlyhelp.cases.forms import (
    AdultCaseOpenForm,
    CaseOpenForm,
    CloseForm,
    EntryForm,
    GoalForm,
    PlanActionForm,
    StatusForm,
)
from earlyhelp.cases.models import Case, CaseChild, ChronologyEntry, Goal, LifeDomain, PlanAction
from earlyhelp.cases.selectors import CASE_ORDER
from earlyhelp.concerns.models import Concern
from earlyhelp.core.keyset import keyset_page
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.knowledge.catalogue import offerable_methods
from earlyhelp.people.models import Adult, Child
from earlyhelp.programmes.models import Programme

router = Router(tags=["cases"])
CASE_ID = Path(...)
GOAL_ID = Path(...)
STEP_ID = Path(...)
WRITE_ERRORS = documented(400, 401, 403, 404, 409, 413, 415, 422)
CHANGE_ERRORS = documented(400, 401, 403, 404, 412, 413, 415, 422, 428)
# The longest casework text the API takes where the model's text field declares none.
TEXT_LIMIT = 20000
# The children or adults of one case: a sibling group or a household.
PEOPLE_LIMIT = 20


class ProgrammeRef(Schema):
    id: int
    reference: str


class CaseOut(Schema):
    id: int
    version: int
    status: Choice(Case.Status)
    kind: Choice(Case.Kind)
    subject: Choice(Case.Subject)
    restricted: bool
    municipality_id: int
    service_id: int
    lead_worker_id: int
    opened_at: datetime
    closed_at: datetime | None
    closure_reason: str
    child_ids: list[int]
    programmes: list[ProgrammeRef]


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


def _summaries(user, cases: list[Case]) -> list[dict]:
    """The summaries of cases read through the policy: the children each is about that the
    reader may see, and the programmes it counts for that the reader may name (view or link).
    Six queries for the page, whatever its length."""
    prefetch_related_objects(
        cases,
        visible_prefetch(
            user, "case_children", CaseChild.objects.order_by("pk"), to_attr="listed_children"
        ),
    )
    child_ids = {p.child_id for case in cases for p in case.listed_children}
    seen = set(
        visible(user, Child.objects.filter(pk__in=child_ids), Action.VIEW).values_list(
            "pk", flat=True
        )
    )
    links = list(
        Case.programmes.through.objects.filter(case_id__in=[c.pk for c in cases]).values_list(
            "case_id", "programme_id"
        )
    )
    linked = Programme.objects.filter(pk__in={p for _c, p in links})
    ids = set(visible(user, linked, Action.VIEW).values_list("pk", flat=True))
    ids |= set(visible(user, linked, Action.LINK).values_list("pk", flat=True))
    named = {p.pk: p for p in Programme.objects.filter(pk__in=ids)}
    programmes: dict[int, list[dict]] = {}
    for case_id, programme_id in sorted(links):
        if programme_id in named:
            programme = named[programme_id]
            programmes.setdefault(case_id, []).append(
                {"id": programme.pk, "reference": programme.reference}
            )
    return [
        {
            "id": case.pk,
            "version": case.version,
            "status": case.status,
            "kind": case.kind,
            "subject": case.subject,
            "restricted": case.restricted,
            "municipality_id": case.municipality_id,
            "service_id": case.service_id,
            "lead_worker_id": case.lead_worker_id,
            "opened_at": case.opened_at,
            "closed_at": case.closed_at,
            "closure_reason": case.closure_reason,
            "child_ids": [p.child_id for p in case.listed_children if p.child_id in seen],
            "programmes": programmes.get(case.pk, []),
        }
        for case in cases
    ]


@router.get(
    "/cases",
    response={200: CasePage, **documented(401, 403, 422)},
    url_name="case_list",
    operation_id="case_list",
)
def case_list(
    request,
    status: Choice(Case.Status) | None = None,
    child_id: Id | None = None,
    service_id: Id | None = None,
    since: date | None = None,
    until: date | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The cases this account may see (its team's, and a supervisor's service's), newest
    first. `status`: open or closed (both if left out); `child_id`: the cases about a child
    the account may see; `service_id`: one service's; `since`, `until`: opened between these
    days, both included. Page with `next_cursor`."""
    known_query(request, "status", "child_id", "service_id", "since", "until", "cursor", "limit")
    if not can(request.user, Action.LIST, Case):
        raise Problem(403, _("This account may not list cases."))
    cases = visible(request.user, Case.objects.all(), Action.VIEW)
    if status:
        cases = cases.filter(status=status)
    if service_id is not None:
        cases = cases.filter(service_id=service_id)
    if child_id is not None:
        # Only a child the account may see: a case never tells whom else it is about.
        child = visible(request.user, Child.objects.filter(pk=child_id), Action.VIEW)
        about = CaseChild.objects.filter(case_id=OuterRef("pk"), child__in=child)
        cases = cases.filter(Exists(about))
    dates = period(since, until)
    if "received_from" in dates:
        cases = cases.filter(opened_at__gte=dates["received_from"])
    if "received_before" in dates:
        cases = cases.filter(opened_at__lt=dates["received_before"])
    page = keyset_page(
        cases, CASE_ORDER, check_cursor(cursor, Case.objects.none(), CASE_ORDER), limit
    )
    audit_list(request, object_type="cases.case", purpose="api", changes={"rows": len(page.rows)})
    return {"items": _summaries(request.user, page.rows), "next_cursor": page.next_cursor}


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **documented(401, 403, 404, 422)},
    url_name="case_detail",
    operation_id="case_detail",
)
def case_detail(request, response: HttpResponse, case_id: Id = CASE_ID):
    """One case's summary. Outside the account's scope (another team's restricted case, another
    service's): 404, as on the case page. The `ETag` is the case's version, for `If-Match`
    when closing it."""
    known_query(request)
    case, _path = open_record(request, Case.objects.all(), Action.VIEW, purpose="api", pk=case_id)
    response["ETag"] = etag(case.version)
    return _summaries(request.user, [case])[0]


# --- Writes: each through the page's form and service -------------------------------------------


class CaseIn(StrictSchema):
    """A case as the "open a case" page takes it, about children or about adults. About
    children: from a concern decided as "open or join a case" (`concern_id`), or from a child
    (the first of `child_ids`); the children it is about are those `child_ids` names, or
    without them the concern's, each one the page offers: the starting children and their
    brothers and sisters the account may see. About an adult or a household of adults: from
    the first of `adult_ids`; the others must live with the same children, as the page offers
    them."""

    concern_id: Id | None = None
    child_ids: UniqueList(Id, max_length=PEOPLE_LIMIT) = []
    adult_ids: UniqueList(Id, max_length=PEOPLE_LIMIT) = []
    title: Text(200)
    kind: Choice(Case.Kind) = Case.Kind.FAMILY.value
    service_id: Id
    reason: Text(TEXT_LIMIT, multiline=True)
    lead_worker_id: Id | None = None
    restricted: bool = False
    programme_ids: UniqueList(Id, max_length=50) = []


# The case-opening forms' fields as this API names them, in a refusal's `errors`.
CASE_FIELDS = {
    "service": "service_id",
    "children": "child_ids",
    "adults": "adult_ids",
    "lead_worker": "lead_worker_id",
    "programmes": "programme_ids",
}


def _opening(request, payload: CaseIn) -> tuple[type, dict, dict, list[Concern]]:
    """Whom the case is about, from where the page starts it, fetched as the page fetches it
    (404 outside the scope; 403 for a concern whose decision the account may not read): the
    opening form, the people it offers, those chosen, and the concern it is opened from."""
    if payload.adult_ids:
        if payload.child_ids or payload.concern_id is not None:
            message = _("A case is about children or about adults, not both.")
            raise refused("adult_ids", message)
        adult = get_object_or_deny(
            request, Adult.objects.all(), Action.VIEW, pk=payload.adult_ids[0]
        )
        offered = selectors.opening_adults(user=request.user, adult=adult)
        return AdultCaseOpenForm, {"adults": offered}, {"adults": payload.adult_ids}, []
    concern = child = None
    if payload.concern_id is not None:
        concern = get_object_or_deny(
            request, Concern.objects.select_related("institution"), Action.VIEW_DECISION,
            pk=payload.concern_id,
        )  # fmt: skip
    elif payload.child_ids:
        child = get_object_or_deny(
            request, Child.objects.all(), Action.VIEW, pk=payload.child_ids[0]
        )
    else:
        message = _("Name whom the case is about, or the concern it is opened from.")
        raise refused("child_ids", message)
    starting, offered = selectors.opening_children(user=request.user, concern=concern, child=child)
    chosen = {"children": payload.child_ids or starting}
    return CaseOpenForm, {"children": offered}, chosen, [concern] if concern else []


@router.post(
    "/cases",
    response={200: CaseOut, 201: CaseOut, **WRITE_ERRORS},
    url_name="case_create",
    operation_id="case_create",
)
def case_create(request, payload: CaseIn, idempotency_key: str = IDEMPOTENCY_KEY):
    """Open a case, as the "open a case" page does: the same forms (a service of the
    account's, a lead worker who works with families there, or the account itself; the
    programmes it may link; the children or adults the page offers), the same service (the
    concern linked into the chronology, the team named on the children's records, the lead
    worker told). Where it starts is fetched as the page fetches it: a concern, child or adult
    outside the account's scope is 404, a concern whose decision the account may not read 403.
    Answers the case's summary, never its name or reason. Needs an Idempotency-Key: a retry
    gets the first answer again, with status 200."""
    known_query(request)
    if not can(request.user, Action.CREATE, Case):
        raise Problem(403, _("This account may not open cases."))
    form_class, offered, chosen, concerns = _opening(request, payload)

    def create() -> dict:
        data = dict(
            chosen,
            title=payload.title,
            kind=payload.kind,
            service=payload.service_id,
            reason=payload.reason,
            lead_worker=payload.lead_worker_id or "",
            restricted=payload.restricted,
            programmes=payload.programme_ids,
        )
        choices = selectors.opening_choices(user=request.user)
        form = form_class(data, **offered, **choices)
        if not form.is_valid():
            raise form_refused(form, CASE_FIELDS)
        case = services.case_open(
            user=request.user,
            concerns=concerns,
            **form.case_arguments(),
            **audit_context(request),
        )
        return _summaries(request.user, [case])[0]

    return idempotent(request, idempotency_key, payload, create=create, out=CaseOut, under="cases")


def _for_change(request, case_id: int, action: str = Action.CHANGE) -> Case:
    """The case a write changes, fetched as its page fetches it: 404 outside the account's
    scope, 403 where the rules let it see the case but not do `action` (today those who see a
    case may work and close it). The service audits the change."""
    known_query(request)
    return get_object_or_deny(request, selectors.case_queryset(), action, pk=case_id)


class EntryIn(StrictSchema):
    """A written entry of the chronology, as the case page's form takes it; `corrects_id`: an
    entry of the same case it corrects (an entry is never changed, a correction is a new one)."""

    kind: Literal[tuple(k.value for k in ChronologyEntry.MANUAL_KINDS)]
    happened_at: AwareDatetime
    title: Text(200)
    text: Text(TEXT_LIMIT, multiline=True) = ""
    corrects_id: Id | None = None


class EntryOut(Schema):
    id: int
    case_id: int
    kind: Choice(ChronologyEntry.Kind)
    happened_at: datetime
    recorded_at: datetime
    author_id: int
    corrects_id: int | None


def _entry(entry: ChronologyEntry) -> dict:
    return {
        "id": entry.pk,
        "case_id": entry.case_id,
        "kind": entry.kind,
        "happened_at": entry.happened_at,
        "recorded_at": entry.recorded_at,
        "author_id": entry.author_id,
        "corrects_id": entry.corrects_id,
    }


@router.post(
    "/cases/{case_id}/entries",
    response={200: EntryOut, 201: EntryOut, **WRITE_ERRORS},
    url_name="case_entry_create",
    operation_id="case_entry_create",
)
def case_entry_create(
    request, payload: EntryIn, case_id: Id = CASE_ID, idempotency_key: str = IDEMPOTENCY_KEY
):
    """Write an entry into the case's chronology (a contact with the family, a session with
    the child, a document, a note), as the case page's form does: not in the future, not more
    than a year before the case was opened. Answers the entry's id, kind, time and author,
    never its title or text. Needs an Idempotency-Key: a retry gets the first answer again,
    with status 200."""
    case = _for_change(request, case_id)

    def create() -> dict:
        form = EntryForm(
            {
                "kind": payload.kind,
                "happened_at": payload.happened_at,
                "title": payload.title,
                "text": payload.text,
                "corrects": payload.corrects_id or "",
            }
        )
        if not form.is_valid():
            raise form_refused(form, {"corrects": "corrects_id"})
        corrects = None
        if form.cleaned_data.get("corrects"):
            corrects = selectors.entry_to_correct(
                user=request.user, case=case, entry_id=form.cleaned_data["corrects"]
            )
            if corrects is None:
                raise refused(
                    "corrects_id", _("There is no entry of this case to correct with this id.")
                )
        entry = services.entry_add(
            user=request.user,
            case=case,
            kind=form.cleaned_data["kind"],
            happened_at=form.cleaned_data["happened_at"],
            title=form.cleaned_data["title"],
            text=form.cleaned_data["text"],
            corrects=corrects,
            **audit_context(request),
        )
        return _entry(entry)

    under = f"cases/{case.pk}/entries"
    return idempotent(request, idempotency_key, payload, create=create, out=EntryOut, under=under)


class GoalIn(StrictSchema):
    """A goal of one person's plan: a child of the case (`child_id`) in a case about children,
    an adult it is about (`adult_id`) in a case about adults; `text` in the family's own words."""

    child_id: Id | None = None
    adult_id: Id | None = None
    text: Text(500)
    domain: Choice(LifeDomain) | None = None


class GoalOut(Schema):
    id: int
    version: int
    case_id: int
    child_id: int | None
    adult_id: int | None
    status: Choice(Goal.Status)


def _goal(goal: Goal) -> dict:
    return {
        "id": goal.pk,
        "version": goal.version,
        "case_id": goal.case_id,
        "child_id": goal.child_id,
        "adult_id": goal.adult_id,
        "status": goal.status,
    }


@router.post(
    "/cases/{case_id}/goals",
    response={200: GoalOut, 201: GoalOut, **WRITE_ERRORS},
    url_name="case_goal_create",
    operation_id="case_goal_create",
)
def case_goal_create(
    request, payload: GoalIn, case_id: Id = CASE_ID, idempotency_key: str = IDEMPOTENCY_KEY
):
    """Add a goal to the plan, as the case page's goal form does: for a child of the case the
    account may see (or an adult client of a case about adults), in one of the case's life
    domains. Answers the goal's ids, status and version, never its words. Needs an
    Idempotency-Key: a retry gets the first answer again, with status 200."""
    case = _for_change(request, case_id)

    def create() -> dict:
        data = {
            "child": payload.child_id or "",
            "adult": payload.adult_id or "",
            "text": payload.text,
            "domain": payload.domain or "",
        }
        people = selectors.plan_people(user=request.user, case=case)
        form = GoalForm(data, domains=case.domains, **people)
        for field, name in (("child", "child_id"), ("adult", "adult_id")):
            if data[field] and field not in form.fields:
                message = (
                    _("This case is about adults: name the adult the goal is for.")
                    if case.is_about_adults
                    else _("This case is about children: name the child the goal is for.")
                )
                raise refused(name, message)
        if not form.is_valid():
            raise form_refused(form, {"child": "child_id", "adult": "adult_id"})
        goal = services.goal_add(
            user=request.user,
            case=case,
            child=form.cleaned_data.get("child"),
            adult=form.cleaned_data.get("adult"),
            text=form.cleaned_data["text"],
            domain=form.cleaned_data["domain"],
            **audit_context(request),
        )
        return _goal(goal)

    under = f"cases/{case.pk}/goals"
    return idempotent(request, idempotency_key, payload, create=create, out=GoalOut, under=under)


class GoalStatusIn(StrictSchema):
    status: Choice(Goal.Status)


@router.put(
    "/cases/{case_id}/goals/{goal_id}/status",
    response={200: GoalOut, **CHANGE_ERRORS},
    url_name="case_goal_status",
    operation_id="case_goal_status",
)
def case_goal_status(
    request,
    response: HttpResponse,
    payload: GoalStatusIn,
    case_id: Id = CASE_ID,
    goal_id: Id = GOAL_ID,
    if_match: str | None = IF_MATCH,
):
    """Set a goal's status (`active`, `achieved`, `dropped`), as the plan's "Achieved" button
    does, whose form carries the goal's version: send the version the goal was created or
    last changed with as `ETag` in `If-Match`; without it 428, and 412 if the goal was changed
    since. A goal that is not the case's: 404. One chronology entry and one audit row, as the
    page writes. Answers the goal with its new `ETag`."""
    case = _for_change(request, case_id)
    goal = selectors.case_goal(case=case, goal_id=goal_id)
    if goal is None:
        raise Http404
    _set_status(request, response, payload.status, if_match, services.goal_set_status, goal=goal)
    return _goal(goal)


def _set_status(request, response, status, if_match, set_status, **row) -> None:
    """A goal's or a step's status set through the plan's `StatusForm` and the service that
    sets it (`set_status`), with the row's version from `If-Match`; its new version as ETag."""
    form = StatusForm({"status": status, "version": if_match_version(if_match)})
    if not form.is_valid():
        raise form_refused(form)
    try:
        set_status(
            user=request.user, version=form.cleaned_data["version"],
            status=form.cleaned_data["status"], **row, **audit_context(request),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    (changed,) = row.values()
    response["ETag"] = etag(changed.version)


class StepIn(StrictSchema):
    """A step towards a goal, as the plan's step form takes it: who does it (`owner_kind`); a
    professional on the case's team (`owner_id`), or a parent, the child or a network member
    named in `owner_name`; by when; the intervention it follows (`method_id`), if any."""

    text: Text(500)
    owner_kind: Choice(PlanAction.Owner)
    owner_id: Id | None = None
    owner_name: Text(200) = ""
    due_on: date
    method_id: Id | None = None


class StepOut(Schema):
    id: int
    version: int
    case_id: int
    goal_id: int
    status: Choice(PlanAction.Status)
    owner_kind: Choice(PlanAction.Owner)
    owner_id: int | None
    due_on: date
    done_on: date | None
    method_id: int | None


def _step(step: PlanAction) -> dict:
    return {
        "id": step.pk,
        "version": step.version,
        "case_id": step.goal.case_id,
        "goal_id": step.goal_id,
        "status": step.status,
        "owner_kind": step.owner_kind,
        "owner_id": step.owner_id,
        "due_on": step.due_on,
        "done_on": step.done_on,
        "method_id": step.method_id,
    }


# The step form's fields as this API names them, in a refusal's `errors`.
STEP_FIELDS = {"owner": "owner_id", "method": "method_id"}


@router.post(
    "/cases/{case_id}/goals/{goal_id}/steps",
    response={200: StepOut, 201: StepOut, **WRITE_ERRORS},
    url_name="case_step_create",
    operation_id="case_step_create",
)
def case_step_create(
    request,
    payload: StepIn,
    case_id: Id = CASE_ID,
    goal_id: Id = GOAL_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Add a step towards a goal of the case's plan, as the plan's step form does: a
    professional who does it must be on the case's team, a method one of the municipality's
    catalogue, the due date not before the case was opened. A goal that is not the case's:
    404. Answers the step's ids, status, owner, dates and version (its `ETag` for a change of
    status), never what is to be done nor a person's name. Needs an Idempotency-Key: a retry
    gets the first answer again, with status 200."""
    case = _for_change(request, case_id)
    goal = selectors.case_goal(case=case, goal_id=goal_id)
    if goal is None:
        raise Http404

    def create() -> dict:
        data = {
            "text": payload.text,
            "owner_kind": payload.owner_kind,
            "owner": payload.owner_id or "",
            "owner_name": payload.owner_name,
            "due_on": payload.due_on,
            "method": payload.method_id or "",
        }
        form = PlanActionForm(
            data,
            team=selectors.team_users(case=case),
            methods=offerable_methods(request.user, [case.municipality_id]),
        )
        if not form.is_valid():
            raise form_refused(form, STEP_FIELDS)
        step = services.action_add(
            user=request.user,
            goal=goal,
            text=form.cleaned_data["text"],
            owner_kind=form.cleaned_data["owner_kind"],
            owner=form.cleaned_data["owner"],
            owner_name=form.cleaned_data["owner_name"],
            due_on=form.cleaned_data["due_on"],
            method=form.cleaned_data.get("method"),
            **audit_context(request),
        )
        return _step(step)

    under = f"cases/{case.pk}/goals/{goal.pk}/steps"
    return idempotent(request, idempotency_key, payload, create=create, out=StepOut, under=under)


class StepStatusIn(StrictSchema):
    status: Choice(PlanAction.Status)


@router.put(
    "/cases/{case_id}/steps/{step_id}/status",
    response={200: StepOut, **CHANGE_ERRORS},
    url_name="case_step_status",
    operation_id="case_step_status",
)
def case_step_status(
    request,
    response: HttpResponse,
    payload: StepStatusIn,
    case_id: Id = CASE_ID,
    step_id: Id = STEP_ID,
    if_match: str | None = IF_MATCH,
):
    """Set a step's status (`planned`, `done`, `dropped`), as the plan's "Done" button does,
    whose form carries the step's version: send the version the step was created or last
    changed with as `ETag` in `If-Match`; without it 428, and 412 if the step was changed
    since (on the page, say). A step that is not the case's: 404. One chronology entry and
    one audit row, as the page writes. Answers the step with its new `ETag`."""
    case = _for_change(request, case_id)
    step = selectors.case_step(case=case, step_id=step_id)
    if step is None:
        raise Http404
    set_status = services.action_set_status
    _set_status(request, response, payload.status, if_match, set_status, action=step)
    return _step(step)


class CloseIn(StrictSchema):
    """Why the case is closed and how it ended, as the closing form takes them, with a closing
    note for the chronology."""

    reason: Choice(Case.ClosureReason)
    outcome: Choice(Case.Outcome)
    note: Text(TEXT_LIMIT, multiline=True) = ""


@router.post(
    "/cases/{case_id}/close",
    response={200: CaseOut, **CHANGE_ERRORS},
    url_name="case_close",
    operation_id="case_close",
)
def case_close(
    request,
    response: HttpResponse,
    payload: CloseIn,
    case_id: Id = CASE_ID,
    if_match: str | None = IF_MATCH,
):
    """Close an open case, as its closing page does, with the case's `ETag` (read with
    `GET /cases/{case_id}`) in `If-Match`: without it 428, and 412 if the case was changed
    since. A case already closed: 422 (it is reopened on its page). The closure is written to
    the chronology with the note and audited, by the page's service. Answers the case's
    summary with its new `ETag`, never the note."""
    case = _for_change(request, case_id, Action.CLOSE)
    version = if_match_version(if_match)
    form = CloseForm({**payload.dict(), "version": version})
    if not form.is_valid():
        raise form_refused(form)
    try:
        services.case_close(
            user=request.user, case=case, version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"], outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["note"], **audit_context(request),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    response["ETag"] = etag(case.version)
    return _summaries(request.user, [case])[0]
