"""The concern lists say who and what each concern is about where the policy lets the reader
name them, and why not where it does not; they sort by deadline or by date received, filter
by child, institution, status and period, answer garbage in the query string with a message,
and read the same number of queries whatever the number of rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.concerns.models import Concern, ConcernChild
from earlyhelp.organisations.models import Role

RESTRICTED = "Name not shown: restricted record"
STATUS_ONLY = "Name not shown: you follow the status of your institution&#x27;s concerns"


def _concern(world, child=None, *, described="", days_ago=0, due_in=None, **fields):
    now = timezone.now().replace(microsecond=0)
    concern = Concern.objects.create(
        municipality=world.municipality_a,
        institution=fields.pop("institution", world.school_a1),
        reporter=world.users[Role.EDUCATOR],
        status=fields.pop("status", Concern.Status.SUBMITTED),
        received_at=now - dt.timedelta(days=days_ago),
        next_due_at=None if due_in is None else now + dt.timedelta(days=due_in),
        what_happened="Seen at school.",
        categories=fields.pop("categories", ["neglect"]),
        **fields,
    )
    ConcernChild.objects.create(concern=concern, child=child, described_as=described, role="harmed")
    return concern


def _rows(body: str) -> list[str]:
    """The concern numbers in the order the list shows them."""
    import re

    return re.findall(r'href="/concerns/(\d+)/">#', body)


def test_the_triager_reads_who_and_what_and_why_a_restricted_child_is_not_named(world, signed_in):
    _concern(world, world.inside, categories=["neglect", "bullying"])
    _concern(world, world.secret)
    _concern(world, described="the boy in the blue coat, 2.b")
    body = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("concerns:queue")).content
    body = body.decode()
    assert "Szőke Bence" in body and "Neglect, Bullying" in body
    assert "the boy in the blue coat, 2.b" in body
    assert "Luca" not in body and RESTRICTED in body


def test_the_childs_team_names_the_restricted_child(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    world.secret.team_members.create(user=helper)
    _concern(world, world.secret)
    body = signed_in(helper).get(reverse("concerns:queue")).content.decode()
    assert "Kovács Luca" in body and RESTRICTED not in body


def test_the_reporter_reads_names_and_drafts_apart(world, signed_in):
    _concern(world, world.inside)
    draft = _concern(world, world.inside, status=Concern.Status.DRAFT)
    body = signed_in(world.users[Role.EDUCATOR]).get(reverse("concerns:mine")).content.decode()
    assert "Szőke Bence" in body and "Neglect" in body
    assert "Drafts not sent yet" in body and f"/concerns/{draft.pk}/edit/" in body
    assert str(draft.pk) not in _rows(body)


def test_the_lead_reads_the_status_and_why_no_name(world, signed_in):
    _concern(world, world.inside)
    body = signed_in(world.users[Role.INSTITUTION_LEAD]).get(reverse("concerns:institution"))
    body = body.content.decode()
    assert "Bence" not in body and "Neglect" not in body
    assert STATUS_ONLY in body
    # A search by name never finds what the lead may not read.
    found = signed_in(world.users[Role.INSTITUTION_LEAD]).get(
        reverse("concerns:institution"), {"child": "bence"}
    )
    assert _rows(found.content.decode()) == []


def test_the_queue_puts_the_overdue_first_and_sorts_newest_first_on_demand(world, signed_in):
    later = _concern(world, world.inside, days_ago=3, due_in=5)
    overdue = _concern(world, world.inside, days_ago=9, due_in=-1)
    newest = _concern(world, world.inside, days_ago=0, due_in=2)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    body = client.get(reverse("concerns:queue")).content.decode()
    assert _rows(body) == [str(overdue.pk), str(newest.pk), str(later.pk)]
    assert "overdue since" in body
    body = client.get(reverse("concerns:queue"), {"sort": "received"}).content.decode()
    assert _rows(body) == [str(newest.pk), str(later.pk), str(overdue.pk)]
    mine = signed_in(world.users[Role.EDUCATOR])
    assert _rows(mine.get(reverse("concerns:mine")).content.decode())[0] == str(newest.pk)
    by_due = mine.get(reverse("concerns:mine"), {"sort": "due"}).content.decode()
    assert _rows(by_due)[0] == str(overdue.pk)


def test_each_filter_narrows_the_queue(world, signed_in):
    bence = _concern(world, world.inside, days_ago=1)
    luca = _concern(world, world.secret, days_ago=20)
    acked = _concern(
        world, described="Kata from 1.a", days_ago=40, status=Concern.Status.ACKNOWLEDGED
    )
    client = signed_in(world.users[Role.SOCIAL_HELPER])

    def shown(**query):
        response = client.get(reverse("concerns:queue"), query)
        assert response.status_code == 200
        return _rows(response.content.decode())

    assert shown(child="szoke") == [str(bence.pk)]  # folded: ő found by o
    assert (
        shown(child="luca") == []
    )  # a restricted child is not found by those who may not name her
    assert shown(child="kata") == [str(acked.pk)]
    assert shown(child="!!! %_") == []  # no letters of a name: nothing found, no error
    assert shown(status="acknowledged") == [str(acked.pk)]
    today = timezone.localdate()
    since = (today - dt.timedelta(days=25)).isoformat()
    until = (today - dt.timedelta(days=10)).isoformat()
    assert shown(since=since, until=until) == [str(luca.pk)]
    assert shown(institution=world.school_a1.pk, sort="received") == [
        str(bence.pk), str(luca.pk), str(acked.pk),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"since": "2024-02-31"},
        {"since": "99999-01-01"},
        {"since": "2025-05-01", "until": "2025-04-01"},
        {"child": "\x00"},
        {"child": "x" * 500},
        {"institution": "999999999999999999999999"},
        {"institution": "-1"},
        {"sort": "'; DROP TABLE"},
        {"after": "%%%", "overdue": "maybe"},
    ],
)
def test_garbage_in_the_filters_gets_a_message_not_an_error(world, signed_in, query):
    _concern(world, world.inside)
    for role, url in (
        (Role.SOCIAL_HELPER, "concerns:queue"),
        (Role.EDUCATOR, "concerns:mine"),
        (Role.INSTITUTION_LEAD, "concerns:institution"),
    ):
        response = signed_in(world.users[role]).get(reverse(url), query)
        assert response.status_code == 200, (role, query)
        body = response.content.decode()
        if set(query) - {"after", "overdue", "institution"} and "sort" not in query:
            assert "Some filters could not be used" in body, (role, query)


@pytest.mark.parametrize("url,role", [
    ("concerns:queue", Role.SOCIAL_HELPER),
    ("concerns:mine", Role.EDUCATOR),
    ("concerns:institution", Role.INSTITUTION_LEAD),
])  # fmt: skip
def test_the_number_of_queries_does_not_grow_with_the_rows(world, signed_in, url, role):
    client = signed_in(world.users[role])
    _concern(world, world.inside)
    _concern(world, world.secret)
    client.get(reverse(url))  # the session and the scope settle
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(url))
    for i in range(12):
        _concern(world, world.secret if i % 3 else world.inside, described="")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(url))
    assert len(_rows(response.content.decode())) == 14
    assert len(many) == len(few)
