"""In-process checks of one page, against the benchmark database: the SQL it runs (how many
queries), the same SELECTs timed alone through the database driver (so that application
overhead shows as a ratio), and their query plans (no sequential scan over a table of more than
100,000 rows, no OFFSET or full COUNT over more than 10,000)."""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

_DECLARE = re.compile(r"^DECLARE \S+ NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ", re.IGNORECASE)
SEQ_SCAN_ROWS = 100_000
OFFSET_COUNT_ROWS = 10_000
RAW_REPEATS = 15


@dataclass
class Probe:
    queries: int = 0
    selects: list[str] = field(default_factory=list)
    status: int = 0
    raw_sql_ms: float = 0.0
    violations: list[str] = field(default_factory=list)


def capture(method: str, url: str, *, cookies: dict, headers: dict | None = None, body=None):
    """Run the request in-process and keep every SQL statement it sent."""
    client = Client(HTTP_HOST="127.0.0.1")
    for name, value in cookies.items():
        client.cookies[name] = value
    with CaptureQueriesContext(connection) as captured:
        if method == "post":
            response = client.post(
                url, data=body, content_type="application/json", headers=headers or {}
            )
        else:
            response = client.get(url, headers=headers or {})
        if response.streaming:
            # A streamed export runs its queries while it is read: read it inside the capture.
            b"".join(response.streaming_content)
    sql = [q["sql"] for q in captured.captured_queries]
    # A queryset read with .iterator() on PostgreSQL is a server-side cursor: check and time
    # the SELECT it was declared for.
    sql = [_DECLARE.sub("", s, count=1) for s in sql]
    # A UNION starts with its first part in parentheses on PostgreSQL.
    selects = [s for s in sql if s.lstrip(" (").upper().startswith("SELECT")]
    return response.status_code, len(sql), selects


def raw_sql_ms(selects: list[str]) -> float:
    """The median time of the page's SELECTs run alone, one after another, on the driver's own
    connection: what the page would cost with no application around it."""
    raw = connection.connection
    timings = []
    for _ in range(RAW_REPEATS):
        started = time.perf_counter()
        cursor = raw.cursor()
        for sql in selects:
            cursor.execute(sql)
            cursor.fetchall()
        cursor.close()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


_row_counts: dict[str, float] = {}


def _rows(table: str) -> float:
    if table not in _row_counts:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
                row = cursor.fetchone()
                _row_counts[table] = float(row[0]) if row else 0.0
            else:
                # A plan also scans subqueries and views (V0, …): only tables count.
                cursor.execute(
                    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [table]
                )
                if cursor.fetchone() is None:
                    _row_counts[table] = 0.0
                else:
                    cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (a table name)
                    _row_counts[table] = float(cursor.fetchone()[0])
    return _row_counts[table]


def _pg_nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _pg_nodes(child)


def plan_violations(sql: str) -> list[str]:
    found = []
    has_offset = re.search(r"\bOFFSET\s+\d+", sql, re.IGNORECASE) is not None
    has_count = re.search(r"\bCOUNT\s*\(", sql, re.IGNORECASE) is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]["Plan"]
            for node in _pg_nodes(plan):
                kind = node["Node Type"]
                table = node.get("Relation Name")
                if kind in ("Seq Scan", "Parallel Seq Scan") and _rows(table) > SEQ_SCAN_ROWS:
                    found.append(f"sequential scan over {table} ({_rows(table):,.0f} rows)")
                inputs = sum(child.get("Plan Rows", 0) for child in node.get("Plans", []))
                if kind == "Limit" and has_offset and inputs > OFFSET_COUNT_ROWS:
                    found.append(f"OFFSET over {inputs:,.0f} rows")
                if kind == "Aggregate" and has_count and inputs > OFFSET_COUNT_ROWS:
                    found.append(f"COUNT over {inputs:,.0f} rows")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            for row in cursor.fetchall():
                detail = row[-1]
                match = re.match(r"SCAN (\w+)$", detail)
                if match and _rows(match.group(1)) > SEQ_SCAN_ROWS:
                    table = match.group(1)
                    found.append(f"full scan of {table} ({_rows(table):,.0f} rows)")
            if has_offset:
                found.append("OFFSET (keyset pagination expected)")
    return found


def probe(method: str, url: str, *, cookies: dict, headers=None, body=None) -> Probe:
    status, count, selects = capture(method, url, cookies=cookies, headers=headers, body=body)
    result = Probe(queries=count, selects=selects, status=status)
    result.raw_sql_ms = raw_sql_ms(selects) if selects else 0.0
    for sql in selects:
        result.violations.extend(plan_violations(sql))
    result.violations = sorted(set(result.violations))
    return result
