"""Absence from school or kindergarten, as the class register records it. Where the
jurisdiction's profile sets a threshold of unexcused absence (HU: 10 school hours, 5
kindergarten days), reaching it drafts a signal for the institution."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.models import VersionedModel
from earlyhelp.organisations.models import Institution, Municipality


def school_year_start(day: date) -> date:
    """The first day of the school year `day` falls in: the school year starts on 1 September."""
    return date(day.year if day.month >= 9 else day.year - 1, 9, 1)


class Absence(VersionedModel):
    class Unit(models.TextChoices):
        HOURS = "hours", _("school hours")
        DAYS = "days", _("days")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        related_name="absences",
        verbose_name=_("child"),
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    date = models.DateField(_("date"))
    amount = models.PositiveSmallIntegerField(_("how much"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    excused = models.BooleanField(_("excused"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        indexes = [models.Index(fields=["child", "date"], name="absence_child_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="absence_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.child_id} · {self.date} · {self.amount} {self.unit}"

    @staticmethod
    def unit_for(institution: Institution) -> str:
        """A school counts school hours; a kindergarten or daycare counts days."""
        if institution.kind == Institution.Kind.SCHOOL:
            return Absence.Unit.HOURS
        return Absence.Unit.DAYS
