"""Moments for tests that count calendar days.

`timezone.now() - timedelta(days=n)` is n × 24 hours back, which is not always n calendar days
back in local time: across a change of the clocks, late in the evening, it falls on the day
after. A test that compares local dates takes its moments from here.
"""

import datetime as dt

from django.utils import timezone


def days_ago(days: int, at: dt.time = dt.time(12)) -> dt.datetime:
    """The aware moment at local time `at` (noon by default) `days` calendar days before today."""
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, at))
