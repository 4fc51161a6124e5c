"""The arrangement list names the child and the family (the visitor and the carer) where the
policy lets the reader name them and says why not elsewhere, with the basis, the stage and the
next meeting; it sorts by the next meeting or newest first, filters by child, status, service
and period, answers garbage with a message, writes one audit row per showing and reads as many
queries for many rows as for few."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts.models import Arrangement, Meeting
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db

RESTRICTED = "Name not shown: restricted record"


def _arrangement(
    world, child=None, *, visitor=None, carer=None, meeting_in=None, started_days_ago=30,
    status=Arrangement.Status.ACTIVE, service=None, lead=None,
):  # fmt: skip
    child = child or world.inside
    lead = lead or world.users[Role.CASE_WORKER]
    arrangement = Arrangement.objects.create(
        municipality=child.municipality, service=service or world.service_a, child=child,
        visitor=visitor or world.parent_inside, carer=carer, basis=Arrangement.Basis.COURT_ORDER,
        lead=lead, created_by=lead, status=status,
        starts_on=timezone.localdate() - dt.timedelta(days=started_days_ago),
    )  # fmt: skip
    if meeting_in is not None:
        start = timezone.now() + dt.timedelta(days=meeting_in)
        Meeting.objects.create(
            arrangement=arrangement, municipality=child.municipality, child=child, lead=lead,
            starts_at=start, ends_at=start + dt.timedelta(hours=1), stage=arrangement.stage,
        )  # fmt: skip
    return arrangement


def _rows(body: str) -> list[str]:
    """The arrangement numbers in the order the list shows them."""
    return re.findall(r'<td data-label="Child"><a href="/contacts/(\d+)/">', body)


def _hidden_adult(world):
    return f.AdultFactory(
        municipality=world.municipality_a, given_name="Ottó", family_name="Rejtett", restricted=True
    )


def test_the_worker_reads_child_family_and_topic_and_why_a_restricted_parent_is_not_named(
    world, signed_in
):
    _arrangement(world, meeting_in=3)
    _arrangement(world, world.secret, visitor=_hidden_adult(world), carer=world.parent_inside)
    body = signed_in(world.users[Role.CASE_WORKER]).get(reverse("contacts:list")).content.decode()
    assert "Szőke Bence" in body and "Meets: Szőke Anna" in body
    # The restricted child is named to her team; the restricted parent to nobody here.
    assert "Kovács Luca" in body and "Lives with: Szőke Anna" in body
    assert "Rejtett" not in body and RESTRICTED in body
    assert "Court order" in body and "Agreement" in body and "None planned" in body


def test_the_supervisor_does_not_find_what_the_list_may_not_name(world, signed_in):
    _arrangement(world, world.secret)
    supervisor = signed_in(world.users[Role.SUPERVISOR])
    body = supervisor.get(reverse("contacts:list"), {"show": "all"}).content.decode()
    assert _rows(body) == []
    found = supervisor.get(reverse("contacts:list"), {"show": "all", "child": "kovacs"})
    assert _rows(found.content.decode()) == []


def test_sort_by_the_next_meeting_or_newest_first(world, signed_in):
    later = _arrangement(world, meeting_in=9, started_days_ago=60)
    sooner = _arrangement(world, meeting_in=2, started_days_ago=40)
    none = _arrangement(world, started_days_ago=10)
    client = signed_in(world.users[Role.CASE_WORKER])

    def shown(**query):
        response = client.get(reverse("contacts:list"), query)
        assert response.status_code == 200
        return _rows(response.content.decode())

    assert shown() == [str(sooner.pk), str(later.pk), str(none.pk)]
    assert shown(sort="newest") == [str(none.pk), str(sooner.pk), str(later.pk)]


def test_each_filter_narrows_the_list(world, signed_in):
    bence = _arrangement(world, meeting_in=-20)
    luca = _arrangement(world, world.secret, meeting_in=1)
    ended = _arrangement(world, status=Arrangement.Status.ENDED)
    client = signed_in(world.users[Role.CASE_WORKER])

    def shown(**query):
        response = client.get(reverse("contacts:list"), query)
        assert response.status_code == 200
        return sorted(_rows(response.content.decode()))

    assert shown() == sorted([str(bence.pk), str(luca.pk)])  # active unless asked otherwise
    assert shown(status="ended") == [str(ended.pk)]
    assert shown(status="any") == sorted([str(bence.pk), str(luca.pk), str(ended.pk)])
    assert shown(child="szoke") == [str(bence.pk)]  # folded: ő found by o
    assert shown(child="kovacs luca") == [str(luca.pk)]
    today = timezone.localdate()
    since = (today - dt.timedelta(days=25)).isoformat()
    until = (today - dt.timedelta(days=10)).isoformat()
    assert shown(since=since, until=until) == [str(bence.pk)]
    assert shown(since=today.isoformat()) == [str(luca.pk)]


def test_the_service_filter_offers_the_users_services(world, signed_in):
    worker = world.users[Role.CASE_WORKER]
    other = f.ServiceFactory(municipality=world.municipality_a, name="Kapcsolattartási ügyelet")
    f.MembershipFactory(
        user=worker, role=Role.CASE_WORKER, municipality=world.municipality_a, service=other
    )
    here = _arrangement(world)
    there = _arrangement(world, service=other)
    client = signed_in(worker)
    body = client.get(reverse("contacts:list")).content.decode()
    assert "Kapcsolattartási ügyelet" in body
    assert sorted(_rows(body)) == sorted([str(here.pk), str(there.pk)])
    only = client.get(reverse("contacts:list"), {"service": other.pk})
    assert _rows(only.content.decode()) == [str(there.pk)]


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"since": "2024-02-31"},
        {"since": "99999-01-01"},
        {"since": "2025-05-01", "until": "2025-04-01"},
        {"child": "\x00"},
        {"child": "x" * 500},
        {"sort": "'; DROP TABLE", "show": "everything", "after": "%%%"},
        {"service": "-1"},
    ],
)
def test_garbage_in_the_filters_gets_a_message_not_an_error(world, signed_in, query):
    _arrangement(world, meeting_in=1)
    for role in (Role.CASE_WORKER, Role.SUPERVISOR):
        response = signed_in(world.users[role]).get(reverse("contacts:list"), query)
        assert response.status_code == 200, (role, query)
        if "sort" not in query and "service" not in query:
            assert "Some filters could not be used" in response.content.decode(), (role, query)


def test_one_audit_row_per_showing(world, signed_in):
    arrangement = _arrangement(world)
    client = signed_in(world.users[Role.CASE_WORKER])
    client.get(reverse("contacts:list"), {"child": "bence"})
    client.get(reverse("contacts:list"), {"child": "nobody"})
    rows = AuditEvent.objects.filter(action="list", purpose="contact arrangements").order_by("pk")
    assert [row.changes for row in rows] == [
        {"children": [arrangement.child_id], "rows": 1, "searched": True},
        {"children": [], "rows": 0, "searched": True},
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows(world, signed_in):
    client = signed_in(world.users[Role.CASE_WORKER])
    hidden = _hidden_adult(world)
    _arrangement(world, meeting_in=1)
    _arrangement(world, world.secret, visitor=hidden, carer=world.parent_inside)
    client.get(reverse("contacts:list"))  # the session and the scope settle
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("contacts:list"))
    for i in range(12):
        _arrangement(
            world, world.secret if i % 3 else world.inside, meeting_in=i,
            visitor=hidden if i % 2 else None, carer=world.parent_inside if i % 4 else None,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("contacts:list"))
    assert len(_rows(response.content.decode())) == 14
    assert len(many) == len(few)
