"""The time a case's matter took: from the referral to the day an outcome was reached.

The referral is the earliest receipt of the concerns linked to the case (`CaseConcern`); a
case opened without a concern counts from its opening. Both are moments, counted as the
municipality's calendar day they fell on, so a matter referred and resolved on the same day
took 0 days.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Min
from django.utils import timezone


def referred_on(case) -> date:
    """The day the case's matter was referred: its first linked concern's receipt, else the
    day the case was opened."""
    first = case.case_concerns.filter(concern__received_at__isnull=False).aggregate(
        first=Min("concern__received_at")
    )["first"]
    return timezone.localdate(first or case.opened_at)


def resolution_days(case, achieved_on: date, referred: date | None = None) -> int:
    """Whole days from the referral to `achieved_on` (0 on the same day). `referred` saves the
    query when the caller already knows it (a page of several outcomes)."""
    return (achieved_on - (referred or referred_on(case))).days
