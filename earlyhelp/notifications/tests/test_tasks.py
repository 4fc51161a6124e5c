"""Notification e-mails leave through a django-tasks task: once, only after the change is
committed, and a lost trigger is made good by the sweep."""

import logging
import signal

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify, send_outbox
from earlyhelp.notifications.tasks import send_notification_batch
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = DATABASE


@pytest.fixture
def worker_state(monkeypatch):
    """db_worker installs its own signal handlers and log levels: the test run gets its own
    back afterwards. Its connection housekeeping would close the connection of the test's
    transaction (every test runs in one, rolled back at the end), so it is left out."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    handlers = {sig: signal.getsignal(sig) for sig in signals}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)


def _tell_the_helper(world):
    return notify(
        recipients=[world.users[Role.SOCIAL_HELPER]],
        kind=Notification.Kind.NEW_CONCERN,
        url="/concerns/1/",
        event="concern:1:submitted",
    )


def test_a_committed_change_is_mailed_once_by_the_task(
    world, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _tell_the_helper(world)
        assert mail.outbox == []  # not before the commit
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.users[Role.SOCIAL_HELPER].email]
    assert send_notification_batch.call() == 0
    assert send_outbox() == 0
    assert len(mail.outbox) == 1


def test_reporting_a_concern_mails_each_triager_once_without_the_childs_name(
    world, signed_in, immediate_tasks, django_capture_on_commit_callbacks
):
    client = signed_in(world.users[Role.EDUCATOR])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("concerns:report"), report_data(world, send="1"))
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [world.users[Role.SOCIAL_HELPER].email, world.users[Role.SUPERVISOR].email]
    )
    for message in mail.outbox:
        for secret in ("Bence", "Szőke", "hungry"):
            assert secret not in message.subject and secret not in message.body
    send_notification_batch.call()
    assert len(mail.outbox) == 2


def test_a_rolled_back_change_mails_nothing(
    world, immediate_tasks, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _tell_the_helper(world)
        raise RuntimeError("the change fails after notifying")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_a_failed_enqueue_does_not_fail_the_change_and_the_sweep_sends_the_mail(
    world, immediate_tasks, django_capture_on_commit_callbacks, monkeypatch, caplog, capsys
):
    def broken(*args, **kwargs):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert _tell_the_helper(world) == 1
    assert mail.outbox == []
    assert "Could not enqueue the notification e-mails" in caplog.text
    call_command("send_notifications")
    assert "Sent 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_database_backend_queues_the_task_with_the_change_and_the_worker_mails_once(
    world, database_tasks, worker_state
):
    with transaction.atomic():
        _tell_the_helper(world)
        # Written in the same transaction: it commits, or rolls back, with the notification.
        task = DBTaskResult.objects.get()
    assert task.task_path == "earlyhelp.notifications.tasks.send_notification_batch"
    assert task.status == "READY" and mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and task.return_value == 1
    assert len(mail.outbox) == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert send_outbox() == 0
    assert len(mail.outbox) == 1


def test_the_database_backend_keeps_the_change_when_queueing_fails(
    world, database_tasks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(DatabaseBackend, "_task_to_db_task", broken)
    with transaction.atomic():
        _tell_the_helper(world)
        # The failed insert was confined to a savepoint: the transaction goes on.
        assert Notification.objects.count() == 1
    assert "Could not enqueue the notification e-mails" in caplog.text
    assert not DBTaskResult.objects.exists()
    assert send_outbox() == 1


def test_no_task_is_queued_when_nothing_new_is_to_be_mailed(world, database_tasks):
    assert _tell_the_helper(world) == 1
    assert _tell_the_helper(world) == 0  # a replay
    supervisor = world.users[Role.SUPERVISOR]
    supervisor.email = ""
    supervisor.save(update_fields=["email"])
    notify(
        recipients=[supervisor],
        kind=Notification.Kind.NEW_CONCERN,
        url="/concerns/1/",
        event="concern:1:submitted",
    )
    assert Notification.objects.count() == 2
    assert DBTaskResult.objects.count() == 1
