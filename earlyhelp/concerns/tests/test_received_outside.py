"""Reports that reach a triager by phone, letter or in person; the written signal that must
follow an oral one (HU); anonymity of private persons (DK); the reporter's confidentiality."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.services import remind_written_signals
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.notifications.models import Notification
from earlyhelp.organisations.models import Jurisdiction, Role

pytestmark = pytest.mark.django_db


def record_data(world, **changes):
    data = report_data(
        world,
        channel="oral",
        reporter_kind="professional",
        reporter=world.users[Role.EDUCATOR].pk,
        received_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        immediate_danger="on",
        categories=["neglect"],
    )
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _record(world, signed_in, **changes):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    return client.post(reverse("concerns:record"), record_data(world, **changes))


def test_hu_an_oral_urgent_signal_is_recorded_and_its_reporter_reminded_until_written(
    world, signed_in
):
    response = _record(world, signed_in)
    oral = Concern.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert (oral.channel, oral.status, oral.reporter, oral.received_by) == (
        "oral",
        "submitted",
        world.users[Role.EDUCATOR],
        world.users[Role.SOCIAL_HELPER],
    )
    assert oral.deadlines.filter(code="written_follow_up", met_at__isnull=True).exists()
    reminder = Notification.objects.get(
        recipient=world.users[Role.EDUCATOR], kind=Notification.Kind.WRITTEN_SIGNAL_DUE
    )
    # Once a day, however often the reminders run.
    remind_written_signals()
    assert Notification.objects.filter(kind=Notification.Kind.WRITTEN_SIGNAL_DUE).count() == 1
    remind_written_signals(today=timezone.localdate() + timedelta(days=1))
    assert Notification.objects.filter(kind=Notification.Kind.WRITTEN_SIGNAL_DUE).count() == 2

    educator = signed_in(world.users[Role.EDUCATOR])
    mine = educator.get(reverse("concerns:mine")).content.decode()
    assert "must be followed by a written signal" in mine
    start = educator.get(reminder.url)
    assert start["Location"] == f"{reverse('concerns:report')}?follows={oral.pk}"
    form = educator.get(start["Location"])
    assert form.context["form"]["follows_up"].value() == oral.pk
    assert form.context["form"]["what_happened"].value() == oral.what_happened
    response = educator.post(
        reverse("concerns:report"), report_data(world, follows_up=oral.pk, send="1")
    )
    written = Concern.objects.exclude(pk=oral.pk).get()
    assert response.status_code == 302
    assert (written.channel, written.follows_up, written.status) == ("written", oral, "submitted")
    assert not written.deadlines.filter(code="written_follow_up").exists()
    assert oral.deadlines.get(code="written_follow_up").met_at is not None
    remind_written_signals(today=timezone.localdate() + timedelta(days=2))
    assert Notification.objects.filter(kind=Notification.Kind.WRITTEN_SIGNAL_DUE).count() == 2
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("concerns:detail", args=[oral.pk])
    )
    assert f"concern #{written.pk}" in page.content.decode()


def test_hu_a_professionals_oral_signal_needs_immediate_danger(world, signed_in):
    response = _record(world, signed_in, immediate_danger=None)
    assert response.status_code == 200
    assert "only when the child may be in immediate danger" in response.content.decode()
    assert not Concern.objects.exists()
    # What was typed stays on the page.
    assert response.context["form"]["what_happened"].value().startswith("Bence came")


def test_only_the_reporter_writes_the_follow_up_of_their_oral_signal(world, signed_in):
    _record(world, signed_in)
    oral = Concern.objects.get()
    lead = signed_in(world.users[Role.INSTITUTION_LEAD])
    assert lead.get(reverse("concerns:follow_up", args=[oral.pk])).status_code == 403
    assert lead.get(f"{reverse('concerns:report')}?follows={oral.pk}").status_code == 403


def test_a_received_time_in_the_future_or_a_reporter_from_elsewhere_is_refused(world, signed_in):
    future = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _record(world, signed_in, received_at=future)
    assert "cannot be in the future" in response.content.decode()
    response = _record(world, signed_in, reporter=world.outsiders[Role.EDUCATOR].pk)
    assert response.status_code == 200  # not a choice: the form refuses it
    assert not Concern.objects.exists()


def test_the_deadlines_count_from_when_the_report_reached_the_triager(world, signed_in):
    earlier = timezone.localtime() - timedelta(hours=5)
    _record(world, signed_in, received_at=earlier.strftime("%Y-%m-%dT%H:%M"))
    concern = Concern.objects.get()
    assert concern.received_at == earlier.replace(second=0, microsecond=0)
    urgent = concern.deadlines.get(code="urgent_acting")
    assert urgent.due_at == concern.received_at + timedelta(hours=24)


def _in_denmark(world):
    dk = Jurisdiction.objects.filter(code="DK").first() or Jurisdiction.objects.create(
        code="DK", name="Denmark", default_language="da", emergency_number="112"
    )
    world.municipality_a.jurisdiction = dk
    world.municipality_a.save()


def test_dk_a_private_person_may_stay_anonymous_and_is_told_nothing(world, signed_in):
    _in_denmark(world)
    response = _record(
        world,
        signed_in,
        channel="written",
        reporter_kind="citizen",
        reporter="",
        reporter_name="",
        immediate_danger=None,
    )
    assert response.status_code == 302, response.context["form"].errors
    concern = Concern.objects.get()
    assert concern.reporter is None and concern.reporter_kind == "citizen"
    assert concern.profile.key == "DK"
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(concern.get_absolute_url())
    assert "A private person who stays anonymous" in page.content.decode()


def test_dk_a_professional_cannot_signal_orally(world, signed_in):
    _in_denmark(world)
    response = _record(world, signed_in)
    assert "Here a professional reports in writing" in response.content.decode()
    assert not Concern.objects.exists()


def test_hu_a_private_person_cannot_stay_anonymous(world, signed_in):
    response = _record(
        world, signed_in, channel="written", reporter_kind="citizen", reporter="", reporter_name=""
    )
    assert "cannot report anonymously" in response.content.decode()
    assert not Concern.objects.exists()
    response = _record(
        world,
        signed_in,
        channel="written",
        reporter_kind="citizen",
        reporter="",
        reporter_name="Neighbour (name on file)",
        reporter_contact="+36 1 000 0000",
    )
    assert response.status_code == 302
    assert Concern.objects.get().reporter_name == "Neighbour (name on file)"


def test_hu_a_signal_suggesting_serious_abuse_keeps_the_reporter_confidential(world, signed_in):
    client = signed_in(world.users[Role.EDUCATOR])
    client.post(
        reverse("concerns:report"), report_data(world, categories=["physical_harm"], send="1")
    )
    concern = Concern.objects.get()
    assert concern.reporter_confidential
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(concern.get_absolute_url())
    assert "identity is confidential" in page.content.decode()


def test_a_triager_may_keep_any_reporter_confidential_and_it_is_audited(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1")
    )
    concern = Concern.objects.get()
    assert not concern.reporter_confidential
    url = reverse("concerns:confidential", args=[concern.pk])
    assert (
        signed_in(world.users[Role.EDUCATOR]).post(url, {"version": concern.version}).status_code
        == 403
    )
    signed_in(world.users[Role.SOCIAL_HELPER]).post(url, {"version": concern.version})
    concern.refresh_from_db()
    assert concern.reporter_confidential
    assert AuditEvent.objects.filter(
        object_id=str(concern.pk), changes__reporter_confidential=[False, True]
    ).exists()


def test_only_triagers_record_reports(world, signed_in):
    for role in (Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.MANAGER):
        assert signed_in(world.users[role]).get(reverse("concerns:record")).status_code == 403
    assert (
        signed_in(world.users[Role.SUPERVISOR]).get(reverse("concerns:record")).status_code == 200
    )


def test_feedback_on_a_private_persons_report_is_recorded_for_the_triager_to_pass_on(
    world, signed_in
):
    _record(
        world,
        signed_in,
        channel="written",
        reporter_kind="citizen",
        reporter="",
        reporter_name="A neighbour",
        immediate_danger=None,
    )
    concern = Concern.objects.get()
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    response = helper.post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "advice", "reason": "Talk with the family.", "version": concern.version},
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == Concern.Status.TRIAGED
    assert list(concern.feedback.values_list("kind", flat=True)) == ["assessed"]
    assert not Notification.objects.filter(kind=Notification.Kind.FEEDBACK).exists()
    # No conversation: the private person has no account to read it.
    page = helper.get(concern.get_absolute_url()).content.decode()
    assert f"/concerns/{concern.pk}/messages/" not in page
    helper.post(reverse("concerns:message", args=[concern.pk]), {"body": "Hello?"})
    assert not concern.messages.exists()


def test_a_professionals_report_without_the_professional_is_refused_on_the_form(world, signed_in):
    """It failed the database's check (a 500) before the form could say what was missing."""
    response = _record(world, signed_in, reporter="", what_happened="Typed by phone.")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose the professional who gave the signal." in page
    assert "Typed by phone." in page
    assert not Concern.objects.exists()
