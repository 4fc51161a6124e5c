"""The scheduler: enqueues each periodic job of `earlyhelp/schedule.py` at its times as a
django-tasks task, which the task worker (`manage.py db_worker`) runs. See
docs/operations.md, "Scheduled jobs"."""

import contextlib
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from earlyhelp.core.jobs import schedule
from earlyhelp.core.tasks import run_scheduled_job


def job_enqueue(name: str) -> None:
    """Ask the task worker to run the job (with the immediate backend: run it here)."""
    close_old_connections()
    try:
        run_scheduled_job.enqueue(name, timezone.now().isoformat())
    finally:
        close_old_connections()


def scheduler_build(scheduler: BlockingScheduler) -> list[str]:
    """Add every job enabled here to `scheduler`; returns their names."""
    names = []
    for job in schedule():
        if not job.enabled():
            continue
        scheduler.add_job(
            job_enqueue,
            CronTrigger.from_crontab(job.cron, timezone=settings.TIME_ZONE),
            args=[job.name],
            id=job.name,
            name=job.name,
            # A tick missed while the scheduler was down or busy runs once, late, not many
            # times: every job's next run does the whole work anyway.
            coalesce=True,
            max_instances=1,
            misfire_grace_time=300,
        )
        names.append(job.name)
    return names


def _guard(job) -> str:
    if job.lease is None:
        return "both run (the service keeps them apart)"
    minutes = int(job.lease.total_seconds() // 60)
    return f"the second is skipped (lease {minutes} min)"


class Command(BaseCommand):
    help = (
        "Run the scheduler: enqueue each periodic job (figures, notifications, reminders, "
        "alerts, closing screening rounds, audit anchors, sessions) at its times, for the task "
        "worker (manage.py db_worker) to run. One scheduler per installation; --list prints "
        "the jobs and their schedules and exits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="print the jobs and their schedules, then exit",
        )
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="print the table of docs/operations.md, 'Scheduled jobs', then exit",
        )

    def handle(self, *args, list_jobs: bool = False, markdown: bool = False, **options):
        if markdown:
            self.stdout.write("| job | when (cron) | in words | two runs at once |")
            self.stdout.write("|---|---|---|---|")
            for job in schedule():
                self.stdout.write(f"| `{job.name}` | `{job.cron}` | {job.every} | {_guard(job)} |")
            return
        if list_jobs:
            for job in schedule():
                state = "" if job.enabled() else "  (not enabled here)"
                self.stdout.write(f"{job.name:<28} {job.cron:<14} {job.target}{state}")
            return
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
        names = scheduler_build(scheduler)
        self.stdout.write(f"Scheduler started with {len(names)} jobs: {', '.join(names)}.")
        # SIGTERM (systemd, `run_all`) stops it like Ctrl-C: no new job is enqueued.
        signal.signal(signal.SIGTERM, lambda signum, frame: scheduler.shutdown(wait=False))
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()
        self.stdout.write("Scheduler stopped.")
