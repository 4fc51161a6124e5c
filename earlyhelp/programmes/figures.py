"""A programme's figures, computed from the records, never typed.

This module is the one place that counts work for programmes. The page (`views.detail`) and the
funder's report (`reports`) read `programme_figures(programme, starts=, ends=)`; both get the
same dataclasses below. The figures come from maintained aggregates that `rebuild` writes (the
`manage.py rebuild_programme_figures` job, scheduled every few minutes, and the "Compute now"
button of the programme page), so a page never counts attendance rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


@dataclass
class Point:
    on: date  # the last day of a month (or the period's end)
    value: Decimal


@dataclass
class IndicatorFigure:
    indicator: object  # programmes.Indicator
    description: str  # the definition in words, translated
    value: Decimal | None  # None: nothing computed yet
    target: Decimal
    target_date: date
    lower_is_better: bool
    series: list[Point] = field(default_factory=list)  # cumulative, month by month
    forecast: Decimal | None = None  # the value at the target date at the current pace
    will_miss: bool = False  # the forecast misses the target
    met: bool = False  # the value meets the target already


@dataclass
class ShareFigure:
    target_group: object  # programmes.TargetGroup
    people: int  # distinct people reached who belong to the group
    reached: int  # distinct people reached (of the group's kind: children, adults or both)
    share: Decimal | None  # people / reached, in %; None when nobody was reached
    target_share: Decimal | None
    rule: str  # TargetGroup.ShareRule
    met: bool | None  # None: no target share


@dataclass
class ActivityFigure:
    activity_type: str  # the type's name, translated
    activities: int  # activities with at least one meeting held in the period
    meetings: int  # meetings held
    hours: Decimal  # time spent at the meetings held
    people: int  # distinct named people present at least once


@dataclass
class OutcomeFigure:
    category: object  # programmes.OutcomeCategory
    reached: int  # outcomes reached in the period
    median_days: Decimal | None  # referral to resolution


@dataclass
class ProgrammeFigures:
    programme: object
    starts: date
    ends: date
    indicators: list[IndicatorFigure]
    shares: list[ShareFigure]
    activities: list[ActivityFigure]
    outcomes: list[OutcomeFigure]
    case_outcomes: list[tuple[str, int]]  # the generic outcomes of cases closed in the period
    computed_at: datetime | None  # None: never computed yet
