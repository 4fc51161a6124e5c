"""Assisted-contact arrangements in the API, under the same policy as the contact list and the
arrangement page (contacts/access.py): an arrangement is seen by its workers and by the case
workers and supervisors of its service, a restricted child's by the workers on the child's
team alone; 404 outside. An arrangement says who meets whom, on what basis, how often and at
which stage, with its meetings' times and statuses; the visitor and the carer are named (by
id) only where the page names them. What a meeting's record holds (observations, the child's
words, incidents) and the reports stay on the pages. Every page and record read is audited
(purpose "api")."""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible_of
from earlyhelp.access.shortcuts import audit_list, audit_read, get_object_or_deny
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query, period
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id
from earlyhelp.contacts import selectors
from earlyhelp.contacts.models import Arrangement, Meeting
from earlyhelp.organisations.models import Service

router = Router(tags=["contacts"])
ARRANGEMENT_ID = Path(...)


class ArrangementOut(Schema):
    id: int
    version: int
    status: Choice(Arrangement.Status)
    stage: str
    basis: Choice(Arrangement.Basis)
    frequency: Choice(Arrangement.Frequency)
    minutes: int
    municipality_id: int
    service_id: int
    lead_id: int
    child_id: int
    visitor_id: int | None
    carer_id: int | None
    starts_on: date
    ends_on: date | None


class MeetingOut(Schema):
    id: int
    version: int
    status: Choice(Meeting.Status)
    stage: str
    starts_at: datetime
    ends_at: datetime
    lead_id: int
    room_id: int | None


class ArrangementDetailOut(ArrangementOut):
    restrictions: list[str]
    school_hours_allowed: bool
    meetings: list[MeetingOut]


class ArrangementPage(Schema):
    items: list[ArrangementOut]
    next_cursor: str | None


def _arrangement(a: Arrangement) -> dict:
    """An arrangement whose `visitor_named` and `carer_named` the selectors have set."""
    return {
        "id": a.pk,
        "version": a.version,
        "status": a.status,
        "stage": a.stage,
        "basis": a.basis,
        "frequency": a.frequency,
        "minutes": a.minutes,
        "municipality_id": a.municipality_id,
        "service_id": a.service_id,
        "lead_id": a.lead_id,
        "child_id": a.child_id,
        "visitor_id": a.visitor_id if a.visitor_named else None,
        "carer_id": a.carer_id if a.carer_named else None,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
    }


@router.get(
    "/contact-arrangements",
    response={200: ArrangementPage, **documented(401, 403, 422)},
    url_name="arrangement_list",
    operation_id="arrangement_list",
)
def arrangement_list(
    request,
    status: Choice(Arrangement.Status) | None = None,
    service_id: Id | None = None,
    mine: bool = False,
    since: date | None = None,
    until: date | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The contact arrangements this account may see, newest first (as the contact list, of
    every status unless `status` says). `service_id`; `mine`: only those the account works
    on; `since`, `until`: with a meeting between these days, both included. Page with
    `next_cursor`."""
    known_query(request, "status", "service_id", "mine", "since", "until", "cursor", "limit")
    if not can(request.user, Action.LIST, Arrangement):
        raise Problem(403, _("This account may not list contact arrangements."))
    filters = {"sort": "newest", **period(since, until)}
    if status:
        filters["status"] = status
    if service_id is not None:
        filters["service"] = Service(pk=service_id)
    page = selectors.arrangement_page(
        request.user,
        cursor=check_cursor(cursor, Arrangement.objects.none(), selectors.NEWEST_ORDER),
        mine=mine,
        filters=filters,
        page_size=limit,
    )
    audit_list(
        request,
        object_type="contacts.arrangement",
        purpose="api",
        changes={"rows": len(page.rows), "children": [a.child_id for a in page.rows]},
    )
    return {"items": [_arrangement(a) for a in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/contact-arrangements/{arrangement_id}",
    response={200: ArrangementDetailOut, **documented(401, 403, 404, 422)},
    url_name="arrangement_detail",
    operation_id="arrangement_detail",
)
def arrangement_detail(request, arrangement_id: Id = ARRANGEMENT_ID):
    """One arrangement with its restrictions and its meetings (when, at which stage, held or
    not). Outside the account's scope: 404, as on the arrangement page."""
    known_query(request)
    arrangement = get_object_or_deny(
        request, selectors.arrangement_queryset(), Action.VIEW, pk=arrangement_id
    )
    selectors.name_visitors(request.user, [arrangement])
    meetings = visible_of(request.user, arrangement, arrangement.meetings.all())
    data = _arrangement(arrangement)
    named = [f"people.child:{arrangement.child_id}"]
    named += [f"people.adult:{data[role]}" for role in ("visitor_id", "carer_id") if data[role]]
    # One row for the arrangement, and one for each person the answer names.
    audit_read(request, arrangement, purpose="api", subjects=named)
    return {
        **data,
        "restrictions": list(arrangement.restrictions),
        "school_hours_allowed": arrangement.school_hours_allowed,
        "meetings": [
            {
                "id": m.pk,
                "version": m.version,
                "status": m.status,
                "stage": m.stage,
                "starts_at": m.starts_at,
                "ends_at": m.ends_at,
                "lead_id": m.lead_id,
                "room_id": m.room_id,
            }
            for m in meetings
        ],
    }
