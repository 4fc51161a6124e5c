"""The audit log: one append-only, hash-chained row per read of a person-level page and per change.

Rows never change: on PostgreSQL and SQLite a trigger refuses UPDATE and DELETE (migration 0002),
and each row's hash is an HMAC, with a key kept outside the database (`audit.keys`), over its
content and the previous row's hash. Someone who can write to the database but lacks the key
cannot rewrite a row and recompute the chain after it: `audit_verify` finds the first row that
was altered, removed or slipped in. The actor is kept as plain values rather than a foreign key so
that removing a user can never cascade into the log.

`municipality_id` says whose log a row is part of (the audit-log page of that municipality's
administrators and data-protection officers). It is derived when the row is written (the
record's municipality, else the acting account's) and is not part of the hash: it adds nothing
to what happened, and the rows written before it existed keep the hashes they were written with.
The trigger keeps it from being changed like every other column.

Erasure (docs/privacy.md). Rows of chain format 2 hash the digest of their content (`changes`
and `purpose`) instead of the content itself. When the person a row is about is erased under the
retention rules, the content's digest is kept in `ErasedContent` and the content is replaced by
`ERASED`: the one change the trigger allows, and only for a row whose digest was kept first. The
chain still verifies (the verifier takes the kept digest), and the row no longer says what
was seen or changed. Rows of format 1 hash their content and cannot be erased.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from earlyhelp.audit.keys import AuditKey, audit_keys
from earlyhelp.core.files import HashedFileField

GENESIS_HASH = "0" * 64
# What an erased row's content becomes (its changes; its purpose becomes empty).
ERASED = {"erased": True}
# The chain format of new rows: 2 hashes the digest of a row's content (see the docstring).
CHAIN_FORMAT = 2
# The columns a row's hash covers: everything but the id and the hash itself.
CHAINED_FIELDS = (
    "format",
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


def content_digest(changes: Any, purpose: str) -> str:
    """The SHA-256 of a row's content, as a row of chain format 2 hashes it."""
    canonical = json.dumps(
        {"changes": changes, "purpose": purpose},
        sort_keys=True,
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def chain_hash(row: Mapping[str, Any], key: AuditKey | None, content: str | None = None) -> str:
    """The hash of a row given its chained fields: HMAC-SHA256 with `key`, or, for the rows
    written before the chain was keyed (no key id), the plain SHA-256 they were written with.
    A row of format 2 hashes its content's digest: `content`, if given (an erased row's kept
    digest), else the digest of its changes and purpose."""
    if row.get("format", 1) >= 2:
        payload = {
            "format": row["format"],
            "prev": row["prev_hash"],
            "at": row["at"].isoformat(),
            "actor_id": row["actor_id"],
            "actor_name": row["actor_name"],
            "role": row["role"],
            "action": row["action"],
            "object_type": row["object_type"],
            "object_id": row["object_id"],
            "subject": row["subject"],
            "content": content or content_digest(row["changes"], row["purpose"]),
            "request_id": row["request_id"],
            "flagged": row["flagged"],
        }
        if key is not None:
            payload["key"] = key.id
        canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        if key is None:
            return hashlib.sha256(canonical.encode()).hexdigest()
        return key.sign(canonical.encode())
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
        ERASE = "erase", _("erased under the retention rules")

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
    # Not hashed (see the module's docstring); empty on the rows written before it was kept.
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)
    # 1: the hash covers the content; 2: its digest, so that the content can be erased. Rows
    # written before formats existed (and rows a bulk writer leaves it out of) are format 1.
    format = models.PositiveSmallIntegerField(
        _("chain format"), default=CHAIN_FORMAT, db_default=1, editable=False
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["subject", "at"], name="audit_subject_at"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
            models.Index(fields=["municipality_id", "at", "id"], name="audit_municipality_at"),
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        """This row's hash under the key it names (looked up in EARLYHELP_AUDIT_KEYS)."""
        key = audit_keys()[self.key_id] if self.key_id else None
        return chain_hash({name: getattr(self, name) for name in CHAINED_FIELDS}, key)

    @property
    def is_erased(self) -> bool:
        return self.format >= 2 and self.changes == ERASED


class ErasedContent(models.Model):
    """The digest of an erased audit row's content, kept so that the chain still verifies.
    Written before the row's content is replaced (the trigger refuses the erasure otherwise);
    removing it makes the row fail verification. On SQLite the log's update trigger names this
    table: a migration that rebuilt it (changing a column other than by adding a nullable one)
    would have to drop that trigger first and install it again (audit/0009)."""

    event_id = models.BigIntegerField(_("audit row"), primary_key=True)
    content_sha256 = models.CharField(max_length=64)
    erased_at = models.DateTimeField(_("erased"))
    reason = models.CharField(_("why"), max_length=200)
    # The row's own municipality, so that a kept digest lives beside its row when the log is
    # distributed by municipality (docs/architecture.md).
    municipality_id = models.BigIntegerField(_("municipality"), null=True, blank=True)

    class Meta:
        ordering = ["event_id"]
        verbose_name = _("erased audit content")
        verbose_name_plural = _("erased audit content")

    def __str__(self) -> str:
        return f"#{self.event_id} {self.reason}"


class AuditArchive(models.Model):
    """A month of the log detached from it (PostgreSQL, audit/partitions.py): where its rows went
    and what its chain begins and ends with, so that the log that stays verifies from its last
    row and the archived table verifies on its own. Kept for as long as the archive is."""

    table = models.CharField(_("table"), max_length=63, unique=True)
    month = models.DateField(_("month"), unique=True)
    rows = models.PositiveBigIntegerField(_("rows"))
    first_id = models.BigIntegerField(_("first row"))
    last_id = models.BigIntegerField(_("last row"))
    first_prev_hash = models.CharField(_("hash the first row links to"), max_length=64)
    last_hash = models.CharField(_("hash of the last row"), max_length=64)
    archived_at = models.DateTimeField(_("archived"), auto_now_add=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )

    class Meta:
        ordering = ["month"]
        verbose_name = _("archived audit month")
        verbose_name_plural = _("archived audit months")

    def __str__(self) -> str:
        return f"{self.table} ({self.rows} rows)"


class VerificationRun(models.Model):
    """One run of the chain's verification (`audit_verify`, or the audit-log page's button):
    when, how far, and whether the chain held. A run that held ends at a checkpoint (its last
    row and that row's hash) from which the next bounded run starts."""

    class Scope(models.TextChoices):
        FULL = "full", _("whole log")
        RECENT = "recent", _("since the last checkpoint")

    class State(models.TextChoices):
        RUNNING = "running", _("running")
        HELD = "held", _("chain intact")
        BROKEN = "broken", _("chain broken")
        FAILED = "failed", _("could not run")

    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    state = models.CharField(_("result"), max_length=10, choices=State.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    after_id = models.BigIntegerField(_("from after row"), default=0)
    rows_checked = models.BigIntegerField(_("rows verified"), default=0)
    last_id = models.BigIntegerField(_("last row verified"), default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    broken_at = models.BigIntegerField(_("broken at row"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("verification of the audit log")
        verbose_name_plural = _("verifications of the audit log")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.started_at:%Y-%m-%d %H:%M} {self.state}"


class AuditExport(models.Model):
    """A CSV of the audit-log page's filtered rows, written by a background task to private
    storage and downloaded only by whoever asked for it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("being written")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="audit_exports",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked on"))
    filters = models.JSONField(_("filters"), default=dict, encoder=DjangoJSONEncoder)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(_("rows to write"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    truncated = models.BooleanField(_("cut at the limit"), default=False)
    file = HashedFileField(_("file"), upload_to="audit/%Y/%m/", blank=True)
    file_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("export of the audit log")
        verbose_name_plural = _("exports of the audit log")

    def __str__(self) -> str:
        return f"audit export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
