"""Activities, their meetings and attendance in the API, under the same policy as the activity
list and pages (activities/access.py): an activity is seen by those who deliver it, the social
helpers of its institution and their supervisors, and the institution's lead (who sees it, its
schedule and how many take part, never who). Who takes part, and who was at a meeting, is
read where the activity's details are, and only the people the reader may name
(`services.readable`). A meeting's attendance is recorded through the form and the service
the meeting's page uses, with the meeting's version as ETag / If-Match. Every page and record
read is audited (purpose "api")."""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.access.shortcuts import audit_list, audit_read, get_object_or_deny
from earlyhelp.activities import selectors, services
from earlyhelp.activities.forms import SessionRecordForm
from earlyhelp.activities.models import Activity, Attendance, Mode, Participant, Session
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
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text
from earlyhelp.core.versioning import StaleVersionError

router = Router(tags=["activities"])
ACTIVITY_ID = Path(...)
SESSION_ID = Path(...)
# The longest session note the API takes (the model's text field declares none).
NOTE_LIMIT = 20000


class ActivityOut(Schema):
    id: int
    version: int
    status: Choice(Activity.Status)
    type: str
    mode: Choice(Mode)
    title: str
    municipality_id: int
    institution_id: int
    lead_id: int
    recurrence: Choice(Activity.Recurrence)
    starts_on: date
    ends_on: date | None
    start_time: time | None
    minutes: int
    place: str
    capacity: int | None


class SessionOut(Schema):
    id: int
    version: int
    activity_id: int
    status: Choice(Session.Status)
    starts_at: datetime
    minutes: int
    place: str


class ParticipantOut(Schema):
    id: int
    child_id: int | None
    adult_id: int | None
    staff_id: int | None
    name: str
    target_group: str
    joined_on: date
    left_on: date | None


class ActivityDetailOut(ActivityOut):
    description: str
    sessions: list[SessionOut]
    participants: list[ParticipantOut] | None = None
    participants_not_shown: int = 0


class AttendanceOut(Schema):
    participant: ParticipantOut
    status: Choice(Attendance.Status) | None


class SessionDetailOut(SessionOut):
    note: str
    head_count: int | None
    attendance: list[AttendanceOut]
    attendance_not_shown: int


class ActivityPage(Schema):
    items: list[ActivityOut]
    next_cursor: str | None


class Mark(StrictSchema):
    participant_id: Id
    status: Choice(Attendance.Status)


class SessionRecord(StrictSchema):
    """What happened at a meeting and who was there, as the meeting's page records it: every
    participant expected at the meeting whom the account may name is marked."""

    status: Choice(Session.Status)
    minutes: int = Field(..., ge=1, le=24 * 60)
    head_count: int | None = Field(None, ge=0, le=100000)
    note: Text(NOTE_LIMIT, multiline=True) = ""
    attendance: list[Mark] = Field(default_factory=list, max_length=1000)


def _activity(activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "version": activity.version,
        "status": activity.status,
        "type": activity.type.code,
        "mode": activity.type.mode,
        "title": activity.title,
        "municipality_id": activity.municipality_id,
        "institution_id": activity.institution_id,
        "lead_id": activity.lead_id,
        "recurrence": activity.recurrence,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "start_time": activity.start_time,
        "minutes": activity.minutes,
        "place": activity.place,
        "capacity": activity.capacity,
    }


def _session(session: Session) -> dict:
    return {
        "id": session.pk,
        "version": session.version,
        "activity_id": session.activity_id,
        "status": session.status,
        "starts_at": session.starts_at,
        "minutes": session.minutes,
        "place": session.place,
    }


def _participant(p: Participant) -> dict:
    return {
        "id": p.pk,
        "child_id": p.child_id,
        "adult_id": p.adult_id,
        "staff_id": p.staff_id,
        "name": p.name,
        "target_group": p.target_group,
        "joined_on": p.joined_on,
        "left_on": p.left_on,
    }


def _subjects(participants: list[Participant]) -> list[str]:
    """The people an answer names, each written to that person's record of who has seen it."""
    return [
        f"people.child:{p.child_id}" if p.child_id else f"people.adult:{p.adult_id}"
        for p in participants
        if p.child_id or p.adult_id
    ]


@router.get(
    "/activities",
    response={200: ActivityPage, **documented(401, 403, 422)},
    url_name="activity_list",
    operation_id="activity_list",
)
def activity_list(
    request,
    status: Choice(Activity.Status) | None = None,
    type: Text(40) | None = None,  # noqa: A002 - the name the web list's filter uses
    institution_id: Id | None = None,
    mine: bool = False,
    since: date | None = None,
    until: date | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The activities this account may see, newest first (as the activity list). `status`,
    `type` (its code), `institution_id`; `mine`: only those the account delivers; `since`,
    `until`: with a meeting between these days, both included. Page with `next_cursor`."""
    known_query(
        request, "status", "type", "institution_id", "mine", "since", "until", "cursor", "limit"
    )
    if not can(request.user, Action.LIST, Activity):
        raise Problem(403, _("This account may not list activities."))
    filters = {"status": status, "type": type, "institution": institution_id}
    filters = {name: value for name, value in filters.items() if value}
    filters.update(period(since, until), sort="newest")
    page = selectors.activity_page(
        request.user,
        cursor=check_cursor(cursor, Activity.objects.none(), selectors.NEWEST_ORDER),
        mine=mine,
        filters=filters,
        page_size=limit,
    )
    audit_list(
        request, object_type="activities.activity", purpose="api", changes={"rows": len(page.rows)}
    )
    return {"items": [_activity(a) for a in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityDetailOut, **documented(401, 403, 404, 422)},
    url_name="activity_detail",
    operation_id="activity_detail",
)
def activity_detail(request, activity_id: Id = ACTIVITY_ID):
    """One activity with its meetings; `participants` to those who read who takes part (the
    people the account may name; `participants_not_shown` counts the others), `null` for the
    institution's lead, as on the page. Outside the account's scope: 404."""
    known_query(request)
    activity = get_object_or_deny(
        request, Activity.objects.select_related("type", "method"), Action.VIEW, pk=activity_id
    )
    page = selectors.activity_detail(request.user, activity)
    data = {
        **_activity(activity),
        "description": activity.description,
        "sessions": [_session(s) for s in page["sessions"]],
    }
    shown = page.get("participants", [])
    if page["details"]:
        data["participants"] = [_participant(p) for p in shown]
        data["participants_not_shown"] = page["hidden_participants"]
    # One row for the activity, and one for each person the answer names.
    audit_read(request, activity, purpose="api", subjects=_subjects(shown))
    return data


def _open_session(request, session_id: int) -> Session:
    """A meeting of an activity whose details the account reads: 404 outside the activity's
    scope, 403 where the account sees the activity but not who takes part (its lead)."""
    session = (
        visible(request.user, Session.objects.filter(pk=session_id), Action.LIST)
        .select_related("activity__type")
        .first()
    )
    if session is None:
        raise Http404
    if not can(request.user, Action.VIEW_DETAILS, session.activity):
        raise Problem(403, _("This account may not read who takes part in this activity."))
    return session


def _session_answer(request, response: HttpResponse, session: Session) -> dict:
    participants, hidden = services.readable(request.user, services.attendees(session))
    marked = dict(session.attendance.values_list("participant_id", "status"))
    response["ETag"] = etag(session.version)
    audit_read(request, session, purpose="api", subjects=_subjects(participants))
    return {
        **_session(session),
        "note": session.note,
        "head_count": session.head_count,
        "attendance": [
            {"participant": _participant(p), "status": marked.get(p.pk)} for p in participants
        ],
        "attendance_not_shown": hidden,
    }


@router.get(
    "/sessions/{session_id}",
    response={200: SessionDetailOut, **documented(401, 403, 404, 422)},
    url_name="session_detail",
    operation_id="session_detail",
)
def session_detail(request, response: HttpResponse, session_id: Id = SESSION_ID):
    """One meeting, with the attendance of each participant expected at it whom the account may
    name (`status` `null` where nobody marked them yet). For those who read who takes part in
    the activity; its lead: 403; outside the account's scope: 404. The `ETag` is the meeting's
    version, for `If-Match` when recording it."""
    known_query(request)
    return _session_answer(request, response, _open_session(request, session_id))


@router.put(
    "/sessions/{session_id}/attendance",
    response={200: SessionDetailOut, **documented(400, 401, 403, 404, 412, 413, 415, 422, 428)},
    url_name="session_record",
    operation_id="session_record",
)
def session_record(
    request,
    response: HttpResponse,
    payload: SessionRecord,
    session_id: Id = SESSION_ID,
    if_match: str | None = IF_MATCH,
):
    """Record a meeting, as its page does: its status, the time spent, the note, the people
    present whose names were not taken, and one mark (present, absent, excused) for every
    participant expected at it whom the account may name. Checked by the page's form and
    service (a meeting still to come cannot be held); one audit row. Send the `ETag` read in
    `If-Match`: without it 428, and 412 if the meeting was recorded since."""
    known_query(request)
    session = _open_session(request, session_id)
    if not can(request.user, Action.CHANGE, session.activity):
        raise Problem(403, _("This account may not record this activity's meetings."))
    version = if_match_version(if_match)
    participants, _hidden = services.readable(request.user, services.attendees(session))
    expected = {p.pk for p in participants}
    marks: dict[int, str] = {}
    for index, mark in enumerate(payload.attendance):
        field = f"attendance.{index}.participant_id"
        if mark.participant_id not in expected:
            raise refused(field, _("This person is not expected at this meeting."))
        if mark.participant_id in marks:
            raise refused(field, _("This person is marked twice."))
        marks[mark.participant_id] = mark.status
    missing = sorted(expected - set(marks))
    if missing:
        message = _("Mark everyone expected at this meeting; missing: %(ids)s.")
        raise refused("attendance", message % {"ids": ", ".join(map(str, missing))})
    data = {
        "status": payload.status,
        "minutes": payload.minutes,
        "head_count": payload.head_count,
        "note": payload.note,
        "version": version,
        **{f"p{pk}": status for pk, status in marks.items()},
    }
    form = SessionRecordForm(data, participants=participants, marked={})
    if not form.is_valid():
        raise form_refused(form)
    try:
        services.session_record(
            user=request.user, session=session, version=version,
            status=form.cleaned_data["status"], minutes=form.cleaned_data["minutes"],
            note=form.cleaned_data["note"], head_count=form.cleaned_data["head_count"],
            attendance=form.attendance(), role=primary_role(request.user),
            request_id=getattr(request, "request_id", ""),
        )  # fmt: skip
    except StaleVersionError as error:
        raise stale() from error
    return _session_answer(request, response, session)
