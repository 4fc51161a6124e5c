"""Credentials of other systems, and the idempotency keys that make their writes safe to retry."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class Scope(models.TextChoices):
    """What a token may do, within what its account may (docs/api.md, "Tokens")."""

    READ = "read", pgettext_lazy("API token scope", "read")
    WRITE = "write", pgettext_lazy("API token scope", "write")
    IMPORT = "import", pgettext_lazy("API token scope", "import")


def default_scopes() -> list[str]:
    """A token's scopes unless it is issued with others: reading and writing."""
    return [Scope.READ.value, Scope.WRITE.value]


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        """Tokens that authenticate: not revoked, not expired, of an active account."""
        return self.filter(
            revoked_at__isnull=True, expires_at__gt=timezone.now(), user__is_active=True
        )


class ApiToken(models.Model):
    """A bearer token acting as one user account: the account's memberships decide what the
    system may see, through the same policy as for people. Only the hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("acts as"),
    )
    name = models.CharField(_("system"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    scopes = models.JSONField(_("scopes"), default=default_scopes)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(
        cls, *, user, name: str, days: int | None = None, scopes: list[str] | None = None
    ) -> tuple["ApiToken", str]:
        """Create a token valid for `days` (EARLYHELP_API_TOKEN_DAYS by default) with `scopes`
        (`default_scopes()` unless given); the raw value is returned once and never stored.
        Issue tokens through `api.services.api_token_issue`, which audits it."""
        raw = secrets.token_urlsafe(32)
        days = settings.EARLYHELP_API_TOKEN_DAYS if days is None else days
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:8],
            expires_at=timezone.now() + timedelta(days=days),
            scopes=sorted(set(scopes)) if scopes is not None else default_scopes(),
        )
        return token, raw

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class IdempotencyKey(models.Model):
    """A write under an `Idempotency-Key`: the fingerprint of its body, and once done the
    answer given, so a retry gets that answer instead of a second concern. `status` is empty
    while the first request is still being worked on (a second one then gets 409)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=200)
    # SHA-256 of the canonical JSON of the validated body; empty for keys stored before it.
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    status = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    response = models.JSONField(_("response"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_per_user")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def in_progress(self) -> bool:
        return self.status is None


class TokenWindow(models.Model):
    """How many requests a token made in one minute: the rate limit's count, shared by every
    worker process (api.api.TokenAuth). A token's older minutes are removed as a new one
    starts."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="api_token_minute_unique")
        ]

    def __str__(self) -> str:
        return f"{self.token_id} @ {self.minute:%Y-%m-%d %H:%M}: {self.requests}"
