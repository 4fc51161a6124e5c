"""The audit log: one append-only, hash-chained row per read of a person-level page and per change.

Rows never change: on PostgreSQL and SQLite a trigger refuses UPDATE and DELETE (migration 0002),
and each row's hash covers its content and the previous row's hash, so `audit_verify` finds the
first row that was altered, removed or slipped in. The actor is kept as plain values rather than a
foreign key so that removing a user can never cascade into the log.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


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
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["subject", "at"], name="audit_subject_at")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.actor_name} {self.action} {self.object_type}:{self.object_id}"

    def compute_hash(self) -> str:
        payload = {
            "prev": self.prev_hash,
            "at": self.at.isoformat(),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "role": self.role,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "subject": self.subject,
            "purpose": self.purpose,
            "request_id": self.request_id,
            "flagged": self.flagged,
            "changes": self.changes,
        }
        canonical = json.dumps(payload, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()
