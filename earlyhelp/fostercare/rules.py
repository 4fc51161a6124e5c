"""What a support agreement requires and where each household stands: for each requirement its
status (met, on track, due soon, missed), the day by which it must be met, and what is left.

The Czech defaults follow zákon 359/1999 Sb., § 47a: 24 hours of training in 12 consecutive
months, 14 days of respite in a calendar year once a placed child is 2 years old, and the
service's key-worker contact and professional help (here: at least every 2 and every 6 months,
as the pilot's methodology sets them). A municipality may set its own (`RequirementRule`).

`compliance_for` reads a whole list of households in a fixed number of queries, however many
households, visits, trainings or respite days there are."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from earlyhelp.fostercare.models import (
    Carer,
    Household,
    Placement,
    Requirement,
    RequirementRule,
    Respite,
    SupportAgreement,
    Training,
    Visit,
)

# Alerts go out this many days before a requirement would be missed.
DUE_SOON_DAYS = 30
# Respite is owed for a placed child of at least this age (§ 47a odst. 2 písm. c).
RESPITE_MIN_AGE = 2
# Until the end of this month, a previous calendar year whose respite fell short is reported
# as missed (so that the overview and the alerts see it before the new year takes over).
LAST_YEAR_REPORTED_UNTIL_MONTH = 1

MET = "met"
ON_TRACK = "on_track"
DUE_SOON = "due_soon"
MISSED = "missed"
NOT_APPLICABLE = "not_applicable"
STATUS_LABELS = {
    MET: _("Met"),
    ON_TRACK: _("On track"),
    DUE_SOON: _("Due soon"),
    MISSED: _("Missed"),
    NOT_APPLICABLE: _("Does not apply"),
}
# Worst first: a household's status is that of its worst requirement.
SEVERITY = [MISSED, DUE_SOON, ON_TRACK, MET, NOT_APPLICABLE]
TONES = {MET: "ok", ON_TRACK: "neutral", DUE_SOON: "warn", MISSED: "danger", NOT_APPLICABLE: ""}


@dataclass(frozen=True)
class Rule:
    code: str
    amount: Decimal
    period: str  # "months" or "calendar_year"
    months: int = 12


DEFAULT_RULES = {
    Requirement.TRAINING: Rule(Requirement.TRAINING, Decimal(24), "months", 12),
    Requirement.RESPITE: Rule(Requirement.RESPITE, Decimal(14), "calendar_year"),
    Requirement.KEY_WORKER_CONTACT: Rule(Requirement.KEY_WORKER_CONTACT, Decimal(1), "months", 2),
    Requirement.COUNSELLING: Rule(Requirement.COUNSELLING, Decimal(1), "months", 6),
}
# What printing a carer's or a child's name reads (the name order follows the country).
CARER_NAMES = ("adult__municipality__jurisdiction",)
CHILD_NAMES = ("child__municipality__jurisdiction",)
VISIT_KINDS = {
    Requirement.KEY_WORKER_CONTACT: Visit.Kind.KEY_WORKER_CONTACT,
    Requirement.COUNSELLING: Visit.Kind.COUNSELLING,
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier); the month's last day where it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# The one period each requirement is counted over (`RequirementRule.clean` allows only it).
PERIODS = {
    Requirement.TRAINING: "months",
    Requirement.RESPITE: "calendar_year",
    Requirement.KEY_WORKER_CONTACT: "months",
    Requirement.COUNSELLING: "months",
}


def _rule_of(row: RequirementRule) -> Rule:
    """A configured rule, held to its requirement's period and to 1–36 months even where an
    older row escaped validation."""
    period = PERIODS.get(row.code, row.period)
    months = min(36, max(1, int(row.months or 0))) if period == "months" else 12
    return Rule(row.code, row.amount, period, months)


def rules_for(municipality_ids) -> dict[int, dict[str, Rule | None]]:
    """Per municipality, the rule of each requirement: its own where configured (None when
    switched off), the Czech default otherwise."""
    table = {m: dict(DEFAULT_RULES) for m in municipality_ids}
    for row in RequirementRule.objects.filter(municipality_id__in=list(table)):
        table[row.municipality_id][row.code] = _rule_of(row) if row.active else None
    return table


@dataclass
class Status:
    """One requirement of one household (for training: of one carer)."""

    code: str
    label: str
    status: str
    due_on: date | None = None
    required: Decimal = Decimal(0)
    done: Decimal = Decimal(0)
    last_on: date | None = None
    carer: Carer | None = None
    note: str = ""
    # Respite: days booked after today, not yet taken.
    planned: Decimal = Decimal(0)

    @property
    def left(self) -> Decimal:
        return max(Decimal(0), self.required - self.done)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def alerting(self) -> bool:
        return self.status in (DUE_SOON, MISSED)

    @property
    def applies(self) -> bool:
        return self.status != NOT_APPLICABLE

    @property
    def is_met(self) -> bool:
        return self.status == MET


@dataclass
class Compliance:
    household: Household
    agreement: SupportAgreement | None
    requirements: list[Status] = field(default_factory=list)

    @property
    def status(self) -> str:
        statuses = [r.status for r in self.requirements] or [NOT_APPLICABLE]
        return min(statuses, key=SEVERITY.index)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def tone(self) -> str:
        return TONES[self.status]

    @property
    def next_due(self) -> date | None:
        dates = [r.due_on for r in self.requirements if r.due_on and r.status != MET]
        return min(dates, default=None)


def _by_deadline(due_on: date, today: date, met: bool) -> str:
    if met:
        return MET
    if today > due_on:
        return MISSED
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return ON_TRACK


def _training_period(signed_on: date, today: date, months: int) -> tuple[date, date]:
    """The period of `months` consecutive months, counted from the agreement's signing, that
    contains today: (its first day, its last day). Counted arithmetically, never by stepping,
    so that no configured length can stall it (a length below 1 is taken as 1)."""
    months = max(1, int(months or 0))
    elapsed = (today.year - signed_on.year) * 12 + today.month - signed_on.month
    index = max(0, elapsed // months)
    if index and add_months(signed_on, index * months) > today:
        index -= 1
    start = add_months(signed_on, index * months)
    return start, add_months(signed_on, (index + 1) * months) - timedelta(days=1)


def _training(rule: Rule, agreement, carers, hours: list[tuple[int, date, Decimal]], today):
    statuses = []
    months = max(1, int(rule.months or 0))
    for carer in carers:
        start, end = _training_period(agreement.signed_on, today, months)
        done = sum((h for c, on, h in hours if c == carer.pk and start <= on <= end), Decimal(0))
        status = _by_deadline(end, today, done >= rule.amount)
        previous_start = _training_period(agreement.signed_on, start - timedelta(days=1), months)[0]
        # A carer who became one only after the last full period began owed nothing for it.
        joined_later = carer.since is not None and carer.since > previous_start
        if start > agreement.signed_on and status != MET and not joined_later:
            before = sum(
                (h for c, on, h in hours if c == carer.pk and previous_start <= on < start),
                Decimal(0),
            )
            if before < rule.amount:
                # The last full period fell short: missed, until this period's hours are done.
                status = MISSED
        statuses.append(
            Status(
                rule.code,
                str(Requirement(rule.code).label),
                status,
                end,
                rule.amount,
                done,
                carer=carer,
            )  # fmt: skip
        )
    return statuses


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _respite_days(respites: list[tuple[date, date]], first: date, last: date) -> set[date]:
    """The carers' rest days between `first` and `last`: each day once, however many children
    someone else looked after that day."""
    days: set[date] = set()
    for start, end in respites:
        day, stop = max(start, first), min(end, last)
        while day <= stop:
            days.add(day)
            day += timedelta(days=1)
    return days


def _entitled(placements, on: date) -> bool:
    """Whether respite is owed on `on`: a child placed that day is at least 2 years old then."""
    return any(
        p.is_current(on) and age_on(p.child.birth_date, on) >= RESPITE_MIN_AGE for p in placements
    )


def _respite(
    rule: Rule, placements, respites: list[tuple[date, date]], today, agreements=()
) -> Status:
    """Respite days of the calendar year: only days up to today count as taken (later ones
    are planned). Until the end of January, a previous year that fell short while respite was
    owed is reported as missed, due on its 31 December."""
    label = str(Requirement(rule.code).label)
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    if today.month <= LAST_YEAR_REPORTED_UNTIL_MONTH:
        last_start, last_end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
        if _entitled(placements, last_end) and any(a.is_current(last_end) for a in agreements):
            last_taken = Decimal(len(_respite_days(respites, last_start, last_end)))
            if last_taken < rule.amount:
                return Status(
                    rule.code, label, MISSED, last_end, rule.amount, last_taken,
                    note=str(
                        _("Last year (%(year)s) fell short: %(taken)s of %(required)s days.")
                        % {
                            "year": last_end.year,
                            "taken": _number(last_taken),
                            "required": _number(rule.amount),
                        }
                    ),
                )  # fmt: skip
    taken = Decimal(len(_respite_days(respites, year_start, min(today, year_end))))
    planned = Decimal(len(_respite_days(respites, today + timedelta(days=1), year_end)))
    note = (
        ngettext("%(days)s more day planned.", "%(days)s more days planned.", int(planned))
        % {"days": _number(planned)}
        if planned
        else ""
    )
    # The age is judged today: a child who turns 2 later this year makes it apply from then.
    if not _entitled(placements, today):
        return Status(
            rule.code, label, NOT_APPLICABLE, None, rule.amount, taken, planned=planned,
            note=str(_("No placed child is 2 years old yet.")),
        )  # fmt: skip
    return Status(
        rule.code, label, _by_deadline(year_end, today, taken >= rule.amount), year_end,
        rule.amount, taken, planned=planned, note=note,
    )  # fmt: skip


def _contacts(rule: Rule, agreement, dates: list[date], today) -> Status:
    """At least `amount` contacts in every period of `months`: the next is due `months` after
    the `amount`-th last one (or after the agreement's signing)."""
    label = str(Requirement(rule.code).label)
    needed = max(1, int(rule.amount))
    # Only contacts under the current agreement count: none before its signing.
    past = sorted((d for d in dates if agreement.signed_on <= d <= today), reverse=True)
    anchor = past[needed - 1] if len(past) >= needed else agreement.signed_on
    due = add_months(anchor, rule.months)
    done = Decimal(len([d for d in past if d > add_months(today, -rule.months)]))
    # Met while the next contact is more than the alert window away.
    status = _by_deadline(due, today, (due - today).days > DUE_SOON_DAYS)
    return Status(
        rule.code, label, status, due, Decimal(needed), min(done, Decimal(needed)),
        last_on=past[0] if past else None,
    )  # fmt: skip


def compliance_for(households, today: date) -> list[Compliance]:
    """The compliance of each household (already narrowed by the policy), in their order."""
    households = list(
        households.prefetch_related(
            Prefetch("carers", queryset=Carer.objects.select_related(*CARER_NAMES)),
            Prefetch("placements", queryset=Placement.objects.select_related(*CHILD_NAMES)),
            Prefetch(
                "agreements",
                queryset=SupportAgreement.objects.select_related("key_worker", "service"),
            ),
        )
    )
    ids = [h.pk for h in households]
    if not ids:
        return []
    rules = rules_for({h.municipality_id for h in households})
    # Two years back is enough for every default and for any period up to 12 months.
    longest = max((r.months for table in rules.values() for r in table.values() if r), default=12)
    since = add_months(today, -2 * max(longest, 12))
    hours: dict[int, list] = defaultdict(list)
    for household_id, carer_id, on, h in Training.objects.filter(
        household_id__in=ids, on__gte=since
    ).values_list("household_id", "carer_id", "on", "hours"):
        hours[household_id].append((carer_id, on, h))
    visits: dict[tuple[int, str], list[date]] = defaultdict(list)
    for household_id, kind, on in Visit.objects.filter(
        household_id__in=ids, on__gte=since, kind__in=list(VISIT_KINDS.values())
    ).values_list("household_id", "kind", "on"):
        visits[(household_id, kind)].append(on)
    respites: dict[int, list] = defaultdict(list)
    for household_id, start, end in Respite.objects.filter(
        household_id__in=ids, ends_on__gte=date(today.year - 1, 1, 1)
    ).values_list("household_id", "starts_on", "ends_on"):
        respites[household_id].append((start, end))
    result = []
    for household in households:
        agreement = next((a for a in household.agreements.all() if a.is_current(today)), None)
        compliance = Compliance(household, agreement)
        result.append(compliance)
        if agreement is None:
            continue
        table = rules[household.municipality_id]
        for code, rule in table.items():
            if rule is None:
                continue
            if code == Requirement.TRAINING:
                compliance.requirements += _training(
                    rule, agreement, household.carers.all(), hours[household.pk], today
                )
            elif code == Requirement.RESPITE:
                compliance.requirements.append(
                    _respite(
                        rule,
                        household.placements.all(),
                        respites[household.pk],
                        today,
                        household.agreements.all(),
                    )
                )
            else:
                compliance.requirements.append(
                    _contacts(rule, agreement, visits[(household.pk, VISIT_KINDS[code])], today)
                )
    return result


def compliance_of(household: Household, today: date) -> Compliance:
    return compliance_for(Household.objects.filter(pk=household.pk), today)[0]
