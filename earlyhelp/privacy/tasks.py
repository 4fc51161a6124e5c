"""Background work of the privacy pages, run by django-tasks: the erasure of an approved
retention batch."""

from django_tasks import task

from earlyhelp.privacy.retention import retention_apply


@task()
def apply_retention_batch(batch_id: int) -> str:
    """Erase one approved batch; returns its state."""
    return retention_apply(batch_id).state
