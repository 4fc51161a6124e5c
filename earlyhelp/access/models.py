"""Break-glass grants: time-boxed, reasoned access of a manager or administrator to one child,
and the refused attempts, which the supervisors review alongside."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.organisations.models import Municipality


class BreakGlassQuerySet(models.QuerySet):
    def active(self) -> "BreakGlassQuerySet":
        return self.filter(expires_at__gt=timezone.now(), ended_at__isnull=True, refused=False)


class BreakGlassGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="break_glass_grants",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    # Empty for a refused attempt: which child (if any) the number belongs to is not recorded,
    # so the log tells no more than the refusal did.
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="break_glass_grants",
        verbose_name=_("child"),
    )
    record_tried = models.CharField(_("record number tried"), max_length=20, blank=True)
    refused = models.BooleanField(_("refused"), default=False)
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = BreakGlassQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        indexes = [models.Index(fields=["user", "expires_at"], name="breakglass_user_expiry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(refused=True) | models.Q(child__isnull=False),
                name="breakglass_grant_names_child",
            )
        ]

    def __str__(self) -> str:
        target = self.child_id if not self.refused else f"{self.record_tried!r}, refused"
        return f"{self.user} → {target} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def is_active(self) -> bool:
        return not self.refused and self.ended_at is None and self.expires_at > timezone.now()
