"""Name search ("Szoke" finds Szőke) looks for each folded word anywhere in `search_name`
(`LIKE '%word%'`). On PostgreSQL a trigram index answers that without reading every child; on
SQLite there is no such index and the folded column is read as it is (fast enough at the
embedded default's size, see bench/README.md)."""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS child_search_trgm ON people_child "
    "USING gin (search_name gin_trgm_ops)",
]
DROP = ["DROP INDEX IF EXISTS child_search_trgm"]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
