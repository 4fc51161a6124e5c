"""Notifications reach the right people once, in the app and by e-mail without child details."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify, send_outbox
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _report(world, signed_in, **changes):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1", **changes)
    )
    return Concern.objects.latest("pk")


def test_immediate_danger_reaches_the_triager_and_supervisor_at_once(world, signed_in):
    _report(world, signed_in, immediate_danger="on")
    notified = Notification.objects.filter(kind="immediate_danger")
    assert set(notified.values_list("recipient", flat=True)) == {
        world.users[Role.SOCIAL_HELPER].pk,
        world.users[Role.SUPERVISOR].pk,
    }
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("home"))
    assert "Notifications (1 new)" in page.content.decode()


def test_the_outbox_mails_each_notification_once_without_child_details(world, signed_in):
    concern = _report(world, signed_in)
    assert send_outbox() == 2
    assert send_outbox() == 0
    assert len(mail.outbox) == 2
    body = mail.outbox[0].body
    assert f"/concerns/{concern.pk}/" in body
    for secret in ("Bence", "Szőke", "hungry", "vacsora"):
        assert secret not in body and secret not in mail.outbox[0].subject


def test_a_sender_killed_after_claiming_is_retried_later(world, signed_in):
    _report(world, signed_in)
    Notification.objects.update(email_claimed_at=timezone.now(), email_attempts=1)
    assert send_outbox() == 0
    Notification.objects.update(email_claimed_at=timezone.now() - timedelta(minutes=11))
    assert send_outbox() == 2


def test_replaying_an_event_creates_no_second_notification(world):
    helper = world.users[Role.SOCIAL_HELPER]
    assert notify(recipients=[helper], kind="new_concern", url="/x/", event="concern:1") == 1
    notify(recipients=[helper, helper], kind="new_concern", url="/x/", event="concern:1")
    assert Notification.objects.count() == 1


def test_a_question_notifies_the_reporter_and_the_answer_the_triagers(world, signed_in):
    concern = _report(world, signed_in)
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("concerns:message", args=[concern.pk]), {"body": "When did it start?"}
    )
    assert Notification.objects.filter(
        kind="message", recipient=world.users[Role.EDUCATOR]
    ).exists()
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:message", args=[concern.pk]), {"body": "Monday."}
    )
    assert Notification.objects.filter(
        kind="message", recipient=world.users[Role.SUPERVISOR]
    ).exists()


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, signed_in):
    concern = _report(world, signed_in)
    helper = world.users[Role.SOCIAL_HELPER]
    notification = Notification.objects.get(recipient=helper)
    response = signed_in(helper).post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == concern.get_absolute_url()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_the_sender_command_runs_one_pass(world, signed_in, capsys):
    _report(world, signed_in)
    call_command("send_notifications")
    assert "Sent 2" in capsys.readouterr().out
