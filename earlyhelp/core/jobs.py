"""Periodic jobs: what a job is, and the guard that runs each one once at a time.

The schedule itself (which jobs, when) is declared in one place, `earlyhelp/schedule.py`,
named by the setting `EARLYHELP_SCHEDULE`; `manage.py run_scheduler` enqueues each job at its
times as the django-tasks task `core.tasks.run_scheduled_job`, and the task worker runs it.

A job calls the same service function as its management command. Most services are safe to
run twice at once on their own (claims, unique keys, upserts, row locks), but some replace a
whole table in one transaction, which two runs at once on PostgreSQL would fill twice. So every
job that declares a lease runs under `job_exclusive`: a second run while the first holds the
job is skipped, not queued."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from earlyhelp.core.models import JobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A periodic job.

    `name`: the job's name, as its management command is called. `cron`: when it runs, a
    five-field crontab expression in the installation's time zone (`TIME_ZONE`). `service`:
    the dotted path of the function the command calls, called without arguments; or, with
    `command` instead, the management command itself (for a command whose service has no
    stable name yet). `lease`: how long a run holds the job (a run killed without releasing it
    blocks the job this long); None runs the job without the guard, for a service that is safe
    twice at once by itself. `enabled`: whether the job runs in this installation."""

    name: str
    cron: str
    every: str  # the schedule in words, for the operators' table
    service: str = ""
    command: str = ""
    lease: timedelta | None = timedelta(minutes=30)
    enabled: Callable[[], bool] = field(default=lambda: True, compare=False)

    def run(self):
        if self.command:
            return call_command(self.command, verbosity=0)
        return import_string(self.service)()

    @property
    def target(self) -> str:
        return f"manage.py {self.command}" if self.command else self.service


def schedule() -> list[Job]:
    """Every job declared, enabled here or not."""
    return list(import_string(settings.EARLYHELP_SCHEDULE))


def job_named(name: str) -> Job:
    for job in schedule():
        if job.name == name:
            return job
    raise LookupError(f"No scheduled job is called {name!r}.")


def _claim(name: str, lease: timedelta):
    """Take the job for `lease`; the lease's end (the claim's token), or None when another
    run holds it. One conditional UPDATE: of two runs at once, one changes the row."""
    now = timezone.now()
    JobRun.objects.bulk_create([JobRun(name=name)], ignore_conflicts=True)
    until = now + lease
    taken = (
        JobRun.objects.filter(name=name)
        .filter(Q(held_until__isnull=True) | Q(held_until__lt=now))
        .update(held_until=until, started_at=now)
    )
    return until if taken else None


@contextmanager
def job_exclusive(name: str, lease: timedelta):
    """Run the body only if no other run holds the job: yields True when this run holds it
    (released at the end, whatever happens), False when another does (the body should skip)."""
    until = _claim(name, lease)
    if until is None:
        logger.info("Scheduled job %s is running elsewhere: this run is skipped.", name)
        yield False
        return
    succeeded = False
    try:
        yield True
        succeeded = True
    finally:
        # Released only if the lease is still ours: past it, another run may hold the job.
        JobRun.objects.filter(name=name, held_until=until).update(
            held_until=None, finished_at=timezone.now(), succeeded=succeeded
        )


def job_run(name: str, asked_at: datetime | None = None) -> dict:
    """Run the job now, once at a time; what the task records as its result. A run asked for
    at `asked_at` is skipped when another run started after that: it did the whole work
    already (a worker back after a stop finds one task per missed time, and runs one)."""
    job = job_named(name)
    if not job.enabled():
        return {"job": name, "ran": False, "why": "not enabled here"}
    if asked_at is not None and JobRun.objects.filter(name=name, started_at__gt=asked_at).exists():
        return {"job": name, "ran": False, "why": "ran since it was asked for"}
    if job.lease is None:
        return {"job": name, "ran": True, "result": _plain(job.run())}
    with job_exclusive(name, job.lease) as held:
        if not held:
            return {"job": name, "ran": False, "why": "running elsewhere"}
        return {"job": name, "ran": True, "result": _plain(job.run())}


def _plain(result) -> str | int | None:
    """A service's return value as the task's result can keep it (JSON)."""
    if result is None or isinstance(result, int | str):
        return result
    return str(result)


def sessions_clear_expired() -> None:
    """What `manage.py clearsessions` does: remove the expired sessions of the session
    engine."""
    from importlib import import_module

    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
