"""A week of dated entries, Monday first, for the week grid (templates/components/week_grid.html):
the worker's week of activities and the contact calendar draw the same grid."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import TypeVar

from django.utils import timezone

Entry = TypeVar("Entry")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_days(
    monday: date,
    entries: Iterable[Entry],
    *,
    starts: Callable[[Entry], datetime] = attrgetter("starts_at"),
) -> dict[date, list[Entry]]:
    """The seven days from `monday`, each with its entries in the order given (by their start in
    the local time zone); a day without entries has an empty list, so the grid shows every day."""
    days: dict[date, list[Entry]] = {monday + timedelta(days=n): [] for n in range(7)}
    for entry in entries:
        days[timezone.localtime(starts(entry)).date()].append(entry)
    return days
