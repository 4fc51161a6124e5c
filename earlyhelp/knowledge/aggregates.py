"""The maintained figures of the outcomes per method: derived rows that
`knowledge.outcomes.rebuild` writes from the records, so that the outcome pages read one row a
method and never count participants, cases or ratings. A rebuild replaces them in one
transaction; nothing here is typed or edited.

- `MethodReach`: a child reached by a method: a participant of an activity that used it, or a
  child of a case in which a plan step or a referral named it.
- `MethodCase`: a case in which the method was used: the case of such an activity, plan step
  or referral.
- `MethodOutcome`: a method's figures: whom it reached, the participants' outcomes, the
  outcomes of its cases when they closed, and the median movement of the Signs of Safety
  scaling and of the screening worry score.
"""

from __future__ import annotations

from django.db import models

__all__ = ["MethodCase", "MethodOutcome", "MethodReach"]


class MethodReach(models.Model):
    method = models.ForeignKey(
        "knowledge.Method", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    child_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["method", "child_id"], name="method_reach")]

    def __str__(self) -> str:
        return f"{self.method_id} · {self.child_id}"


class MethodCase(models.Model):
    method = models.ForeignKey(
        "knowledge.Method", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # A join for the outcome of the case, without a constraint: the rows are rebuilt whole.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_index=False,
    )

    class Meta:
        indexes = [models.Index(fields=["method", "case"], name="method_case")]

    def __str__(self) -> str:
        return f"{self.method_id} · {self.case_id}"


class MethodOutcome(models.Model):
    method = models.OneToOneField(
        "knowledge.Method", on_delete=models.CASCADE, related_name="outcome_figures"
    )
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    # Reach: distinct children, distinct adults taking part, and the records that used it.
    children = models.PositiveIntegerField(default=0)
    adults = models.PositiveIntegerField(default=0)
    activities = models.PositiveIntegerField(default=0)
    plan_steps = models.PositiveIntegerField(default=0)
    referrals = models.PositiveIntegerField(default=0)
    cases = models.PositiveIntegerField(default=0)
    # The participants' outcomes (children and adults; Participant.Outcome, or none recorded).
    achieved = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    not_achieved = models.PositiveIntegerField(default=0)
    no_outcome = models.PositiveIntegerField(default=0)
    # The outcomes of its cases that are closed (Case.Outcome, "unknown" when none was given).
    cases_closed = models.PositiveIntegerField(default=0)
    improved = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    worsened = models.PositiveIntegerField(default=0)
    unknown = models.PositiveIntegerField(default=0)
    # Signs of Safety: cases scaled at least twice, and the median of last minus first score.
    scaling_cases = models.PositiveIntegerField(default=0)
    scaling_median = models.DecimalField(max_digits=4, decimal_places=1, null=True)
    # Screening: children reached rated at least twice, and the median of last minus first
    # worry score (negative: less worry).
    screening_children = models.PositiveIntegerField(default=0)
    screening_median = models.DecimalField(max_digits=5, decimal_places=1, null=True)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["municipality"], name="method_outcome_place")]

    def __str__(self) -> str:
        return f"{self.method_id} · {self.computed_at:%Y-%m-%d}"
