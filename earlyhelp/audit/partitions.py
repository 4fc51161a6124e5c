"""The audit log's monthly partitions on PostgreSQL (migration audit/0011): made ahead of time,
listed, and archived.

Each month of `at` (UTC) is a partition `audit_auditevent_yYYYYmMM`; a default partition takes a
row no month holds yet. The nightly job (`audit_partitions`) makes the months ahead, so the
default partition stays empty: a partition cannot be made for a month the default partition
already holds rows of, and the append-only triggers forbid moving them.

**Archiving** detaches the oldest month from the log: the rows stay in a table of their own, to be
dumped and kept wherever the installation keeps its archives (docs/operations.md). Before it is
detached, what its chain begins and ends with is written down (`AuditArchive`): the log that
stays verifies from the archive's last row, and the archived table verifies on its own against
the record (`audit.verify.verify_archive`). Months are archived oldest first, and only a month
whose rows all come before the rest of the log in the chain.

SQLite keeps one table: every function here answers nothing there.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db import connection, transaction
from django.utils import timezone

TABLE = "audit_auditevent"
DEFAULT = f"{TABLE}_default"
# Months made ahead of the current one.
MONTHS_AHEAD = 3


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None: the default partition
    rows: int = 0


def this_month(today: date | None = None) -> date:
    return (today or timezone.now().astimezone(UTC).date()).replace(day=1)


def add_month(month: date, count: int = 1) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_range(first: date, ahead: int = MONTHS_AHEAD, today: date | None = None) -> list[date]:
    """Every month from `first` to `ahead` months after the current one."""
    last = add_month(this_month(today), ahead)
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = add_month(month)
    return months


def partition_name(month: date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _bound(month: date) -> str:
    return datetime(month.year, month.month, 1, tzinfo=UTC).isoformat()


def create_partition(cursor, month: date, parent: str = TABLE) -> str:
    """Make the month's partition, with the log's refusal of TRUNCATE (a statement trigger on
    the parent does not fire for a partition truncated by name)."""
    name = partition_name(month)
    cursor.execute(
        f"CREATE TABLE {name} PARTITION OF {parent} "
        f"FOR VALUES FROM ('{_bound(month)}') TO ('{_bound(add_month(month))}')"
    )
    _refuse_truncate(cursor, name)
    return name


def create_default_partition(cursor, parent: str = TABLE) -> None:
    cursor.execute(f"CREATE TABLE {DEFAULT} PARTITION OF {parent} DEFAULT")
    _refuse_truncate(cursor, DEFAULT)


def _refuse_truncate(cursor, name: str) -> None:
    cursor.execute(
        f"CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {name} "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_change()"
    )


def partitioned() -> bool:
    return connection.vendor == "postgresql"


def partitions() -> list[Partition]:
    """The log's attached partitions, oldest month first, the default partition last."""
    if not partitioned():
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT child.relname, child.reltuples FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "WHERE pg_inherits.inhparent = %s::regclass ORDER BY child.relname",
            [TABLE],
        )
        found = cursor.fetchall()
    result, default = [], None
    for name, estimate in found:
        rows = max(int(estimate), 0)
        if name == DEFAULT:
            default = Partition(name, None, rows)
        else:
            year, month = int(name[-7:-3]), int(name[-2:])
            result.append(Partition(name, date(year, month, 1), rows))
    return result + ([default] if default else [])


def ensure_partitions(
    first: date | None = None, ahead: int = MONTHS_AHEAD, today: date | None = None
) -> list[str]:
    """Make the missing months from `first` (the current month if not given) to `ahead` months
    after the current one; answer the names made. A month the default partition holds rows of
    is not made (it could not be): it is named in the answer as "name (rows in default)"."""
    if not partitioned():
        return []
    have = {p.month for p in partitions() if p.month is not None}
    made = []
    with transaction.atomic(), connection.cursor() as cursor:
        for month in month_range(first or this_month(today), ahead, today):
            if month in have:
                continue
            cursor.execute(
                f"SELECT EXISTS (SELECT 1 FROM {DEFAULT} WHERE at >= %s AND at < %s)",  # noqa: S608 - our own table
                [_bound(month), _bound(add_month(month))],
            )
            if cursor.fetchone()[0]:
                made.append(f"{partition_name(month)} (rows in {DEFAULT})")
                continue
            made.append(create_partition(cursor, month))
    return made


class ArchiveRefused(Exception):
    pass


def archive_month(month: date, *, user=None):
    """Detach the oldest month from the log, after writing down what its chain begins and ends
    with (`AuditArchive`) and auditing the step. Refused for any month but the oldest attached,
    for the current month or a later one, and when the month's rows do not all come before the
    rest of the log in the chain."""
    from earlyhelp.audit.models import AuditArchive, AuditEvent
    from earlyhelp.audit.services import audit_record

    if not partitioned():
        raise ArchiveRefused("Only a log partitioned by month (PostgreSQL) can archive a month.")
    months = [p for p in partitions() if p.month is not None]
    if not months or months[0].month != month.replace(day=1):
        oldest = months[0].month.strftime("%Y-%m") if months else "none"
        raise ArchiveRefused(f"Months are archived oldest first: the oldest is {oldest}.")
    if month.replace(day=1) >= this_month():
        raise ArchiveRefused("The current month and later ones cannot be archived.")
    name = months[0].name
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(f"SELECT count(*), min(id), max(id) FROM {name}")  # noqa: S608 - a month's
            count, first_id, last_id = cursor.fetchone()
        later = AuditEvent.objects.filter(at__gte=_bound(add_month(month)))
        if count and later.filter(id__lt=last_id).exists():
            raise ArchiveRefused(
                f"Rows of {month:%Y-%m} and of later months interleave in the chain: "
                "the month cannot be cut off from the rest of the log."
            )
        first = last = None
        if count:
            first = AuditEvent.objects.filter(id=first_id).values("prev_hash").get()
            last = AuditEvent.objects.filter(id=last_id).values("hash").get()
        archive = AuditArchive.objects.create(
            table=name,
            month=month.replace(day=1),
            rows=count,
            first_id=first_id or 0,
            last_id=last_id or 0,
            first_prev_hash=first["prev_hash"] if first else "",
            last_hash=last["hash"] if last else "",
            archived_by=user,
        )
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {name}")
        audit_record(
            actor=user,
            action="change",
            obj=archive,
            purpose="audit month archived",
            changes={"table": name, "rows": count, "first_id": first_id, "last_id": last_id},
        )
    return archive
