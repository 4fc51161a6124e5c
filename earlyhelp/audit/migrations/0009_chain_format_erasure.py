"""Rows of chain format 2 hash the digest of their content, so that the content of a row about
an erased person can be replaced while the chain still verifies (audit.models, docs/privacy.md).

The triggers change with it: an UPDATE is still refused, except the erasure itself (the
content becomes ERASED, nothing else changes, the row is of format 2, and its digest was kept
in audit_erasedcontent first). The kept digests are append-only too. The rows already written
are format 1 (the column's database default) and stay as they are. On SQLite, adding the
column rebuilds the table and drops its triggers: they are installed here again.
"""

from django.db import migrations, models

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.format >= 2
       AND NEW.changes = '{"erased": true}'::jsonb
       AND NEW.purpose = ''
       AND (to_jsonb(NEW) - 'changes' - 'purpose') = (to_jsonb(OLD) - 'changes' - 'purpose')
       AND EXISTS (SELECT 1 FROM audit_erasedcontent WHERE event_id = OLD.id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION audit_erasedcontent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_erasedcontent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_erasedcontent_append_only
    BEFORE UPDATE OR DELETE ON audit_erasedcontent
    FOR EACH ROW EXECUTE FUNCTION audit_erasedcontent_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_erasedcontent_append_only ON audit_erasedcontent;
DROP FUNCTION IF EXISTS audit_erasedcontent_refuse_change();
CREATE OR REPLACE FUNCTION audit_auditevent_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
# Every column but the content must stay as it was: a column added later must be named here
# (the test audit/tests/test_erasure.py tries to change each one).
UNCHANGED = (
    "id", "at", "actor_id", "actor_name", "role", "action", "object_type", "object_id",
    "subject", "request_id", "flagged", "prev_hash", "key_id", "hash", "municipality_id",
    "format",
)  # fmt: skip
SQLITE_ERASURE = (
    "OLD.format >= 2 AND json(NEW.changes) = json('{\"erased\": true}') AND NEW.purpose = '' AND "
    + " AND ".join(f"NEW.{column} IS OLD.{column}" for column in UNCHANGED)
    + " AND EXISTS (SELECT 1 FROM audit_erasedcontent WHERE event_id = OLD.id)"
)
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       WHEN NOT ({SQLITE_ERASURE})
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END;""",
    """CREATE TRIGGER audit_erasedcontent_no_update BEFORE UPDATE ON audit_erasedcontent
       BEGIN SELECT RAISE(ABORT, 'audit_erasedcontent is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER audit_erasedcontent_no_delete BEFORE DELETE ON audit_erasedcontent
       BEGIN SELECT RAISE(ABORT, 'audit_erasedcontent is append-only: DELETE refused'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_erasedcontent_no_update;",
    "DROP TRIGGER IF EXISTS audit_erasedcontent_no_delete;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END;""",
]


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN, params=None)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0008_auditexport_file_sha256_alter_auditexport_file"),
    ]

    operations = [
        migrations.CreateModel(
            name="ErasedContent",
            fields=[
                (
                    "event_id",
                    models.BigIntegerField(
                        primary_key=True, serialize=False, verbose_name="audit row"
                    ),
                ),
                ("content_sha256", models.CharField(max_length=64)),
                ("erased_at", models.DateTimeField(verbose_name="erased")),
                ("reason", models.CharField(max_length=200, verbose_name="why")),
            ],
            options={
                "verbose_name": "erased audit content",
                "verbose_name_plural": "erased audit content",
                "ordering": ["event_id"],
            },
        ),
        migrations.AddField(
            model_name="auditevent",
            name="format",
            field=models.PositiveSmallIntegerField(
                db_default=1, default=2, editable=False, verbose_name="chain format"
            ),
        ),
        migrations.RunPython(install, remove),
    ]
