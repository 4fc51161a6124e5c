"""When the retention job erased what identifies anyone in a case (privacy.retention), and the
one change its chronology then allows.

The chronology stays append-only at the database: a correction is a new entry. The triggers
now allow a single UPDATE, the erasure, and only for an entry whose case the retention job
recorded in `cases_chronologyerasure` first: the title and the text become empty and nothing
else changes (docs/privacy.md). The trigger names that table and not `cases_case`, which later
migrations may rebuild on SQLite (a rebuild of a table a trigger names fails there).
"""

from django.db import migrations, models

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION cases_chronologyentry_refuse_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.title = '' AND NEW.text = ''
       AND (to_jsonb(NEW) - 'title' - 'text') = (to_jsonb(OLD) - 'title' - 'text')
       AND EXISTS (SELECT 1 FROM cases_chronologyerasure WHERE case_id = OLD.case_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'cases_chronologyentry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
POSTGRES_DOWN = """
CREATE OR REPLACE FUNCTION cases_chronologyentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cases_chronologyentry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
# Every column but the title and the text must stay as it was (a column added later must be
# named here; privacy/tests/test_case_erasure.py tries to change each one).
UNCHANGED = ("id", "case_id", "kind", "happened_at", "recorded_at", "author_id", "corrects_id")
SQLITE_ERASURE = (
    "NEW.title = '' AND NEW.text = '' AND "
    + " AND ".join(f"NEW.{column} IS OLD.{column}" for column in UNCHANGED)
    + " AND EXISTS (SELECT 1 FROM cases_chronologyerasure WHERE case_id = OLD.case_id)"
)
SQLITE_UP = [
    "DROP TRIGGER IF EXISTS cases_chronologyentry_no_update;",
    f"""CREATE TRIGGER cases_chronologyentry_no_update BEFORE UPDATE ON cases_chronologyentry
       WHEN NOT ({SQLITE_ERASURE})
       BEGIN SELECT RAISE(ABORT, 'cases_chronologyentry is append-only: UPDATE refused'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_chronologyentry_no_update;",
    """CREATE TRIGGER cases_chronologyentry_no_update BEFORE UPDATE ON cases_chronologyentry
       BEGIN SELECT RAISE(ABORT, 'cases_chronologyentry is append-only: UPDATE refused'); END;""",
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
        ('cases', '0014_casedocument_file_sha256_alter_casedocument_file'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChronologyErasure',
            fields=[
                ('case_id', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='case')),
                ('municipality_id', models.BigIntegerField(verbose_name='municipality')),
                ('erased_at', models.DateTimeField(verbose_name='erased')),
            ],
            options={
                'verbose_name': 'erased chronology',
                'verbose_name_plural': 'erased chronologies',
            },
        ),
        migrations.AddField(
            model_name='case',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymised'),
        ),
        migrations.RunPython(install, remove),
    ]
