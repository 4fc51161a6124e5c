"""A child's groups, consents and family through the API: read by whom the page shows them to,
added through the page's forms and services, once per Idempotency-Key, every read audited."""

from datetime import date, timedelta

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Consent, Enrolment
from earlyhelp.tests.factories import (
    AdultFactory,
    ChildFactory,
    EnrolmentFactory,
    RelationshipFactory,
)

pytestmark = pytest.mark.django_db


def _auth(user, key="key-0001") -> dict:
    raw = ApiToken.issue(user=user, name="partner")[1]
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": key}


def _post(client, url, body, auth):
    return client.post(url, body, content_type="application/json", **auth)


def _read_rows(world):
    return AuditEvent.objects.filter(
        subject=f"people.child:{world.inside.pk}", action="view", purpose="api"
    )


def test_the_groups_are_read_by_all_who_see_the_child_and_audited(world, client):
    url = f"/api/v1/children/{world.inside.pk}/enrolments"
    educator = client.get(url, **_auth(world.users[Role.EDUCATOR]))
    assert educator.status_code == 200
    assert [row["group_id"] for row in educator.json()["items"]] == [world.class_a1.pk]
    assert _read_rows(world).count() == 1
    outside = client.get(
        f"/api/v1/children/{world.abroad.pk}/enrolments", **_auth(world.users[Role.EDUCATOR])
    )
    assert outside.status_code == 404


def test_an_educator_sees_the_groups_of_today_and_a_social_helper_the_history(world, client):
    Enrolment.objects.create(
        child=world.inside,
        group=world.class_a2,
        starts_on=date(2020, 9, 1),
        ends_on=date(2021, 6, 15),
    )
    url = f"/api/v1/children/{world.inside.pk}/enrolments"
    today = client.get(url, **_auth(world.users[Role.EDUCATOR])).json()["items"]
    history = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()["items"]
    assert len(today) == 1 and len(history) == 2
    assert history[-1]["ends_on"] == "2021-06-15"


def test_enrolling_is_done_once_per_key_and_checked_by_the_form(world, client):
    url = f"/api/v1/children/{world.inside.pk}/enrolments"
    helper = world.users[Role.SOCIAL_HELPER]
    body = {"group_id": world.class_a2.pk, "starts_on": date.today().isoformat()}
    auth = _auth(helper)
    first = _post(client, url, body, auth)
    again = _post(client, url, body, auth)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json() and first.json()["institution_id"] == world.school_a2.pk
    assert Enrolment.objects.filter(child=world.inside, group=world.class_a2).count() == 1
    assert AuditEvent.objects.filter(object_type="people.enrolment", action="create").count() == 1
    # A group of another municipality is not among the form's choices.
    abroad = {"group_id": world.class_b1.pk, "starts_on": date.today().isoformat()}
    refused = _post(client, url, abroad, _auth(helper, "key-0002"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "group_id"
    # The service's own refusal: already in that class on that day.
    twice = _post(client, url, body, _auth(helper, "key-0003"))
    assert twice.status_code == 422
    # The same key for another child is another request, not the first child's answer.
    classmate = ChildFactory(municipality=world.municipality_a)
    EnrolmentFactory(child=classmate, group=world.class_a1)
    reused = _post(client, f"/api/v1/children/{classmate.pk}/enrolments", body, auth)
    assert reused.status_code == 422
    assert reused.json()["type"] == "urn:earlyhelp:problem:idempotency-key-reused"
    assert not Enrolment.objects.filter(child=classmate, group=world.class_a2).exists()


def test_who_sees_but_may_not_change_the_child_gets_403(world, client):
    body = {"group_id": world.class_a2.pk, "starts_on": date.today().isoformat()}
    url = f"/api/v1/children/{world.inside.pk}/enrolments"
    assert _post(client, url, body, _auth(world.users[Role.EDUCATOR])).status_code == 403
    abroad = f"/api/v1/children/{world.abroad.pk}/enrolments"
    assert _post(client, abroad, body, _auth(world.users[Role.SOCIAL_HELPER])).status_code == 404
    assert not Enrolment.objects.filter(group=world.class_a2, child=world.inside).exists()


def test_consents_are_the_full_records_and_a_lead_gets_403(world, client):
    url = f"/api/v1/children/{world.inside.pk}/consents"
    helper = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER]))
    assert helper.status_code == 200
    assert [row["id"] for row in helper.json()["items"]] == [world.consent_inside.pk]
    assert client.get(url, **_auth(world.users[Role.INSTITUTION_LEAD])).status_code == 403
    abroad = f"/api/v1/children/{world.abroad.pk}/consents"
    assert client.get(abroad, **_auth(world.users[Role.SOCIAL_HELPER])).status_code == 404


def test_a_consent_is_recorded_once_per_key_and_checked_by_the_form(world, client):
    url = f"/api/v1/children/{world.inside.pk}/consents"
    auth = _auth(world.users[Role.CASE_WORKER])
    body = {
        "purpose": "group_activities",
        "given_by_adult_id": world.parent_inside.pk,
        "given_on": "2024-09-02",
        "note": "Signed at the parents' evening.",
    }
    first = _post(client, url, body, auth)
    again = _post(client, url, body, auth)
    assert (first.status_code, again.status_code) == (201, 200), first.json()
    assert first.json() == again.json()
    assert Consent.objects.filter(child=world.inside, purpose="group_activities").count() == 1
    future = {**body, "given_on": (date.today() + timedelta(days=3)).isoformat()}
    refused = _post(client, url, future, _auth(world.users[Role.CASE_WORKER], "key-0002"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "given_on"
    # Another child's adult is not among the form's choices.
    stranger = {**body, "given_by_adult_id": world.parent_abroad.pk}
    refused = _post(client, url, stranger, _auth(world.users[Role.CASE_WORKER], "key-0003"))
    assert refused.json()["errors"][0]["field"] == "given_by_adult_id"
    nobody = {"purpose": "photos", "given_on": "2024-09-02"}
    refused = _post(client, url, nobody, _auth(world.users[Role.CASE_WORKER], "key-0004"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "given_by_other"
    educator = _post(client, url, body, _auth(world.users[Role.EDUCATOR], "key-0005"))
    assert educator.status_code == 403


def test_the_family_hides_a_restricted_adult_as_the_page_does(world, client):
    hidden = AdultFactory(municipality=world.municipality_a, restricted=True)
    RelationshipFactory(child=world.inside, adult=hidden)
    url = f"/api/v1/children/{world.inside.pk}/relationships"
    helper = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()["items"]
    assert [row["adult_id"] for row in helper] == [world.parent_inside.pk]
    assert helper[0]["name"] == world.parent_inside.full_name
    # The case worker is on the child's team: the team sees the restricted adult too.
    team = client.get(url, **_auth(world.users[Role.CASE_WORKER])).json()["items"]
    assert {row["adult_id"] for row in team} == {world.parent_inside.pk, hidden.pk}
    assert client.get(url, **_auth(world.users[Role.EDUCATOR])).status_code == 403
    assert _read_rows(world).count() == 2


def test_a_page_of_a_childs_rows_follows_its_cursor(world, client):
    for year in range(2015, 2020):
        Enrolment.objects.create(
            child=world.inside,
            group=world.class_a2,
            starts_on=date(year, 9, 1),
            ends_on=date(year + 1, 6, 15),
        )
    url = f"/api/v1/children/{world.inside.pk}/enrolments"
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    seen, cursor = [], None
    while True:
        page = client.get(url, {"limit": 2, **({"cursor": cursor} if cursor else {})}, **auth)
        seen += [row["id"] for row in page.json()["items"]]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 6
    forged = client.get(url, {"cursor": "bm90LWEtY3Vyc29y"}, **auth)
    assert forged.status_code == 422 and forged.json()["errors"][0]["field"] == "cursor"


def test_an_adult_is_added_to_a_child_once_per_key(client, world):
    from earlyhelp.people.models import Relationship

    raw = ApiToken.issue(user=world.users[Role.SOCIAL_HELPER], name="t")[1]
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_IDEMPOTENCY_KEY": "adult-add-1"}
    body = {"family_name": "Szőke", "given_name": "Ilona", "relationship_kind": "grandparent",
            "phone": "+36 30 555 1234"}  # fmt: skip
    url = f"/api/v1/children/{world.inside.pk}/adults"
    first = client.post(url, body, content_type="application/json", **auth)
    assert first.status_code == 201, first.content
    assert first.json()["kind"] == "grandparent" and "Ilona" in first.json()["name"]
    again = client.post(url, body, content_type="application/json", **auth)
    assert again.status_code == 200 and again.json() == first.json()
    assert Relationship.objects.filter(child=world.inside, kind="grandparent").count() == 1
    bad = client.post(
        url,
        {**body, "national_id": "123456789"},
        content_type="application/json",
        **{**auth, "HTTP_IDEMPOTENCY_KEY": "adult-add-2"},
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "national_id"
