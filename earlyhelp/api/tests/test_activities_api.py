"""Activities, meetings and attendance through the API: who takes part only to those who read
it on the pages, the lead of the institution kept to the schedule; an activity planned and
changed, a meeting and a participant added, and a meeting recorded through the page's forms
and services, a change with the version as ETag / If-Match, a create once per key; every read
audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.activities.models import Activity, Attendance, Participant, Session
from earlyhelp.activities.tests.access_expectations import make_activity
from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


def _with_child(world, activity):
    return Participant.objects.create(
        activity=activity, municipality=activity.municipality, child=world.inside,
        joined_on=activity.starts_on,
    )  # fmt: skip


def test_the_worker_reads_who_takes_part_and_the_lead_only_the_schedule(world, client):
    activity = make_activity(world, True)
    place = _with_child(world, activity)
    url = f"/api/v1/activities/{activity.pk}"
    worker = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()
    assert worker["type"] == "parent_club" and len(worker["sessions"]) == 1
    assert {p["id"] for p in worker["participants"]} >= {place.pk}
    assert AuditEvent.objects.filter(
        object_type="activities.activity", purpose="api", subject=f"people.child:{world.inside.pk}"
    ).exists()
    lead = client.get(url, **_auth(world.users[Role.INSTITUTION_LEAD]))
    assert lead.status_code == 200 and lead.json()["participants"] is None
    assert len(lead.json()["sessions"]) == 1
    abroad = make_activity(world, False)
    outside = client.get(
        f"/api/v1/activities/{abroad.pk}", **_auth(world.users[Role.SOCIAL_HELPER])
    )
    assert outside.status_code == 404


def test_the_list_as_the_page_with_filters_and_refusals(world, client):
    ours, abroad = make_activity(world, True), make_activity(world, False)
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    listed = client.get("/api/v1/activities", **auth).json()
    ids = [a["id"] for a in listed["items"]]
    assert ours.pk in ids and abroad.pk not in ids
    assert AuditEvent.objects.filter(
        object_type="activities.activity", action="list", purpose="api"
    ).exists()
    ended = client.get("/api/v1/activities", {"status": "ended"}, **auth).json()
    assert ended["items"] == []
    week = timezone.localdate() - timedelta(days=7)
    met = client.get("/api/v1/activities", {"since": week, "until": week}, **auth).json()
    assert [a["id"] for a in met["items"]] == [ours.pk]
    assert client.get("/api/v1/activities", **_auth(world.users[Role.EDUCATOR])).status_code == 403
    unknown = client.get("/api/v1/activities", {"show": "all"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "show"
    foreign = client.get("/api/v1/activities", {"cursor": "WyJzem9rZSBiZW5jZSIsIDFd"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"
    backwards = client.get("/api/v1/activities", {"since": week, "until": week - timedelta(1)},
                           **auth)  # fmt: skip
    assert backwards.status_code == 422 and backwards.json()["errors"][0]["field"] == "until"


def test_a_meeting_with_its_attendance_for_those_who_read_who_takes_part(world, client):
    activity = make_activity(world, True)
    _with_child(world, activity)
    session = activity.sessions.get()
    url = f"/api/v1/sessions/{session.pk}"
    answer = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER]))
    assert answer.status_code == 200 and answer["ETag"] == f'"{session.version}"'
    assert {row["status"] for row in answer.json()["attendance"]} == {None}
    assert len(answer.json()["attendance"]) == 2
    assert AuditEvent.objects.filter(
        object_type="activities.session", object_id=str(session.pk), purpose="api"
    ).exists()
    assert client.get(url, **_auth(world.users[Role.INSTITUTION_LEAD])).status_code == 403
    abroad = make_activity(world, False).sessions.get()
    outside = client.get(f"/api/v1/sessions/{abroad.pk}", **_auth(world.users[Role.SUPERVISOR]))
    assert outside.status_code == 404


def _put(client, session, body, auth, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.put(
        f"/api/v1/sessions/{session.pk}/attendance",
        body,
        content_type="application/json",
        **auth,
        **headers,
    )


def test_recording_a_meeting_needs_its_etag_and_every_mark(world, client):
    activity = make_activity(world, True)
    child = _with_child(world, activity)
    guest = activity.participants.get(name="A guest")
    session = activity.sessions.get()
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    tag = client.get(f"/api/v1/sessions/{session.pk}", **auth)["ETag"]
    marks = [
        {"participant_id": child.pk, "status": "present"},
        {"participant_id": guest.pk, "status": "excused"},
    ]
    body = {"status": "held", "minutes": 50, "note": "Talked about mornings.", "attendance": marks}
    assert _put(client, session, body, auth).status_code == 428
    missing = _put(client, session, {**body, "attendance": marks[:1]}, auth, tag)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "attendance"
    stranger = {"participant_id": 10**9, "status": "present"}
    unknown = _put(client, session, {**body, "attendance": [*marks, stranger]}, auth, tag)
    assert unknown.json()["errors"][0]["field"] == "attendance.2.participant_id"
    bad = _put(client, session, {**body, "minutes": 0}, auth, tag)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "minutes"
    recorded = _put(client, session, body, auth, tag)
    assert recorded.status_code == 200, recorded.json()
    assert recorded["ETag"] == f'"{session.version + 1}"'
    session.refresh_from_db()
    assert session.status == Session.Status.HELD and session.minutes == 50
    assert dict(session.attendance.values_list("participant_id", "status")) == {
        child.pk: Attendance.Status.PRESENT,
        guest.pk: Attendance.Status.EXCUSED,
    }
    assert AuditEvent.objects.filter(
        object_type="activities.activity", object_id=str(activity.pk), action="change"
    ).exists()
    # Recorded meanwhile by someone else: the stale tag is refused, nothing written over it.
    again = _put(client, session, {**body, "minutes": 20}, auth, tag)
    assert again.status_code == 412 and again.json()["type"].endswith(":stale")
    session.refresh_from_db()
    assert session.minutes == 50
    lead = _put(client, session, body, _auth(world.users[Role.INSTITUTION_LEAD]), tag)
    assert lead.status_code == 403


def test_a_meeting_still_to_come_cannot_be_recorded_as_held(world, client):
    activity = make_activity(world, True)
    session = activity.sessions.get()
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() + timedelta(days=3))
    guest = activity.participants.get()
    body = {
        "status": "held",
        "minutes": 45,
        "attendance": [{"participant_id": guest.pk, "status": "present"}],
    }
    refused = _put(client, session, body, _auth(world.users[Role.SOCIAL_HELPER]), '"1"')
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] is None


def _send(client, method, url, body, auth, **headers):
    return getattr(client, method)(url, body, content_type="application/json", **auth, **headers)


def _keyed(user, key: str) -> dict:
    return {**_auth(user), "HTTP_IDEMPOTENCY_KEY": key}


def _new_activity(world, **fields) -> dict:
    return {
        "institution_id": world.school_a1.pk,
        "type": "parent_club",
        "title": "Parent club, Tuesdays",
        "starts_on": timezone.localdate().isoformat(),
        "start_time": "16:00",
        "minutes": 90,
        **fields,
    }


def test_planning_an_activity_once_per_key_as_the_page_does(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    auth = _keyed(helper, "plan-0001")
    body = _new_activity(world, theme="parent_cooperation")
    first = _send(client, "post", "/api/v1/activities", body, auth)
    again = _send(client, "post", "/api/v1/activities", body, auth)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json()
    made = Activity.objects.get(pk=first.json()["id"])
    assert made.lead == helper and made.institution == world.school_a1
    assert made.minutes == 90 and made.theme == "parent_cooperation"
    # A single meeting is planned with it, as on the page.
    assert [s["id"] for s in first.json()["sessions"]] == [made.sessions.get().pk]
    assert first.json()["participants"] == []
    assert (
        AuditEvent.objects.filter(
            object_type="activities.activity", object_id=str(made.pk), action="create"
        ).count()
        == 1
    )


def test_planning_is_checked_by_the_form_and_its_rule(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    url = "/api/v1/activities"
    cases = [
        ({"type": "no_such_type"}, "type"),
        ({"recurrence": "weekly"}, "ends_on"),
        ({"institution_id": world.school_b1.pk}, "institution_id"),
        ({"title": ""}, "title"),
        ({"minutes": 2}, "minutes"),
    ]
    for index, (fields, field) in enumerate(cases):
        refused = _send(client, "post", url, _new_activity(world, **fields),
                        _keyed(helper, f"refused-{index:04}"))  # fmt: skip
        assert refused.status_code == 422, fields
        assert field in [e["field"] for e in refused.json()["errors"]], refused.json()
    unknown = _send(client, "post", url, _new_activity(world, lead_id=1), _keyed(helper, "x-0001"))
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "lead_id"
    educator = _send(client, "post", url, _new_activity(world),
                     _keyed(world.users[Role.EDUCATOR], "edu-0001"))  # fmt: skip
    assert educator.status_code == 403
    assert not Activity.objects.exists()


def _patch(client, activity, body, auth, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return _send(client, "patch", f"/api/v1/activities/{activity.pk}", body, auth, **headers)


def test_changing_an_activity_needs_its_etag_and_keeps_what_is_left_out(world, client):
    activity = make_activity(world, True)
    activity.workers.add(world.users[Role.SUPERVISOR])
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    read = client.get(f"/api/v1/activities/{activity.pk}", **auth)
    tag = read["ETag"]
    assert tag == f'"{activity.version}"'
    body = {"title": "Parent club, Thursdays", "place": "Library", "capacity": 12}
    assert _patch(client, activity, body, auth).status_code == 428
    changed = _patch(client, activity, body, auth, tag)
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == f'"{activity.version + 1}"'
    assert changed.json()["title"] == "Parent club, Thursdays" and changed.json()["capacity"] == 12
    activity.refresh_from_db()
    assert (activity.title, activity.place) == ("Parent club, Thursdays", "Library")
    assert activity.type.code == "parent_club"
    assert list(activity.workers.all()) == [world.users[Role.SUPERVISOR]]
    change = AuditEvent.objects.get(
        object_type="activities.activity", object_id=str(activity.pk), action="change"
    )
    assert change.changes["title"] == ["Parent club", "Parent club, Thursdays"]
    # Changed meanwhile: the stale tag is refused and nothing is written over it.
    stale = _patch(client, activity, {"title": "Old"}, auth, tag)
    assert stale.status_code == 412 and stale.json()["type"].endswith(":stale")
    fresh = changed["ETag"]
    emptied = _patch(client, activity, {"title": None}, auth, fresh)
    assert emptied.status_code == 422 and emptied.json()["errors"][0]["field"] == "title"
    backwards = {"ends_on": (activity.starts_on - timedelta(days=1)).isoformat()}
    refused = _patch(client, activity, backwards, auth, fresh)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "ends_on"
    ended = _patch(client, activity, {"status": "ended", "capacity": None}, auth, fresh)
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert ended.json()["capacity"] is None
    lead = _patch(client, activity, body, _auth(world.users[Role.INSTITUTION_LEAD]), ended["ETag"])
    assert lead.status_code == 403
    abroad = make_activity(world, False)
    assert _patch(client, abroad, body, auth, '"1"').status_code == 404


def test_adding_a_meeting_once_per_key_while_the_activity_runs(world, client):
    activity = make_activity(world, True)
    helper = world.users[Role.SOCIAL_HELPER]
    url = f"/api/v1/activities/{activity.pk}/sessions"
    day = (timezone.localdate() + timedelta(days=7)).isoformat()
    body = {"day": day, "start": "15:30", "minutes": 60}
    first = _send(client, "post", url, body, _keyed(helper, "meet-0001"))
    again = _send(client, "post", url, body, _keyed(helper, "meet-0001"))
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json() and first.json()["status"] == "planned"
    assert activity.sessions.count() == 2
    assert (
        AuditEvent.objects.filter(
            object_type="activities.activity", object_id=str(activity.pk), action="change"
        ).count()
        == 1
    )
    bad = _send(client, "post", url, {**body, "minutes": 3000}, _keyed(helper, "meet-0002"))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "minutes"
    # A meeting is at a wall-clock time where it is held: a time with an offset is refused.
    offset = _send(
        client, "post", url, {**body, "start": "15:30+01:00"}, _keyed(helper, "meet-0005")
    )
    assert offset.status_code == 422 and offset.json()["errors"][0]["field"] == "start"
    lead = _send(client, "post", url, body, _keyed(world.users[Role.INSTITUTION_LEAD], "l-000001"))
    assert lead.status_code == 403
    abroad = make_activity(world, False)
    outside = _send(client, "post", f"/api/v1/activities/{abroad.pk}/sessions", body,
                    _keyed(helper, "meet-0003"))  # fmt: skip
    assert outside.status_code == 404
    # The service's own rule: an ended activity takes no more meetings.
    Activity.objects.filter(pk=activity.pk).update(status=Activity.Status.ENDED)
    ended = _send(client, "post", url, body, _keyed(helper, "meet-0004"))
    assert ended.status_code == 422 and activity.sessions.count() == 2


def test_adding_a_participant_from_the_forms_choices(world, client):
    activity = make_activity(world, True)
    helper = world.users[Role.SOCIAL_HELPER]
    url = f"/api/v1/activities/{activity.pk}/participants"
    today = timezone.localdate().isoformat()
    body = {"child_id": world.inside.pk, "target_group": "action_area", "joined_on": today}
    first = _send(client, "post", url, body, _keyed(helper, "join-0001"))
    again = _send(client, "post", url, body, _keyed(helper, "join-0001"))
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json() and first.json()["child_id"] == world.inside.pk
    assert activity.participants.filter(child=world.inside).count() == 1
    assert AuditEvent.objects.filter(
        object_type="activities.activity", object_id=str(activity.pk), action="change"
    ).exists()
    # Already taking part, or a child of another municipality: not among the form's choices.
    twice = _send(client, "post", url, body, _keyed(helper, "join-0002"))
    assert twice.status_code == 422 and twice.json()["errors"][0]["field"] == "child_id"
    abroad = {**body, "child_id": world.abroad.pk}
    refused = _send(client, "post", url, abroad, _keyed(helper, "join-0003"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "child_id"
    neither = _send(client, "post", url, {"joined_on": today}, _keyed(helper, "join-0004"))
    assert neither.status_code == 422 and neither.json()["errors"][0]["field"] is None
    named = _send(client, "post", url, {"name": "A neighbour", "joined_on": today},
                  _keyed(helper, "join-0005"))  # fmt: skip
    assert named.status_code == 201 and named.json()["name"] == "A neighbour"
    lead = _send(client, "post", url, body, _keyed(world.users[Role.INSTITUTION_LEAD], "l-000002"))
    assert lead.status_code == 403
