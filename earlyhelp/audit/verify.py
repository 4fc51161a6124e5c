"""Walk the audit chain and report the first broken link, in words an operator can act on.

The rows are streamed in id order, never loaded at once. Each row must link to the one before
it, carry the HMAC of its content under the key it names, and, where an anchor names it, still
have the anchored hash; every anchored row must still exist. Rows written before the chain was
keyed (no key id) are accepted only as the first rows of the log, up to
EARLYHELP_AUDIT_LEGACY_UNTIL: otherwise rewriting the whole log as unkeyed rows would pass.
An erased row (audit.models) is checked with the digest of its content kept at its erasure.

On PostgreSQL a month of the log may have been archived (audit/partitions.py): the log then
verifies from the newest archive's last row, and each archived table on its own against what
was written down when it was detached (`verify_archive`).
"""

from __future__ import annotations

import functools
import hmac
import multiprocessing
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from django.apps.registry import Apps
from django.conf import settings
from django.db import connection, connections, models
from django.db.models import Max, Min
from django.utils import timezone

from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.keys import audit_keys
from earlyhelp.audit.models import (
    CHAINED_FIELDS,
    ERASED,
    GENESIS_HASH,
    AuditArchive,
    AuditEvent,
    ErasedContent,
    VerificationRun,
    chain_hash,
)


@dataclass
class Break:
    event_id: int
    reason: str


@dataclass
class ChainReport:
    checked: int = 0
    broken: Break | None = None
    unkeyed: int = 0
    last_id: int = 0
    keys_used: set[str] = field(default_factory=set)
    anchors_checked: int = 0
    last_hash: str = ""
    # The archived month the walk started after (its rows are verified by `verify_archive`).
    archived_until: AuditArchive | None = None


def _unkeyed_reason(keyed_before: bool, legacy_until: int) -> str:
    if keyed_before:
        return (
            "it has no audit key, though the rows before it have one: it was written or "
            "rewritten by someone without the key"
        )
    return (
        "it has no audit key, and only the rows written before the chain was keyed may have "
        f"none (EARLYHELP_AUDIT_LEGACY_UNTIL, now {legacy_until}): it was rewritten by someone "
        "without the key, or it predates the keyed chain and that setting must name the last "
        "such row"
    )


def _missing_anchor(anchors: list[Anchor], last_id: int) -> Break:
    first = anchors[0]
    if not last_id:
        what = "the log is empty: the table was emptied"
    elif first.row > last_id:
        what = f"the log ends at row {last_id}: the newest rows were removed"
    else:
        what = "it was removed and the rows after it chained anew"
    reason = f"it was anchored at {first.at} ({first.source}) but is no longer in the log; {what}"
    if len(anchors) > 1:
        reason += f"; {len(anchors) - 1} later anchored row(s) are missing too"
    return Break(first.row, reason)


@dataclass
class _Range:
    """What one walk over a range of rows found: its first row and the hash that row links to
    (checked against the range before it by whoever joins the ranges), and its last row."""

    first_id: int = 0
    first_prev: str = ""
    first_unkeyed: int = 0
    report: ChainReport = field(default_factory=ChainReport)
    seen: set[int] = field(default_factory=set)


def _walk(
    rows,
    anchors: Mapping[int, Anchor],
    erased: Mapping[int, str],
    *,
    expected_prev: str | None,
    keyed_before: bool,
    batch_size: int,
) -> _Range:
    """Check `rows` (in id order) up to the first problem. `expected_prev`: the hash the first
    row must link to, or None to leave that link to the caller (a range of a parallel run)."""
    keys = audit_keys()
    legacy_until = settings.EARLYHELP_AUDIT_LEGACY_UNTIL
    walked = _Range()
    report = walked.report
    if keyed_before:
        report.keys_used.add("")
    rows = rows.values("id", "hash", *CHAINED_FIELDS).iterator(chunk_size=batch_size)
    for row in rows:
        pk, key_id = row["id"], row["key_id"]
        if not walked.first_id:
            walked.first_id, walked.first_prev = pk, row["prev_hash"]
            if expected_prev is None:
                expected_prev = row["prev_hash"]
        if row["prev_hash"] != expected_prev:
            report.broken = Break(
                pk,
                "its link to the previous row is broken: a row before it was removed, "
                "inserted or altered",
            )
            return walked
        if key_id:
            key = keys.get(key_id)
            if key is None:
                report.broken = Break(
                    pk,
                    f"it was chained with the audit key '{key_id}', which is not in "
                    "EARLYHELP_AUDIT_KEYS: put the retired key back, after the current one",
                )
                return walked
            report.keys_used.add(key_id)
        elif report.keys_used or pk > legacy_until:
            report.broken = Break(pk, _unkeyed_reason(bool(report.keys_used), legacy_until))
            return walked
        else:
            key = None
            report.unkeyed += 1
            walked.first_unkeyed = walked.first_unkeyed or pk
        content = None
        if row["format"] >= 2 and row["changes"] == ERASED and not row["purpose"]:
            content = erased.get(pk)
            if content is None:
                report.broken = Break(
                    pk,
                    "its content was erased, but the digest kept at its erasure is missing: "
                    "the row was emptied outside the retention job, or the kept digest was "
                    "removed",
                )
                return walked
        if not hmac.compare_digest(chain_hash(row, key, content), row["hash"]):
            report.broken = Break(
                pk,
                "its content no longer matches its hash: it was altered, or its hash was "
                "recomputed without the audit key",
            )
            return walked
        anchor = anchors.get(pk)
        if anchor is not None:
            if anchor.hash != row["hash"]:
                report.broken = Break(
                    pk,
                    f"its hash is not the one anchored at {anchor.at} ({anchor.source}): the "
                    "row was replaced",
                )
                return walked
            walked.seen.add(pk)
        expected_prev = row["hash"]
        report.checked += 1
        report.last_id = pk
    report.keys_used.discard("")
    report.last_hash = expected_prev or ""
    return walked


def _kept_digests(**rows) -> dict[int, str]:
    """The digests kept at erasure of the rows `rows` names (event_id__gt=…, __range=…)."""
    kept = ErasedContent.objects.filter(**rows)
    return dict(kept.values_list("event_id", "content_sha256"))


def verify_log(
    anchors: Mapping[int, Anchor] | None = None,
    batch_size: int = 5000,
    *,
    after: tuple[int, str] | None = None,
    workers: int = 1,
) -> ChainReport:
    """Check the whole chain, and the anchors given, up to the first problem. With `after`
    (a checkpoint: a row id and the hash a previous run found there), only the rows after it,
    the first of which must link to that hash. With `workers` > 1 the rows are cut into
    ranges verified by that many processes at once (`verify_ranges`)."""
    anchors = anchors or {}
    archive = AuditArchive.objects.filter(rows__gt=0).order_by("-month").first()
    if archive is not None and (after is None or after[0] < archive.last_id):
        # The rows up to the newest archive's last are no longer in the log.
        after = (archive.last_id, archive.last_hash)
    after_id, expected_prev = after if after is not None else (0, GENESIS_HASH)
    anchors = {row: anchor for row, anchor in anchors.items() if row > after_id}
    # The rows before a checkpoint past the legacy rows were keyed: so must every row after.
    keyed_before = after is not None and after_id > settings.EARLYHELP_AUDIT_LEGACY_UNTIL
    if workers > 1 and not _shared_memory_database():
        report = verify_ranges(
            anchors,
            after_id=after_id,
            expected_prev=expected_prev,
            keyed_before=keyed_before,
            workers=workers,
            batch_size=batch_size,
        )
        report.archived_until = archive
        return report
    walked = _walk(
        AuditEvent.objects.filter(id__gt=after_id).order_by("id"),
        anchors,
        _kept_digests(event_id__gt=after_id),
        expected_prev=expected_prev,
        keyed_before=keyed_before,
        batch_size=batch_size,
    )
    report = walked.report
    report.archived_until = archive
    if not report.last_id:
        report.last_id = after_id
    if report.broken is None:
        report.last_hash = report.last_hash if walked.first_id else expected_prev
    return _with_anchors(report, anchors, walked.seen)


# The models over archived tables live in a registry of their own, never among the project's.
_ARCHIVE_APPS = Apps()


@functools.cache
def _archived_model(table: str) -> type[models.Model]:
    """A read-only model over an archived month's table, with the log's columns, so that its
    rows are read exactly as the log's are."""
    meta = {"db_table": table, "managed": False, "app_label": "audit", "apps": _ARCHIVE_APPS}
    attrs = {"__module__": __name__, "Meta": type("Meta", (), meta)}
    for column in AuditEvent._meta.concrete_fields:
        if column.is_relation:
            attrs[column.attname] = models.BigIntegerField(null=True)
        else:
            attrs[column.name] = column.clone()
    return type(f"Archived_{table}", (models.Model,), attrs)


def verify_archive(archive: AuditArchive, anchors: Mapping[int, Anchor] | None = None):
    """Verify an archived month's table (detached, or restored from its dump) on its own: its
    rows must hold together, link to the hash written down for its first row, and end with the
    hash written down for its last; the anchors of its rows must match."""
    anchors = {
        row: anchor
        for row, anchor in (anchors or {}).items()
        if archive.first_id <= row <= archive.last_id
    }
    rows = _archived_model(archive.table).objects.order_by("id")
    keyed_before = archive.first_id > settings.EARLYHELP_AUDIT_LEGACY_UNTIL + 1
    walked = _walk(
        rows,
        anchors,
        _kept_digests(event_id__range=(archive.first_id, archive.last_id)),
        expected_prev=archive.first_prev_hash,
        keyed_before=keyed_before,
        batch_size=5000,
    )
    report = walked.report
    if report.broken is None and (
        report.checked != archive.rows or report.last_hash != archive.last_hash
    ):
        report.broken = Break(
            report.last_id or archive.first_id,
            f"the archived month holds {report.checked} rows ending with another hash than "
            f"the {archive.rows} rows written down when it was archived: rows were removed "
            "from its end, or added",
        )
    return _with_anchors(report, anchors, walked.seen)


def _shared_memory_database() -> bool:
    """An in-memory SQLite database (the tests') lives in this process only: no other process
    could read it."""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def _with_anchors(report: ChainReport, anchors: Mapping[int, Anchor], seen: set[int]):
    report.anchors_checked = len(seen)
    if report.broken is None:
        missing = sorted((a for a in anchors.values() if a.row not in seen), key=lambda a: a.row)
        if missing:
            report.broken = _missing_anchor(missing, report.last_id)
    return report


# --- Parallel verification ------------------------------------------------------------------------

RANGES_PER_WORKER = 4


def _range_walk(bounds: tuple[int, int], anchors, batch_size: int) -> _Range:
    """One range's walk, in a process of its own (or in this one)."""
    low, high = bounds
    rows = AuditEvent.objects.filter(id__gte=low, id__lte=high).order_by("id")
    erased = _kept_digests(event_id__range=(low, high))
    inside = {row: anchor for row, anchor in anchors.items() if low <= row <= high}
    return _walk(
        rows, inside, erased, expected_prev=None, keyed_before=False, batch_size=batch_size
    )


def verify_ranges(
    anchors: Mapping[int, Anchor],
    *,
    after_id: int = 0,
    expected_prev: str = GENESIS_HASH,
    keyed_before: bool = False,
    workers: int = 2,
    batch_size: int = 5000,
    processes: bool = True,
) -> ChainReport:
    """The chain cut into ranges of ids, each walked on its own (in `workers` processes, or
    one after the other with `processes=False`), then joined: each range's first row must link
    to the last row of the range before it, and a range may hold rows without a key only if no
    range before it held keyed ones. The answer is the one a single walk gives, the same first
    problem included."""
    bounds = AuditEvent.objects.filter(id__gt=after_id).aggregate(low=Min("id"), high=Max("id"))
    report = ChainReport(last_id=after_id, last_hash=expected_prev)
    if bounds["low"] is None:
        return _with_anchors(report, anchors, set())
    low, high = bounds["low"], bounds["high"]
    count = max(1, workers * RANGES_PER_WORKER)
    step = max(1, -(-(high - low + 1) // count))
    ranges = [(start, min(start + step - 1, high)) for start in range(low, high + 1, step)]
    walk = functools.partial(_range_walk, anchors=dict(anchors), batch_size=batch_size)
    if processes:
        connections.close_all()  # each process opens its own
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            walked = list(pool.map(walk, ranges))
    else:
        walked = [walk(bounds) for bounds in ranges]
    seen: set[int] = set()
    keyed = keyed_before
    for part in walked:
        if not part.first_id:
            continue  # a range of ids with no rows
        if part.first_prev != report.last_hash:
            report.broken = Break(
                part.first_id,
                "its link to the previous row is broken: a row before it was removed, "
                "inserted or altered",
            )
            break
        if part.first_unkeyed and keyed:
            report.broken = Break(
                part.first_unkeyed,
                _unkeyed_reason(True, settings.EARLYHELP_AUDIT_LEGACY_UNTIL),
            )
            break
        found = part.report
        report.checked += found.checked
        report.unkeyed += found.unkeyed
        report.keys_used |= found.keys_used
        keyed = keyed or bool(found.keys_used)
        seen |= part.seen
        if found.broken is not None:
            report.broken = found.broken
            report.last_id = found.last_id or report.last_id
            break
        report.last_id, report.last_hash = found.last_id, found.last_hash
    if report.broken is not None:
        report.last_hash = ""  # as a single walk leaves it: no checkpoint from a broken run
    report.keys_used.discard("")
    return _with_anchors(report, anchors, seen)


def verify_chain(
    anchors: Mapping[int, Anchor] | None = None, batch_size: int = 5000
) -> tuple[int, Break | None]:
    """Return (rows checked, first break or None)."""
    report = verify_log(anchors, batch_size)
    return report.checked, report.broken


def last_checkpoint() -> VerificationRun | None:
    """The newest run that found the chain intact: the next bounded run starts after it."""
    return (
        VerificationRun.objects.filter(state=VerificationRun.State.HELD, last_id__gt=0)
        .order_by("-last_id", "-id")
        .first()
    )


def verification_start(*, scope: str, requested_by=None) -> VerificationRun:
    """Record that a run begins (the page shows it as running until it ends)."""
    return VerificationRun.objects.create(
        started_at=timezone.now(),
        scope=scope,
        state=VerificationRun.State.RUNNING,
        requested_by=requested_by,
    )


def verification_store(
    run: VerificationRun, report: ChainReport, *, after_id: int = 0, problems: str = ""
) -> VerificationRun:
    """Keep a run's result: rows verified, and where the chain broke or up to where it held
    (the checkpoint). `problems` (an anchor file that could not be read) makes a run whose
    chain held one that could not verify everything."""
    run.after_id = after_id
    run.rows_checked = report.checked
    run.last_id = report.last_id
    run.finished_at = timezone.now()
    if report.broken is not None:
        run.state = VerificationRun.State.BROKEN
        run.broken_at = report.broken.event_id
        run.reason = report.broken.reason
    elif problems:
        run.state = VerificationRun.State.FAILED
        run.reason = problems
    else:
        run.state = VerificationRun.State.HELD
        run.last_hash = report.last_hash if report.last_id else ""
    run.save()
    return run


def verification_finish(
    run: VerificationRun, *, anchors: Mapping[int, Anchor] | None = None
) -> VerificationRun:
    """Run `run`: the whole log, or the rows after the last checkpoint; store its result."""
    checkpoint = last_checkpoint() if run.scope == VerificationRun.Scope.RECENT else None
    after = (checkpoint.last_id, checkpoint.last_hash) if checkpoint is not None else None
    try:
        report = verify_log(anchors, after=after)
    except Exception as error:  # a run that could not finish must not stay "running"
        run.state = VerificationRun.State.FAILED
        run.reason = f"{type(error).__name__}: {error}"[:2000]
        run.finished_at = timezone.now()
        run.save()
        raise
    return verification_store(run, report, after_id=after[0] if after else 0)
