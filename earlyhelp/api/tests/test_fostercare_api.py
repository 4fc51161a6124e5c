"""Foster households through the API: for the key worker and the service's workers as on the
household pages, the requirements with their status and due dates, the carers and the children
placed whom the reader may see (a restricted child's placement for the child's team alone),
an anonymised household without its name, cursor pages, every read audited; visits,
trainings, placements and agreements added through the pages' forms and services, once per
Idempotency-Key."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.fostercare.models import Household, Placement, SupportAgreement, Training, Visit
from earlyhelp.fostercare.tests.access_expectations import make_household
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


def test_the_key_worker_reads_the_household_and_its_requirements(world, client):
    household = make_household(world, True)
    answer = client.get(
        f"/api/v1/foster-households/{household.pk}", **_auth(world.users[Role.CASE_WORKER])
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["name"] == "Novákovi" and body["address"] == "Lipová 1"
    assert body["key_worker_id"] == world.users[Role.CASE_WORKER].pk
    assert [c["adult_id"] for c in body["carers"]] == [world.parent_inside.pk]
    assert [p["child_id"] for p in body["placements"]] == [world.inside.pk]
    codes = {r["code"] for r in body["requirements"]}
    assert codes == {"training", "respite", "key_worker_contact", "counselling"}
    # No contact with the key worker in 400 days: missed, and so the household is.
    contact = next(r for r in body["requirements"] if r["code"] == "key_worker_contact")
    assert contact["status"] == "missed" and body["status"] == "missed"
    assert contact in body["due"]
    training = next(r for r in body["requirements"] if r["code"] == "training")
    assert training["carer_id"] == body["carers"][0]["id"] and training["required"] == 24
    assert not {"note", "how", "goal"} & set(body["agreements"][0])
    assert body["agreements"][0]["current"] is True
    rows = AuditEvent.objects.filter(
        object_type="fostercare.household", object_id=str(household.pk), purpose="api"
    )
    assert set(rows.values_list("subject", flat=True)) == {
        "", f"people.adult:{world.parent_inside.pk}", f"people.child:{world.inside.pk}"
    }  # fmt: skip


def test_visits_and_training_are_dated_without_their_notes(world, client):
    household = make_household(world, True)
    worker = world.users[Role.CASE_WORKER]
    Visit.objects.create(
        household=household, municipality=household.municipality, kind="key_worker_contact",
        on=timezone.localdate(), by=worker, note="The carers are tired.",
    )  # fmt: skip
    body = client.get(f"/api/v1/foster-households/{household.pk}", **_auth(worker)).json()
    assert [(v["kind"], v["by_id"]) for v in body["visits"]] == [("key_worker_contact", worker.pk)]
    assert "note" not in body["visits"][0]
    contact = next(r for r in body["requirements"] if r["code"] == "key_worker_contact")
    assert contact["status"] == "met" and contact["last_on"] == timezone.localdate().isoformat()


def test_a_restricted_childs_placement_is_for_the_childs_team(world, client):
    household = make_household(world, True)
    Placement.objects.filter(household=household).update(child=world.secret)
    url = f"/api/v1/foster-households/{household.pk}"
    # The case worker is on the child's team (the world's), the supervisor is not.
    on_team = client.get(url, **_auth(world.users[Role.CASE_WORKER])).json()
    assert [p["child_id"] for p in on_team["placements"]] == [world.secret.pk]
    supervisor = client.get(url, **_auth(world.users[Role.SUPERVISOR]))
    assert supervisor.status_code == 200 and supervisor.json()["placements"] == []
    assert not AuditEvent.objects.filter(
        subject=f"people.child:{world.secret.pk}", actor_id=world.users[Role.SUPERVISOR].pk
    ).exists()


def test_outside_the_scope_404_and_a_role_that_lists_no_households_403(world, client):
    abroad = make_household(world, False)
    ours = make_household(world, True)
    supervisor = _auth(world.users[Role.SUPERVISOR])
    assert client.get(f"/api/v1/foster-households/{abroad.pk}", **supervisor).status_code == 404
    # Managers and analysts read the compliance overview only, on its page.
    manager = _auth(world.users[Role.MANAGER])
    assert client.get("/api/v1/foster-households", **manager).status_code == 403
    assert client.get(f"/api/v1/foster-households/{ours.pk}", **manager).status_code == 404
    educator = _auth(world.users[Role.EDUCATOR])
    assert client.get(f"/api/v1/foster-households/{ours.pk}", **educator).status_code == 404


def test_an_anonymised_household_is_read_without_its_name(world, client):
    household = make_household(world, True)
    Household.objects.filter(pk=household.pk).update(
        name="", address="", active=False, anonymised_at=timezone.now()
    )
    auth = _auth(world.users[Role.CASE_WORKER])
    body = client.get(f"/api/v1/foster-households/{household.pk}", **auth).json()
    assert body["name"] is None and body["anonymised_at"] and body["active"] is False
    # As on the list page: only the households still supported.
    assert client.get("/api/v1/foster-households", **auth).json()["items"] == []


def test_the_list_by_name_with_its_filter_pages_and_refusals(world, client):
    first = make_household(world, True)
    second = make_household(world, True)
    Household.objects.filter(pk=second.pk).update(name="Dvořákovi")
    make_household(world, False)
    Visit.objects.create(
        household=first, municipality=first.municipality, kind="key_worker_contact",
        on=timezone.localdate() - timedelta(days=1), by=world.users[Role.CASE_WORKER],
    )  # fmt: skip
    auth = _auth(world.users[Role.SUPERVISOR])
    listed = client.get("/api/v1/foster-households", {"limit": 1}, **auth).json()
    assert [h["id"] for h in listed["items"]] == [second.pk]
    rest = client.get(
        "/api/v1/foster-households", {"limit": 1, "cursor": listed["next_cursor"]}, **auth
    ).json()
    assert [h["id"] for h in rest["items"]] == [first.pk] and rest["next_cursor"] is None
    assert AuditEvent.objects.filter(
        object_type="fostercare.household", action="list", purpose="api",
        changes={"households": [second.pk]},
    ).exists()  # fmt: skip
    # Both have missed their counselling; only the second its key worker's contact too.
    missed = client.get("/api/v1/foster-households", {"status": "missed", "limit": 1}, **auth)
    assert [h["id"] for h in missed.json()["items"]] == [second.pk]
    more = client.get(
        "/api/v1/foster-households",
        {"status": "missed", "limit": 1, "cursor": missed.json()["next_cursor"]},
        **auth,
    ).json()
    assert [h["id"] for h in more["items"]] == [first.pk]
    assert "key_worker_contact" not in {r["code"] for r in more["items"][0]["due"]}
    unknown = client.get("/api/v1/foster-households", {"mine": "true"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "mine"
    foreign = client.get("/api/v1/foster-households", {"cursor": "WyJ4Il0"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"
    wrong = client.get("/api/v1/foster-households", {"status": "late"}, **auth)
    assert wrong.status_code == 422


def _add(client, household, what: str, body: dict, auth: dict, key: str):
    return client.post(
        f"/api/v1/foster-households/{household.pk}/{what}", body,
        content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth,
    )  # fmt: skip


def test_the_key_worker_records_a_visit_once_per_key(world, client):
    household = make_household(world, True)
    worker = world.users[Role.CASE_WORKER]
    auth = _auth(worker)
    today = timezone.localdate().isoformat()
    body = {"kind": "key_worker_contact", "on": today, "note": "The carers are tired."}
    first = _add(client, household, "visits", body, auth, "visit-key-1")
    assert first.status_code == 201, first.json()
    assert first.json() == {
        "id": first.json()["id"], "kind": "key_worker_contact", "on": today, "by_id": worker.pk
    }  # fmt: skip
    again = _add(client, household, "visits", body, auth, "visit-key-1")
    assert again.status_code == 200 and again.json() == first.json()
    visit = Visit.objects.get(household=household)
    assert visit.note == "The carers are tired."
    assert AuditEvent.objects.filter(
        object_type="fostercare.visit", object_id=str(visit.pk), action="create", actor_id=worker.pk
    ).count() == 1  # fmt: skip
    # It counts at once: the key worker's contact is met.
    read = client.get(f"/api/v1/foster-households/{household.pk}", **auth).json()
    contact = next(r for r in read["requirements"] if r["code"] == "key_worker_contact")
    assert contact["status"] == "met"
    ahead = (timezone.localdate() + timedelta(days=30)).isoformat()
    future = _add(client, household, "visits", {**body, "on": ahead}, auth, "visit-key-2")
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "on"
    wrong = _add(client, household, "visits", {**body, "kind": "party"}, auth, "visit-key-3")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "kind"
    reused = _add(client, household, "visits", {**body, "note": "Other."}, auth, "visit-key-1")
    assert reused.status_code == 422
    assert Visit.objects.filter(household=household).count() == 1


def test_a_training_for_a_carer_of_the_household(world, client):
    household = make_household(world, True)
    carer = household.carers.get()
    auth = _auth(world.users[Role.SUPERVISOR])
    today = timezone.localdate().isoformat()
    body = {"carer_id": carer.pk, "on": today, "title": "First aid", "hours": 4.5}
    made = _add(client, household, "trainings", body, auth, "training-key-1")
    assert made.status_code == 201, made.json()
    assert made.json()["carer_id"] == carer.pk and made.json()["hours"] == 4.5
    assert Training.objects.get(household=household).title == "First aid"
    assert AuditEvent.objects.filter(object_type="fostercare.training", action="create").exists()
    # The form's own checks, named as the API names the fields.
    other = make_household(world, True).carers.get()
    stranger = _add(
        client, household, "trainings", {**body, "carer_id": other.pk}, auth, "training-key-2"
    )
    assert stranger.status_code == 422 and stranger.json()["errors"][0]["field"] == "carer_id"
    fine = _add(client, household, "trainings", {**body, "hours": 4.25}, auth, "training-key-3")
    assert fine.status_code == 422 and fine.json()["errors"][0]["field"] == "hours"
    # The service's: more than 200 hours in one training is a typing error.
    long = _add(client, household, "trainings", {**body, "hours": 300}, auth, "training-key-4")
    assert long.status_code == 422 and long.json()["errors"][0]["field"] == "hours"
    assert Training.objects.filter(household=household).count() == 1


def test_a_placement_of_a_child_the_account_may_see(world, client):
    household = make_household(world, True)
    auth = _auth(world.users[Role.CASE_WORKER])
    today = timezone.localdate()
    earlier = {
        "child_id": world.inside.pk, "kind": "temporary",
        "starts_on": (today - timedelta(days=800)).isoformat(),
        "ends_on": (today - timedelta(days=500)).isoformat(),
    }  # fmt: skip
    made = _add(client, household, "placements", earlier, auth, "placement-key-1")
    assert made.status_code == 201, made.json()
    assert made.json()["kind"] == "temporary" and made.json()["version"] == 1
    assert AuditEvent.objects.filter(
        object_type="fostercare.placement", object_id=str(made.json()["id"]), action="create"
    ).exists()
    # Bence is placed with the household since 400 days ago: not twice at one time.
    twice = {**earlier, "starts_on": today.isoformat(), "ends_on": None}
    overlap = _add(client, household, "placements", twice, auth, "placement-key-2")
    assert overlap.status_code == 422 and "elsewhere" in overlap.json()["detail"]
    backwards = {**earlier, "ends_on": (today - timedelta(days=900)).isoformat()}
    order = _add(client, household, "placements", backwards, auth, "placement-key-3")
    assert order.status_code == 422 and order.json()["errors"][0]["field"] == "ends_on"
    # A child of another municipality, or one the account may not see, is not offered.
    abroad = {**earlier, "child_id": world.abroad.pk}
    refused = _add(client, household, "placements", abroad, auth, "placement-key-4")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "child_id"
    secret = {**earlier, "child_id": world.secret.pk}
    supervisor = _auth(world.users[Role.SUPERVISOR])
    hidden = _add(client, household, "placements", secret, supervisor, "placement-key-5")
    assert hidden.status_code == 422 and hidden.json()["errors"][0]["field"] == "child_id"
    assert household.placements.count() == 2


def test_an_agreement_when_no_other_runs(world, client):
    household = make_household(world, True)
    supervisor = world.users[Role.SUPERVISOR]
    auth = _auth(supervisor)
    today = timezone.localdate()
    body = {"key_worker_id": supervisor.pk, "reference": "SA-2", "signed_on": today.isoformat()}
    running = _add(client, household, "agreements", body, auth, "agreement-key-1")
    assert running.status_code == 422 and "runs" in running.json()["detail"]
    SupportAgreement.objects.filter(household=household).update(ends_on=today - timedelta(days=1))
    made = _add(client, household, "agreements", body, auth, "agreement-key-2")
    assert made.status_code == 201, made.json()
    answer = made.json()
    assert answer["key_worker_id"] == supervisor.pk and answer["current"] is True
    assert answer["reference"] == "SA-2" and answer["programmes"] == []
    assert _add(client, household, "agreements", body, auth, "agreement-key-2").json() == answer
    assert AuditEvent.objects.filter(
        object_type="fostercare.supportagreement", object_id=str(answer["id"]), action="create"
    ).exists()
    # A key worker outside the household's service is not offered.
    educator = {**body, "key_worker_id": world.users[Role.EDUCATOR].pk}
    refused = _add(client, household, "agreements", educator, auth, "agreement-key-3")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "key_worker_id"
    linked = _add(
        client, household, "agreements", {**body, "programme_ids": [999]}, auth, "agreement-key-4"
    )
    assert linked.status_code == 422 and linked.json()["errors"][0]["field"] == "programme_ids"


def test_writes_outside_the_scope_404_and_for_those_who_do_not_work_it(world, client):
    ours = make_household(world, True)
    abroad = make_household(world, False)
    today = timezone.localdate().isoformat()
    visit = {"kind": "counselling", "on": today}
    worker = _auth(world.users[Role.CASE_WORKER])
    assert _add(client, abroad, "visits", visit, worker, "scope-key-1").status_code == 404
    for role in (Role.MANAGER, Role.SOCIAL_HELPER, Role.EDUCATOR):
        answer = _add(client, ours, "visits", visit, _auth(world.users[role]), f"scope-{role}")
        assert answer.status_code == 404
    # A token without the write scope: 403, nothing written.
    reader = ApiToken.issue(user=world.users[Role.CASE_WORKER], name="reader", scopes=["read"])[1]
    only_read = _add(
        client, ours, "visits", visit, {"HTTP_AUTHORIZATION": f"Bearer {reader}"}, "scope-key-2"
    )
    assert only_read.status_code == 403
    assert not Visit.objects.exists()
