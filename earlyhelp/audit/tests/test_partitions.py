"""The audit log partitioned by month on PostgreSQL (audit/0011, audit/partitions.py): rows go
to their month, every partition refuses changes like the log, the months ahead are made, and
the oldest month is archived so that the log still verifies from it and the archived table
verifies on its own, tampering included."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from earlyhelp.audit.models import AuditArchive, AuditEvent
from earlyhelp.audit.partitions import (
    DEFAULT,
    ArchiveRefused,
    add_month,
    archive_month,
    ensure_partitions,
    partition_name,
    partitions,
    this_month,
)
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.verify import verify_archive, verify_log

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite keeps the audit log in one table"
    ),
]


def _where(event: AuditEvent) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tableoid::regclass::text FROM audit_auditevent WHERE id = %s", [event.pk]
        )
        return cursor.fetchone()[0]


def _write(world, count: int, when: datetime | None = None) -> list[AuditEvent]:
    def rows():
        return [
            audit_record(actor=world.users["social_helper"], action="view", obj=world.inside)
            for _ in range(count)
        ]

    if when is None:
        return rows()
    with time_machine.travel(when, tick=False):
        return rows()


def test_the_months_ahead_are_made_and_a_row_goes_to_its_month(world):
    months = {p.month for p in partitions() if p.month}
    assert {this_month(), add_month(this_month(), 3)} <= months
    assert partitions()[-1].name == DEFAULT
    [event] = _write(world, 1)
    assert _where(event) == partition_name(this_month())
    assert ensure_partitions() == []
    call_command("audit_partitions", "--ahead", "5")
    assert add_month(this_month(), 5) in {p.month for p in partitions() if p.month}


def test_a_partition_refuses_changes_like_the_log(world):
    [event] = _write(world, 1)
    name = partition_name(this_month())
    for statement in (
        f"UPDATE {name} SET purpose = 'x' WHERE id = %s",  # noqa: S608 - a month's table
        f"DELETE FROM {name} WHERE id = %s",  # noqa: S608
    ):
        with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
            cursor.execute("SAVEPOINT refused")
            try:
                cursor.execute(statement, [event.pk])
            finally:
                cursor.execute("ROLLBACK TO SAVEPOINT refused")
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("SAVEPOINT refused")
        try:
            cursor.execute(f"TRUNCATE {name}")
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT refused")


def _archived_world(world):
    """Rows two months ago, then one month ago, then now; the oldest month archived."""
    oldest = add_month(this_month(), -2)
    ensure_partitions(first=oldest)
    before = datetime(oldest.year, oldest.month, 10, 12, tzinfo=UTC)
    middle = add_month(oldest)
    old = _write(world, 3, before)
    _write(world, 2, datetime(middle.year, middle.month, 10, 12, tzinfo=UTC))
    _write(world, 2)
    archive = archive_month(oldest)
    return archive, old


def test_the_oldest_month_is_archived_and_both_parts_verify(world):
    archive, old = _archived_world(world)
    assert (archive.rows, archive.first_id, archive.last_id) == (3, old[0].pk, old[-1].pk)
    assert archive.last_hash == old[-1].hash
    assert archive.table not in {p.name for p in partitions()}
    assert not AuditEvent.objects.filter(pk=old[0].pk).exists()
    report = verify_log()
    assert report.broken is None and report.archived_until == archive
    assert verify_archive(archive).broken is None
    call_command("audit_verify", "--no-anchors", "--archived", archive.table)
    # The archiving is itself audited.
    assert AuditEvent.objects.filter(
        object_type="audit.auditarchive", purpose="audit month archived"
    ).exists()


def test_only_the_oldest_past_month_is_archived(world):
    archive, _old = _archived_world(world)
    with pytest.raises(ArchiveRefused, match="oldest first"):
        archive_month(add_month(this_month(), 1))
    archive_month(add_month(archive.month, 1))
    with pytest.raises(ArchiveRefused, match="current month"):
        archive_month(this_month())
    assert verify_log().broken is None


def test_a_tampered_archive_is_named(world):
    archive, old = _archived_world(world)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {archive.table} DISABLE TRIGGER ALL")
        cursor.execute(f"DELETE FROM {archive.table} WHERE id = %s", [old[-1].pk])  # noqa: S608
    report = verify_archive(archive)
    assert report.broken is not None and "removed from its end" in report.broken.reason
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {archive.table} SET purpose = 'changed' WHERE id = %s", [old[0].pk])  # noqa: S608
    report = verify_archive(AuditArchive.objects.get(pk=archive.pk))
    assert report.broken.event_id == old[0].pk
