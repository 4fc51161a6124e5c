"""Background work of the audit-log page, run by django-tasks (`manage.py db_worker` in
production, at once in the enqueuing process in development): the CSV export of the filtered
log and the verification of the chain since the last checkpoint."""

from django_tasks import task

from earlyhelp.audit import exports
from earlyhelp.audit.models import VerificationRun
from earlyhelp.audit.verify import verification_finish


@task()
def write_audit_export(export_id: int) -> int:
    """Write one export's CSV; returns the rows written."""
    return exports.export_write(export_id)


@task()
def verify_audit_log(run_id: int) -> str:
    """Verify the rows after the last checkpoint; returns the run's result."""
    run = VerificationRun.objects.get(pk=run_id)
    return verification_finish(run).state
