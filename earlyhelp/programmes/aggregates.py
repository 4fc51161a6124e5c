"""The maintained aggregates of programme figures: derived rows that `figures.rebuild` writes
from the records linked to a programme, so that the page and the funder's report never count
attendance rows. A rebuild replaces a programme's rows in one transaction; nothing here is
typed or edited.

- `Engagement`: a person taking part for a programme in one way (`Indicator.Role`) through one
  record, from a day to a day: a day of presence at a held meeting of an activity or at a held
  contact meeting, a case's open span, a support agreement's or placement's span in force.
- `Delivery`: a held meeting of a linked activity (its day, minutes, people present).
- `CaseSpan`: a linked case open from a day to a day, with its generic outcome.
- `OutcomeReached`: a programme outcome reached, with the days from referral to resolution.
- `GroupMember`: a person reached who belongs to a target group (computed once per person).
- `IndicatorPoint`: an indicator's cumulative value at the end of each month.
- `Computation`: when the programme was computed, and its figures over its whole period.
- `PeriodFigures`: a draft funder's report's exact figures over its period, computed with the
  rest, so that opening or downloading a draft reads one row.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "CaseSpan",
    "Computation",
    "Delivery",
    "Engagement",
    "GroupMember",
    "IndicatorPoint",
    "OutcomeReached",
    "PeriodFigures",
    "PersonKind",
]


class PersonKind(models.TextChoices):
    CHILD = "child", _("child")
    ADULT = "adult", _("adult")
    STAFF = "staff", _("member of staff")


class Engagement(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person_kind = models.CharField(max_length=5, choices=PersonKind.choices)
    person_id = models.BigIntegerField()
    role = models.CharField(max_length=20)  # Indicator.Role
    source_id = models.BigIntegerField()  # the activity, case, arrangement or agreement
    activity_type_id = models.BigIntegerField(null=True)
    first_on = models.DateField()
    last_on = models.DateField(null=True)  # None: still going on
    household_id = models.BigIntegerField(null=True)  # foster carers and children
    setting = models.CharField(max_length=32, blank=True)  # Institution.Kind where reached

    class Meta:
        indexes = [
            models.Index(fields=["programme", "person_kind", "first_on"], name="engagement_read"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.person_kind} {self.person_id} · {self.role}"


class Delivery(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    activity_id = models.BigIntegerField()
    activity_type_id = models.BigIntegerField()
    held_on = models.DateField()
    minutes = models.PositiveIntegerField()
    # Attendance rows marked present (people named on the day included; a head count of
    # people whose names were not taken is not an attendance).
    present = models.PositiveIntegerField()
    # Partner organisations taking part in the activity (a round table has some).
    partners = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["programme", "held_on"], name="delivery_read")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.activity_id} · {self.held_on}"


class CaseSpan(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    case_id = models.BigIntegerField()
    opened_on = models.DateField()
    closed_on = models.DateField(null=True)
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["programme", "opened_on"], name="case_span_read")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.case_id}"


class OutcomeReached(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    category_id = models.BigIntegerField()
    case_id = models.BigIntegerField()
    achieved_on = models.DateField()
    days = models.IntegerField(null=True)  # referral to resolution

    class Meta:
        indexes = [models.Index(fields=["programme", "achieved_on"], name="outcome_reached_read")]

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.category_id} · {self.achieved_on}"


class GroupMember(models.Model):
    target_group = models.ForeignKey(
        "programmes.TargetGroup", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    person_kind = models.CharField(max_length=5, choices=PersonKind.choices)
    person_id = models.BigIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["target_group", "person_kind", "person_id"], name="group_member")
        ]

    def __str__(self) -> str:
        return f"{self.target_group_id} · {self.person_kind} {self.person_id}"


class IndicatorPoint(models.Model):
    indicator = models.ForeignKey(
        "programmes.Indicator", on_delete=models.CASCADE, related_name="points", db_index=False
    )
    on = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["indicator", "on"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "on"], name="indicator_point_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} · {self.on}: {self.value}"


class Computation(models.Model):
    programme = models.OneToOneField(
        "programmes.Programme",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="computation",
    )
    computed_at = models.DateTimeField()
    seconds = models.FloatField(default=0)
    rows = models.PositiveIntegerField(default=0)
    # The figures over the programme's whole period, as `figures.programme_figures` serves
    # them to the page: shares, activities by type, outcomes, generic case outcomes.
    summary = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.programme_id} · {self.computed_at:%Y-%m-%d %H:%M}"


class PeriodFigures(models.Model):
    """The exact content of a draft report (`reports.content_of`, without the narrative), as the
    last rebuild of its programme computed it. A released report keeps its own snapshot; a
    change to the programme's set-up drops these rows, and the next reading computes them."""

    report = models.OneToOneField(
        "programmes.Report", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    computed_at = models.DateTimeField()
    content = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.report_id} · {self.computed_at:%Y-%m-%d %H:%M}"
