"""What a plausible date is, decided in one place (docs/data-model.md, "Dates").

A date of birth entered or changed on a form gives an age a service can serve (a stored one need
only be plausible: someone may since have grown older than the range); every other date lies
between 1 January of settings.EARLYHELP_EARLIEST_YEAR and settings.EARLYHELP_YEARS_AHEAD years
after today; a period ends on or after its start. The form fields (core.forms) and the models
use these same validators, so the admin and imports refuse what the pages refuse, and no date
far enough out to overflow date arithmetic (the years 1 and 9999) is ever stored.

A local time is read with zoneinfo's fold: the hour skipped when summer time starts does not
exist, and the hour repeated when it ends is ambiguous until the user says which one is meant.
Messages speak of the clocks going forward or back, never of the server's time zone.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, timedelta, tzinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# --- Bounds ----------------------------------------------------------------------------------


def add_years(day: date, years: int) -> date:
    """The same day `years` later (earlier if negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (earlier if negative); a day the month lacks becomes its
    last (31 March less one month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last date any record may carry."""
    today = today or timezone.localdate()
    return date(settings.EARLYHELP_EARLIEST_YEAR, 1, 1), add_years(
        today, settings.EARLYHELP_YEARS_AHEAD
    )


def birth_date_bounds(ages: tuple[int, int], today: date | None = None) -> tuple[date, date]:
    """The earliest and latest date of birth of someone aged `ages[0]` to `ages[1]` today."""
    today = today or timezone.localdate()
    youngest, oldest = ages
    return add_years(today, -(oldest + 1)) + timedelta(days=1), add_years(today, -youngest)


# Whatever the settings say, no date of birth outside these years can be stored: the
# database refuses it on every path (admin, imports, a bulk update), so no page can ever
# show an age such as 176 or 2025.
BIRTH_YEARS_STORED = (1900, 2100)


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


# --- Validators (forms and models) -----------------------------------------------------------


def validate_date(value: date | None) -> None:
    """An ordinary date: an event, a meeting, an enrolment, a consent, a plan."""
    if value is None:
        return
    day = value.date() if isinstance(value, datetime) else value
    earliest, latest = date_bounds()
    if not earliest <= day <= latest:
        raise ValidationError(
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {"earliest": _day(earliest), "latest": _day(latest)},
            code="date_out_of_range",
        )


def validate_past_in_a_life(value: date | None) -> None:
    """A date in the past of an adult's life, such as since when someone has been a foster
    carer: not in the future, and not before the oldest adult's birth."""
    if value is None:
        return
    today = timezone.localdate()
    earliest = birth_date_bounds(settings.EARLYHELP_ADULT_AGE_YEARS, today)[0]
    if not earliest <= value <= today:
        raise ValidationError(
            _("Enter a date from %(earliest)s to today.") % {"earliest": _day(earliest)},
            code="date_out_of_range",
        )


def _validate_birth_date(value: date | None, ages: tuple[int, int], message: str) -> None:
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    earliest, latest = birth_date_bounds(ages)
    if not earliest <= value <= latest:
        raise ValidationError(
            message
            % {
                "youngest": ages[0],
                "oldest": ages[1],
                "earliest": _day(earliest),
                "latest": _day(latest),
            },
            code="birth_date_out_of_range",
        )


def validate_birth_date_plausible(value: date | None) -> None:
    """Any stored date of birth (the models, so the admin and imports): not in the future and
    within BIRTH_YEARS_STORED, as the database checks. Fixed, not measured against today's
    age range, so the record of someone who has since grown older than the range can still be
    saved with its date of birth unchanged."""
    if value is None:
        return
    if value > timezone.localdate():
        raise ValidationError(_("The date of birth cannot be in the future."), code="future")
    earliest, latest = BIRTH_YEARS_STORED
    if not date(earliest, 1, 1) <= value <= date(latest, 12, 31):
        raise ValidationError(
            _("Enter a date of birth from %(earliest)s to today.")
            % {"earliest": _day(date(earliest, 1, 1))},
            code="birth_date_implausible",
        )


def validate_child_birth_date(value: date | None) -> None:
    """A child's date of birth as entered or changed on a form: aged
    settings.EARLYHELP_CHILD_AGE_YEARS today."""
    _validate_birth_date(
        value,
        settings.EARLYHELP_CHILD_AGE_YEARS,
        _(
            "Services here work with children and young people aged %(youngest)d to "
            "%(oldest)d: enter a date of birth from %(earliest)s to %(latest)s."
        ),
    )


def validate_adult_birth_date(value: date | None) -> None:
    """An adult's date of birth as entered or changed on a form: aged
    settings.EARLYHELP_ADULT_AGE_YEARS today."""
    _validate_birth_date(
        value,
        settings.EARLYHELP_ADULT_AGE_YEARS,
        _(
            "An adult in a child's life is recorded aged %(youngest)d to %(oldest)d: enter a "
            "date of birth from %(earliest)s to %(latest)s."
        ),
    )


def check_period(start, end, *, end_field: str, message: str | None = None) -> None:
    """Refuse a period (dates or date-times) that ends before it starts; the error belongs
    to the end, the field the user most likely mistyped."""
    if start is not None and end is not None and end < start:
        raise ValidationError(
            {end_field: message or _("This is before the start: the end must be on or after it.")}
        )


def age_on(born: date | None, today: date | None = None) -> int | None:
    """Whole years of age; None when unknown or not yet born (nothing to show)."""
    if born is None:
        return None
    today = today or timezone.localdate()
    if born > today:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# --- Local times -----------------------------------------------------------------------------

EXISTS, SKIPPED, REPEATED = "exists", "skipped", "repeated"


def local_time_kind(naive: datetime, zone: tzinfo | None = None) -> str:
    """Whether a wall-clock time happens once, never (the hour skipped when the clocks go
    forward) or twice (the hour repeated when they go back) in `zone`."""
    zone = zone or timezone.get_current_timezone()
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return EXISTS
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    return SKIPPED if back != naive.replace(fold=0) else REPEATED


def local_moment(naive: datetime, fold: int | None = None, zone: tzinfo | None = None) -> datetime:
    """The aware moment a user means by a wall-clock time. A skipped time is refused; a
    repeated one needs `fold` (0: the first time, still summer time; 1: the second)."""
    zone = zone or timezone.get_current_timezone()
    kind = local_time_kind(naive, zone)
    if kind == SKIPPED:
        later = naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)
        raise ValidationError(
            _(
                "%(time)s does not exist on %(date)s: the clocks go forward an hour that "
                "night. Enter the time the clock showed, for example %(later)s."
            )
            % {
                "time": naive.strftime("%H:%M"),
                "date": date_format(naive.date(), "DATE_FORMAT"),
                "later": later.strftime("%H:%M"),
            },
            code="time_skipped",
        )
    if kind == REPEATED and fold not in (0, 1):
        raise ValidationError(
            repeated_time_question(naive),
            code="time_repeated",
        )
    # In UTC: Python compares and subtracts two times of one zone by the wall clock, fold
    # ignored, so the second 02:30 would not come after the first.
    return naive.replace(tzinfo=zone, fold=fold if kind == REPEATED else 0).astimezone(UTC)


def repeated_time_question(naive: datetime) -> str:
    return _(
        "%(time)s happens twice on the night of %(date)s, because the clocks go back an hour: "
        "choose whether you mean the first time (summer time) or the second (winter time)."
    ) % {"time": naive.strftime("%H:%M"), "date": date_format(naive.date(), "DATE_FORMAT")}


def period_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """The database's own refusal of a period that ends before it starts (an empty end is an
    open period). Models also check it in clean(), where the error lands on the end field."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{end}__isnull": True})
        | models.Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def birth_date_constraint(name: str) -> models.CheckConstraint:
    earliest, latest = BIRTH_YEARS_STORED
    return models.CheckConstraint(
        condition=models.Q(birth_date__isnull=True)
        | models.Q(birth_date__gte=date(earliest, 1, 1), birth_date__lte=date(latest, 12, 31)),
        name=name,
    )
