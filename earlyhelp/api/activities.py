"""Activities, their meetings and attendance in the API, under the same policy as the activity
list and pages (activities/access.py): an activity is seen by those who deliver it, the social
helpers of its institution and their supervisors, and the institution's lead (who sees it, its
schedule and how many take part, never who). Who takes part, and who was at a meeting, is
read where the activity's details are, and only the people the reader may name
(`services.readable`). An activity is planned and changed, a meeting or a participant added,
and a meeting's attendance recorded through the form and the service the page uses, under the
page's rule (the activity's workers; its institution's lead: 403): a change with the record's
version as ETag / If-Match, a create once per Idempotency-Key. Every page and record read is
audited (purpose "api"), every change by its service."""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.access.shortcuts import audit_context, audit_list, audit_read, get_object_or_deny
from earlyhelp.activities import selectors, services
from earlyhelp.activities.access import activity_institutions
from earlyhelp.activities.forms import (
    ActivityEditForm,
    ActivityForm,
    ParticipantAddForm,
    SessionAddForm,
    SessionRecordForm,
)
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
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text, UniqueList
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.organisations.models import Institution

router = Router(tags=["activities"])
ACTIVITY_ID = Path(...)
SESSION_ID = Path(...)
# The longest session note the API takes (the model's text field declares none).
NOTE_LIMIT = 20000
# The longest description of an activity (the same).
TEXT_LIMIT = 20000
# The most co-workers, programmes or partner organisations one write names.
MAX_ROWS = 100
WRITE_ERRORS = documented(400, 401, 403, 404, 409, 413, 415, 422)


class ActivityOut(Schema):
    id: int
    version: int
    status: Choice(Activity.Status)
    type: str
    mode: Choice(Mode)
    title: str
    theme: str
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


class NewActivity(StrictSchema):
    """An activity as the "plan an activity" page takes it."""

    institution_id: Id
    type: Text(40)
    title: Text(200)
    description: Text(TEXT_LIMIT, multiline=True) = ""
    recurrence: Choice(Activity.Recurrence) = Activity.Recurrence.ONCE.value
    starts_on: date
    ends_on: date | None = None
    start_time: time | None = None
    minutes: int = 60
    place: Text(200) = ""
    theme: Choice(Activity.Theme) | None = None
    capacity: int | None = None
    worker_ids: UniqueList(Id, max_length=MAX_ROWS) = Field(default_factory=list)
    concern_id: Id | None = None
    case_id: Id | None = None
    method_id: Id | None = None
    programme_ids: UniqueList(Id, max_length=MAX_ROWS) = Field(default_factory=list)
    partner_ids: UniqueList(Id, max_length=MAX_ROWS) = Field(default_factory=list)


class ActivityPatch(StrictSchema):
    """The fields a program may change, and only those: a field left out keeps its value.
    Each is then checked by the edit form's own field."""

    status: Choice(Activity.Status) | None = None
    type: Text(40) | None = None
    title: Text(200) | None = None
    description: Text(TEXT_LIMIT, multiline=True) | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    start_time: time | None = None
    minutes: int | None = None
    place: Text(200) | None = None
    theme: Choice(Activity.Theme) | None = None
    capacity: int | None = None
    worker_ids: UniqueList(Id, max_length=MAX_ROWS) | None = None
    concern_id: Id | None = None
    case_id: Id | None = None
    method_id: Id | None = None
    programme_ids: UniqueList(Id, max_length=MAX_ROWS) | None = None
    partner_ids: UniqueList(Id, max_length=MAX_ROWS) | None = None


# The activity form's fields as this API names them, and back.
API_FIELDS = {
    "institution": "institution_id",
    "workers": "worker_ids",
    "concern": "concern_id",
    "case": "case_id",
    "method": "method_id",
    "programmes": "programme_ids",
    "partners": "partner_ids",
    "child": "child_id",
    "adult": "adult_id",
}
FORM_FIELDS = {api: form for form, api in API_FIELDS.items()}


class NewSession(StrictSchema):
    """One more meeting, as the activity page's "add a meeting" form takes it."""

    day: date
    start: time
    minutes: int
    place: Text(200) = ""


class NewParticipant(StrictSchema):
    """Exactly one of `child_id`, `adult_id` and `name`."""

    child_id: Id | None = None
    adult_id: Id | None = None
    name: Text(150) = ""
    target_group: Choice(Participant.TargetGroup) | None = None
    joined_on: date


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
        "theme": activity.theme,
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


def _detail(user, activity: Activity) -> tuple[dict, list[Participant]]:
    """The activity as its page shows it to `user`, and the participants the answer names."""
    page = selectors.activity_detail(user, activity)
    data = {
        **_activity(activity),
        "description": activity.description,
        "sessions": [_session(s) for s in page["sessions"]],
    }
    shown = page.get("participants", [])
    if page["details"]:
        data["participants"] = [_participant(p) for p in shown]
        data["participants_not_shown"] = page["hidden_participants"]
    return data, shown


def _activity_answer(request, response: HttpResponse, activity: Activity) -> dict:
    data, shown = _detail(request.user, activity)
    response["ETag"] = etag(activity.version)
    # One row for the activity, and one for each person the answer names.
    audit_read(request, activity, purpose="api", subjects=_subjects(shown))
    return data


def _open(request, activity_id: int) -> Activity:
    return get_object_or_deny(
        request,
        Activity.objects.select_related("type", "method", "institution"),
        Action.VIEW,
        pk=activity_id,
    )


def _for_change(request, activity_id: int) -> Activity:
    """The activity changed, or a meeting or participant added to: 404 outside the account's
    scope, 403 where it sees the activity but may not work it (the institution's lead)."""
    known_query(request)
    activity = _open(request, activity_id)
    if not can(request.user, Action.CHANGE, activity):
        raise Problem(403, _("This account may not change this activity."))
    return activity


@router.get(
    "/activities/{activity_id}",
    response={200: ActivityDetailOut, **documented(401, 403, 404, 422)},
    url_name="activity_detail",
    operation_id="activity_detail",
)
def activity_detail(request, response: HttpResponse, activity_id: Id = ACTIVITY_ID):
    """One activity with its meetings; `participants` to those who read who takes part (the
    people the account may name; `participants_not_shown` counts the others), `null` for the
    institution's lead, as on the page. Outside the account's scope: 404. The `ETag` is the
    activity's version, for `If-Match` on a change."""
    known_query(request)
    return _activity_answer(request, response, _open(request, activity_id))


def _form_value(value):
    if value is None:
        return ""
    # A time of day as typed on the page: the form refuses one with an offset (a meeting is
    # at a wall-clock time where it is held), instead of failing on it later.
    return value.isoformat() if isinstance(value, time) else value


def _form_data(values: dict) -> dict:
    """A form's data from the API's fields: the form's names, empty for null."""
    return {FORM_FIELDS.get(name, name): _form_value(v) for name, v in values.items()}


def _type_pk(types, code: str, municipalities) -> int:
    """The type of this code in the municipality's catalogue among those the form offers; 0,
    which the form refuses as not offered, for a code it does not know."""
    found = types.filter(code=code, municipality_id__in=municipalities)
    return found.values_list("pk", flat=True).first() or 0


@router.post(
    "/activities",
    response={
        200: ActivityDetailOut,
        201: ActivityDetailOut,
        **documented(400, 401, 403, 409, 413, 415, 422),
    },
    url_name="activity_create",
    operation_id="activity_create",
)
def activity_create(request, payload: NewActivity, idempotency_key: str = IDEMPOTENCY_KEY):
    """Plan an activity, as the "plan an activity" page does: at an institution where the
    account may hold activities, of a type of its municipality's catalogue (`type`, its code),
    the account its lead; a single meeting or a weekly or fortnightly series is planned with
    it. The same checks (a series needs its last day; links only to concerns, cases, methods,
    programmes and partners the form offers), one audit row. Needs an Idempotency-Key: a retry
    gets the first answer again, with status 200."""
    known_query(request)
    if not can(request.user, Action.CREATE, Activity):
        raise Problem(403, _("This account may not plan activities."))

    def create() -> dict:
        choices = selectors.activity_form_choices(
            request.user, activity_institutions(request.user), limit=None
        )
        data = _form_data(payload.dict())
        place = Institution.objects.filter(pk=payload.institution_id).values("municipality_id")
        data["type"] = _type_pk(choices["types"], payload.type, place)
        form = ActivityForm(data, **choices)
        if not form.is_valid():
            raise form_refused(form, API_FIELDS)
        activity = services.activity_create(
            data=form.cleaned_data, user=request.user, **audit_context(request)
        )
        return _detail(request.user, activity)[0]

    return idempotent(request, idempotency_key, payload, create=create, out=ActivityDetailOut)


# Fields of an activity that a change may empty with null; the others are left out to keep.
EMPTIED_BY_NULL = {"ends_on", "start_time", "theme", "capacity", "concern_id", "case_id",
                   "method_id"}  # fmt: skip


@router.patch(
    "/activities/{activity_id}",
    response={200: ActivityDetailOut, **documented(400, 401, 403, 404, 412, 413, 415, 422, 428)},
    url_name="activity_update",
    operation_id="activity_update",
)
def activity_update(
    request,
    response: HttpResponse,
    payload: ActivityPatch,
    activity_id: Id = ACTIVITY_ID,
    if_match: str | None = IF_MATCH,
):
    """Change some of an activity, as its edit page does (the institution and the series stay
    as planned): the same checks and choices, the same rule on who may (the institution's
    lead: 403), one audit row with what changed. A field left out keeps its value; `null`
    empties one that may be empty. `worker_ids`, `programme_ids` and `partner_ids`, when sent,
    replace the co-workers, the programmes the account may link (links to others stay) and the
    partners. Send the `ETag` you read in `If-Match`: without it 428, and 412 if the activity
    was changed since."""
    activity = _for_change(request, activity_id)
    version = if_match_version(if_match)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None and name not in EMPTIED_BY_NULL:
            raise refused(
                name, _("Leave the field out to keep it; it cannot be emptied with null.")
            )
    choices = selectors.activity_form_choices(
        request.user, Institution.objects.filter(pk=activity.institution_id), activity, limit=None
    )
    current = {name: getattr(activity, name) for name in services.ACTIVITY_FIELDS}
    data = {**_form_data(current), "status": activity.status, "version": version}
    data.update(_form_data({name: changes[name] for name in changes if name != "type"}))
    if "type" in changes:
        data["type"] = _type_pk(choices["types"], changes["type"], [activity.municipality_id])
    form = ActivityEditForm(data, initial={"recurrence": activity.recurrence}, **choices)
    if not form.is_valid():
        raise form_refused(form, API_FIELDS)
    try:
        services.activity_update(
            activity=activity,
            data={FORM_FIELDS.get(n, n): form.cleaned_data[FORM_FIELDS.get(n, n)] for n in changes},
            version=version,
            user=request.user,
            **audit_context(request),
        )
    except StaleVersionError as error:
        raise stale() from error
    return _activity_answer(request, response, activity)


@router.post(
    "/activities/{activity_id}/sessions",
    response={200: SessionOut, 201: SessionOut, **WRITE_ERRORS},
    url_name="activity_session_create",
    operation_id="activity_session_create",
)
def activity_session_create(
    request, payload: NewSession, activity_id: Id = ACTIVITY_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):  # fmt: skip
    """Add a meeting to an activity that still runs, as its page's "add a meeting" form does:
    `day`, `start` (a time that exists on that day), `minutes` (5–1440), `place` (the
    activity's if left out). One audit row. Needs an Idempotency-Key: a retry gets the first
    answer again, with status 200."""
    activity = _for_change(request, activity_id)

    def create() -> dict:
        form = SessionAddForm(_form_data(payload.dict()))
        if not form.is_valid():
            raise form_refused(form)
        data = form.cleaned_data
        (session,) = services.sessions_plan(
            activity=activity, days=[data["day"]], start=data["start"],
            minutes=data["minutes"], place=data["place"], user=request.user,
            **audit_context(request),
        )  # fmt: skip
        return _session(session)

    under = f"activities/{activity.pk}/sessions"
    return idempotent(request, idempotency_key, payload, create=create, out=SessionOut, under=under)


@router.post(
    "/activities/{activity_id}/participants",
    response={200: ParticipantOut, 201: ParticipantOut, **WRITE_ERRORS},
    url_name="activity_participant_create",
    operation_id="activity_participant_create",
)
def activity_participant_create(
    request, payload: NewParticipant, activity_id: Id = ACTIVITY_ID,
    idempotency_key: str = IDEMPOTENCY_KEY,
):  # fmt: skip
    """Add someone to those who take part, as the activity page's form does: one child
    enrolled at the activity's institution who does not take part yet (`child_id`), one adult
    of a child there (`adult_id`), or someone not on record by `name` only, as far as the
    account may see them; from `joined_on`. The same checks (a wellbeing conversation needs
    its recorded agreements first; nobody twice), one audit row. Needs an Idempotency-Key: a
    retry gets the first answer again, with status 200."""
    activity = _for_change(request, activity_id)

    def create() -> dict:
        choices = selectors.participant_choices(request.user, activity, limit=None)
        form = ParticipantAddForm(_form_data(payload.dict()), **choices)
        if not form.is_valid():
            raise form_refused(form, API_FIELDS)
        data = form.cleaned_data
        participant = services.participant_add(
            activity=activity, child=data["child"], adult=data["adult"], name=data["name"],
            target_group=data["target_group"], joined_on=data["joined_on"], user=request.user,
            **audit_context(request),
        )  # fmt: skip
        return _participant(participant)

    under = f"activities/{activity.pk}/participants"
    return idempotent(
        request, idempotency_key, payload, create=create, out=ParticipantOut, under=under
    )


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
