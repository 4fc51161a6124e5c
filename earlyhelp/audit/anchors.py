"""Anchors: the chain's head, written outside the database at a set interval.

A keyed chain shows that no row was altered or slipped in, but a shorter chain is still a valid
chain: removing the newest rows, or emptying the table, leaves nothing to see inside the
database. `audit_anchor` (run by cron) therefore appends the head (row id and hash) to a file
the database cannot reach, and to the `earlyhelp.audit.anchor` logger for syslog. Each line is
signed with the audit key, so a line cannot be forged without it. `audit_verify` then checks
that every anchored row is still in the chain with the same hash.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from earlyhelp.audit.keys import AuditKey, audit_keys, current_key
from earlyhelp.audit.models import AuditEvent

logger = logging.getLogger("earlyhelp.audit.anchor")

# Keeps an anchor's signature apart from a row's, though both use the same key.
_DOMAIN = b"earlyhelp audit anchor\n"


@dataclass(frozen=True)
class Anchor:
    row: int
    hash: str
    at: str
    key: str
    source: str  # "file, line n": where a report sends the operator


class AnchorFileError(Exception):
    """An anchor file that cannot be trusted: unreadable, damaged, or a line not signed by us."""


def _signed_part(*, row: int, hash: str, at: str, key: str) -> bytes:
    fields = {"at": at, "hash": hash, "key": key, "row": row}
    return _DOMAIN + json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def anchor_line(*, row: int, hash: str, at: str, key: AuditKey) -> str:
    """One JSON line: the head's row id and hash, the time, the key id and its HMAC."""
    mac = key.sign(_signed_part(row=row, hash=hash, at=at, key=key.id))
    return json.dumps({"at": at, "row": row, "hash": hash, "key": key.id, "mac": mac})


def anchor_file() -> Path:
    return Path(settings.EARLYHELP_AUDIT_ANCHOR_FILE)


def anchor_write(path: Path | None = None) -> Anchor | None:
    """Append the chain's current head to the anchor file and the anchor logger.

    None when the log is empty: there is nothing to anchor yet."""
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    if head is None:
        return None
    path = path or anchor_file()
    key = current_key()
    at = timezone.now().isoformat(timespec="seconds")
    line = anchor_line(row=head[0], hash=head[1], at=at, key=key)
    path.parent.mkdir(parents=True, exist_ok=True)
    # One write of a short line with O_APPEND: concurrent runs cannot interleave their lines.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, (line + "\n").encode())
        os.fsync(fd)
    finally:
        os.close(fd)
    logger.info(line)
    return Anchor(head[0], head[1], at, key.id, str(path))


def anchors_read(path: Path) -> dict[int, Anchor]:
    """Every anchor in the file by row id, each line's signature checked."""
    keys = audit_keys()
    anchors: dict[int, Anchor] = {}
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise AnchorFileError(f"The anchor file {path} cannot be read: {exc.strerror}.") from exc
    with handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            where = f"{path}, line {number}"
            try:
                # A line as syslog kept it starts with syslog's own time and tag.
                data = json.loads(text[text.find("{") :])
                row, hash_, at = int(data["row"]), str(data["hash"]), str(data["at"])
                key_id, mac = str(data["key"]), str(data["mac"])
            except (ValueError, TypeError, KeyError) as exc:
                raise AnchorFileError(f"{where} is not an anchor: the file is damaged.") from exc
            key = keys.get(key_id)
            if key is None:
                raise AnchorFileError(
                    f"{where} is signed with the audit key '{key_id}', which is not in "
                    "EARLYHELP_AUDIT_KEYS: keep retired keys in the list to verify old anchors."
                )
            expected = key.sign(_signed_part(row=row, hash=hash_, at=at, key=key_id))
            if not hmac.compare_digest(expected, mac):
                raise AnchorFileError(
                    f"{where} does not carry a valid signature: it was changed, or written by "
                    "someone without the audit key."
                )
            earlier = anchors.get(row)
            if earlier is not None and earlier.hash != hash_:
                raise AnchorFileError(
                    f"{where} anchors row {row} with another hash than {earlier.source}: the row "
                    "was replaced between the two anchors."
                )
            anchors.setdefault(row, Anchor(row, hash_, at, key_id, where))
    return anchors
