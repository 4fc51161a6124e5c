"""Contact arrangements through the API: for the workers of the arrangement and its service as
on the contact pages, a restricted child's for the child's team alone, the meetings' times and
statuses without their record, every read audited; meetings planned, recorded and cancelled
by those who work the arrangement, through the pages' forms and services."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts.forms import MeetingRecordForm
from earlyhelp.contacts.models import Arrangement, Meeting
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


def test_the_worker_reads_the_arrangement_and_its_meetings(world, client):
    arrangement = make_arrangement(world, True)
    url = f"/api/v1/contact-arrangements/{arrangement.pk}"
    answer = client.get(url, **_auth(world.users[Role.CASE_WORKER]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["child_id"] == world.inside.pk and body["visitor_id"] == world.parent_inside.pk
    assert [m["status"] for m in body["meetings"]] == ["planned"]
    assert not {"child_words", "incidents", "observations"} & set(body["meetings"][0])
    assert AuditEvent.objects.filter(
        object_type="contacts.arrangement", object_id=str(arrangement.pk), purpose="api",
        subject=f"people.child:{world.inside.pk}",
    ).exists()  # fmt: skip
    abroad = make_arrangement(world, False)
    outside = client.get(
        f"/api/v1/contact-arrangements/{abroad.pk}", **_auth(world.users[Role.SUPERVISOR])
    )
    assert outside.status_code == 404


def test_a_restricted_childs_arrangement_is_for_the_childs_team(world, client):
    arrangement = make_arrangement(world, True)
    Arrangement.objects.filter(pk=arrangement.pk).update(child=world.secret)
    url = f"/api/v1/contact-arrangements/{arrangement.pk}"
    # The case worker is on the child's team (the world's), the supervisor is not.
    assert client.get(url, **_auth(world.users[Role.CASE_WORKER])).status_code == 200
    assert client.get(url, **_auth(world.users[Role.SUPERVISOR])).status_code == 404


def test_the_list_with_filters_and_refusals(world, client):
    ours = make_arrangement(world, True)
    make_arrangement(world, False)
    auth = _auth(world.users[Role.SUPERVISOR])
    listed = client.get("/api/v1/contact-arrangements", **auth).json()
    assert [a["id"] for a in listed["items"]] == [ours.pk]
    assert AuditEvent.objects.filter(
        object_type="contacts.arrangement", action="list", purpose="api"
    ).exists()
    assert (
        client.get("/api/v1/contact-arrangements", {"status": "ended"}, **auth).json()["items"]
        == []
    )
    mine = client.get("/api/v1/contact-arrangements", {"mine": True}, **auth).json()
    assert mine["items"] == []
    day = timezone.localtime(timezone.now() - timedelta(days=2)).date()
    met = client.get("/api/v1/contact-arrangements", {"since": day, "until": day}, **auth)
    assert [a["id"] for a in met.json()["items"]] == [ours.pk]
    educator = _auth(world.users[Role.EDUCATOR])
    assert client.get("/api/v1/contact-arrangements", **educator).status_code == 403
    unknown = client.get("/api/v1/contact-arrangements", {"show": "all"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "show"
    foreign = client.get("/api/v1/contact-arrangements", {"cursor": "WyJ4IiwgMV0"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"


def _saturday(weeks: int = 1) -> str:
    """A Saturday at least `weeks` weeks ahead: out of school hours, as the planning asks."""
    day = timezone.localdate() + timedelta(days=7 * weeks)
    return (day + timedelta(days=(5 - day.weekday()) % 7)).isoformat()


def _plan(client, arrangement, auth, key: str, **fields):
    body = {"first_day": _saturday(), "start": "10:00", "minutes": 60, **fields}
    return client.post(
        f"/api/v1/contact-arrangements/{arrangement.pk}/meetings", body,
        content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth,
    )  # fmt: skip


def test_the_worker_plans_a_series_once_per_key(world, client):
    arrangement = make_arrangement(world, True)
    auth = _auth(world.users[Role.CASE_WORKER])
    first = _plan(client, arrangement, auth, "plan-series-1", count=3, step_days=7)
    assert first.status_code == 201, first.json()
    body = first.json()
    assert len(body["meetings"]) == 3 and body["left_out"] == []
    starts = [timezone.localtime(datetime.fromisoformat(m["starts_at"])) for m in body["meetings"]]
    assert {(s.weekday(), s.time()) for s in starts} == {(5, time(10))}
    assert {m["lead_id"] for m in body["meetings"]} == {world.users[Role.CASE_WORKER].pk}
    assert {m["status"] for m in body["meetings"]} == {"planned"}
    again = _plan(client, arrangement, auth, "plan-series-1", count=3, step_days=7)
    assert again.status_code == 200 and again.json() == body
    assert arrangement.meetings.count() == 4  # the one held two days ago, and three planned
    planned = AuditEvent.objects.filter(
        object_type="contacts.arrangement", object_id=str(arrangement.pk), action="change"
    )
    assert [e.changes["meetings planned"] for e in planned] == [[None, 3]]


def test_a_clash_refuses_the_series_unless_only_the_free_ones_are_planned(world, client):
    arrangement = make_arrangement(world, True)
    auth = _auth(world.users[Role.CASE_WORKER])
    assert _plan(client, arrangement, auth, "plan-one-1", first_day=_saturday(2)).status_code == 201
    # Three Saturdays from next week: the second is already taken.
    clash = _plan(client, arrangement, auth, "plan-three-1", count=3, step_days=7)
    assert clash.status_code == 422 and clash.json()["errors"][0]["field"] is None
    assert arrangement.meetings.count() == 2
    free = _plan(client, arrangement, auth, "plan-three-2", count=3, step_days=7, skip_clashes=True)
    assert free.status_code == 201
    assert len(free.json()["meetings"]) == 2 and len(free.json()["left_out"]) == 1


def test_planning_is_checked_by_the_pages_form_and_rule(world, client):
    arrangement = make_arrangement(world, True)
    worker = _auth(world.users[Role.CASE_WORKER])
    # The educator is no worker of the arrangement, so may not lead its meeting.
    stranger = _plan(
        client, arrangement, worker, "plan-lead-1", lead_id=world.users[Role.EDUCATOR].pk
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "lead_id"
    many = _plan(client, arrangement, worker, "plan-many-1", count=60)
    assert many.status_code == 422 and many.json()["errors"][0]["field"] == "count"
    # A time with an offset is not the meeting's local time the page takes.
    offset = _plan(client, arrangement, worker, "plan-offset-1", start="10:00+02:00")
    assert offset.status_code == 422 and offset.json()["errors"][0]["field"] == "start"
    unknown = _plan(client, arrangement, worker, "plan-unknown-1", repeat=True)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "repeat"
    # Outside the scope: 404; who reads the arrangement without working it: 403.
    abroad = make_arrangement(world, False)
    assert _plan(client, abroad, worker, "plan-abroad-1").status_code == 404
    Arrangement.objects.filter(pk=arrangement.pk).update(lead=world.users[Role.SUPERVISOR])
    reader = _plan(client, arrangement, worker, "plan-reader-1")
    assert reader.status_code == 403
    assert arrangement.meetings.count() == 1


def _record(client, meeting, auth, body, version="1"):
    headers = {"HTTP_IF_MATCH": f'"{version}"'} if version else {}
    return client.patch(
        f"/api/v1/contact-arrangements/{meeting.arrangement_id}/meetings/{meeting.pk}", body,
        content_type="application/json", **headers, **auth,
    )  # fmt: skip


def test_the_worker_records_a_meeting_and_a_stale_record_is_refused(world, client):
    arrangement = make_arrangement(world, True)
    meeting = arrangement.meetings.get()
    meeting.arrangement = arrangement
    code = MeetingRecordForm.for_meeting(meeting).competences[0][0]
    auth = _auth(world.users[Role.CASE_WORKER])
    body = {
        "visitor_arrived_at": "09:55", "handover_at": "10:05", "ended_at": "10:55",
        "present": "Bence, his mother, the worker", "observations": {code: "Calm, played."},
        "child_words": "I want to come again.", "minutes_late": 5, "caused_by": "visitor",
    }  # fmt: skip
    recorded = _record(client, meeting, auth, body)
    assert recorded.status_code == 200, recorded.json()
    assert recorded["ETag"] == '"2"' and recorded.json()["status"] == "held"
    assert not {"child_words", "observations", "present"} & set(recorded.json())
    meeting.refresh_from_db()
    assert meeting.observations == {code: "Calm, played."} and meeting.minutes_late == 5
    # The same record sent again from the version it was read at: 412, nothing overwritten.
    stale = _record(client, meeting, auth, {"incidents": "A quarrel."})
    assert stale.status_code == 412
    # A field left out keeps its value; null empties one.
    fixed = _record(client, meeting, auth, {"incidents": "A quarrel.", "ended_at": None}, "2")
    assert fixed.status_code == 200 and fixed["ETag"] == '"3"'
    meeting.refresh_from_db()
    assert meeting.incidents == "A quarrel." and meeting.present == "Bence, his mother, the worker"
    assert meeting.ended_at is None and meeting.child_words == "I want to come again."
    assert AuditEvent.objects.filter(
        object_type="contacts.meeting", object_id=str(meeting.pk), action="change"
    ).count() == 2  # fmt: skip


def test_a_meeting_record_is_refused_by_the_pages_form_and_service(world, client):
    arrangement = make_arrangement(world, True)
    meeting = arrangement.meetings.get()
    auth = _auth(world.users[Role.CASE_WORKER])
    assert _record(client, meeting, auth, {"present": "x"}, version=None).status_code == 428
    unknown = _record(client, meeting, auth, {"observations": {"juggling": "Good."}})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "observations.juggling"
    offset = _record(client, meeting, auth, {"ended_at": "10:55Z"})
    assert offset.status_code == 422 and offset.json()["errors"][0]["field"] == "ended_at"
    negative = _record(client, meeting, auth, {"minutes_late": -5})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "minutes_late"
    # The service: a late start says who came late.
    late = _record(client, meeting, auth, {"minutes_late": 5})
    assert late.status_code == 422 and "late" in late.json()["detail"]
    coming = Meeting.objects.create(
        arrangement=arrangement, municipality=arrangement.municipality, child=arrangement.child,
        lead=arrangement.lead, stage=arrangement.stage,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=3, hours=1),
    )  # fmt: skip
    early = _record(client, coming, auth, {"present": "Bence"})
    assert early.status_code == 422 and "not started" in early.json()["detail"]
    meeting.refresh_from_db()
    assert meeting.status == "planned" and meeting.version == 1
    abroad = make_arrangement(world, False).meetings.get()
    assert _record(client, abroad, auth, {"present": "x"}).status_code == 404
    # A meeting of another arrangement under this one's address: 404.
    mixed = client.patch(
        f"/api/v1/contact-arrangements/{arrangement.pk}/meetings/{abroad.pk}", {"present": "x"},
        content_type="application/json", HTTP_IF_MATCH='"1"', **auth,
    )  # fmt: skip
    assert mixed.status_code == 404


def test_a_planned_meeting_is_cancelled_once(world, client):
    arrangement = make_arrangement(world, True)
    meeting = Meeting.objects.create(
        arrangement=arrangement, municipality=arrangement.municipality, child=arrangement.child,
        lead=arrangement.lead, stage=arrangement.stage,
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1),
    )  # fmt: skip
    url = f"/api/v1/contact-arrangements/{arrangement.pk}/meetings/{meeting.pk}/cancel"
    auth = _auth(world.users[Role.SUPERVISOR])

    def cancel(body, version="1"):
        headers = {"HTTP_IF_MATCH": f'"{version}"'} if version else {}
        return client.post(url, body, content_type="application/json", **headers, **auth)

    ill = {"status": "cancelled", "caused_by": "child", "reason": "Bence has a fever."}
    assert cancel(ill, version=None).status_code == 428
    missed = cancel({"status": "no_show", "caused_by": "visitor"})
    assert missed.status_code == 422 and "due" in missed.json()["detail"]
    wrong = cancel({"status": "held", "caused_by": "visitor"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "status"
    # A version nobody read (the meeting moved meanwhile): 412.
    assert cancel(ill, version="7").status_code == 412
    done = cancel(ill)
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    assert done["ETag"] == '"2"'
    meeting.refresh_from_db()
    assert meeting.caused_by == "child" and meeting.notice_given_at is not None
    # Once cancelled, it is no longer planned: a second cancellation is refused.
    again = cancel(ill, version="2")
    assert again.status_code == 422 and "planned" in again.json()["detail"]
    assert AuditEvent.objects.filter(
        object_type="contacts.meeting", object_id=str(meeting.pk), action="change",
        changes={"status": ["planned", "cancelled"]},
    ).exists()  # fmt: skip
    abroad = make_arrangement(world, False)
    outside = client.post(
        f"/api/v1/contact-arrangements/{abroad.pk}/meetings/{abroad.meetings.get().pk}/cancel",
        ill, content_type="application/json", HTTP_IF_MATCH='"1"', **auth,
    )  # fmt: skip
    assert outside.status_code == 404
