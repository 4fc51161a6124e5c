"""Each audit row names the key its hash was made with (audit.keys); existing rows name none.

Rows written before this migration keep their plain SHA-256 hash: `audit_verify` accepts them
as the first rows of the log, up to EARLYHELP_AUDIT_LEGACY_UNTIL, which this migration prints.

On SQLite, adding a column rebuilds the table, and the rebuild drops its triggers: they are
installed again here, so the log stays append-only.
"""

import sys

from django.db import migrations, models
from django.db.models import Max

SQLITE_TRIGGERS = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END;""",
]


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


def report_unkeyed_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.using(schema_editor.connection.alias).aggregate(last=Max("id"))
    if last["last"]:
        sys.stdout.write(
            f"\n  The audit log holds rows up to id {last['last']} written before the chain "
            f"was keyed: set EARLYHELP_AUDIT_LEGACY_UNTIL={last['last']} "
            "(docs/operations.md, Audit keys).\n"
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_alter_auditevent_action")]

    operations = [
        # Reversed last: removing the column rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(
                blank=True,
                default="",
                help_text="The key the hash was made with; empty for rows written before keying.",
                max_length=16,
                verbose_name="audit key",
            ),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(report_unkeyed_rows, migrations.RunPython.noop),
    ]
