"""Institutions and classes through the API: each account reads the part of the tree it works
in (the policy's answer), never another municipality's."""

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.organisations.models import Role
from earlyhelp.tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    raw = ApiToken.issue(user=user, name="partner")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _ids(answer) -> list[int]:
    assert answer.status_code == 200, answer.json()
    return [row["id"] for row in answer.json()["items"]]


def test_an_educator_reads_their_school_and_a_social_helper_their_municipality(world, client):
    educator = _ids(client.get("/api/v1/institutions", **_auth(world.users[Role.EDUCATOR])))
    assert educator == [world.school_a1.pk]
    helper = _ids(client.get("/api/v1/institutions", **_auth(world.users[Role.SOCIAL_HELPER])))
    assert set(helper) == {world.school_a1.pk, world.school_a2.pk}
    nobody = _ids(client.get("/api/v1/institutions", **_auth(world.users[Role.ANALYST])))
    assert nobody == []


def test_the_list_filters_and_pages_by_cursor(world, client):
    auth = _auth(world.users[Role.SUPERVISOR])
    kind = client.get("/api/v1/institutions", {"kind": "kindergarten"}, **auth)
    assert _ids(kind) == []
    other = client.get("/api/v1/institutions", {"municipality_id": world.municipality_b.pk}, **auth)
    assert _ids(other) == []
    first = client.get("/api/v1/institutions", {"limit": 1}, **auth).json()
    second = client.get(
        "/api/v1/institutions", {"limit": 1, "cursor": first["next_cursor"]}, **auth
    ).json()
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [
        world.school_a1.pk,
        world.school_a2.pk,
    ]
    forged = client.get("/api/v1/institutions", {"cursor": "bm90LWEtY3Vyc29y"}, **auth)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"
    unknown = client.get("/api/v1/institutions", {"kinds": "school"}, **auth)
    assert unknown.status_code == 422


def test_an_institution_is_read_with_its_classes_and_another_municipalitys_is_404(world, client):
    GroupFactory(institution=world.school_a1, name="2.b")
    auth = _auth(world.users[Role.INSTITUTION_LEAD])
    answer = client.get(f"/api/v1/institutions/{world.school_a1.pk}", **auth)
    assert answer.status_code == 200
    assert [g["name"] for g in answer.json()["groups"]] == ["1.a", "2.b"]
    assert client.get(f"/api/v1/institutions/{world.school_a2.pk}", **auth).status_code == 404
    assert client.get(f"/api/v1/institutions/{world.school_b1.pk}", **auth).status_code == 404


def test_groups_are_listed_per_institution(world, client):
    auth = _auth(world.users[Role.CASE_WORKER])
    both = _ids(client.get("/api/v1/groups", **auth))
    assert set(both) == {world.class_a1.pk, world.class_a2.pk}
    one = client.get("/api/v1/groups", {"institution_id": world.school_a2.pk}, **auth)
    assert _ids(one) == [world.class_a2.pk]
