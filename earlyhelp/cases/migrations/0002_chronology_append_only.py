"""A case's chronology refuses UPDATE and DELETE at the database: a correction is a new entry."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION cases_chronologyentry_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cases_chronologyentry is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_chronologyentry_append_only
    BEFORE UPDATE OR DELETE ON cases_chronologyentry
    FOR EACH ROW EXECUTE FUNCTION cases_chronologyentry_refuse_change();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS cases_chronologyentry_append_only ON cases_chronologyentry;
DROP FUNCTION IF EXISTS cases_chronologyentry_refuse_change();
"""
SQLITE_UP = [
    """CREATE TRIGGER cases_chronologyentry_no_update BEFORE UPDATE ON cases_chronologyentry
       BEGIN SELECT RAISE(ABORT, 'cases_chronologyentry is append-only: UPDATE refused'); END;""",
    """CREATE TRIGGER cases_chronologyentry_no_delete BEFORE DELETE ON cases_chronologyentry
       BEGIN SELECT RAISE(ABORT, 'cases_chronologyentry is append-only: DELETE refused'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS cases_chronologyentry_no_update;",
    "DROP TRIGGER IF EXISTS cases_chronologyentry_no_delete;",
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
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
