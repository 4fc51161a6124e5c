"""Walk the audit chain and report the first broken link, in words an operator can act on.

The rows are streamed in id order, never loaded at once. Each row must link to the one before
it, carry the HMAC of its content under the key it names, and, where an anchor names it, still
have the anchored hash; every anchored row must still exist. Rows written before the chain was
keyed (no key id) are accepted only as the first rows of the log, up to
EARLYHELP_AUDIT_LEGACY_UNTIL: otherwise rewriting the whole log as unkeyed rows would pass.
An erased row (audit.models) is checked with the digest of its content kept at its erasure.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from earlyhelp.audit.anchors import Anchor
from earlyhelp.audit.keys import audit_keys
from earlyhelp.audit.models import (
    CHAINED_FIELDS,
    ERASED,
    GENESIS_HASH,
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


def verify_log(
    anchors: Mapping[int, Anchor] | None = None,
    batch_size: int = 5000,
    *,
    after: tuple[int, str] | None = None,
) -> ChainReport:
    """Check the whole chain, and the anchors given, up to the first problem. With `after`
    (a checkpoint: a row id and the hash a previous run found there), only the rows after it,
    the first of which must link to that hash."""
    anchors = anchors or {}
    keys = audit_keys()
    legacy_until = settings.EARLYHELP_AUDIT_LEGACY_UNTIL
    report = ChainReport()
    expected_prev = GENESIS_HASH
    seen: set[int] = set()
    rows = AuditEvent.objects.order_by("id")
    if after is not None:
        rows = rows.filter(id__gt=after[0])
        expected_prev = after[1]
        report.last_id = after[0]
        anchors = {row: anchor for row, anchor in anchors.items() if row > after[0]}
        if after[0] > legacy_until:
            # The rows before the checkpoint were keyed: so must every row after it be.
            report.keys_used.add("")
    kept = ErasedContent.objects.filter(event_id__gt=after[0] if after else 0)
    erased = dict(kept.values_list("event_id", "content_sha256"))
    rows = rows.values("id", "hash", *CHAINED_FIELDS).iterator(chunk_size=batch_size)
    for row in rows:
        pk, key_id = row["id"], row["key_id"]
        if row["prev_hash"] != expected_prev:
            report.broken = Break(
                pk,
                "its link to the previous row is broken: a row before it was removed, "
                "inserted or altered",
            )
            return report
        if key_id:
            key = keys.get(key_id)
            if key is None:
                report.broken = Break(
                    pk,
                    f"it was chained with the audit key '{key_id}', which is not in "
                    "EARLYHELP_AUDIT_KEYS: put the retired key back, after the current one",
                )
                return report
            report.keys_used.add(key_id)
        elif report.keys_used or pk > legacy_until:
            report.broken = Break(pk, _unkeyed_reason(bool(report.keys_used), legacy_until))
            return report
        else:
            key = None
            report.unkeyed += 1
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
                return report
        if not hmac.compare_digest(chain_hash(row, key, content), row["hash"]):
            report.broken = Break(
                pk,
                "its content no longer matches its hash: it was altered, or its hash was "
                "recomputed without the audit key",
            )
            return report
        anchor = anchors.get(pk)
        if anchor is not None:
            if anchor.hash != row["hash"]:
                report.broken = Break(
                    pk,
                    f"its hash is not the one anchored at {anchor.at} ({anchor.source}): the "
                    "row was replaced",
                )
                return report
            seen.add(pk)
        expected_prev = row["hash"]
        report.checked += 1
        report.last_id = pk
    report.keys_used.discard("")
    report.last_hash = expected_prev
    report.anchors_checked = len(seen)
    missing = sorted((a for a in anchors.values() if a.row not in seen), key=lambda a: a.row)
    if missing:
        report.broken = _missing_anchor(missing, report.last_id)
    return report


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
