"""Whether a request changed a row: a fingerprint of every table, the row count and a hash of
all rows. Left out are the tables a refused request may rightly write to: the audit trail (a
read of a record is audited), sessions (a request refreshes its session), the sign-in lockout
records (django-axes) and the admin's own log."""

import hashlib

from django.apps import apps
from django.db import connection

CHANGES_ON_A_READ = {
    "audit_auditevent",
    "django_session",
    "axes_accessattempt",
    "axes_accessattemptexpiration",
    "axes_accessfailurelog",
    "axes_accesslog",
}


def tables() -> list[str]:
    names = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    return sorted(names - CHANGES_ON_A_READ)


def fingerprint() -> dict[str, tuple[int, str]]:
    """{table: (rows, hash of the rows)}."""
    prints = {}
    with connection.cursor() as cursor:
        for table in tables():
            name = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {name} ORDER BY 1")  # noqa: S608 - table names only
            rows = cursor.fetchall()
            prints[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return prints


def changed(before: dict, after: dict) -> list[str]:
    return [table for table in before if before[table] != after.get(table)]
