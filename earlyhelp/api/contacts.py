"""Assisted-contact arrangements in the API, under the same policy as the contact list and the
arrangement page (contacts/access.py): an arrangement is seen by its workers and by the case
workers and supervisors of its service, a restricted child's by the workers on the child's
team alone; 404 outside. An arrangement says who meets whom, on what basis, how often and at
which stage, with its meetings' times and statuses; the visitor and the carer are named (by
id) only where the page names them. What a meeting's record holds (observations, the child's
words, incidents) and the reports stay on the pages. Every page and record read is audited
(purpose "api").

Those who work the arrangement (403 for those who only read it) plan its meetings, record a
meeting and cancel one, through the forms and services of the planning and meeting pages:
the same checks (clashes, the municipality's calendar, a meeting not started yet), one
audit row each; a meeting's version is its ETag for If-Match."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible_of
from earlyhelp.access.shortcuts import audit_context, audit_list, audit_read, get_object_or_deny
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
from earlyhelp.api.types import Choice, Id, Text
from earlyhelp.contacts import selectors, services
from earlyhelp.contacts.forms import MeetingCancelForm, MeetingRecordForm, SeriesForm
from earlyhelp.contacts.models import Arrangement, Meeting, Party
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Service

router = Router(tags=["contacts"])
ARRANGEMENT_ID = Path(...)
MEETING_ID = Path(...)
# The longest text of a meeting's record the API takes (the model's text fields declare none).
NOTE_LIMIT = 20000
CREATE_ERRORS = documented(400, 401, 403, 404, 409, 413, 415, 422)
UPDATE_ERRORS = documented(400, 401, 403, 404, 412, 413, 415, 422, 428)


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


def _meeting(m: Meeting) -> dict:
    return {
        "id": m.pk,
        "version": m.version,
        "status": m.status,
        "stage": m.stage,
        "starts_at": m.starts_at,
        "ends_at": m.ends_at,
        "lead_id": m.lead_id,
        "room_id": m.room_id,
    }


def _for_change(request, arrangement_id: int) -> Arrangement:
    """The arrangement whose meetings are planned or recorded: 404 outside the scope, 403 for
    those who read it but do not work it (as the planning and meeting pages)."""
    arrangement = get_object_or_deny(
        request, selectors.arrangement_queryset(), Action.VIEW, pk=arrangement_id
    )
    if not can(request.user, Action.CHANGE, arrangement):
        raise Problem(403, _("This account may not plan or record this arrangement's meetings."))
    return arrangement


def _meeting_for_change(request, arrangement_id: int, meeting_id: int) -> Meeting:
    arrangement = _for_change(request, arrangement_id)
    meetings = arrangement.meetings.select_related("room", "lead").filter(pk=meeting_id)
    meeting = visible_of(request.user, arrangement, meetings, Action.CHANGE).first()
    if meeting is None:
        raise Http404
    meeting.arrangement = arrangement
    return meeting


class ArrangementMeetingPlan(StrictSchema):
    """One meeting or a series, as the planning page takes it: `count` meetings (1 unless
    said) from `first_day` at `start` (local time), `step_days` apart (by default as the
    arrangement's frequency: 7 weekly, 14 fortnightly, 28 monthly), each `minutes` long (the
    arrangement's length unless said), in `room_id` (the arrangement's room if left out; null:
    none) led by `lead_id` (the arrangement's worker if left out, or one of its other
    workers). A clash refuses all, unless `skip_clashes` plans only the free ones."""

    first_day: date
    start: time
    count: int = 1
    step_days: int | None = None
    minutes: int | None = None
    room_id: Id | None = None
    lead_id: Id | None = None
    skip_clashes: bool = False


class ArrangementMeetingsPlannedOut(Schema):
    meetings: list[MeetingOut]
    # The starts of the meetings left out for their clashes (with `skip_clashes`).
    left_out: list[datetime]


@router.post(
    "/contact-arrangements/{arrangement_id}/meetings",
    response={
        200: ArrangementMeetingsPlannedOut,
        201: ArrangementMeetingsPlannedOut,
        **CREATE_ERRORS,
    },
    url_name="arrangement_meeting_plan",
    operation_id="arrangement_meeting_plan",
)
def arrangement_meeting_plan(
    request,
    payload: ArrangementMeetingPlan,
    arrangement_id: Id = ARRANGEMENT_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):
    """Plan one meeting or a series, as the planning page does: checked by its form, then
    every meeting against the service's rooms, the worker's and the child's other meetings,
    the municipality's holidays and the arrangement's restrictions (school hours). A clash
    refuses the whole series with every reason (422), unless `skip_clashes` plans only the
    free ones (`left_out` lists the others). Only an active arrangement's. One audit row.
    Needs an Idempotency-Key: a retry gets the first answer again, with status 200."""
    known_query(request)
    arrangement = _for_change(request, arrangement_id)

    def create() -> dict:
        given = payload.dict(exclude_unset=True)
        step = services.STEP_DAYS.get(arrangement.frequency, 14)
        data = {
            "first_day": payload.first_day,
            "start": _form_time(payload.start),
            "count": payload.count,
            "step_days": step if payload.step_days is None else payload.step_days,
            "minutes": arrangement.minutes if payload.minutes is None else payload.minutes,
            "room": given.get("room_id", arrangement.room_id) or "",
            "lead": payload.lead_id or arrangement.lead_id,
        }
        form = SeriesForm(data, **selectors.series_choices(arrangement))
        if not form.is_valid():
            raise form_refused(form, {"room": "room_id", "lead": "lead_id"})
        cleaned = form.cleaned_data
        slots = services.series_slots(
            arrangement, first_day=cleaned["first_day"], start=cleaned["start"],
            count=cleaned["count"], step_days=cleaned["step_days"], minutes=cleaned["minutes"],
            room=cleaned["room"], lead=cleaned["lead"],
        )  # fmt: skip
        planned = services.meetings_plan(
            user=request.user, arrangement=arrangement, slots=slots, room=cleaned["room"],
            lead=cleaned["lead"], skip_clashes=payload.skip_clashes, **audit_context(request),
        )  # fmt: skip
        starts = {m.starts_at for m in planned}
        return {
            "meetings": [_meeting(m) for m in planned],
            "left_out": [s.starts_at for s in slots if s.starts_at not in starts],
        }

    under = f"contact-arrangements/{arrangement.pk}/meetings"
    return idempotent(
        request,
        idempotency_key,
        payload,
        create=create,
        out=ArrangementMeetingsPlannedOut,
        under=under,
    )


class ArrangementMeetingRecord(StrictSchema):
    """What happened at a meeting, as the meeting's page records it; a field left out keeps
    its value, null empties it. `observations`: one text per competence the arrangement works
    on (by code); a code left out keeps its text."""

    visitor_arrived_at: time | None = None
    child_arrived_at: time | None = None
    handover_at: time | None = None
    ended_at: time | None = None
    present: Text(NOTE_LIMIT, multiline=True) | None = None
    observations: dict[Text(40), Text(NOTE_LIMIT, multiline=True)] | None = None
    child_words: Text(NOTE_LIMIT, multiline=True) | None = None
    incidents: Text(NOTE_LIMIT, multiline=True) | None = None
    ended_early: bool | None = None
    early_end_reason: Text(NOTE_LIMIT, multiline=True) | None = None
    minutes_late: int | None = None
    caused_by: Choice(Party) | None = None


def _form_time(value: time) -> str:
    """A time as the page's form reads it: a time of day with an offset (10:00+02:00) is not
    one it takes (the meeting's local time is meant), and is refused naming the field."""
    return value.isoformat()


def _form_value(value):
    if value is None:
        return ""
    return _form_time(value) if isinstance(value, time) else value


def _meeting_answer(response: HttpResponse, meeting: Meeting) -> dict:
    response["ETag"] = etag(meeting.version)
    return _meeting(meeting)


@router.patch(
    "/contact-arrangements/{arrangement_id}/meetings/{meeting_id}",
    response={200: MeetingOut, **UPDATE_ERRORS},
    url_name="arrangement_meeting_record",
    operation_id="arrangement_meeting_record",
)
def arrangement_meeting_record(
    request,
    response: HttpResponse,
    payload: ArrangementMeetingRecord,
    arrangement_id: Id = ARRANGEMENT_ID,
    meeting_id: Id = MEETING_ID,
    if_match: str | None = IF_MATCH,
):
    """Record what happened at a meeting (times, who was present, observations, the child's
    words, incidents, an early end, a late start), as the meeting's page does: the meeting is
    then held. Checked by the page's form and service (not before it started, nor one that
    was cancelled; an early end says why, a late start who caused it); a correction later is
    a new version, one audit row with every field before and after. The answer is the
    meeting as the arrangement lists it: the record stays on the page. Send the meeting's
    `version` as `If-Match` (`"3"`): without it 428, and 412 if it was changed since."""
    known_query(request)
    meeting = _meeting_for_change(request, arrangement_id, meeting_id)
    version = if_match_version(if_match)
    changes = payload.dict(exclude_unset=True)
    data = {**MeetingRecordForm.values_of(meeting), "version": version}
    observations = changes.pop("observations", None) or {}
    worked_on = dict(MeetingRecordForm.for_meeting(meeting).competences)
    for code, text in observations.items():
        if code not in worked_on:
            message = _("Observe only the competences the arrangement works on.")
            raise refused(f"observations.{code}", message)
        data[f"observe_{code}"] = text
    data.update({name: _form_value(value) for name, value in changes.items()})
    form = MeetingRecordForm.for_meeting(meeting, data)
    if not form.is_valid():
        names = {f"observe_{code}": f"observations.{code}" for code in worked_on}
        raise form_refused(form, names)
    try:
        services.meeting_record(
            user=request.user, meeting=meeting, data=form.cleaned_data, version=version,
            **audit_context(request),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    return _meeting_answer(response, meeting)


class ArrangementMeetingCancel(StrictSchema):
    """A meeting `cancelled` ahead (`notice_given_at`: when the notice came, now if left out)
    or missed (`no_show`), and which party caused it, as the meeting page's form takes it."""

    status: Literal[Meeting.Status.CANCELLED.value, Meeting.Status.NO_SHOW.value]
    caused_by: Choice(Party)
    notice_given_at: datetime | None = None
    reason: Text(NOTE_LIMIT, multiline=True) = ""


@router.post(
    "/contact-arrangements/{arrangement_id}/meetings/{meeting_id}/cancel",
    response={200: MeetingOut, **UPDATE_ERRORS},
    url_name="arrangement_meeting_cancel",
    operation_id="arrangement_meeting_cancel",
)
def arrangement_meeting_cancel(
    request,
    response: HttpResponse,
    payload: ArrangementMeetingCancel,
    arrangement_id: Id = ARRANGEMENT_ID,
    meeting_id: Id = MEETING_ID,
    if_match: str | None = IF_MATCH,
):
    """Cancel a planned meeting or mark it as missed, as the meeting page does: a
    cancellation comes before the meeting, a no-show only once it was due; the report's
    figures count them per party. One audit row. Send the meeting's `version` as `If-Match`:
    without it 428, and 412 if it was changed since (moved); one no longer planned (already
    cancelled, or held) is refused with 422."""
    known_query(request)
    meeting = _meeting_for_change(request, arrangement_id, meeting_id)
    version = if_match_version(if_match)
    form = MeetingCancelForm({**payload.dict(), "version": version})
    if not form.is_valid():
        raise form_refused(form)
    cleaned = form.cleaned_data
    try:
        services.meeting_cancel(
            user=request.user, meeting=meeting, status=cleaned["status"],
            caused_by=cleaned["caused_by"], reason=cleaned["reason"], version=version,
            notice_given_at=cleaned["notice_given_at"], **audit_context(request),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    return _meeting_answer(response, meeting)
