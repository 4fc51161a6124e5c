"""The django-tasks task that runs a scheduled job (see `core.jobs`)."""

from django_tasks import task

from earlyhelp.core.jobs import job_run


@task()
def run_scheduled_job(name: str) -> dict:
    """Run the scheduled job `name` (its service), unless another run holds it."""
    return job_run(name)
