"""On PostgreSQL the audit log becomes a table partitioned by month of `at` (declarative
partitioning), so that a month that is no longer read can be detached and archived whole, and
still be verified (audit/partitions.py, docs/operations.md). SQLite keeps one table.

The rows are copied into the partitioned table in id order, with the same columns, indexes,
foreign keys and triggers. A partitioned table's primary key and unique constraints must
include the partition key: the key becomes (id, at) and the unique hash (hash, at); ids and
hashes stay unique as they are given out. Partitions are made from the month of the oldest row
to three months ahead; a default partition takes a row no month holds yet, and the nightly
`audit_partitions` job keeps the months ahead made.
"""

from django.db import migrations

TABLE = "audit_auditevent"


def _months(cursor, table):
    from earlyhelp.audit.partitions import MONTHS_AHEAD, month_range, this_month

    cursor.execute(f"SELECT min(at) FROM {table}")
    oldest = cursor.fetchone()[0]
    first = this_month() if oldest is None else oldest.date().replace(day=1)
    return month_range(first, MONTHS_AHEAD)


def partition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from earlyhelp.audit.partitions import create_partition, create_default_partition

    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (%s, %s)",
            [TABLE, f"{TABLE}_pkey", f"{TABLE}_hash_key"],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        months = _months(cursor, TABLE)
        cursor.execute(
            f"CREATE TABLE {TABLE}_partitioned (LIKE {TABLE} INCLUDING DEFAULTS "
            f"INCLUDING IDENTITY INCLUDING CONSTRAINTS) PARTITION BY RANGE (at)"
        )
        for month in months:
            create_partition(cursor, month, parent=f"{TABLE}_partitioned")
        create_default_partition(cursor, parent=f"{TABLE}_partitioned")
        cursor.execute(f"INSERT INTO {TABLE}_partitioned SELECT * FROM {TABLE} ORDER BY id")
        cursor.execute(f"DROP TABLE {TABLE}")
        cursor.execute(f"ALTER TABLE {TABLE}_partitioned RENAME TO {TABLE}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
            f"coalesce((SELECT max(id) FROM {TABLE}), 0) + 1, false)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id, at)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_hash_key UNIQUE (hash, at)")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
        cursor.execute(
            f"""CREATE TRIGGER audit_auditevent_append_only
                BEFORE UPDATE OR DELETE ON {TABLE}
                FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()"""
        )
        cursor.execute(
            f"""CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()"""
        )


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (%s, %s)",
            [TABLE, f"{TABLE}_pkey", f"{TABLE}_hash_key"],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'f'",
            [TABLE],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            f"CREATE TABLE {TABLE}_plain (LIKE {TABLE} INCLUDING DEFAULTS "
            f"INCLUDING IDENTITY INCLUDING CONSTRAINTS)"
        )
        cursor.execute(f"INSERT INTO {TABLE}_plain SELECT * FROM {TABLE} ORDER BY id")
        cursor.execute(f"DROP TABLE {TABLE} CASCADE")
        cursor.execute(f"ALTER TABLE {TABLE}_plain RENAME TO {TABLE}")
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
            f"coalesce((SELECT max(id) FROM {TABLE}), 0) + 1, false)"
        )
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY (id)")
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_hash_key UNIQUE (hash)")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
        cursor.execute(
            f"""CREATE TRIGGER audit_auditevent_append_only
                BEFORE UPDATE OR DELETE ON {TABLE}
                FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()"""
        )
        cursor.execute(
            f"""CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()"""
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_erase_action")]

    operations = [migrations.RunPython(partition, unpartition)]
