"""The audit log: one append-only, hash-chained row per read of a person-level page and per change.

Rows never change: on PostgreSQL and SQLite a trigger refuses UPDATE and DELETE (migration 0002),
and each row's hash is an HMAC, with a key kept outside the database (`audit.keys`), over its
content and the previous row's hash. Someone who can write to the database but lacks the key
cannot rewrite a row and recompute the chain after it: `audit_verify` finds the first row that
was altered, removed or slipped in. The actor is kept as plain values rather than a foreign key so
that removing a user can never cascade into the log.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from earlyhelp.audit.keys import AuditKey, audit_keys

GENESIS_HASH = "0" * 64
# The columns a row's hash covers: everything but the id and the hash itself.
CHAINED_FIELDS = (
    "prev_hash",
    "key_id",
    "at",
    "actor_id",
    "actor_name",
    "role",
    "action",
    "object_type",
    "object_id",
    "subject",
    "purpose",
    "request_id",
    "flagged",
    "changes",
)


def chain_hash(row: Mapping[str, Any], key: AuditKey | None) -> str:
    """The hash of a row given its chained fields: HMAC-SHA256 with `key`, or, for the rows
    written before the chain was keyed (no key id), the plain SHA-256 they were written with."""
    payload = {
        "prev": row["prev_hash"],
        "at": row["at"].isoformat(),
        "actor_id": row["actor_id"],
        "actor_name": row["actor_name"],
        "role": row["role"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "subject": row["subject"],
        "purpose": row["purpose"],
        "request_id": row["request_id"],
        "flagged": row["flagged"],
        "changes": row["changes"],
    }
    if key is not None:
        payload["key"] = key.id
    canonical = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    if key is None:
        return hashlib.sha256(canonical.encode()).hexdigest()
    return key.sign(canonical.encode())


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        LIST = "list", _("listed")
        CREATE = "create", _("created")
        CHANGE = "change", _("changed")
        DELETE = "delete", _("deleted")
        EXPORT = "export", _("exported")
        RELEASE = "release", _("released")
        BREAK_GLASS = "break_glass", _("opened with break-glass")
        LOGIN = "login", _("signed in")
        LOGOUT = "logout", _("signed out")
        LOGIN_FAILED = "login_failed", _("failed to sign in")

    at = models.DateTimeField(_("when"), db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True)
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=32, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    subject = models.CharField(
        _("person"),
        max_length=80,
        blank=True,
        help_text=_("The person whose record this is, as app.model:id."),
    )
    purpose = models.CharField(_("purpose"), max_length=500, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    key_id = models.CharField(
        _("audit key"),
        max_length=16,
        blank=True,
        default="",
        help_text=_("The key the hash was made with; empty for rows written before keying."),
    )
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["subject", "at"], name="audit_subject_at")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        """This row's hash under the key it names (looked up in EARLYHELP_AUDIT_KEYS)."""
        key = audit_keys()[self.key_id] if self.key_id else None
        return chain_hash({name: getattr(self, name) for name in CHAINED_FIELDS}, key)
