"""The assisted-contact pages: what they show, what they audit, and that a refused save keeps
what was typed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.contacts.models import Meeting
from earlyhelp.contacts.tests.access_expectations import make_arrangement
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def test_the_list_names_children_and_is_audited_as_a_list(world, signed_in):
    arrangement = make_arrangement(world, True)
    client = signed_in(world.users[Role.CASE_WORKER])
    page = client.get(reverse("contacts:list")).content.decode()
    assert str(arrangement.child) in page
    row = AuditEvent.objects.get(action="list", purpose="contact arrangements")
    assert row.changes["children"] == [arrangement.child_id]


def test_the_arrangement_page_is_audited_with_the_child_as_subject(world, signed_in):
    arrangement = make_arrangement(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    assert client.get(arrangement.get_absolute_url()).status_code == 200
    row = AuditEvent.objects.filter(action="view", object_type="contacts.arrangement").latest("id")
    assert row.subject == f"people.child:{arrangement.child_id}"


def test_the_arrangement_page_costs_the_same_queries_with_many_meetings(world, signed_in):
    arrangement = make_arrangement(world, True)
    client = signed_in(world.users[Role.CASE_WORKER])
    client.get(arrangement.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(arrangement.get_absolute_url())
    start = timezone.now() + timedelta(days=3)
    Meeting.objects.bulk_create(
        Meeting(
            arrangement=arrangement,
            municipality=arrangement.municipality,
            child=arrangement.child,
            lead=arrangement.lead,
            starts_at=start + timedelta(days=7 * n),
            ends_at=start + timedelta(days=7 * n, hours=1),
            stage=arrangement.stage,
        )  # fmt: skip
        for n in range(30)
    )
    with CaptureQueriesContext(connection) as many:
        client.get(arrangement.get_absolute_url())
    assert len(many) == len(few)


def test_a_refused_record_keeps_what_was_typed(world, signed_in):
    arrangement = make_arrangement(world, True)
    meeting = arrangement.meetings.get()
    client = signed_in(world.users[Role.CASE_WORKER])
    url = reverse("contacts:meeting", args=[arrangement.pk, meeting.pk])
    response = client.post(
        url,
        {
            "handover_at": "16:05", "ended_at": "16:00", "child_words": "„Jó volt.”",
            "version": meeting.version,
        },
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "handed over" in page and "„Jó volt.”" in page
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_report_pdf_is_an_audited_export(world, signed_in):
    arrangement = make_arrangement(world, True)
    report = arrangement.reports.get()
    client = signed_in(world.users[Role.CASE_WORKER])
    response = client.get(reverse("contacts:report_pdf", args=[arrangement.pk, report.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "no-store"
    row = AuditEvent.objects.get(action="export", object_id=str(report.pk))
    assert row.subject == f"people.child:{arrangement.child_id}"
