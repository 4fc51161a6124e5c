"""Cases through the API: the summary a partner system may hold, for the case's team and the
supervisor of its service as on the case pages, never its name, reason or chronology; the
children named by id only to those who may see them; cursor pages; every read audited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.cases.models import Case, CaseChild
from earlyhelp.cases.tests.access_expectations import make_case
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


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
