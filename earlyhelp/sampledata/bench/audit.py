"""A realistic audit history for the benchmark: half a year of the bench staff reading and
changing the records of their municipality, chained and keyed like rows the application writes,
so that "who has seen this record", the audit-log page and `audit_verify` are measured at the
size the log will have (about 50 million rows at L).

Each working day every account reads a number of records that depends on its role (a case worker
opens about forty, an educator a few), of children of its municipality, during working hours;
one row in twenty is a change and one in twenty a list. The rows continue the chain from the
newest row already in the log. On PostgreSQL the log's secondary indexes and its unique hash are
dropped for the load and built again after it: maintaining them row by row would take longer
than the load itself.
"""

from __future__ import annotations

import functools
import random
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction

from earlyhelp.audit.keys import current_key
from earlyhelp.audit.models import (
    CHAIN_FORMAT,
    CHAINED_FIELDS,
    GENESIS_HASH,
    AuditEvent,
    chain_hash,
    content_digest,
)
from earlyhelp.audit.partitions import ensure_partitions
from earlyhelp.organisations.models import Membership
from earlyhelp.people.models import Child
from earlyhelp.sampledata.bench.loader import Sink, Table, _clock

# Records read per working day, by role (the role a row names: how the reader got the record).
READS_PER_DAY = {
    "case_worker": 40,
    "social_helper": 40,
    "supervisor": 30,
    "institution_lead": 5,
    "educator": 4,
}
PURPOSES = (
    "open record",
    "open record",
    "open record",
    "record family and consents",
    "record help and contact",
    "record history",
)
COLUMNS = ("id", *CHAINED_FIELDS, "hash", "municipality_id")


def _working_days(months: int, today: date) -> list[date]:
    first = today - timedelta(days=round(months * 30.44))
    return [
        first + timedelta(days=n)
        for n in range((today - first).days)
        if (first + timedelta(days=n)).weekday() < 5
    ]


def _readers() -> list[tuple[int, str, str, int]]:
    """(user id, user name, role, municipality id) for each account of a reading role, by its
    first membership of such a role."""
    seen: dict[int, tuple[int, str, str, int]] = {}
    rows = (
        Membership.objects.filter(role__in=READS_PER_DAY)
        .order_by("user_id", "id")
        .values_list("user_id", "user__username", "role", "municipality_id")
    )
    for user_id, username, role, municipality_id in rows.iterator(chunk_size=20_000):
        seen.setdefault(user_id, (user_id, username, role, municipality_id))
    return list(seen.values())


@functools.cache
def _content(purpose: str) -> str:
    return content_digest({}, purpose)


def _fast_hash(row: dict, key) -> str:
    """`chain_hash` for these rows (chain format 2), without the JSON encoder: every value here
    is a number, a boolean or a word without quotes, backslashes or control characters, so the
    canonical JSON (keys sorted, Python's default separators) can be written out directly."""
    canonical = (
        f'{{"action": "{row["action"]}", "actor_id": {row["actor_id"]}, '
        f'"actor_name": "{row["actor_name"]}", "at": "{row["at"].isoformat()}", '
        f'"content": "{_content(row["purpose"])}", "flagged": false, '
        f'"format": {row["format"]}, "key": "{key.id}", '
        f'"object_id": "{row["object_id"]}", "object_type": "{row["object_type"]}", '
        f'"prev": "{row["prev_hash"]}", "request_id": "{row["request_id"]}", '
        f'"role": "{row["role"]}", "subject": "{row["subject"]}"}}'
    )
    return key.sign(canonical.encode())


def _secondary_indexes(cursor, table: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The table's unique constraints and other indexes but its primary key, as SQL to
    drop and to create them again."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s "
        "AND i.indexname NOT IN (SELECT conname FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u'))",
        [table, table],
    )
    return constraints, cursor.fetchall()


def _check_indexes_valid(cursor, table: str) -> None:
    """Every index of the log (and of each partition) is valid again after the load: an
    invalid one is never used, and the pages would scan the whole log."""
    cursor.execute(
        "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "WHERE NOT i.indisvalid AND (i.indrelid = %s::regclass OR i.indrelid IN "
        "(SELECT inhrelid FROM pg_inherits WHERE inhparent = %s::regclass))",
        [table, table],
    )
    invalid = [name for (name,) in cursor.fetchall()]
    if invalid:
        raise RuntimeError(f"audit log indexes left invalid after the load: {invalid}")


def write_audit_history(
    *, rows_wanted: int, months: int = 6, seed: int = 2026, report: Callable[[str], None]
) -> tuple[int, float]:
    """Append about `rows_wanted` rows of history; (rows written, seconds)."""
    started = time.monotonic()
    rng = random.Random(seed)
    key = current_key()
    readers = _readers()
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, municipality_id in Child.objects.values_list("id", "municipality_id").iterator(
        chunk_size=50_000
    ):
        children[municipality_id].append(child_id)
    readers = [reader for reader in readers if children.get(reader[3])]
    days = _working_days(months, datetime.now(UTC).date())
    per_day = sum(READS_PER_DAY[role] for _, _, role, _ in readers) or 1
    scale = rows_wanted / (per_day * len(days))
    report(
        f"Audit history: {len(readers):,} readers, {len(days)} working days, "
        f"about {rows_wanted:,} rows (×{scale:.2f} of the reads per role and day)."
    )
    sink = Sink(report)
    table = Table(AuditEvent, COLUMNS, sink)
    name = connection.ops.quote_name(table.name)
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    prev = last or GENESIS_HASH
    postgres = connection.vendor == "postgresql"
    # Each month of the history in a partition of its own, as the nightly job makes them ahead.
    ensure_partitions(first=days[0])
    with transaction.atomic(), sink.unchecked_references():
        constraints, indexes = [], []
        if postgres:
            with connection.cursor() as cursor:
                constraints, indexes = _secondary_indexes(cursor, table.name)
                for constraint, _definition in constraints:
                    cursor.execute(f"ALTER TABLE {name} DROP CONSTRAINT {constraint}")
                for index, _definition in indexes:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
        for day in days:
            events = []
            for user_id, username, role, municipality_id in readers:
                count = int(READS_PER_DAY[role] * scale + rng.random())
                pool = children[municipality_id]
                for _ in range(count):
                    second = rng.randrange(7 * 3600, 17 * 3600)
                    events.append((second, rng.randrange(1_000_000), user_id, username, role,
                                   municipality_id, rng.choice(pool)))  # fmt: skip
            events.sort()
            midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
            for second, micro, user_id, username, role, municipality_id, child_id in events:
                kind = rng.random()
                action, purpose, object_id, subject = "view", rng.choice(PURPOSES), "", ""
                if kind < 0.05:
                    action, purpose = "list", "list of children"
                elif kind < 0.10:
                    action, purpose = "change", ""
                if action != "list":
                    object_id, subject = str(child_id), f"people.child:{child_id}"
                row = {
                    "format": CHAIN_FORMAT,
                    "prev_hash": prev,
                    "key_id": key.id,
                    "at": midnight + timedelta(seconds=second, microseconds=micro),
                    "actor_id": user_id,
                    "actor_name": username,
                    "role": role,
                    "action": action,
                    "object_type": "people.child",
                    "object_id": object_id,
                    "subject": subject,
                    "purpose": purpose,
                    "request_id": "",
                    "flagged": False,
                    "changes": {},
                }
                prev = _fast_hash(row, key)
                # The quick canonical form must be the application's, byte for byte: checked
                # on the first thousand rows of every hundred thousand.
                checking = (table.written + len(table.rows)) % 100_000 < 1_000
                if checking and prev != chain_hash(row, key):
                    raise RuntimeError("bench audit rows would not verify: _fast_hash is wrong")
                table.add(
                    (table.new_id(), *(row[f] for f in CHAINED_FIELDS[:-1]), "{}", prev,
                     municipality_id)
                )  # fmt: skip
        table.flush()
        sink.progress(table, force=True)
        if postgres:
            with connection.cursor() as cursor:
                for index, definition in indexes:
                    begun = time.monotonic()
                    # A partitioned log's index is defined ON ONLY the parent, which would
                    # leave it invalid and its partitions without one: built on all of them.
                    cursor.execute(definition.replace(" ON ONLY ", " ON ", 1))
                    report(f"  index {index} built in {_clock(time.monotonic() - begun)}")
                for constraint, definition in constraints:
                    begun = time.monotonic()
                    cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {constraint} {definition}")
                    report(f"  constraint {constraint} built in {_clock(time.monotonic() - begun)}")
                _check_indexes_valid(cursor, table.name)
    sink.finish([table])
    return table.written, time.monotonic() - started
