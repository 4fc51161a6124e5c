"""What a user must act on, kept as rows with a due moment and indexed by owner, so that the
start page and the navigation's count read a few index entries instead of scanning every
capability. A duty holds no personal free text: what it is about is named at read time, through
the access policy (docs/duties.md)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.models import TimeStampedModel
from earlyhelp.organisations.models import Municipality


class Duty(TimeStampedModel):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="duties",
        verbose_name=_("owner"),
    )
    # Declared by the capability's duty source (`duties.registry.Kind`), never by this app, so
    # a capability adds a kind without a migration here.
    kind = models.CharField(_("kind"), max_length=40)
    due = models.DateTimeField(_("due"))
    # A date without an hour (a plan step, a review): shown as a date, due by the end of it.
    all_day = models.BooleanField(_("all day"), default=False)
    # The record whose state gives the duty: refreshed when that record changes.
    source_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    source_id = models.PositiveBigIntegerField()
    # The record the user opens to act on it (a case for one of its plan steps), asked of the
    # policy again when the page is read.
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "source_type", "source_id"], name="duty_unique"
            )
        ]
        indexes = [
            models.Index(fields=["owner", "due"], name="duty_owner_due"),
            models.Index(fields=["source_type", "source_id"], name="duty_source"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.owner_id} · {self.due:%Y-%m-%d %H:%M}"
