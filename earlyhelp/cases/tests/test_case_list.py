"""The case list names the case's children where the policy lets the reader name them and says
why not elsewhere; it sorts newest first or by the last contact, filters by child, status and
period, answers garbage with a message, and reads as many queries for many rows as for few."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases import services
from earlyhelp.cases.models import Case, ChronologyEntry
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

RESTRICTED = "Name not shown: restricted record"


def _open(world, title="Kovács family", children=None):
    return services.case_open(
        user=world.users[Role.CASE_WORKER],
        service=world.service_a,
        title=title,
        kind=Case.Kind.FAMILY,
        reason="Concerns about neglect.",
        children=children or [world.inside],
    )


def _rows(body: str) -> list[str]:
    return re.findall(r'href="/cases/(\d+)/">#', body)


def test_the_team_reads_the_names_the_supervisor_the_reason(world, signed_in):
    _open(world, children=[world.inside, world.secret])
    worker = signed_in(world.users[Role.CASE_WORKER]).get(reverse("cases:list"))
    body = worker.content.decode()
    assert "Szőke Bence" in body and "Kovács Luca" in body and RESTRICTED not in body
    supervisor = signed_in(world.users[Role.SUPERVISOR]).get(
        reverse("cases:list"), {"show": "team"}
    )
    body = supervisor.content.decode()
    assert "Szőke Bence" in body and "Luca" not in body and RESTRICTED in body
    # Nor does a search by her name find the case for the supervisor.
    found = signed_in(world.users[Role.SUPERVISOR]).get(
        reverse("cases:list"), {"show": "team", "child": "luca"}
    )
    assert _rows(found.content.decode()) == []


def test_sort_and_filters(world, signed_in):
    older = _open(world, "Older", children=[world.inside])
    newer = _open(world, "Newer", children=[world.secret])
    Case.objects.filter(pk=older.pk).update(opened_at=timezone.now() - dt.timedelta(days=30))
    services.chronicle(
        newer, world.users[Role.CASE_WORKER], ChronologyEntry.Kind.CONTACT, "Home visit"
    )
    client = signed_in(world.users[Role.CASE_WORKER])

    def shown(**query):
        response = client.get(reverse("cases:list"), query)
        assert response.status_code == 200
        return _rows(response.content.decode())

    assert shown() == [str(newer.pk), str(older.pk)]
    # By the last contact: the case never contacted comes last.
    assert shown(sort="contact")[-1] == str(older.pk)
    assert shown(child="kovacs luca") == [str(newer.pk)]
    since = (timezone.localdate() - dt.timedelta(days=40)).isoformat()
    until = (timezone.localdate() - dt.timedelta(days=20)).isoformat()
    assert shown(since=since, until=until) == [str(older.pk)]
    assert shown(status="closed") == []


@pytest.mark.parametrize(
    "query",
    [
        {"since": "2024-13-01"},
        {"since": "2025-05-01", "until": "2025-04-01"},
        {"child": "\x00"},
        {"status": "nonsense", "sort": "x", "after": "!!", "show": "everything"},
    ],
)
def test_garbage_gets_a_message_not_an_error(world, signed_in, query):
    _open(world)
    response = signed_in(world.users[Role.CASE_WORKER]).get(reverse("cases:list"), query)
    assert response.status_code == 200
    if "since" in query or "child" in query:
        assert "Some filters could not be used" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_rows(world, signed_in):
    client = signed_in(world.users[Role.CASE_WORKER])
    _open(world, children=[world.inside, world.secret])
    client.get(reverse("cases:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:list"))
    for i in range(8):
        _open(world, f"Case {i}", children=[world.secret] if i % 2 else [world.inside])
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:list"))
    assert len(_rows(response.content.decode())) == 9
    assert len(many) == len(few)
