"""Activities, meetings and attendance through the API: who takes part only to those who read
it on the pages, the lead of the institution kept to the schedule; a meeting recorded through
the page's form and service with its version as ETag / If-Match; every read audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.activities.models import Attendance, Participant, Session
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
