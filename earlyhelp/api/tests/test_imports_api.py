"""Roster imports through the API: the import scope, the check read back row by row,
decisions, apply once, and the same refusals as the pages."""

import base64

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.imports.models import RosterImport
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child

pytestmark = pytest.mark.django_db

ROSTER = (
    "institution,group,full_name,birth_date\n"
    "A1 Általános Iskola,1.a,Kiss Anna,2018-01-02\n"
    "A1 Általános Iskola,1.a,Nagy Béla,2018-02-30\n"
)


def token(world, scopes=("read", "write", "import")) -> dict:
    raw = ApiToken.issue(user=world.users[Role.ADMIN], name="roster", scopes=list(scopes))[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def body(world, content=ROSTER, **extra) -> dict:
    return {
        "municipality_id": world.municipality_a.pk,
        "file_name": "roster.csv",
        "content": base64.b64encode(content.encode()).decode(),
        "preset": "earlyhelp",
        "starts_on": "2026-09-01",
        **extra,
    }


def post(client, url, data, auth, key="roster-import-1"):
    return client.post(url, data, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth)


def test_a_roster_is_checked_read_back_and_applied_once(
    client, world, django_capture_on_commit_callbacks
):
    auth = token(world)
    with django_capture_on_commit_callbacks(execute=True):
        created = post(client, "/api/v1/imports", body(world), auth)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    again = post(client, "/api/v1/imports", body(world), auth)
    assert again.status_code == 200 and again.json()["id"] == pk
    assert RosterImport.objects.count() == 1
    found = client.get(f"/api/v1/imports/{pk}", **auth).json()
    assert found["state"] == "checked" and found["summary"]["create"] == 1
    bad = client.get(f"/api/v1/imports/{pk}/rows?outcome=bad", **auth).json()["items"]
    assert [(r["line"], r["problems"][0]["field"]) for r in bad] == [(3, "birth_date")]
    with django_capture_on_commit_callbacks(execute=True):
        applied = post(client, f"/api/v1/imports/{pk}/apply", {}, auth)
    assert applied.status_code == 200
    assert client.get(f"/api/v1/imports/{pk}", **auth).json()["state"] == "applied"
    assert Child.objects.filter(family_name="Kiss", given_name="Anna").exists()
    twice = post(client, f"/api/v1/imports/{pk}/apply", {}, auth)
    assert twice.status_code == 409
    assert twice.json()["type"] == "urn:earlyhelp:problem:import-state"


def test_a_token_without_the_import_scope_is_refused(client, world):
    auth = token(world, scopes=("read", "write"))
    answer = post(client, "/api/v1/imports", body(world), auth)
    assert answer.status_code == 403 and "import" in answer.json()["detail"]


def test_bad_input_names_the_field(client, world):
    auth = token(world)
    answer = post(client, "/api/v1/imports", {**body(world), "content": "not base64!"}, auth)
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "content"
    answer = post(
        client, "/api/v1/imports", body(world, preset="nonesuch"), auth, key="roster-import-2"
    )
    assert answer.status_code == 422
    assert [e["field"] for e in answer.json()["errors"]] == ["preset"]
    answer = post(
        client,
        "/api/v1/imports",
        body(world, file_name="roster.pdf"),
        auth,
        key="roster-import-3",
    )
    assert answer.status_code == 422 and answer.json()["errors"][0]["field"] == "file_name"


def test_another_municipality_s_import_is_not_found(client, world):
    auth = token(world)
    other = RosterImport.objects.create(
        municipality=world.municipality_b,
        created_by=world.outsiders[Role.ADMIN],
        file_name="b.csv",
        mapping_name="earlyhelp",
        starts_on="2026-09-01",
    )
    assert client.get(f"/api/v1/imports/{other.pk}", **auth).status_code == 404
