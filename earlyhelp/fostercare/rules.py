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


def rules_for(municipality_ids) -> dict[int, dict[str, Rule | None]]:
    """Per municipality, the rule of each requirement: its own where configured (None when
    switched off), the Czech default otherwise."""
    table = {m: dict(DEFAULT_RULES) for m in municipality_ids}
    for row in RequirementRule.objects.filter(municipality_id__in=list(table)):
        table[row.municipality_id][row.code] = (
            Rule(row.code, row.amount, row.period, row.months) if row.active else None
        )
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
    contains today: (its first day, its last day)."""
    start = signed_on
    while add_months(start, months) <= today:
        start = add_months(start, months)
    return start, add_months(start, months) - timedelta(days=1)


def _training(rule: Rule, agreement, carers, hours: list[tuple[int, date, Decimal]], today):
    statuses = []
    for carer in carers:
        start, end = _training_period(agreement.signed_on, today, rule.months)
        done = sum((h for c, on, h in hours if c == carer.pk and start <= on <= end), Decimal(0))
        status = _by_deadline(end, today, done >= rule.amount)
        previous_start = add_months(start, -rule.months)
        if start > agreement.signed_on and status != MET:
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


def _respite(rule: Rule, placements, respites: list[tuple[date, date]], today) -> Status:
    label = str(Requirement(rule.code).label)
    year_start, year_end = date(today.year, 1, 1), date(today.year, 12, 31)
    entitled = [
        p
        for p in placements
        if p.is_current(today) and age_on(p.child.birth_date, today) >= RESPITE_MIN_AGE
    ]
    taken = Decimal(
        sum(
            (min(end, year_end) - max(start, year_start)).days + 1
            for start, end in respites
            if end >= year_start and start <= year_end
        )
    )
    if not entitled:
        return Status(
            rule.code, label, NOT_APPLICABLE, None, rule.amount, taken,
            note=str(_("No placed child is 2 years old yet.")),
        )  # fmt: skip
    return Status(
        rule.code, label, _by_deadline(year_end, today, taken >= rule.amount), year_end,
        rule.amount, taken,
    )  # fmt: skip


def _contacts(rule: Rule, agreement, dates: list[date], today) -> Status:
    """At least `amount` contacts in every period of `months`: the next is due `months` after
    the `amount`-th last one (or after the agreement's signing)."""
    label = str(Requirement(rule.code).label)
    needed = max(1, int(rule.amount))
    past = sorted((d for d in dates if d <= today), reverse=True)
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
        household_id__in=ids, ends_on__gte=date(today.year, 1, 1)
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
                    _respite(rule, household.placements.all(), respites[household.pk], today)
                )
            else:
                compliance.requirements.append(
                    _contacts(rule, agreement, visits[(household.pk, VISIT_KINDS[code])], today)
                )
    return result


def compliance_of(household: Household, today: date) -> Compliance:
    return compliance_for(Household.objects.filter(pk=household.pk), today)[0]
