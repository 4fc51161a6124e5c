"""Writing generated rows straight into the tables: COPY on PostgreSQL, executemany on SQLite,
with primary keys allocated here so that foreign keys are known without a round trip."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models

BATCH_ROWS = 20_000


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each part at least
    `minimum` when the total allows it."""
    if not weights:
        return []
    base = [minimum] * len(weights) if total >= minimum * len(weights) else [0] * len(weights)
    rest = total - sum(base)
    weight_sum = sum(weights) or 1.0
    exact = [rest * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


class Table:
    """Rows for one model's table, buffered and written in batches by the sink. The generator
    names the columns it fills; every other column takes the model's default or NULL, and a NOT
    NULL column without a default stops the run, so a new column is never silently missed."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], sink: Sink, plain: bool = False
    ) -> None:
        meta = model._meta
        # Every value an integer or a word without tabs, newlines or backslashes, never NULL.
        self.plain = plain
        self.name = meta.db_table
        fields = {f.column: f for f in meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ImproperlyConfigured(f"{self.name} has no column {sorted(unknown)}")
        tail_columns, tail = [], []
        for column, model_field in fields.items():
            if column in columns:
                continue
            if model_field.has_default():
                value = model_field.get_default()
                if isinstance(model_field, models.JSONField):
                    value = json.dumps(value)
            elif model_field.null:
                value = None
            else:
                raise ImproperlyConfigured(
                    f"{self.name}.{column} is NOT NULL and has no default: bench data must fill it"
                )
            tail_columns.append(column)
            tail.append(value)
        self.columns = (*columns, *tail_columns)
        self.tail = tuple(tail)
        self.types = [fields[c].get_internal_type() for c in self.columns]
        self.sink = sink
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0
        self.next_id = sink.max_id(self.name) + 1

    def new_id(self) -> int:
        allocated = self.next_id
        self.next_id += 1
        return allocated

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.monotonic()
        self.sink.write(self, self.rows)
        self.seconds += time.monotonic() - started
        self.written += len(self.rows)
        self.rows = []
        self.sink.progress(self)


class Sink:
    """Where the rows go: the database behind Django's default connection."""

    def __init__(self, report: Callable[[str], None] | None) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.quote = connection.ops.quote_name
        self.report = report
        self.started = time.monotonic()
        self.last_report = 0.0
        self.superuser = False
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
                self.superuser = bool(row and row[0])

    @contextlib.contextmanager
    def unchecked_references(self):
        """On PostgreSQL, for a superuser: no foreign-key triggers for the rows written inside
        (session_replication_role = replica, for this transaction only). Every reference is
        allocated here; checking each row's at commit (a lookup and a row lock of the
        referenced row) took most of a run's time once the activities' 30 million attendance
        rows were added. The tests check the references instead. Without the privilege, or on
        SQLite, the references are checked at commit as before."""
        if self.vendor != "postgresql" or not self.superuser:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    def max_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.quote(table)}")  # noqa: S608 - our own table name
            return cursor.fetchone()[0] or 0

    def write(self, table: Table, rows: list[tuple]) -> None:
        columns = ", ".join(self.quote(c) for c in table.columns)
        tail = table.tail
        if self.vendor == "postgresql":
            sql = f"COPY {self.quote(table.name)} ({columns}) FROM STDIN"
            if table.plain:
                # Numbers and plain words only: COPY's text format without per-row formatting.
                data = "".join(["\t".join(map(str, row + tail)) + "\n" for row in rows])
                with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                    copy.write(data)
                return
            with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row + tail)
            return
        # SQLite: Django stores datetimes as naive UTC text.
        moments = [i for i, t in enumerate(table.types) if t == "DateTimeField"]
        clocks = [i for i, t in enumerate(table.types) if t == "TimeField"]  # as text too
        marks = ", ".join("?" * len(table.columns))
        sql = f"INSERT INTO {self.quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608

        def converted(row: tuple) -> tuple:
            values = list(row + tail)
            for i in moments:
                if values[i] is not None:
                    values[i] = values[i].astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            for i in clocks:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            return tuple(values)

        convert = moments or clocks
        self.raw.executemany(sql, map(converted, rows) if convert else (r + tail for r in rows))

    def progress(self, table: Table, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.report is None or (not force and now - self.last_report < 2.0):
            return
        self.last_report = now
        rate = table.written / table.seconds if table.seconds else 0.0
        self.report(
            f"  {table.name:<32} {table.written:>11,} rows  {rate:>9,.0f} rows/s  "
            f"elapsed {_clock(now - self.started)}"
        )

    def finish(self, tables: Iterable[Table]) -> None:
        """Move the id sequences past the rows written here, and refresh the planner's
        statistics so that the first benchmark run does not plan against empty tables."""
        with connection.cursor() as cursor:
            if self.vendor != "postgresql":
                cursor.execute("ANALYZE")  # SQLite moves sqlite_sequence past explicit ids itself
                return
            for table in tables:
                name = self.quote(table.name)
                if table.written:
                    last = f"(SELECT MAX(id) FROM {name})"  # noqa: S608 - our own table name
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {last})", [name]
                    )
                cursor.execute(f"ANALYZE {name}")


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
