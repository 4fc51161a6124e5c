"""Contact arrangements through the API: for the workers of the arrangement and its service as
on the contact pages, a restricted child's for the child's team alone, the meetings' times and
statuses without their record, every read audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts.models import Arrangement
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


def test_the_worker_reads_the_arrangement_and_its_meetings(world, client):
    arrangement = make_arrangement(world, True)
    url = f"/api/v1/contact-arrangements/{arrangement.pk}"
    answer = client.get(url, **_auth(world.users[Role.CASE_WORKER]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["child_id"] == world.inside.pk and body["visitor_id"] == world.parent_inside.pk
    assert [m["status"] for m in body["meetings"]] == ["planned"]
    assert not {"child_words", "incidents", "observations"} & set(body["meetings"][0])
    assert AuditEvent.objects.filter(
        object_type="contacts.arrangement", object_id=str(arrangement.pk), purpose="api",
        subject=f"people.child:{world.inside.pk}",
    ).exists()  # fmt: skip
    abroad = make_arrangement(world, False)
    outside = client.get(
        f"/api/v1/contact-arrangements/{abroad.pk}", **_auth(world.users[Role.SUPERVISOR])
    )
    assert outside.status_code == 404


def test_a_restricted_childs_arrangement_is_for_the_childs_team(world, client):
    arrangement = make_arrangement(world, True)
    Arrangement.objects.filter(pk=arrangement.pk).update(child=world.secret)
    url = f"/api/v1/contact-arrangements/{arrangement.pk}"
    # The case worker is on the child's team (the world's), the supervisor is not.
    assert client.get(url, **_auth(world.users[Role.CASE_WORKER])).status_code == 200
    assert client.get(url, **_auth(world.users[Role.SUPERVISOR])).status_code == 404


def test_the_list_with_filters_and_refusals(world, client):
    ours = make_arrangement(world, True)
    make_arrangement(world, False)
    auth = _auth(world.users[Role.SUPERVISOR])
    listed = client.get("/api/v1/contact-arrangements", **auth).json()
    assert [a["id"] for a in listed["items"]] == [ours.pk]
    assert AuditEvent.objects.filter(
        object_type="contacts.arrangement", action="list", purpose="api"
    ).exists()
    assert (
        client.get("/api/v1/contact-arrangements", {"status": "ended"}, **auth).json()["items"]
        == []
    )
    mine = client.get("/api/v1/contact-arrangements", {"mine": True}, **auth).json()
    assert mine["items"] == []
    day = timezone.localtime(timezone.now() - timedelta(days=2)).date()
    met = client.get("/api/v1/contact-arrangements", {"since": day, "until": day}, **auth)
    assert [a["id"] for a in met.json()["items"]] == [ours.pk]
    educator = _auth(world.users[Role.EDUCATOR])
    assert client.get("/api/v1/contact-arrangements", **educator).status_code == 403
    unknown = client.get("/api/v1/contact-arrangements", {"show": "all"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "show"
    foreign = client.get("/api/v1/contact-arrangements", {"cursor": "WyJ4IiwgMV0"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"
