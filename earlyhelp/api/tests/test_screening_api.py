"""Screening rounds through the API: the ratings to whom the pages show them (the round's
social helpers all, an educator the classes they rate, the lead none), a restricted child and
a child whose consent to screening was withdrawn withheld, every read audited."""

from datetime import date, timedelta

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Consent
from earlyhelp.screening.tests.access_expectations import make_round
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


def _rated(world, round_, child):
    return f.RatingFactory(
        round=round_, child=child, group=world.class_a1, rated_by=world.users[Role.EDUCATOR]
    )


def test_the_ratings_to_whom_the_pages_show_them(world, client):
    round_ = make_round(world, True)
    rating = _rated(world, round_, world.inside)
    url = f"/api/v1/screening/rounds/{round_.pk}"
    helper = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()
    assert [r["child_id"] for r in helper["ratings"]] == [world.inside.pk]
    assert helper["ratings"][0]["worry"] == rating.worry and helper["ratings"][0]["outcome"] == ""
    assert helper["classes"][0]["group_id"] == world.class_a1.pk
    assert helper["classes"][0]["flagged"] == 1
    educator = client.get(url, **_auth(world.users[Role.EDUCATOR])).json()
    assert [r["child_id"] for r in educator["ratings"]] == [world.inside.pk]
    assert educator["ratings"][0]["outcome"] is None
    lead = client.get(url, **_auth(world.users[Role.INSTITUTION_LEAD])).json()
    assert lead["ratings"] is None and lead["classes"][0]["rated"] == 1
    listed = AuditEvent.objects.filter(
        object_type="screening.rating", action="list", purpose="api", object_id=str(round_.pk)
    )
    assert listed.count() == 2
    assert (
        AuditEvent.objects.filter(
            object_type="screening.round", object_id=str(round_.pk), action="view", purpose="api"
        ).count()
        == 3
    )


def test_a_restricted_child_and_a_withdrawn_consent_are_withheld(world, client):
    round_ = make_round(world, True)
    _rated(world, round_, world.inside)
    _rated(world, round_, world.secret)
    withdrawn = f.ChildFactory(municipality=world.municipality_a)
    f.EnrolmentFactory(child=withdrawn, group=world.class_a1)
    _rated(world, round_, withdrawn)
    f.ConsentFactory(
        child=withdrawn, purpose=Consent.Purpose.SCREENING, given_on=date(2026, 1, 10),
        withdrawn_on=date.today() - timedelta(days=1),
    )  # fmt: skip
    url = f"/api/v1/screening/rounds/{round_.pk}"
    helper = client.get(url, **_auth(world.users[Role.SOCIAL_HELPER])).json()
    shown = {r["child_id"] for r in helper["ratings"]}
    assert world.inside.pk in shown and withdrawn.pk not in shown
    assert world.secret.pk not in shown
    assert helper["ratings_not_shown"] == 2


def test_the_list_outside_and_refusals(world, client):
    ours, abroad = make_round(world, True), make_round(world, False)
    auth = _auth(world.users[Role.SOCIAL_HELPER])
    listed = client.get("/api/v1/screening/rounds", **auth).json()
    assert [r["id"] for r in listed["items"]] == [ours.pk]
    assert listed["items"][0]["status"] == "open"
    assert AuditEvent.objects.filter(object_type="screening.round", action="list").exists()
    closed = client.get("/api/v1/screening/rounds", {"status": "closed"}, **auth).json()
    assert closed["items"] == []
    outside = client.get(f"/api/v1/screening/rounds/{abroad.pk}", **auth)
    assert outside.status_code == 404
    case_worker = _auth(world.users[Role.CASE_WORKER])
    assert client.get("/api/v1/screening/rounds", **case_worker).status_code == 403
    unknown = client.get("/api/v1/screening/rounds", {"after": "1"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "after"
    foreign = client.get("/api/v1/screening/rounds", {"cursor": "WyJ4IiwgMV0"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"
