"""The activity list names the child or family an individual help is about where the policy
lets the reader name them and says why not elsewhere; it shows the type, the institution and
the next meeting, sorts by the next meeting or newest first, filters by child, institution,
status, type and period, answers garbage with a message, writes one audit row per showing and
reads as many queries for many rows as for few."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.activities.models import Activity, ActivityType, Participant, Session
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

RESTRICTED = "Name not shown: restricted record"
NOT_PARTICIPANTS = "Name not shown: you see the activities held at your institution"


def _activity(
    world, title="Talk", *, code="individual_session", child=None, adult=None, meeting_in=None,
    started_days_ago=0, status=Activity.Status.ACTIVE, institution=None, lead=None,
):  # fmt: skip
    school = institution or world.school_a1
    lead = lead or world.users[Role.SOCIAL_HELPER]
    activity = Activity.objects.create(
        municipality=school.municipality, institution=school,
        type=ActivityType.objects.get(municipality=school.municipality, code=code),
        title=title, lead=lead, created_by=lead, status=status,
        starts_on=timezone.localdate() - dt.timedelta(days=started_days_ago),
    )  # fmt: skip
    if meeting_in is not None:
        Session.objects.create(
            activity=activity, municipality=school.municipality, lead=lead, minutes=60,
            starts_at=timezone.now() + dt.timedelta(days=meeting_in),
        )  # fmt: skip
    for person in (child, adult):
        if person is not None:
            Participant.objects.create(
                activity=activity, municipality=school.municipality,
                joined_on=activity.starts_on, **{person._meta.model_name: person},
            )  # fmt: skip
    return activity


def _rows(body: str) -> list[str]:
    """The activity numbers in the order the list shows them."""
    return re.findall(r'<td data-label="Activity"><a href="/activities/(\d+)/">', body)


def test_the_helper_reads_who_and_what_and_why_a_restricted_child_is_not_named(world, signed_in):
    _activity(world, "Talk with Bence", child=world.inside, adult=world.parent_inside)
    _activity(world, "Talk with a girl", child=world.secret)
    _activity(world, "Parent club", code="parent_club", child=world.inside, meeting_in=3)
    body = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("activities:list"))
    body = body.content.decode()
    assert "Szőke Bence, Szőke Anna" in body and "Individual session" in body
    assert "Kovács Luca" not in body and RESTRICTED in body
    # A group names nobody in a list; its type and next meeting are shown.
    assert body.count("Szőke Bence") == 1 and "Parent club · Group or club" in body
    assert "None planned" in body


def test_the_lead_reads_the_activities_and_why_no_name(world, signed_in):
    _activity(world, child=world.inside)
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    body = lead.get(reverse("activities:list"), {"show": "all"}).content.decode()
    assert "Szőke Bence" not in body and NOT_PARTICIPANTS in body and "Individual session" in body
    # A search by name never finds what the lead may not read.
    found = lead.get(reverse("activities:list"), {"show": "all", "child": "bence"})
    assert _rows(found.content.decode()) == []


def test_the_childs_team_names_the_restricted_child(world, signed_in):
    worker = world.users[Role.CASE_WORKER]
    _activity(world, child=world.secret, lead=worker)
    body = signed_in(worker).get(reverse("activities:list")).content.decode()
    assert "Kovács Luca" in body and RESTRICTED not in body


def test_sort_by_the_next_meeting_or_newest_first(world, signed_in):
    later = _activity(world, "Later", meeting_in=9, started_days_ago=30)
    sooner = _activity(world, "Sooner", meeting_in=2, started_days_ago=20)
    none = _activity(world, "None planned", started_days_ago=0)
    client = signed_in(world.users[Role.SOCIAL_HELPER])

    def shown(**query):
        response = client.get(reverse("activities:list"), query)
        assert response.status_code == 200
        return _rows(response.content.decode())

    assert shown() == [str(sooner.pk), str(later.pk), str(none.pk)]
    assert shown(sort="newest") == [str(none.pk), str(sooner.pk), str(later.pk)]


def test_each_filter_narrows_the_list(world, signed_in):
    bence = _activity(world, "Bence", child=world.inside, meeting_in=-20)
    luca = _activity(world, "Luca", child=world.secret, meeting_in=1)
    ended = _activity(world, "Ended", code="parent_club", status=Activity.Status.ENDED)
    client = signed_in(world.users[Role.SOCIAL_HELPER])

    def shown(**query):
        response = client.get(reverse("activities:list"), {"sort": "newest", **query})
        assert response.status_code == 200
        return sorted(_rows(response.content.decode()))

    assert shown(child="szoke") == [str(bence.pk)]  # folded: ő found by o
    assert shown(child="luca") == []  # not found by those who may not name her
    assert shown(status="ended") == [str(ended.pk)]
    assert shown(type="parent_club") == [str(ended.pk)]
    today = timezone.localdate()
    since = (today - dt.timedelta(days=25)).isoformat()
    until = (today - dt.timedelta(days=10)).isoformat()
    assert shown(since=since, until=until) == [str(bence.pk)]
    assert shown(since=today.isoformat()) == [str(luca.pk)]


def test_the_institution_filter_offers_the_institutions_of_the_scope(world, signed_in):
    worker = world.users[Role.CASE_WORKER]
    a1 = _activity(world, "At A1", lead=worker)
    a2 = _activity(world, "At A2", lead=worker, institution=world.school_a2)
    client = signed_in(worker)
    body = client.get(reverse("activities:list")).content.decode()
    assert world.school_a2.name in body and world.school_b1.name not in body
    assert sorted(_rows(body)) == sorted([str(a1.pk), str(a2.pk)])
    only = client.get(reverse("activities:list"), {"institution": world.school_a2.pk})
    assert _rows(only.content.decode()) == [str(a2.pk)]
    # An institution outside the scope is refused by the form, not listed.
    abroad = client.get(reverse("activities:list"), {"institution": world.school_b1.pk})
    assert "Some filters could not be used" in abroad.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"status": "nonsense"},
        {"since": "2024-02-31"},
        {"since": "99999-01-01"},
        {"since": "2025-05-01", "until": "2025-04-01"},
        {"child": "\x00"},
        {"child": "x" * 500},
        {"type": "x\x00"},
        {"institution": "999999999999999999999999"},
        {"sort": "'; DROP TABLE", "show": "everything", "after": "%%%"},
    ],
)
def test_garbage_in_the_filters_gets_a_message_not_an_error(world, signed_in, query):
    _activity(world, child=world.inside, meeting_in=1)
    for role in (Role.SOCIAL_HELPER, Role.INSTITUTION_LEAD, Role.CASE_WORKER):
        response = signed_in(world.users[role]).get(reverse("activities:list"), query)
        assert response.status_code == 200, (role, query)
        if "sort" not in query and set(query) != {"institution"}:
            assert "Some filters could not be used" in response.content.decode(), (role, query)


def test_one_audit_row_per_showing(world, signed_in):
    _activity(world, child=world.inside)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.get(reverse("activities:list"), {"child": "bence"})
    row = AuditEvent.objects.get(action="list", object_type="activities.activity")
    assert row.changes == {"rows": 1, "searched": True}


def test_the_number_of_queries_does_not_grow_with_the_rows(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    _activity(world, child=world.inside, meeting_in=1)
    _activity(world, child=world.secret, adult=world.parent_inside)
    _activity(world, code="parent_club", meeting_in=2)
    client.get(reverse("activities:list"))  # the session and the scope settle
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("activities:list"))
    for i in range(12):
        _activity(
            world, f"Talk {i}", child=world.secret if i % 3 else world.inside,
            code="parent_club" if i % 4 == 0 else "mentoring", meeting_in=i,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("activities:list"))
    assert len(_rows(response.content.decode())) == 15
    assert len(many) == len(few)
