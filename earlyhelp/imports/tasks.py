"""Background work of roster imports, run by django-tasks: the check (dry run) of an uploaded
file and the apply of a checked import."""

from django_tasks import task

from earlyhelp.imports.services import import_check, import_run_apply


@task()
def check_roster_import(roster_id: int) -> str:
    return import_check(roster_id).state


@task()
def apply_roster_import(roster_id: int) -> str:
    return import_run_apply(roster_id).state
