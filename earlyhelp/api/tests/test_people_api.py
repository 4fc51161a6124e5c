"""Children through the API: the same scope and the same parts of the record as on the pages,
cursor pages without OFFSET, every read audited, and tokens held to their scopes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.api.models import ApiToken, Scope
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child
from earlyhelp.tests.factories import ChildFactory, EnrolmentFactory

pytestmark = pytest.mark.django_db


def _auth(user, scopes=None) -> dict:
    raw = ApiToken.issue(user=user, name="partner", scopes=scopes)[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_an_educator_reads_the_basics_and_a_social_helper_the_whole_record(world, client):
    url = f"/api/v1/children/{world.inside.pk}"
    basics = client.get(url, **_auth(world.users[Role.EDUCATOR])).json()
    assert basics["id"] == world.inside.pk and basics["groups"]
    assert basics["details"] is None
    whole = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()
    assert whole["details"]["birth_date"] == world.inside.birth_date.isoformat()
    assert {r["adult_id"] for r in whole["details"]["relationships"]} >= {world.parent_inside.pk}
    rows = AuditEvent.objects.filter(subject=f"people.child:{world.inside.pk}", purpose="api")
    assert rows.filter(action="view").count() == 2


def test_outside_the_scope_is_404_as_on_the_page(world, client):
    answer = client.get(
        f"/api/v1/children/{world.abroad.pk}", **_auth(world.users[Role.SOCIAL_HELPER])
    )
    assert answer.status_code == 404
    assert answer["Content-Type"].startswith("application/problem+json")


def test_pages_follow_the_cursor_by_keyset_and_a_forged_cursor_is_refused(world, client):
    for number in range(5):
        EnrolmentFactory(
            child=ChildFactory(municipality=world.municipality_a, family_name=f"Zz{number}"),
            group=world.class_a1,
        )
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    seen, cursor = [], None
    with CaptureQueriesContext(connection) as queries:
        while True:
            answer = client.get(
                "/api/v1/children", {"limit": 2, **({"cursor": cursor} if cursor else {})}, **auth
            ).json()
            seen += [item["id"] for item in answer["items"]]
            cursor = answer["next_cursor"]
            if cursor is None:
                break
    assert len(seen) == len(set(seen)) >= 6
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)
    assert AuditEvent.objects.filter(object_type="people.child", action="list", purpose="api")
    forged = client.get("/api/v1/children", {"cursor": "bm90LWEtY3Vyc29y"}, **auth)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"


def test_filters_by_name_and_institution(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    by_name = client.get("/api/v1/children", {"q": world.inside.family_name}, **auth).json()
    assert world.inside.pk in [item["id"] for item in by_name["items"]]
    elsewhere = client.get(
        "/api/v1/children", {"institution_id": world.school_a2.pk, "limit": 100}, **auth
    ).json()
    assert world.inside.pk not in [item["id"] for item in elsewhere["items"]]
    short = client.get("/api/v1/children", {"q": "ab"}, **auth)
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "q"


def test_a_token_does_only_what_its_scopes_allow(world, client):
    reader = _auth(world.users[Role.EDUCATOR], scopes=[Scope.READ])
    assert client.get("/api/v1/children", **reader).status_code == 200
    refused = client.post(
        "/api/v1/concerns",
        {},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1234567",
        **reader,
    )
    assert refused.status_code == 403 and "write" in refused.json()["detail"]
    writer = _auth(world.users[Role.EDUCATOR], scopes=[Scope.WRITE])
    assert client.get("/api/v1/children", **writer).status_code == 403


def _patch(client, child_id, body, auth, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(
        f"/api/v1/children/{child_id}", body, content_type="application/json", **auth, **headers
    )


def test_a_change_needs_the_etag_read_and_a_stale_one_is_refused(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    read = client.get(f"/api/v1/children/{world.inside.pk}", **auth)
    tag = read["ETag"]
    assert tag == f'"{world.inside.version}"'
    body = {"languages": "magyar, romani"}
    assert _patch(client, world.inside.pk, body, auth).status_code == 428
    changed = _patch(client, world.inside.pk, body, auth, etag=tag)
    assert changed.status_code == 200, changed.json()
    assert changed["ETag"] == f'"{world.inside.version + 1}"'
    assert changed.json()["details"]["languages"] == "magyar, romani"
    row = AuditEvent.objects.filter(
        object_type="people.child", object_id=str(world.inside.pk), action="change"
    ).latest("id")
    assert row.changes["languages"][1] == "magyar, romani"
    # Someone read the record before that change: theirs is refused, not written over it.
    again = _patch(client, world.inside.pk, {"needs": "Glasses."}, auth, etag=tag)
    assert again.status_code == 412 and again.json()["type"].endswith(":stale")
    world.inside.refresh_from_db()
    assert world.inside.needs != "Glasses."


def test_a_change_is_checked_by_the_forms_fields_and_the_policy(world, client):
    helper = _auth(world.users[Role.SOCIAL_HELPER])
    tag = client.get(f"/api/v1/children/{world.inside.pk}", **helper)["ETag"]
    bad = _patch(client, world.inside.pk, {"national_id": "123456789"}, helper, etag=tag)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "national_id"
    emptied = _patch(client, world.inside.pk, {"family_name": None}, helper, etag=tag)
    assert emptied.status_code == 422
    educator = _auth(world.users[Role.EDUCATOR])
    assert _patch(client, world.inside.pk, {"needs": "x"}, educator, etag=tag).status_code == 403
    assert _patch(client, world.abroad.pk, {"needs": "x"}, helper, etag=tag).status_code == 404


def _create(client, body, auth, key="key-new-child-1"):
    return client.post(
        "/api/v1/children", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **auth
    )


def test_a_child_is_created_once_per_key_with_its_creator_on_the_team(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    auth = _auth(helper)
    body = {
        "family_name": "Kiss",
        "given_name": "Panna",
        "birth_date": "2016-04-02",
        "sex": "female",
        "group_id": world.class_a1.pk,
    }
    first = _create(client, body, auth)
    again = _create(client, body, auth)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json()
    created = first.json()
    assert created["groups"][0]["group_id"] == world.class_a1.pk
    assert created["details"]["birth_date"] == "2016-04-02"
    assert Child.objects.filter(family_name="Kiss", given_name="Panna").count() == 1
    child = Child.objects.get(pk=created["id"])
    assert child.team_members.filter(user=helper).exists()
    assert AuditEvent.objects.filter(
        object_type="people.child", object_id=str(child.pk), action="create"
    ).exists()


def test_a_new_child_is_checked_by_the_forms_fields_and_the_policy(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    body = {"family_name": "Kiss", "given_name": "Panna", "birth_date": "2016-04-02"}
    bad_id = _create(client, {**body, "national_id": "123456789"}, auth)
    assert bad_id.status_code == 422 and bad_id.json()["errors"][0]["field"] == "national_id"
    # A class of a school the account does not work in is not among the page's choices.
    elsewhere = _create(client, {**body, "group_id": world.class_a2.pk}, auth, key="key-new-2")
    assert elsewhere.status_code == 422 and elsewhere.json()["errors"][0]["field"] == "group_id"
    unnamed = _create(client, {**body, "family_name": ""}, auth, key="key-new-3")
    assert unnamed.status_code == 422 and unnamed.json()["errors"][0]["field"] == "family_name"
    educator = _create(client, body, _auth(world.users[Role.EDUCATOR]), key="key-new-4")
    assert educator.status_code == 403
    assert not Child.objects.filter(family_name="Kiss").exists()
