"""Dashboard figures about concerns, computed from records, never typed, with small-cell
suppression for roles that see no concern itself."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from earlyhelp.access.policy import SMALL_CELL, concerns_for_figures
from earlyhelp.concerns.models import Concern, ConcernDeadline


@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed or too few to say
    width: float = 0.0  # share of the longest bar, 0–100


@dataclass
class Figures:
    by_status: list[tuple[str, str]]  # (label, count as shown)
    overdue: str
    triage_hours: list[Bar]
    suppressed: bool


def _shown(count: int, suppress: bool) -> str:
    return f"<{SMALL_CELL}" if suppress and 0 < count < SMALL_CELL else str(count)


def concern_figures(*, user) -> Figures:
    concerns, suppress = concerns_for_figures(
        user, Concern.objects.exclude(status=Concern.Status.DRAFT)
    )
    counts = dict(concerns.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = [
        (label, _shown(counts.get(value, 0), suppress))
        for value, label in Concern.Status.choices
        if value != Concern.Status.DRAFT
    ]
    late = ConcernDeadline.objects.filter(
        concern=OuterRef("pk"), met_at__isnull=True, due_at__lt=timezone.now()
    )
    overdue = concerns.filter(Exists(late)).count()
    hours: dict[str, list[float]] = {}
    for name, received, decided in concerns.filter(
        decided_at__isnull=False, received_at__isnull=False
    ).values_list("institution__name", "received_at", "decided_at"):
        hours.setdefault(name, []).append((decided - received).total_seconds() / 3600)
    bars = [
        Bar(name, round(median(values), 1) if not suppress or len(values) >= SMALL_CELL else None)
        for name, values in sorted(hours.items())
    ]
    longest = max((bar.value for bar in bars if bar.value), default=0)
    for bar in bars:
        bar.width = round(100 * bar.value / longest, 1) if bar.value and longest else 0
    return Figures(
        by_status=by_status,
        overdue=_shown(overdue, suppress),
        triage_hours=bars,
        suppressed=suppress,
    )
