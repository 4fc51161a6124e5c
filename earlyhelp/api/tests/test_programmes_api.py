"""Programmes through the API: for its lead and the managers and analysts of its municipality as
on the programme pages, its indicators with their maintained figures, the small counts hidden
from an analyst exactly as the page hides them, nobody named, cursor pages, every read
audited."""

from datetime import date

import pytest

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.figures import rebuild
from earlyhelp.programmes.models import Indicator, Partner
from earlyhelp.programmes.tests import builders as b
from earlyhelp.programmes.tests.access_expectations import make_programme

pytestmark = pytest.mark.django_db
U = Indicator.Unit


def _auth(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user=user, name='partner')[1]}"}


@pytest.fixture
def prog(world):
    made = b.programme(world, lead=None, starts_on=date(2024, 1, 1), ends_on=date(2030, 12, 31))
    Partner.objects.create(programme=made, name="Rodinné centrum", role="implementing")
    made.institutions.add(world.school_a1)
    act = b.activity(world, made)
    kids = [b.child(world, given_name=f"Zsófia{i}", family_name="Pálinkás") for i in range(3)]
    b.meeting(act, date(2024, 3, 10), present=[b.participant(act, child=k) for k in kids])
    b.indicator(made, U.CHILDREN, target=20, name="Children reached")
    b.indicator(made, U.MEETINGS, target=1000, name="Meetings")
    rebuild([made.pk], today=date(2024, 6, 30))
    return made


def test_the_manager_reads_exact_figures_and_no_person(world, prog, client):
    answer = client.get(f"/api/v1/programmes/{prog.pk}", **_auth(world.users[Role.MANAGER]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["suppressed"] is False and body["computed_at"]
    assert body["institution_ids"] == [world.school_a1.pk]
    assert [p["name"] for p in body["partners"]] == ["Rodinné centrum"]
    children, meetings = body["indicators"]
    assert children["value"] == 3 and children["hidden"] is None and children["target"] == 20
    assert children["series"][-1]["value"] == 3
    assert "3 of 20" in children["description"]
    assert meetings["value"] == 1 and meetings["status"] == "will_miss"
    assert "Pálinkás" not in answer.content.decode()
    assert AuditEvent.objects.filter(
        object_type="programmes.programme", object_id=str(prog.pk), action="view", purpose="api"
    ).exists()


def test_an_analyst_reads_what_the_page_shows(world, prog, client):
    body = client.get(f"/api/v1/programmes/{prog.pk}", **_auth(world.users[Role.ANALYST])).json()
    assert body["suppressed"] is True
    children, meetings = body["indicators"]
    assert children["value"] is None and children["hidden"] == "<5"
    assert children["status"] == "not_shown" and children["forecast"] is None
    assert {p["value"] for p in children["series"]} == {None}
    assert "3 of 20" not in children["description"]
    # Meetings held are the service's own work, not persons: shown as they are.
    assert meetings["value"] == 1 and meetings["hidden"] is None


def test_outside_404_and_the_workers_who_link_to_it_do_not_read_it(world, prog, client):
    abroad = make_programme(world, False)
    manager = _auth(world.users[Role.MANAGER])
    assert client.get(f"/api/v1/programmes/{abroad.pk}", **manager).status_code == 404
    worker = _auth(world.users[Role.CASE_WORKER])
    assert client.get("/api/v1/programmes", **worker).status_code == 403
    assert client.get(f"/api/v1/programmes/{prog.pk}", **worker).status_code == 404


def test_the_lead_reads_it_without_a_reading_role(world, prog, client):
    prog.lead = world.users[Role.SUPERVISOR]
    prog.save()
    auth = _auth(world.users[Role.SUPERVISOR])
    body = client.get(f"/api/v1/programmes/{prog.pk}", **auth).json()
    assert body["suppressed"] is False and body["indicators"][0]["value"] == 3
    assert [p["id"] for p in client.get("/api/v1/programmes", **auth).json()["items"]] == [prog.pk]


def test_the_list_latest_first_with_pages_and_refusals(world, prog, client):
    older = make_programme(world, True)  # starts 2025, the fixture's 2024
    make_programme(world, False)
    auth = _auth(world.users[Role.ANALYST])
    first = client.get("/api/v1/programmes", {"limit": 1}, **auth).json()
    assert [p["id"] for p in first["items"]] == [older.pk]
    rest = client.get(
        "/api/v1/programmes", {"limit": 1, "cursor": first["next_cursor"]}, **auth
    ).json()
    assert [p["id"] for p in rest["items"]] == [prog.pk] and rest["next_cursor"] is None
    assert rest["items"][0]["budget"] == 1200000 and rest["items"][0]["currency"] == "CZK"
    assert (
        AuditEvent.objects.filter(
            object_type="programmes.programme", action="list", purpose="api"
        ).count()
        == 2
    )
    unknown = client.get("/api/v1/programmes", {"status": "running"}, **auth)
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "status"
    foreign = client.get("/api/v1/programmes", {"cursor": "WyJ4Il0"}, **auth)
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "cursor"
