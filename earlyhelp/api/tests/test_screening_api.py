"""Screening rounds through the API: the ratings to whom the pages show them (the round's
social helpers all, an educator the classes they rate, the lead none), a restricted child and
a child whose consent to screening was withdrawn withheld, every read audited; one child's
ratings recorded as the class sheet's line of the child records them, by its educator, with the
rating's version."""

from datetime import date, timedelta

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Consent
from earlyhelp.screening.models import Rating
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


GREEN = {"mood": 0, "belonging": 0, "care": 0, "attendance": 0, "behaviour": 0, "learning": 0}


def _put(client, round_, child, body, auth, **headers):
    return client.put(
        f"/api/v1/screening/rounds/{round_.pk}/ratings/{child.pk}",
        body,
        content_type="application/json",
        **auth,
        **headers,
    )


def test_an_educator_rates_a_child_of_their_class_with_its_version(world, client):
    round_ = make_round(world, True)
    auth = _auth(world.users[Role.EDUCATOR])
    body = {"answers": {**GREEN, "safety": 2}, "comment": "Tired on Mondays."}
    assert _put(client, round_, world.inside, body, auth).status_code == 428
    first = _put(client, round_, world.inside, body, auth, HTTP_IF_NONE_MATCH="*")
    assert first.status_code == 201, first.json()
    rating = Rating.objects.get(round=round_, child=world.inside)
    assert rating.flagged and rating.group == world.class_a1
    assert first["ETag"] == f'"{rating.version}"' and first.json()["outcome"] is None
    created = AuditEvent.objects.filter(object_type="screening.rating", action="create")
    assert created.count() == 1
    # The same ratings again change nothing: a retry is safe.
    again = _put(client, round_, world.inside, body, auth, HTTP_IF_NONE_MATCH="*")
    assert again.status_code == 200 and again.json() == first.json()
    assert created.count() == 1
    # A change needs the rating's version; someone's change meanwhile makes it stale.
    fine = {"answers": {}, "all_fine": True}
    changed = _put(client, round_, world.inside, fine, auth, HTTP_IF_MATCH=first["ETag"])
    assert changed.status_code == 200, changed.json()
    assert changed.json()["flagged"] is False and changed.json()["answers"]["safety"] == 0
    assert changed["ETag"] == f'"{rating.version + 1}"'
    assert AuditEvent.objects.filter(object_type="screening.rating", action="change").exists()
    stale = _put(client, round_, world.inside, body, auth, HTTP_IF_MATCH=first["ETag"])
    assert stale.status_code == 412
    taken = _put(client, round_, world.inside, body, auth, HTTP_IF_NONE_MATCH="*")
    assert taken.status_code == 412
    rating.refresh_from_db()
    assert rating.flagged is False
    # Read when rated: one row about the child, as the page's line of the child writes.
    assert AuditEvent.objects.filter(
        object_type="people.child", object_id=str(world.inside.pk), purpose="api"
    ).exists()


def test_the_ratings_are_checked_by_the_class_sheets_rules(world, client):
    round_ = make_round(world, True)
    auth = {**_auth(world.users[Role.EDUCATOR]), "HTTP_IF_NONE_MATCH": "*"}
    unknown = _put(client, round_, world.inside, {"answers": {**GREEN, "sleep": 1}}, auth)
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "answers.sleep"
    partly = _put(client, round_, world.inside, {"answers": GREEN}, auth)
    assert partly.status_code == 422 and partly.json()["errors"][0]["field"] == "answers"
    offered = _put(client, round_, world.inside, {"answers": {**GREEN, "safety": 7}}, auth)
    assert offered.status_code == 422 and offered.json()["errors"][0]["field"] == "answers"
    empty = _put(client, round_, world.inside, {"comment": "Nothing yet."}, auth)
    assert empty.status_code == 422
    assert not Rating.objects.exists()


def test_who_may_rate_whom_and_a_closed_round(world, client):
    round_ = make_round(world, True)
    other = f.GroupFactory(institution=world.school_a1, name="2.b")
    round_.round_groups.create(group=other)
    elsewhere = f.ChildFactory(municipality=world.municipality_a)
    f.EnrolmentFactory(child=elsewhere, group=other)
    body = {"answers": {}, "all_fine": True}
    educator = {**_auth(world.users[Role.EDUCATOR]), "HTTP_IF_NONE_MATCH": "*"}
    # A child of a class the educator does not rate, one abroad: 404, as the class sheet.
    assert _put(client, round_, elsewhere, body, educator).status_code == 404
    assert _put(client, round_, world.abroad, body, educator).status_code == 404
    for role in (Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD):
        seen = {**_auth(world.users[role]), "HTTP_IF_NONE_MATCH": "*"}
        assert _put(client, round_, world.inside, body, seen).status_code == 403, role
    case_worker = {**_auth(world.users[Role.CASE_WORKER]), "HTTP_IF_NONE_MATCH": "*"}
    assert _put(client, round_, world.inside, body, case_worker).status_code == 404
    # Consent to screening withdrawn: the child is not rated.
    f.ConsentFactory(
        child=elsewhere, purpose=Consent.Purpose.SCREENING, given_on=date(2026, 1, 10),
        withdrawn_on=date.today() - timedelta(days=1),
    )  # fmt: skip
    f.EnrolmentFactory(child=elsewhere, group=world.class_a1)
    assert _put(client, round_, elsewhere, body, educator).status_code == 404
    # Past its last day the round is closed: nothing is rated any more.
    round_.closes_on = date.today() - timedelta(days=1)
    round_.save(update_fields=["closes_on"])
    closed = _put(client, round_, world.inside, body, educator)
    assert closed.status_code == 422 and "closed" in closed.json()["detail"]
    assert not Rating.objects.exists()
