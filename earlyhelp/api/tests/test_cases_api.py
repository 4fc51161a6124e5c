"""Cases through the API: the summary a partner system may hold, for the case's team and the
supervisor of its service as on the case pages, never its name, reason or chronology; the
children named by id only to those who may see them; cursor pages; every read audited. A case
opened, written into, planned and closed through the pages' forms and services, each write
audited by its service, its answer never echoing the casework text sent."""

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.api.models import ApiToken, IdempotencyKey
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case, CaseChild, CaseConcern, ChronologyEntry, Goal, PlanAction
from earlyhelp.cases.tests.access_expectations import make_case, make_goal
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.access_expectations import concern as make_concern
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user, **headers) -> dict:
    raw = ApiToken.issue(user=user, name="partner")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", **headers}


def _post(client, url, body, user, key="key-00000001", **headers):
    auth = _auth(user, HTTP_IDEMPOTENCY_KEY=key, **headers)
    return client.post(f"/api/v1{url}", body, content_type="application/json", **auth)


def _put(client, url, body, user, **headers):
    auth = _auth(user, **headers)
    return client.put(f"/api/v1{url}", body, content_type="application/json", **auth)


def _fields(answer) -> set:
    assert answer.status_code == 422, answer.content
    return {error["field"] for error in answer.json()["errors"]}


def _changes(case) -> list[dict]:
    """What the services audited about the case, oldest first."""
    rows = AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk))
    return [row.changes for row in rows.exclude(action="view").order_by("pk")]


def _new_case(world, **changes) -> dict:
    return {
        "child_ids": [world.inside.pk],
        "service_id": world.service_a.pk,
        "title": "Szőke family",
        "reason": "Three concerns about neglect since September.",
        **changes,
    }


def test_the_team_reads_the_summary_and_nothing_of_the_casework(world, client):
    case = make_case(world, True)
    answer = client.get(f"/api/v1/cases/{case.pk}", **_auth(world.users[Role.CASE_WORKER]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["id"] == case.pk and body["status"] == "open"
    assert body["lead_worker_id"] == world.users[Role.CASE_WORKER].pk
    assert body["service_id"] == case.service_id and body["child_ids"] == [world.inside.pk]
    assert not {"title", "reason", "chronology", "assessments"} & set(body)
    read = AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action="view", purpose="api"
    )
    assert read.count() == 1


def test_a_child_the_reader_may_not_see_is_not_named(world, client):
    case = make_case(world, True)
    CaseChild.objects.create(case=case, child=world.secret)
    url = f"/api/v1/cases/{case.pk}"
    on_team = client.get(url, **_auth(world.users[Role.CASE_WORKER])).json()
    assert set(on_team["child_ids"]) == {world.inside.pk, world.secret.pk}
    supervisor = client.get(url, **_auth(world.users[Role.SUPERVISOR])).json()
    assert supervisor["child_ids"] == [world.inside.pk]


def test_outside_the_scope_is_404_and_a_role_that_lists_no_cases_403(world, client):
    abroad = make_case(world, False)
    outside = client.get(f"/api/v1/cases/{abroad.pk}", **_auth(world.users[Role.SUPERVISOR]))
    assert outside.status_code == 404
    restricted = make_case(world, True)
    Case.objects.filter(pk=restricted.pk).update(restricted=True)
    # A restricted case is its team's alone, not even the supervisor's.
    answer = client.get(f"/api/v1/cases/{restricted.pk}", **_auth(world.users[Role.SUPERVISOR]))
    assert answer.status_code == 404
    listed = client.get("/api/v1/cases", **_auth(world.users[Role.EDUCATOR]))
    assert listed.status_code == 403
    assert listed["Content-Type"].startswith("application/problem+json")


def test_pages_by_keyset_with_filters_and_refusals(world, client):
    cases = [make_case(world, True) for _ in range(3)]
    Case.objects.filter(pk=cases[0].pk).update(
        status=Case.Status.CLOSED, closed_at=timezone.now(), closure_reason="goals_met"
    )
    auth = _auth(world.users[Role.CASE_WORKER])
    seen, cursor = [], None
    with CaptureQueriesContext(connection) as queries:
        while True:
            query = {"limit": 1, **({"cursor": cursor} if cursor else {})}
            page = client.get("/api/v1/cases", query, **auth).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if cursor is None:
                break
    assert seen == sorted((c.pk for c in cases), reverse=True)
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    assert AuditEvent.objects.filter(object_type="cases.case", action="list", purpose="api")
    closed = client.get("/api/v1/cases", {"status": "closed"}, **auth).json()["items"]
    assert [c["id"] for c in closed] == [cases[0].pk]
    assert closed[0]["closure_reason"] == "goals_met"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert client.get("/api/v1/cases", {"since": tomorrow}, **auth).json()["items"] == []
    by_child = client.get("/api/v1/cases", {"child_id": world.inside.pk}, **auth).json()
    assert len(by_child["items"]) == 3
    unknown = client.get("/api/v1/cases", {"sort": "contact"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sort"
    # A cursor of another list (the children's, by name) is not one this list gave.
    foreign = client.get("/api/v1/cases", {"cursor": "WyJzem9rZSBiZW5jZSIsIDFd"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"


def test_a_case_is_opened_as_on_the_page_and_a_retry_answers_the_same(world, client):
    worker = world.users[Role.CASE_WORKER]
    first = _post(client, "/cases", _new_case(world, kind="crisis"), worker)
    assert first.status_code == 201, first.content
    body = first.json()
    case = Case.objects.get(pk=body["id"])
    assert (case.title, case.kind, case.opened_by) == ("Szőke family", "crisis", worker)
    assert body["child_ids"] == [world.inside.pk] and body["lead_worker_id"] == worker.pk
    # The summary: the family's name and why the case was opened stay on the page.
    assert "Szőke" not in first.content.decode() and "neglect" not in first.content.decode()
    assert "Szőke" not in json.dumps(IdempotencyKey.objects.get().response)
    assert case.chronology.filter(kind="opened").exists()
    created = AuditEvent.objects.get(object_type="cases.case", action="create")
    assert created.object_id == str(case.pk)
    retry = _post(client, "/cases", _new_case(world, kind="crisis"), worker)
    assert retry.status_code == 200 and retry.json() == body
    assert Case.objects.count() == 1


def test_opening_a_case_is_refused_by_the_forms_and_the_rules_of_the_page(world, client):
    worker = world.users[Role.CASE_WORKER]
    abroad_service = world.municipality_b.services.first()
    wrong_service = _post(client, "/cases", _new_case(world, service_id=abroad_service.pk), worker)
    assert _fields(wrong_service) == {"service_id"}
    # Not a brother or sister of the child the case starts from.
    unrelated = _new_case(world, child_ids=[world.inside.pk, world.elsewhere.pk])
    assert _fields(_post(client, "/cases", unrelated, worker, key="key-00000002")) == {"child_ids"}
    no_title = _new_case(world, title="")
    assert _fields(_post(client, "/cases", no_title, worker, key="key-00000003")) == {"title"}
    nobody = _new_case(world, child_ids=[])
    assert _fields(_post(client, "/cases", nobody, worker, key="key-00000004")) == {"child_ids"}
    outside = _new_case(world, child_ids=[world.abroad.pk])
    assert _post(client, "/cases", outside, worker, key="key-00000005").status_code == 404
    educator = _post(client, "/cases", _new_case(world), world.users[Role.EDUCATOR])
    assert educator.status_code == 403
    assert not Case.objects.exists()


def test_a_case_is_opened_from_a_concern_decided_for_one(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    concern = Concern.objects.get(pk=make_concern(world, True))
    body = {key: value for key, value in _new_case(world).items() if key != "child_ids"}
    undecided = _post(client, "/cases", {**body, "concern_id": concern.pk}, helper)
    assert undecided.status_code == 422 and undecided.json()["errors"][0]["field"] is None
    Concern.objects.filter(pk=concern.pk).update(status="triaged", decision="case")
    # Without `child_ids`: the concern's children, as the page chooses them.
    opened = _post(client, "/cases", {**body, "concern_id": concern.pk}, helper)
    assert opened.status_code == 201, opened.content
    assert opened.json()["child_ids"] == [world.inside.pk]
    assert CaseConcern.objects.get(concern=concern).case_id == opened.json()["id"]
    abroad = {**body, "concern_id": make_concern(world, False)}
    assert _post(client, "/cases", abroad, helper, key="key-00000009").status_code == 404
    # The case worker does not triage concerns: the concern is outside its scope.
    worker = _post(
        client, "/cases", {**body, "concern_id": concern.pk}, world.users[Role.CASE_WORKER]
    )
    assert worker.status_code == 404


def test_a_case_about_an_adult_is_opened_as_on_the_page(world, client):
    worker = world.users[Role.CASE_WORKER]
    body = _new_case(world, child_ids=[], adult_ids=[world.parent_inside.pk], title="Rent")
    opened = _post(client, "/cases", body, worker)
    assert opened.status_code == 201, opened.content
    summary = opened.json()
    assert (summary["subject"], summary["child_ids"]) == ("adult", [])
    case = Case.objects.get(pk=summary["id"])
    assert list(case.participants.values_list("adult_id", "role")) == [
        (world.parent_inside.pk, "client")
    ]
    both = {**body, "child_ids": [world.inside.pk]}
    assert _fields(_post(client, "/cases", both, worker, key="key-00000002")) == {"adult_ids"}
    abroad = {**body, "adult_ids": [world.parent_abroad.pk]}
    assert _post(client, "/cases", abroad, worker, key="key-00000003").status_code == 404


def test_an_entry_is_written_and_its_text_never_answered(world, client):
    case = make_case(world, True)
    helper = world.users[Role.SOCIAL_HELPER]
    when = (timezone.now() - timedelta(hours=2)).replace(microsecond=0)
    entry = {
        "kind": "contact",
        "happened_at": when.isoformat(),
        "title": "Home visit",
        "text": "Mother said the rent is three months behind.",
    }
    first = _post(client, f"/cases/{case.pk}/entries", entry, helper)
    assert first.status_code == 201, first.content
    body = first.json()
    written = ChronologyEntry.objects.get(pk=body["id"])
    assert (written.title, written.author, written.happened_at) == ("Home visit", helper, when)
    assert set(body) == {
        "id", "case_id", "kind", "happened_at", "recorded_at", "author_id", "corrects_id"
    }  # fmt: skip
    assert "rent" not in first.content.decode() and "Home visit" not in first.content.decode()
    assert _changes(case)[-1]["chronology"] == [None, written.pk]
    retry = _post(client, f"/cases/{case.pk}/entries", entry, helper)
    assert retry.status_code == 200 and retry.json() == body
    correction = {**entry, "title": "Home visit (corrected)", "corrects_id": written.pk}
    fixed = _post(client, f"/cases/{case.pk}/entries", correction, helper, key="key-00000002")
    assert fixed.status_code == 201 and fixed.json()["corrects_id"] == written.pk


def test_an_entry_is_refused_by_the_form_and_the_service_and_outside_the_scope(world, client):
    case, other = make_case(world, True), make_case(world, True)
    worker = world.users[Role.CASE_WORKER]
    url = f"/cases/{case.pk}/entries"
    now = timezone.now()
    entry = {"kind": "note", "happened_at": now.isoformat(), "title": "Call"}
    assert _fields(_post(client, url, {**entry, "kind": "opened"}, worker)) == {"kind"}
    assert _fields(_post(client, url, {**entry, "title": ""}, worker, key="key-0002")) == {"title"}
    naive = {**entry, "happened_at": "2026-01-05T10:00:00"}
    assert _fields(_post(client, url, naive, worker, key="key-0003")) == {"happened_at"}
    future = {**entry, "happened_at": (now + timedelta(days=1)).isoformat()}
    refused = _post(client, url, future, worker, key="key-0004")
    assert refused.status_code == 422 and "future" in refused.json()["detail"]
    elsewhere = ChronologyEntry.objects.create(
        case=other, kind="note", happened_at=now, author=worker, title="Elsewhere"
    )
    corrects = {**entry, "corrects_id": elsewhere.pk}
    assert _fields(_post(client, url, corrects, worker, key="key-0005")) == {"corrects_id"}
    abroad = make_case(world, False)
    outside = _post(client, f"/cases/{abroad.pk}/entries", entry, worker, key="key-0006")
    assert outside.status_code == 404
    educator = _post(client, url, entry, world.users[Role.EDUCATOR], key="key-0007")
    assert educator.status_code == 404
    assert not case.chronology.filter(kind="note").exists()


def test_goals_and_steps_are_added_to_the_plan_without_their_words(world, client):
    case = make_case(world, True)
    worker = world.users[Role.CASE_WORKER]
    goal = {
        "child_id": world.inside.pk,
        "text": "Bence goes to school every day.",
        "domain": "school",
    }
    added = _post(client, f"/cases/{case.pk}/goals", goal, worker)
    assert added.status_code == 201, added.content
    assert added.json() == {
        "id": added.json()["id"], "version": 1, "case_id": case.pk,
        "child_id": world.inside.pk, "adult_id": None, "status": "active",
    }  # fmt: skip
    assert Goal.objects.get(case=case).text == goal["text"]
    step = {
        "text": "A morning call from the school",
        "owner_kind": "professional",
        "owner_id": world.users[Role.SOCIAL_HELPER].pk,
        "due_on": timezone.localdate().isoformat(),
    }
    url = f"/cases/{case.pk}/goals/{added.json()['id']}/steps"
    planned = _post(client, url, step, worker, key="key-00000002")
    assert planned.status_code == 201, planned.content
    body = planned.json()
    assert (body["status"], body["owner_id"], body["version"]) == ("planned", step["owner_id"], 1)
    assert "morning" not in planned.content.decode()
    assert _changes(case)[-2:] == [
        {"goal": [None, added.json()["id"]]},
        {"action": [None, body["id"]]},
    ]
    assert _post(client, url, step, worker, key="key-00000002").json() == body


def test_a_goal_or_step_is_refused_by_its_form_and_a_foreign_goal_is_404(world, client):
    case = make_case(world, True)
    worker = world.users[Role.CASE_WORKER]
    goals = f"/cases/{case.pk}/goals"
    # A child of the case the account may see; in a case about children, never an adult.
    alien = {"child_id": world.elsewhere.pk, "text": "Reads at home."}
    assert _fields(_post(client, goals, alien, worker)) == {"child_id"}
    adult = {"adult_id": world.parent_inside.pk, "text": "Reads at home."}
    assert _fields(_post(client, goals, adult, worker, key="key-0002")) == {"adult_id"}
    goal = make_goal(world, True)
    steps = f"/cases/{goal.case_id}/goals/{goal.pk}/steps"
    # A professional who does a step is on the case's team.
    stranger = {
        "text": "Weekly call",
        "owner_kind": "professional",
        "owner_id": world.users[Role.EDUCATOR].pk,
        "due_on": timezone.localdate().isoformat(),
    }
    assert _fields(_post(client, steps, stranger, worker, key="key-0003")) == {"owner_id"}
    unnamed = {**stranger, "owner_kind": "parent", "owner_id": None}
    refused = _post(client, steps, unnamed, worker, key="key-0004")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] is None
    foreign = f"/cases/{case.pk}/goals/{goal.pk}/steps"
    assert _post(client, foreign, stranger, worker, key="key-0005").status_code == 404
    assert not PlanAction.objects.exists()


def test_a_steps_status_needs_its_version_and_a_stale_one_is_refused(world, client):
    goal = make_goal(world, True)
    step = goal.actions.create(
        text="Morning call", owner_kind="parent", owner_name="Mother", due_on=timezone.localdate()
    )
    worker = world.users[Role.CASE_WORKER]
    url = f"/cases/{goal.case_id}/steps/{step.pk}/status"
    missing = _put(client, url, {"status": "done"}, worker)
    assert missing.status_code == 428
    done = _put(client, url, {"status": "done"}, worker, HTTP_IF_MATCH='"1"')
    assert done.status_code == 200, done.content
    assert done["ETag"] == '"2"' and done.json()["done_on"] == timezone.localdate().isoformat()
    assert "Mother" not in done.content.decode()
    assert _changes(goal.case)[-1] == {"action_status": ["planned", "done"]}
    stale = _put(client, url, {"status": "dropped"}, worker, HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert _fields(_put(client, url, {"status": "finished"}, worker, HTTP_IF_MATCH='"2"')) == {
        "status"
    }
    abroad = make_goal(world, False)
    foreign = f"/cases/{abroad.case_id}/steps/{step.pk}/status"
    assert _put(client, foreign, {"status": "done"}, worker, HTTP_IF_MATCH='"2"').status_code == 404
    other_case = f"/cases/{make_case(world, True).pk}/steps/{step.pk}/status"
    assert (
        _put(client, other_case, {"status": "done"}, worker, HTTP_IF_MATCH='"2"').status_code == 404
    )
    step.refresh_from_db()
    assert (step.status, step.version) == ("done", 2)


def test_a_goals_status_needs_its_version_as_the_plans_button_sends_it(world, client):
    goal = make_goal(world, True)
    helper = world.users[Role.SOCIAL_HELPER]
    url = f"/cases/{goal.case_id}/goals/{goal.pk}/status"
    assert _put(client, url, {"status": "achieved"}, helper).status_code == 428
    achieved = _put(client, url, {"status": "achieved"}, helper, HTTP_IF_MATCH='"1"')
    assert achieved.status_code == 200, achieved.content
    assert achieved["ETag"] == '"2"' and achieved.json()["status"] == "achieved"
    assert "school" not in achieved.content.decode()
    assert _changes(goal.case)[-1] == {"goal_status": ["active", "achieved"]}
    assert _put(client, url, {"status": "dropped"}, helper, HTTP_IF_MATCH='"1"').status_code == 412
    other = f"/cases/{make_case(world, True).pk}/goals/{goal.pk}/status"
    assert _put(client, other, {"status": "active"}, helper, HTTP_IF_MATCH='"2"').status_code == 404


def test_a_case_is_closed_with_its_etag_and_the_note_stays_on_the_page(world, client):
    case = make_case(world, True)
    worker = world.users[Role.CASE_WORKER]
    read = client.get(f"/api/v1/cases/{case.pk}", **_auth(worker))
    closing = {"reason": "goals_met", "outcome": "improved", "note": "Bence attends every day."}
    url = f"/cases/{case.pk}/close"
    assert _post(client, url, closing, worker).status_code == 428
    closed = _post(client, url, closing, worker, HTTP_IF_MATCH=read["ETag"])
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["status"], body["closure_reason"]) == ("closed", "goals_met")
    assert closed["ETag"] == f'"{case.version + 1}"' and "Bence" not in closed.content.decode()
    assert case.chronology.get(kind="closed").text == closing["note"]
    assert _changes(case)[-1] == {"status": ["open", "closed"]}
    again = _post(client, url, closing, worker, HTTP_IF_MATCH=read["ETag"])
    assert again.status_code == 422  # already closed, before the version is compared
    fresh = make_case(world, True)
    stale = _post(client, f"/cases/{fresh.pk}/close", closing, worker, HTTP_IF_MATCH='"9"')
    assert stale.status_code == 412
    wrong = _post(client, f"/cases/{fresh.pk}/close", {**closing, "outcome": "fine"}, worker)
    assert _fields(wrong) == {"outcome"}
    abroad = make_case(world, False)
    outside = _post(client, f"/cases/{abroad.pk}/close", closing, worker, HTTP_IF_MATCH='"1"')
    assert outside.status_code == 404


def test_a_token_that_only_reads_writes_nothing(world, client):
    raw = ApiToken.issue(user=world.users[Role.CASE_WORKER], name="register", scopes=["read"])[1]
    answer = client.post(
        "/api/v1/cases", _new_case(world), content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_IDEMPOTENCY_KEY="key-00000001",
    )  # fmt: skip
    assert answer.status_code == 403 and not Case.objects.exists()
