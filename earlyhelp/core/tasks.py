"""The django-tasks task that runs a scheduled job (see `core.jobs`)."""

from datetime import datetime

from django_tasks import task

from earlyhelp.core.jobs import job_run


@task()
def run_scheduled_job(name: str, asked_at: str | None = None) -> dict:
    """Run the scheduled job `name` (its service), unless another run holds it or one started
    after `asked_at` (ISO 8601, when the scheduler enqueued it)."""
    return job_run(name, datetime.fromisoformat(asked_at) if asked_at else None)
