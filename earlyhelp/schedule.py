"""earlyhelp's periodic jobs and when they run: the one place the schedule is declared.

`manage.py run_scheduler` enqueues each job at its times (cron expressions in `TIME_ZONE`);
the task worker (`manage.py db_worker`) runs it by calling the same service function as the
job's management command. The table in docs/operations.md ("Scheduled jobs") lists the same
jobs, and a test keeps the two alike. See core/jobs.py for the guard that runs each job once
at a time."""

from datetime import timedelta

from django.conf import settings

from earlyhelp.core.jobs import Job


def _audit_keyed() -> bool:
    return bool(settings.EARLYHELP_AUDIT_KEYS)


def _webhooks_on() -> bool:
    return bool(settings.EARLYHELP_WEBHOOK_HOSTS)


def _tasks_in_database() -> bool:
    return settings.TASKS_BACKEND == "database"


SCHEDULE = [
    # Every few minutes: the figures pages say when they were counted, and the concerns'
    # figures are flagged once older than 10 minutes.
    Job(
        "rebuild_figures", "*/5 * * * *", "every 5 minutes",
        service="earlyhelp.concerns.figures.rebuild_figures", lease=timedelta(minutes=15),
    ),
    # The outbox's own claims keep two passes from mailing one notification: no lease, so a
    # sweep never waits for or skips a pass that a change enqueued.
    Job(
        "send_notifications", "*/5 * * * *", "every 5 minutes",
        service="earlyhelp.notifications.services.send_outbox", lease=None,
    ),
    # The same for the webhooks: the deliveries' claims keep passes apart, and retries whose
    # wait is over are sent by the next pass.
    Job(
        "send_webhooks", "*/5 * * * *", "every 5 minutes, when webhooks are on",
        service="earlyhelp.notifications.webhooks.send_webhooks", lease=None,
        enabled=_webhooks_on,
    ),
    Job(
        "audit_anchor", "*/5 * * * *", "every 5 minutes, when an audit key is set",
        service="earlyhelp.audit.anchors.anchor_write", lease=timedelta(minutes=5),
        enabled=_audit_keyed,
    ),
    Job(
        "rebuild_programme_figures", "*/15 * * * *", "every 15 minutes",
        service="earlyhelp.programmes.figures.rebuild_every", lease=timedelta(hours=1),
    ),
    # Daily and nightly.
    # The audit log's months ahead (PostgreSQL), so that no row falls into the default part.
    Job(
        "audit_partitions", "15 0 * * *", "nightly at 00:15",
        service="earlyhelp.audit.partitions.ensure_partitions",
    ),
    Job(
        "close_screening_rounds", "30 0 * * *", "daily at 00:30",
        service="earlyhelp.screening.services.rounds_close_due",
    ),
    Job(
        "rebuild_coverage", "0 1 * * *", "nightly at 01:00",
        service="earlyhelp.workforce.coverage.rebuild_all", lease=timedelta(hours=2),
    ),
    Job(
        "rebuild_method_outcomes", "0 2 * * *", "daily at 02:00",
        service="earlyhelp.knowledge.outcomes.rebuild", lease=timedelta(hours=2),
    ),
    Job(
        "clearsessions", "30 3 * * *", "daily at 03:30",
        service="earlyhelp.core.jobs.sessions_clear_expired",
    ),
    # A roster file and its rows hold children's data: kept only while the import is worked on.
    Job(
        "imports_forget", "50 3 * * *", "daily at 03:50",
        service="earlyhelp.imports.services.imports_forget",
    ),
    # The records whose retention period ran out, proposed to the data-protection officers.
    Job(
        "retention_propose", "0 4 * * *", "daily at 04:00",
        service="earlyhelp.privacy.retention.retention_propose", lease=timedelta(hours=2),
    ),
    Job(
        "concern_reminders", "0 7 * * *", "daily at 07:00",
        service="earlyhelp.concerns.services.remind_written_signals",
    ),
    Job(
        "concern_receivers_check", "5 7 * * *", "daily at 07:05",
        service="earlyhelp.concerns.services.receivers_check",
    ),
    Job(
        "fostercare_alerts", "10 7 * * *", "daily at 07:10",
        service="earlyhelp.fostercare.services.requirement_alerts",
    ),
    Job(
        "supervision_reminders", "15 7 * * *", "daily at 07:15",
        service="earlyhelp.workforce.services.supervision_reminders",
    ),
    # Finished task rows, older than 14 days (the scheduler alone adds about a thousand a day).
    Job(
        "prune_db_task_results", "45 3 * * *", "daily at 03:45, with the database task backend",
        command="prune_db_task_results", enabled=_tasks_in_database,
    ),
    # The start page's duties: the services keep them as records change; the nightly rebuild
    # brings in what time alone makes due (foster-care requirements within 30 days) and who
    # triages or approves after memberships changed.
    Job(
        "rebuild_duties", "45 1 * * *", "nightly at 01:45",
        service="earlyhelp.duties.services.rebuild", lease=timedelta(hours=2),
    ),
]  # fmt: skip
