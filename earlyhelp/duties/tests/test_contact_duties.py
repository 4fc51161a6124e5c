"""Assisted contact's duties: an arrangement with no meeting planned waits for its family's
contact; its next planned meeting is its workers' to hold and write up; a report sent for review
waits for a supervisor who did not write it. Done, each is gone; the policy decides who still
sees them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.contacts import services
from earlyhelp.contacts.models import Meeting
from earlyhelp.contacts.tests import test_services as contact_tests
from earlyhelp.duties.models import Duty
from earlyhelp.duties.registry import at_end_of
from earlyhelp.duties.selectors import duties_page
from earlyhelp.duties.services import rebuild
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

contact = contact_tests.contact  # the fixture: an arrangement of a child and the father
_saturday_series = contact_tests._saturday_series


def _duties(user):
    return list(Duty.objects.filter(owner=user).values_list("kind", "due", "target_id"))


def _on_page(user):
    return [item for group in duties_page(user=user)["groups"] for item in group.items]


def test_a_new_arrangement_waits_for_its_first_meeting_then_the_meeting_is_due(world, contact):
    worker = world.users[Role.CASE_WORKER]
    assert _duties(worker) == [("contact_due", at_end_of(contact.starts_on), contact.pk)]
    meetings = services.meetings_plan(
        user=worker, arrangement=contact, slots=_saturday_series(contact), room=contact.room
    )
    first = min(meetings, key=lambda m: m.starts_at)
    assert _duties(worker) == [("contact_meeting", first.starts_at, first.pk)]
    assert not Duty.objects.filter(owner=world.users[Role.SUPERVISOR]).exists()
    # Written up (once it took place): the next meeting is due.
    Meeting.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    first.refresh_from_db()
    services.meeting_cancel(
        user=worker, meeting=first, status="no_show", caused_by="visitor",
        reason="The father did not come.", version=first.version,
    )  # fmt: skip
    second = sorted(meetings, key=lambda m: m.starts_at)[1]
    assert _duties(worker) == [("contact_meeting", second.starts_at, second.pk)]
    assert [item.url for item in _on_page(worker)] == [
        f"/contacts/{contact.pk}/meetings/{second.pk}/"
    ]
    # Ended: no duty is left, the meetings still planned are called off.
    services.arrangement_update(
        user=worker, arrangement=contact, data={"status": "ended"}, version=contact.version
    )
    assert _duties(worker) == []


def test_after_the_last_meeting_the_next_is_due_by_the_frequency(world, contact):
    worker = world.users[Role.CASE_WORKER]
    held = timezone.now() - timedelta(days=10)
    Meeting.objects.create(
        arrangement=contact, municipality=world.municipality_a, child=world.inside, lead=worker,
        starts_at=held, ends_at=held + timedelta(hours=1), stage="agreement", status="held",
    )  # fmt: skip
    rebuild(labels=["contacts.arrangement"])
    on = timezone.localtime(held).date() + timedelta(days=7)  # weekly
    assert _duties(worker) == [("contact_due", at_end_of(on), contact.pk)]
    assert [item.reason for item in _on_page(worker)] == ["Plan the family's next contact meeting"]


def test_a_report_sent_for_review_waits_for_a_supervisor_who_did_not_write_it(world, contact):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    report = services.report_create(
        user=worker, arrangement=contact, recipient="court",
        period_from=timezone.localdate() - timedelta(days=30), period_to=timezone.localdate(),
        summary="Contacts take place regularly.",
    )  # fmt: skip
    assert not Duty.objects.filter(kind="contact_report_approve").exists()
    services.report_submit(user=worker, report=report, version=1)
    report.refresh_from_db()
    assert _duties(supervisor) == [("contact_report_approve", report.updated_at, report.pk)]
    assert not Duty.objects.filter(owner=worker, kind="contact_report_approve").exists()
    assert not Duty.objects.filter(owner=world.outsiders[Role.SUPERVISOR]).exists()
    assert rebuild(labels=["contacts.report"]) == {"contacts.report": 1}
    assert [item.url for item in _on_page(supervisor)] == [
        f"/contacts/{contact.pk}/reports/{report.pk}/"
    ]
    # A restricted child's report is for the supervisors named on the child's team alone.
    world.inside.restricted = True
    world.inside.save(update_fields=["restricted"])
    assert _on_page(supervisor) == []
    world.inside.restricted = False
    world.inside.save(update_fields=["restricted"])
    services.report_review(user=supervisor, report=report, release=False, note="More.", version=2)
    assert not Duty.objects.filter(kind="contact_report_approve").exists()
