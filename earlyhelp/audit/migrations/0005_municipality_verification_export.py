"""Each audit row says whose municipality's log it belongs to (not hashed, see audit.models);
verification runs and exports of the log are kept.

On SQLite, adding a column rebuilds the table and the rebuild drops its triggers: they are
installed again here (as in 0004), so the log stays append-only. The rows already written keep
an empty municipality: the append-only log cannot be updated, and the policy reads them by the
acting account's municipality instead (audit/access.py), up to EARLYHELP_AUDIT_UNSCOPED_UNTIL,
which this migration prints.
"""

import sys

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
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


def report_unscoped_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    last = AuditEvent.objects.using(schema_editor.connection.alias).aggregate(last=Max("id"))
    if last["last"]:
        sys.stdout.write(
            f"\n  The audit log holds rows up to id {last['last']} written before rows carried "
            f"their municipality: set EARLYHELP_AUDIT_UNSCOPED_UNTIL={last['last']} "
            "(docs/operations.md, Environment variables).\n"
        )


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_TRIGGERS:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_auditevent_key_id'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditExport',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(verbose_name='asked on')),
                ('filters', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder, verbose_name='filters')),
                ('state', models.CharField(choices=[('queued', 'waiting'), ('running', 'being written'), ('done', 'ready'), ('failed', 'failed')], default='queued', max_length=10, verbose_name='state')),
                ('rows_total', models.PositiveIntegerField(default=0, verbose_name='rows to write')),
                ('rows_done', models.PositiveIntegerField(default=0, verbose_name='rows written')),
                ('truncated', models.BooleanField(default=False, verbose_name='cut at the limit')),
                ('file', models.FileField(blank=True, upload_to='audit-exports/', verbose_name='file')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
            ],
            options={
                'verbose_name': 'export of the audit log',
                'verbose_name_plural': 'exports of the audit log',
                'ordering': ['-requested_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='VerificationRun',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('started_at', models.DateTimeField(db_index=True, verbose_name='started')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                ('scope', models.CharField(choices=[('full', 'whole log'), ('recent', 'since the last checkpoint')], max_length=10, verbose_name='scope')),
                ('state', models.CharField(choices=[('running', 'running'), ('held', 'chain intact'), ('broken', 'chain broken'), ('failed', 'could not run')], max_length=10, verbose_name='result')),
                ('after_id', models.BigIntegerField(default=0, verbose_name='from after row')),
                ('rows_checked', models.BigIntegerField(default=0, verbose_name='rows verified')),
                ('last_id', models.BigIntegerField(default=0, verbose_name='last row verified')),
                ('last_hash', models.CharField(blank=True, max_length=64)),
                ('broken_at', models.BigIntegerField(blank=True, null=True, verbose_name='broken at row')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
            ],
            options={
                'verbose_name': 'verification of the audit log',
                'verbose_name_plural': 'verifications of the audit log',
                'ordering': ['-started_at', '-id'],
            },
        ),
        # Reversed last: removing the column rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, reinstall_sqlite_triggers),
        migrations.AddField(
            model_name='auditevent',
            name='municipality_id',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='municipality'),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
        migrations.RunPython(report_unscoped_rows, migrations.RunPython.noop),
        migrations.AddField(
            model_name='auditexport',
            name='requested_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='audit_exports', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
        migrations.AddField(
            model_name='verificationrun',
            name='requested_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='asked by'),
        ),
    ]
