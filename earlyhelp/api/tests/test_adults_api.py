"""Adults through the API: seen where the adult's page is, the address only where the policy
shows it, a change as the edit page makes it, with the version as ETag / If-Match."""

import pytest
from django.utils import timezone

from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    raw = ApiToken.issue(user=user, name="partner")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _patch(client, adult_id, body, auth, etag=None):
    headers = {"HTTP_IF_MATCH": etag} if etag else {}
    return client.patch(
        f"/api/v1/adults/{adult_id}", body, content_type="application/json", **auth, **headers
    )


def test_an_adult_is_read_where_their_childs_full_record_is_and_audited(world, client):
    url = f"/api/v1/adults/{world.parent_inside.pk}"
    answer = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER]))
    assert answer.status_code == 200 and answer["ETag"] == f'"{world.parent_inside.version}"'
    body = answer.json()
    assert body["full_name"] == world.parent_inside.full_name
    assert [c["child_id"] for c in body["children"]] == [world.inside.pk]
    rows = AuditEvent.objects.filter(
        object_type="people.adult", object_id=str(world.parent_inside.pk), purpose="api"
    )
    assert rows.filter(action="view").count() == 1
    # An educator sees the child's basics, not the family: as on the page, no such adult.
    assert client.get(url, **_auth(world.users[Role.EDUCATOR])).status_code == 404
    abroad = f"/api/v1/adults/{world.parent_abroad.pk}"
    assert client.get(abroad, **_auth(world.users[Role.SOCIAL_HELPER])).status_code == 404


def test_a_protected_address_is_shown_to_the_team_alone(world, client):
    adult = world.parent_inside
    adult.address, adult.address_protected = "Fő utca 1.", True
    adult.save()
    url = f"/api/v1/adults/{adult.pk}"
    helper = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()
    assert helper["address"] is None and helper["address_protected"] is None
    team = client.get(url, **_auth(world.users[Role.CASE_WORKER])).json()
    assert team["address"] == "Fő utca 1." and team["address_protected"] is True
    # Who may not see it may not change it either, and is told so.
    tag = f'"{adult.version}"'
    refused = _patch(
        client, adult.pk, {"address": "x"}, _auth(world.users[Role.SOCIAL_HELPER]), tag
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "address"


def test_a_change_needs_the_etag_read_and_a_stale_one_is_refused(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    adult = world.parent_inside
    tag = client.get(f"/api/v1/adults/{adult.pk}", **auth)["ETag"]
    assert _patch(client, adult.pk, {"phone": "+36 1 234 5678"}, auth).status_code == 428
    changed = _patch(client, adult.pk, {"phone": "+36 1 234 5678"}, auth, etag=tag)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["phone"] == "+36 1 234 5678"
    assert changed["ETag"] == f'"{adult.version + 1}"'
    row = AuditEvent.objects.filter(
        object_type="people.adult", object_id=str(adult.pk), action="change"
    ).latest("id")
    assert row.changes["phone"][1] == "+36 1 234 5678"
    stale = _patch(client, adult.pk, {"phone": "+36 1 000 0000"}, auth, etag=tag)
    assert stale.status_code == 412 and stale.json()["type"].endswith(":stale")
    adult.refresh_from_db()
    assert adult.phone == "+36 1 234 5678"


def test_a_change_is_checked_by_the_forms_fields(world, client):
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    adult = world.parent_inside
    tag = f'"{adult.version}"'
    bad = _patch(client, adult.pk, {"email": "not an address"}, auth, etag=tag)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "email"
    emptied = _patch(client, adult.pk, {"family_name": None}, auth, etag=tag)
    assert emptied.status_code == 422 and emptied.json()["errors"][0]["field"] == "family_name"
    unknown = _patch(client, adult.pk, {"shoe_size": 42}, auth, etag=tag)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "shoe_size"


def test_who_reads_the_adult_in_an_emergency_may_not_change_them(world, client):
    manager = world.users[Role.MANAGER]
    BreakGlassGrant.objects.create(
        user=manager,
        role=Role.MANAGER,
        municipality=world.municipality_a,
        child=world.inside,
        reason="The child is missing and the police need the family's details.",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )
    auth = _auth(manager)
    read = client.get(f"/api/v1/adults/{world.parent_inside.pk}", **auth)
    assert read.status_code == 200
    changed = _patch(client, world.parent_inside.pk, {"phone": "1"}, auth, etag=read["ETag"])
    assert changed.status_code == 403
