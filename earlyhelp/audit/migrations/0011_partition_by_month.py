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


def _indexes_and_foreign_keys(cursor):
    """The log's secondary indexes and foreign keys, as SQL to make them again."""
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
    return indexes, cursor.fetchall()


def _rebuild(cursor, *, partitioned: bool) -> None:
    """Copy the log into a new table (partitioned by month, or plain) in id order and put the
    new table in its place, with the same identity, keys, indexes, foreign keys and triggers."""
    cursor.execute(f"LOCK TABLE {TABLE} IN ACCESS EXCLUSIVE MODE")
    indexes, foreign_keys = _indexes_and_foreign_keys(cursor)
    new = f"{TABLE}_rebuilt"
    cursor.execute(
        f"CREATE TABLE {new} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING IDENTITY "
        f"INCLUDING CONSTRAINTS){' PARTITION BY RANGE (at)' if partitioned else ''}"
    )
    if partitioned:
        from earlyhelp.audit.partitions import create_default_partition, create_partition

        for month in _months(cursor, TABLE):
            create_partition(cursor, month, parent=new)
        create_default_partition(cursor, parent=new)
    cursor.execute(f"INSERT INTO {new} SELECT * FROM {TABLE} ORDER BY id")  # noqa: S608
    cursor.execute(f"DROP TABLE {TABLE} CASCADE")
    cursor.execute(f"ALTER TABLE {new} RENAME TO {TABLE}")
    cursor.execute(
        f"SELECT setval(pg_get_serial_sequence('{TABLE}', 'id'), "
        f"coalesce((SELECT max(id) FROM {TABLE}), 0) + 1, false)"  # noqa: S608
    )
    key = "(id, at)" if partitioned else "(id)"
    unique = "(hash, at)" if partitioned else "(hash)"
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_pkey PRIMARY KEY {key}")
    cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_hash_key UNIQUE {unique}")
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {name} {definition}")
    cursor.execute(
        f"""CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()"""
    )
    cursor.execute(
        f"""CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
            FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()"""
    )


def partition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=True)


def unpartition(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            _rebuild(cursor, partitioned=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_erase_action")]

    operations = [migrations.RunPython(partition, unpartition)]
