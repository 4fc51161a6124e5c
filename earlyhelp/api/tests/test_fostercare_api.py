"""Foster households through the API: for the key worker and the service's workers as on the
household pages, the requirements with their status and due dates, the carers and the children
placed whom the reader may see (a restricted child's placement for the child's team alone),
an anonymised household without its name, cursor pages, every read audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.fostercare.models import Household, Placement, Visit
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
