"""The secret keys that chain the audit log, kept outside the database.

Whoever can write to the database can recompute a plain hash chain, so each row's hash is an
HMAC with a key from the environment (`EARLYHELP_AUDIT_KEYS`, "id:secret" pairs, the current key
first). Each row names the id of the key it was chained with; retired keys stay in the list so
that older rows can still be verified (docs/operations.md#audit-keys).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,16}$")
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class AuditKey:
    id: str
    secret: bytes

    def sign(self, message: bytes) -> str:
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def key_problems(entries: list[str]) -> list[str]:
    """What is wrong with the configured "id:secret" entries, in words an operator can act on."""
    if not entries:
        return [
            "EARLYHELP_AUDIT_KEYS is not set. The audit log must be chained with a secret kept "
            "outside the database: set EARLYHELP_AUDIT_KEYS=<id>:<secret> (see "
            "docs/operations.md, Audit keys)."
        ]
    problems, seen = [], set()
    for position, entry in enumerate(entries, start=1):
        key_id, colon, secret = entry.partition(":")
        if not colon or not KEY_ID.match(key_id):
            problems.append(
                f"EARLYHELP_AUDIT_KEYS entry {position} is not '<id>:<secret>' with an id of "
                "1 to 16 letters, digits, '.', '_' or '-'."
            )
            continue
        if key_id in seen:
            problems.append(f"EARLYHELP_AUDIT_KEYS names the key id '{key_id}' twice.")
        seen.add(key_id)
        if len(secret) < MIN_SECRET_LENGTH:
            problems.append(
                f"The secret of audit key '{key_id}' is shorter than {MIN_SECRET_LENGTH} "
                "characters."
            )
    return problems


def audit_keys() -> dict[str, AuditKey]:
    """Every configured key by id, the current one first."""
    keys: dict[str, AuditKey] = {}
    for entry in settings.EARLYHELP_AUDIT_KEYS:
        key_id, _, secret = entry.partition(":")
        keys.setdefault(key_id, AuditKey(key_id, secret.encode()))
    return keys


def current_key() -> AuditKey:
    """The key new rows are chained with; refuses to write an unkeyed row."""
    problems = key_problems(list(settings.EARLYHELP_AUDIT_KEYS))
    if problems:
        raise ImproperlyConfigured(" ".join(problems))
    return next(iter(audit_keys().values()))
