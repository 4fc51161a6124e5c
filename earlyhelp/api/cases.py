"""Cases in the API: a summary a partner system may hold (a child welfare service keeping its
register, a school knowing that a pupil's family is being helped), under the same policy as
the case list and the case page (cases/access.py): the case's team and the supervisors of its
service, a restricted case its team's alone, 404 outside. The summary says who works the
case, for whom, since when and how it ended: ids and codes, never the case's name (the
family's), why it was opened, its chronology, assessments, plans or Signs of Safety content,
which stay on the pages. A child is named by id only if the reader may see the child; a
programme only if the reader may name it. Every page and record read is audited (purpose
"api")."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible, visible_prefetch
from earlyhelp.access.shortcuts import audit_list, open_record
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query, period
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id
from earlyhelp.cases.models import Case, CaseChild
from earlyhelp.cases.selectors import CASE_ORDER
from earlyhelp.core.keyset import keyset_page
from earlyhelp.people.models import Child
from earlyhelp.programmes.models import Programme

router = Router(tags=["cases"])
CASE_ID = Path(...)


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
def case_detail(request, case_id: Id = CASE_ID):
    """One case's summary. Outside the account's scope (another team's restricted case, another
    service's): 404, as on the case page."""
    known_query(request)
    case, _path = open_record(request, Case.objects.all(), Action.VIEW, purpose="api", pk=case_id)
    return _summaries(request.user, [case])[0]
