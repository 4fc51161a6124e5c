"""Deadlines of a concern, computed from its time of receipt and the profile it was received
under. How they are counted (docs/protocols.md, "How deadlines are counted"):

* hours: elapsed time. N hours after receipt is N real hours later, also across a change to or
  from summer time.
* working days: the day of receipt never counts, whatever the hour; day 1 is the first working
  day after it, and the deadline is the end of day N (23:59:59 in settings.TIME_ZONE). A working
  day is one the country's calendar counts as working (the `holidays` package: weekends, public
  holidays, Hungary's bridge days off and transferred working Saturdays) and the municipality
  has not added as a closing day.
* calendar days: day 1 is the day after receipt; the deadline is the end of day N even when that
  day is a weekend or a holiday, so earlyhelp never shows a date later than the law's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from earlyhelp.protocols.models import ClosingDay, Condition, MunicipalSetting, Profile, Unit

# The texts of the shipped profiles' rules (migration 0002), listed so that makemessages finds
# them: the rules are data, and their texts are translated when they are shown.
_RULE_TEXTS = (
    gettext_noop(
        "Assess whether the child's health or development is in danger and urgent action is needed"
    ),
    gettext_noop("Acknowledge receipt to the professional notifier"),
    gettext_noop("Act on the concern"),
    gettext_noop("Act on a concern in immediate danger"),
    gettext_noop("Written signal following an oral urgent signal"),
    gettext_noop("Feedback to the reporter"),
    gettext_noop("Tell the reporter whether the child was found to be at risk"),
    gettext_noop("the statutory child-protection authority"),
    # The sources of deadlines that say more than a law's name; a law's name alone ("Barnets
    # Lov", "zákon 359/1999 Sb. § 10(4)") is a proper noun and is not translated.
    gettext_noop("the law: report to OSPOD without undue delay, zákon 359/1999 Sb. § 10(4)"),
    gettext_noop("Gyvt. 17. §: an urgent oral signal is followed in writing"),
)

# Where a deadline's number comes from: the law (its source), a municipality's setting, or
# earlyhelp's default for that setting.
LAW, SETTING, DEFAULT = "law", "setting", "default"


@dataclass(frozen=True)
class DeadlineDue:
    code: str
    label: str
    due_at: datetime
    basis: str  # the rule in words, e.g. "6 working days (Barnets Lov)"


@dataclass(frozen=True)
class PreviewRow:
    reporter_kind: str
    condition: str  # "" when the deadline applies to every concern of this reporter kind
    deadline: DeadlineDue


def is_working_day(day: date, *, country: str, municipality=None) -> bool:
    """Is `day` a working day in `country` (ISO code; unknown: Monday to Friday) for
    `municipality`'s services?"""
    if municipality is not None and municipality.closing_days.filter(date=day).exists():
        return False
    return WorkingCalendar(country).is_working(day)


def working_day_add(start: datetime, days: int, *, country: str, municipality=None) -> datetime:
    """The end (23:59:59 local time) of the `days`-th working day after the day of `start`."""
    calendar = WorkingCalendar.for_place(country, municipality, after=_local(start).date())
    return calendar.add(start, days)


def deadlines_for(
    *,
    profile: Profile,
    municipality,
    received_at: datetime,
    reporter_kind: str,
    immediate_danger: bool = False,
    reporter_requested_feedback: bool = False,
    oral_signal: bool = False,
) -> list[DeadlineDue]:
    """Every deadline of a concern received at `received_at`, earliest first."""
    if reporter_kind not in profile.rules["reporter_kinds"]:
        raise ValueError(
            f"{profile.key}@{profile.version} knows no reporter kind {reporter_kind!r}"
        )
    flags = {
        Condition.IMMEDIATE_DANGER: immediate_danger,
        Condition.REPORTER_REQUESTED_FEEDBACK: reporter_requested_feedback,
        Condition.ORAL_SIGNAL: oral_signal,
    }
    counting = _Counting(profile, municipality, received_at)
    due = [
        counting.due(rule)
        for rule in _rules_for(profile, reporter_kind)
        if all(flags[condition] for condition in rule.get("when", []))
    ]
    return sorted(due, key=lambda deadline: deadline.due_at)


def deadline_preview(
    *,
    profile: Profile,
    received_at: datetime,
    municipality=None,
    reporter_kind: str | None = None,
) -> list[PreviewRow]:
    """Every deadline a concern received at `received_at` could get, per reporter kind, with
    the condition under which it applies. Without a municipality the profile's defaults and the
    country's calendar are used. The `protocols preview` command and the profile admin show it."""
    counting = _Counting(profile, municipality, received_at)
    kinds = [reporter_kind] if reporter_kind else profile.rules["reporter_kinds"]
    rows = []
    for kind in kinds:
        kind_rows = [
            PreviewRow(
                reporter_kind=kind,
                condition="; ".join(str(Condition(c).label) for c in rule.get("when", [])),
                deadline=counting.due(rule),
            )
            for rule in _rules_for(profile, kind)
        ]
        rows.extend(sorted(kind_rows, key=lambda row: row.deadline.due_at))
    return rows


def calendar_country(profile: Profile, municipality=None) -> str:
    """Whose calendar counts: the profile's country; for the generic profile, the country of
    the municipality (without one, no holidays: Monday to Friday)."""
    if profile.key != Profile.Key.GENERIC:
        return profile.key
    return municipality.jurisdiction.code if municipality is not None else ""


class WorkingCalendar:
    """The working days of one country, less the closing days of one municipality."""

    def __init__(self, country: str, closed: frozenset[date] = frozenset()) -> None:
        self.holidays = _country_holidays(country.upper())
        self.closed = closed

    @classmethod
    def for_place(cls, country: str, municipality, *, after: date) -> WorkingCalendar:
        """The calendar of `municipality` (or of the country alone, if None) after `after`:
        its closing days are read once."""
        if municipality is None:
            return cls(country)
        days = ClosingDay.objects.filter(municipality=municipality, date__gt=after)
        return cls(country, frozenset(days.values_list("date", flat=True)))

    def is_working(self, day: date) -> bool:
        if day in self.closed:
            return False
        if self.holidays is None:
            return day.weekday() < 5
        return self.holidays.is_working_day(day)

    def add(self, start: datetime, days: int) -> datetime:
        if days < 1:
            raise ValueError("A deadline counts at least one working day.")
        day = _local(start).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working(day):
                counted += 1
        return _end_of(day)


@lru_cache(maxsize=32)
def _country_holidays(country: str) -> holidays.HolidayBase | None:
    # One calendar per country; it adds the years it is asked about as it goes.
    if country not in holidays.list_supported_countries():
        return None
    return holidays.country_holidays(country)


class _Counting:
    """The deadlines of one concern: its profile, its municipality's settings and calendar."""

    def __init__(self, profile: Profile, municipality, received_at: datetime) -> None:
        _local(received_at)  # refuses a naive datetime
        self.received_at = received_at
        self.profile = profile
        self.calendar = WorkingCalendar.for_place(
            calendar_country(profile, municipality),
            municipality,
            after=_local(received_at).date(),
        )
        self.settings: dict[str, int] = {}
        if municipality is not None:
            self.settings = dict(
                MunicipalSetting.objects.filter(municipality=municipality).values_list(
                    "key", "value"
                )
            )

    def due(self, rule: dict) -> DeadlineDue:
        unit = rule["unit"]
        if "setting" in rule:
            key = rule["setting"]
            if key in self.settings:
                amount, origin = self.settings[key], SETTING
            else:
                amount, origin = self.profile.rules["settings"][key], DEFAULT
        else:
            amount, origin = rule["amount"], LAW
        return DeadlineDue(
            code=rule["code"],
            label=gettext(rule["label"]),
            due_at=self._due_at(unit, amount),
            basis=basis_text(
                unit=unit, amount=amount, origin=origin, source=rule.get("source", "")
            ),
        )

    def _due_at(self, unit: str, amount: int) -> datetime:
        if unit == Unit.HOURS:
            # Elapsed time: count in UTC so that a change of clocks neither adds nor takes an hour.
            return _local(self.received_at.astimezone(UTC) + timedelta(hours=amount))
        if unit == Unit.WORKING_DAYS:
            return self.calendar.add(self.received_at, amount)
        return _end_of(_local(self.received_at).date() + timedelta(days=amount))


def _rules_for(profile: Profile, reporter_kind: str) -> list[dict]:
    kinds = profile.rules["reporter_kinds"]
    return [
        rule
        for rule in profile.rules["deadlines"]
        if reporter_kind in rule.get("reporter_kinds", kinds)
    ]


def basis_text(*, unit: str, amount: int, origin: str, source: str = "") -> str:
    """The rule of a deadline in words, in the active language, from translatable pieces:
    "2 working days (municipal setting, earlyhelp default)", "24 hours (Barnets Lov)". The
    source is translated where the catalogue has it (a law's name alone stays as it is)."""
    source = gettext(source) if source else ""
    if origin == LAW:
        reason = source
    else:
        reason = (
            gettext("municipal setting")
            if origin == SETTING
            else gettext("municipal setting, earlyhelp default")
        )
        reason = f"{reason}; {source}" if source else reason
    amount_text = _amount_text(unit, amount)
    return f"{amount_text} ({reason})" if reason else amount_text


# A basis as `basis_text` writes it in English: the language concerns store it in
# (settings.LANGUAGE_CODE), so that a page can say it again in its reader's language.
_UNITS = {"hour": Unit.HOURS, "working day": Unit.WORKING_DAYS, "day": Unit.CALENDAR_DAYS}
_STORED = re.compile(r"^(\d+) (hours?|working days?|days?)(?: \((.+)\))?$")
_ORIGINS = ((DEFAULT, "municipal setting, earlyhelp default"), (SETTING, "municipal setting"))


def basis_display(stored: str) -> str:
    """A basis stored in English by `basis_text`, said again in the active language; any
    other text (written in another language, or by hand) is shown as it is."""
    match = _STORED.match(stored or "")
    if match is None:
        return stored
    amount, unit, reason = int(match[1]), _UNITS[match[2].removesuffix("s")], match[3] or ""
    origin, source = LAW, reason
    for candidate, words in _ORIGINS:
        if reason == words or reason.startswith(words + "; "):
            origin, source = candidate, reason.removeprefix(words).removeprefix("; ")
            break
    return basis_text(unit=unit, amount=amount, origin=origin, source=source)


def _amount_text(unit: str, amount: int) -> str:
    if unit == Unit.HOURS:
        return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}
    if unit == Unit.WORKING_DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}
    return ngettext("%(n)d day", "%(n)d days", amount) % {"n": amount}


def _local(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValueError("Deadlines are computed from timezone-aware datetimes only.")
    return timezone.localtime(moment, timezone.get_default_timezone())


def _end_of(day: date) -> datetime:
    return timezone.make_aware(
        datetime.combine(day, time(23, 59, 59)), timezone.get_default_timezone()
    )
