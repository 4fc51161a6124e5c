"""A programme's figures, computed from the records, never typed.

This module is the one place that counts work for programmes. The page (`views.detail`) and the
funder's report (`reports`) read `programme_figures(programme, starts=, ends=)`; both get the
same dataclasses below. The figures come from maintained aggregates that `rebuild` writes (the
`manage.py rebuild_programme_figures` job, scheduled every few minutes, and the "Compute now"
button of the programme page), so a page never counts attendance rows.
"""

from __future__ import annotations

import logging
import time
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models import CharField as CharFieldType
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.programmes.aggregates import (
    CaseSpan,
    Computation,
    Delivery,
    Engagement,
    GroupMember,
    IndicatorPoint,
    OutcomeReached,
    PersonKind,
)
from earlyhelp.programmes.models import Indicator, Programme, Report, TargetGroup
from earlyhelp.programmes.words import describe


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
    # Of the people reached, those whose record cannot tell whether they live in the group's
    # action area (in neither an "inside" nor an "outside" group; 0 for a group anywhere).
    unknown: int = 0


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
    # The counts a share or a median indicator stands on, by indicator id, so that a page
    # hiding small cells can hide the figures that would reveal them.
    behind: dict = field(default_factory=dict)
    # An indicator's definition changed since the last rebuild (its values were dropped).
    outdated: bool = False


logger = logging.getLogger(__name__)
Role = Indicator.Role
Unit = Indicator.Unit
ONE_DAY = timedelta(days=1)
HUNDRED = Decimal(100)


# --- Reading the maintained aggregates -----------------------------------------------------


def _overlapping(
    queryset, starts: date, ends: date, first: str = "first_on", last: str = "last_on"
):
    return queryset.filter(
        Q(**{f"{first}__lte": ends}), Q(**{f"{last}__isnull": True}) | Q(**{f"{last}__gte": starts})
    )


def _people(programme_id: int, kind: str, roles, starts: date, ends: date, types=None):
    rows = Engagement.objects.filter(programme_id=programme_id, person_kind=kind)
    if roles is not None:
        rows = rows.filter(role__in=roles)
    if types:
        rows = rows.filter(activity_type_id__in=types)
    return _overlapping(rows, starts, ends)


def _distinct(rows, column: str = "person_id") -> int:
    return rows.aggregate(n=Count(column, distinct=True))["n"] or 0


def _members(rows, target_group_id: int, kind: str):
    return rows.filter(
        person_id__in=GroupMember.objects.filter(
            target_group_id=target_group_id, person_kind=kind
        ).values("person_id")
    )


# Which people rows a people unit counts, and through which roles (None: any way).
UNIT_KIND = {
    Unit.CHILDREN: PersonKind.CHILD,
    Unit.ADULTS: PersonKind.ADULT,
    Unit.CARERS: PersonKind.ADULT,
    Unit.STAFF: PersonKind.STAFF,
}


def _roles(indicator) -> list[str] | None:
    if indicator.unit == Unit.CARERS:
        return [Role.FOSTER_CARER]
    if indicator.unit == Unit.STAFF:
        if indicator.role == Role.IMPLEMENTATION_SUPPORT:
            return [Role.IMPLEMENTATION_SUPPORT]
        return [Role.PARTICIPANT]
    if indicator.role == Role.ANY:
        return None
    return [indicator.role]


def _type_ids(indicator) -> list[int]:
    cache = getattr(indicator, "_prefetched_objects_cache", {})
    if "activity_types" in cache:
        return [t.pk for t in cache["activity_types"]]
    return list(indicator.activity_types.values_list("pk", flat=True))


def _clip(indicator, starts: date | None, ends: date | None) -> tuple[date, date]:
    own_starts, own_ends = indicator.starts(), indicator.ends()
    return max(starts or own_starts, own_starts), min(ends or own_ends, own_ends)


def _median(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return Decimal(str(median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def indicator_value(indicator, starts: date | None = None, ends: date | None = None) -> Decimal:
    """The indicator's value over [starts, ends] (within its own period), from the maintained
    aggregates only. A period outside the indicator's own gives 0 (None for a median)."""
    starts, ends = _clip(indicator, starts, ends)
    if ends < starts:
        return None if indicator.unit == Unit.RESOLUTION_DAYS else Decimal(0)
    pid = indicator.programme_id
    unit = indicator.unit
    types = _type_ids(indicator)
    if unit in UNIT_KIND:
        kind = UNIT_KIND[unit]
        rows = _people(pid, kind, _roles(indicator), starts, ends, types)
        if indicator.aggregation == Indicator.Aggregation.SHARE:
            reached = _distinct(rows)
            members = _distinct(_members(rows, indicator.target_group_id, kind))
            return _percent(members, reached) or Decimal(0)
        if indicator.target_group_id:
            rows = _members(rows, indicator.target_group_id, kind)
        return Decimal(_distinct(rows))
    if unit == Unit.HOUSEHOLDS:
        rows = _people(pid, PersonKind.ADULT, [Role.FOSTER_CARER], starts, ends)
        return Decimal(_distinct(rows, "household_id"))
    if unit == Unit.CASES:
        rows = CaseSpan.objects.filter(programme_id=pid)
        return Decimal(
            _distinct(_overlapping(rows, starts, ends, "opened_on", "closed_on"), "case_id")
        )
    if unit in Indicator.FROM_ACTIVITIES:
        rows = Delivery.objects.filter(programme_id=pid, held_on__gte=starts, held_on__lte=ends)
        if types:
            rows = rows.filter(activity_type_id__in=types)
        if indicator.with_partners:
            rows = rows.filter(partners__gt=0)
        if unit == Unit.ACTIVITIES:
            return Decimal(_distinct(rows, "activity_id"))
        if unit == Unit.ATTENDANCES:
            return Decimal(rows.aggregate(n=Sum("present"))["n"] or 0)
        if unit == Unit.HOURS:
            minutes = rows.aggregate(n=Sum("minutes"))["n"] or 0
            return (Decimal(minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return Decimal(rows.count())  # meetings held, events of the chosen types
    rows = OutcomeReached.objects.filter(
        programme_id=pid,
        category_id=indicator.outcome_id,
        achieved_on__gte=starts,
        achieved_on__lte=ends,
    )
    if unit == Unit.RESOLUTION_DAYS:
        return _median(rows.values_list("days", flat=True))
    return Decimal(rows.count())


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (HUNDRED * part / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def month_ends(starts: date, ends: date) -> list[date]:
    """The last day of each month from `starts` to `ends`; the last one is `ends` itself."""
    days, year, month = [], starts.year, starts.month
    while True:
        last = date(year, month, monthrange(year, month)[1])
        if last >= ends:
            days.append(ends)
            return days
        days.append(last)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def forecast(indicator, series: list[Point], today: date) -> tuple[Decimal | None, bool, bool]:
    """(forecast at the target date, will miss, met already) at the current pace: linear on the
    value since the indicator's start, up to the target date or the end of counting, whichever
    comes first. A median or a share is forecast at its current level.
    For a ceiling (`lower_is_better`) missing means exceeding the target."""
    if not series:
        return None, False, False
    last = series[-1]
    value = last.value
    target = indicator.target_value
    if value is None:
        return None, False, False
    cumulative = indicator.unit != Unit.RESOLUTION_DAYS and (
        indicator.aggregation != Indicator.Aggregation.SHARE
    )
    starts = indicator.starts()
    # The pace stops where the indicator stops counting: nothing is added after its end.
    until = min(indicator.target_date, indicator.ends())
    if not cumulative or until <= last.on:
        projected = value
    else:
        elapsed = (last.on - starts).days + 1
        total = (until - starts).days + 1
        projected = (value * total / max(elapsed, 1)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    if indicator.lower_is_better:
        return projected, projected > target, value <= target
    return projected, projected < target, value >= target


# --- The figures of a period ---------------------------------------------------------------

KINDS_OF = {
    TargetGroup.People.CHILDREN: [PersonKind.CHILD],
    TargetGroup.People.ADULTS: [PersonKind.ADULT],
    TargetGroup.People.ANY: [PersonKind.CHILD, PersonKind.ADULT],
}


def _area_ways(group) -> tuple[set[int], list[str]] | None:
    """The districts and (casefolded) streets of the group's action area; None for a group
    that does not ask where people live."""
    if group.area == TargetGroup.Area.ANYWHERE or group.action_area is None:
        return None
    area = group.action_area
    return {d.pk for d in area.districts.all()}, [s.casefold() for s in area.street_list()]


def residence(facts: dict, districts: set[int], streets: list[str]) -> bool | None:
    """Whether the person lives in the action area: True, False, or None when their record
    cannot tell (no home district where the area has districts, no address where it has
    streets: children have no address). An area with neither districts nor streets has
    nobody in it."""
    district = facts.get("home_district_id")
    address = (facts.get("address") or "").casefold()
    if district in districts or (address and any(address.startswith(s) for s in streets)):
        return True
    if not districts and not streets:
        return False
    if (districts and district is not None) or (streets and address):
        return False
    return None


def _unknown_residence(people, group, kind: str) -> int:
    """How many of the people reached (engagement rows of `kind`) have no known residence for
    the group's action area, by the same rule as `residence`."""
    from earlyhelp.people.models import Adult, Child

    ways = _area_ways(group)
    if ways is None:
        return 0
    districts, streets = ways
    if not districts and not streets:
        return 0
    unknown = Q()
    if districts:
        unknown &= Q(home_district__isnull=True)
    model = Adult if kind == PersonKind.ADULT else Child
    if streets and model is Adult:
        unknown &= Q(address="")
    return model.objects.filter(
        unknown, pk__in=people.filter(person_kind=kind).values("person_id")
    ).count()


def _summary(programme, starts: date, ends: date) -> dict:
    """The period's shares, activities by type, outcomes and generic case outcomes, as plain
    data (what `Computation.summary` keeps for the programme's whole period)."""
    pid = programme.pk
    people = _overlapping(
        Engagement.objects.filter(
            programme_id=pid, person_kind__in=[PersonKind.CHILD, PersonKind.ADULT]
        ),
        starts,
        ends,
    )
    reached = {
        row["person_kind"]: row["n"]
        for row in people.order_by()
        .values("person_kind")
        .annotate(n=Count("person_id", distinct=True))
    }
    shares = []
    for group in programme.target_groups.select_related("action_area").prefetch_related(
        "action_area__districts"
    ):
        kinds = KINDS_OF[group.people]
        members = unknown = 0
        for kind in kinds:
            members += _distinct(_members(people.filter(person_kind=kind), group.pk, kind))
            unknown += _unknown_residence(people, group, kind)
        shares.append(
            {
                "target_group": group.pk,
                "people": members,
                "reached": sum(reached.get(kind, 0) for kind in kinds),
                "unknown": unknown,
            }
        )
    deliveries = Delivery.objects.filter(programme_id=pid, held_on__gte=starts, held_on__lte=ends)
    by_type = {
        row["activity_type_id"]: {
            "type": row["activity_type_id"],
            "activities": row["activities"],
            "meetings": row["meetings"],
            "minutes": row["minutes"] or 0,
            "people": 0,
        }
        for row in deliveries.order_by()
        .values("activity_type_id")
        .annotate(
            activities=Count("activity_id", distinct=True),
            meetings=Count("pk"),
            minutes=Sum("minutes"),
        )
    }
    present = _overlapping(
        Engagement.objects.filter(programme_id=pid, role=Role.PARTICIPANT), starts, ends
    )
    for row in (
        present.order_by()
        .values("activity_type_id", "person_kind")
        .annotate(n=Count("person_id", distinct=True))
    ):
        if row["activity_type_id"] in by_type:
            by_type[row["activity_type_id"]]["people"] += row["n"]
    outcomes = {}
    for category_id, days in OutcomeReached.objects.filter(
        programme_id=pid, achieved_on__gte=starts, achieved_on__lte=ends
    ).values_list("category_id", "days"):
        outcomes.setdefault(category_id, []).append(days)
    case_outcomes = [
        [row["outcome"], row["n"]]
        for row in CaseSpan.objects.filter(
            programme_id=pid, closed_on__gte=starts, closed_on__lte=ends
        )
        .order_by("outcome")
        .values("outcome")
        .annotate(n=Count("case_id", distinct=True))
    ]
    return {
        "shares": shares,
        "activities": list(by_type.values()),
        "outcomes": {
            str(category): {
                "reached": len(days),
                "median_days": str(m) if (m := _median(days)) is not None else None,
            }
            for category, days in outcomes.items()
        },
        "case_outcomes": case_outcomes,
    }


def _behind(indicators, starts=None, ends=None) -> dict:
    """The counts a share (the group's people, the others) or a median (the outcomes) of
    each indicator stands on."""
    behind = {}
    for indicator in indicators:
        low, high = _clip(indicator, starts, ends)
        if indicator.aggregation == Indicator.Aggregation.SHARE and indicator.unit in UNIT_KIND:
            kind = UNIT_KIND[indicator.unit]
            rows = _people(
                indicator.programme_id, kind, _roles(indicator), low, high, _type_ids(indicator)
            )
            reached = _distinct(rows)
            members = _distinct(_members(rows, indicator.target_group_id, kind))
            behind[str(indicator.pk)] = [members, reached - members]
        elif indicator.unit == Unit.RESOLUTION_DAYS:
            behind[str(indicator.pk)] = [
                OutcomeReached.objects.filter(
                    programme_id=indicator.programme_id,
                    category_id=indicator.outcome_id,
                    achieved_on__gte=low,
                    achieved_on__lte=high,
                ).count()
            ]
    return behind


def _indicators(programme):
    return list(
        programme.indicators.select_related("target_group", "outcome", "programme")
        .prefetch_related("activity_types", "points")
        .order_by("position", "pk")
    )


def programme_figures(programme, *, starts=None, ends=None, today=None) -> ProgrammeFigures:
    """The programme's figures over [starts, ends] (default: its whole period). The whole
    period is read from the rows the last rebuild kept (a constant number of queries); another
    period is computed from the maintained aggregates."""
    from earlyhelp.activities.models import ActivityType
    from earlyhelp.cases.models import Case

    today = today or timezone.localdate()
    whole = starts in (None, programme.starts_on) and ends in (None, programme.ends_on)
    starts, ends = starts or programme.starts_on, ends or programme.ends_on
    computation = Computation.objects.filter(programme=programme).first()
    indicators = _indicators(programme)
    if whole:
        summary = computation.summary if computation else {}
    else:
        summary = _summary(programme, starts, ends)
    figures = []
    for indicator in indicators:
        series = [
            Point(point.on, point.value) for point in indicator.points.all() if point.on <= ends
        ]
        if not computation:
            value = None
        elif whole:
            value = series[-1].value if series else None
        else:
            value = indicator_value(indicator, starts, ends)
        projected, will_miss, met = forecast(indicator, series, today)
        if value is not None and not whole:
            met = (
                value <= indicator.target_value
                if indicator.lower_is_better
                else (value >= indicator.target_value)
            )
        figures.append(
            IndicatorFigure(
                indicator=indicator,
                description=describe(indicator, value),
                value=value,
                target=indicator.target_value,
                target_date=indicator.target_date,
                lower_is_better=indicator.lower_is_better,
                series=series,
                forecast=projected,
                will_miss=will_miss,
                met=met,
            )
        )
    groups = {group.pk: group for group in programme.target_groups.all()}
    shares = []
    for row in summary.get("shares", []):
        group = groups.get(row["target_group"])
        if group is None:
            continue
        share = _percent(row["people"], row["reached"])
        met = None
        if group.target_share is not None and share is not None:
            met = (
                share >= group.target_share
                if group.share_rule == TargetGroup.ShareRule.AT_LEAST
                else share <= group.target_share
            )
        shares.append(
            ShareFigure(
                target_group=group,
                people=row["people"],
                reached=row["reached"],
                share=share,
                target_share=group.target_share,
                rule=group.share_rule,
                met=met,
                unknown=row.get("unknown", 0),
            )
        )
    type_ids = [row["type"] for row in summary.get("activities", [])]
    types = {t.pk: t for t in ActivityType.objects.filter(pk__in=type_ids)} if type_ids else {}
    activities = sorted(
        (
            ActivityFigure(
                activity_type=str(types.get(row["type"], "–")),
                activities=row["activities"],
                meetings=row["meetings"],
                hours=(Decimal(row["minutes"]) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP),
                people=row["people"],
            )
            for row in summary.get("activities", [])
        ),
        key=lambda figure: figure.activity_type.casefold(),
    )
    reached = summary.get("outcomes", {})
    outcomes = [
        OutcomeFigure(
            category=category,
            reached=reached.get(str(category.pk), {}).get("reached", 0),
            median_days=Decimal(m)
            if (m := reached.get(str(category.pk), {}).get("median_days"))
            else None,
        )
        for category in programme.outcome_categories.all()
    ]
    labels = dict(Case.Outcome.choices)
    case_outcomes = [
        (str(labels.get(code, _("Not recorded"))), n)
        for code, n in summary.get("case_outcomes", [])
    ]
    return ProgrammeFigures(
        programme=programme,
        starts=starts,
        ends=ends,
        indicators=figures,
        shares=shares,
        activities=activities,
        outcomes=outcomes,
        case_outcomes=case_outcomes,
        computed_at=computation.computed_at if computation else None,
        behind=summary.get("behind", {}) if whole else _behind(indicators, starts, ends),
        outdated=bool(computation and computation.summary.get("outdated")),
    )


# --- The rebuild ---------------------------------------------------------------------------

ENGAGEMENT_COLUMNS = [
    "programme",
    "person_kind",
    "person_id",
    "role",
    "source_id",
    "activity_type_id",
    "first_on",
    "last_on",
    "household_id",
    "setting",
]


def _insert(model, columns: list[str], queryset) -> int:
    """INSERT INTO model's table (columns) SELECT …: the queryset's values, in the order of
    `columns`, written by the database itself (SQLite and PostgreSQL alike)."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return max(cursor.rowcount, 0)


def _v(value, output_field):
    """A constant column. Cast, so that PostgreSQL knows a NULL's type in INSERT … SELECT
    DISTINCT (an untyped NULL would be taken as text)."""
    return Cast(Value(value), output_field=output_field)


def _engagements(queryset, pid, kind, person, role, source, first, last, **extra):
    """Select the Engagement columns from `queryset` (each an expression, in column order)."""
    text, number_ = CharFieldType(max_length=40), BigIntegerField()
    return (
        queryset.order_by()
        .values(
            e_programme=_v(pid, number_),
            e_kind=_v(kind, text),
            e_person=F(person),
            e_role=_v(role, text),
            e_source=F(source),
            e_type=extra.get("activity_type", _v(None, number_)),
            e_first=first,
            e_last=last,
            e_household=extra.get("household", _v(None, number_)),
            e_setting=extra.get("setting", _v("", text)),
        )
        .distinct()
    )


def _rebuild_one(programme, today: date) -> int:
    from earlyhelp.activities.models import Activity, Attendance, Session
    from earlyhelp.cases.models import Case, CaseChild, CaseParticipant
    from earlyhelp.contacts.models import Meeting

    pid = programme.pk
    rows = 0
    for model in (Engagement, Delivery, CaseSpan, OutcomeReached):
        model.objects.filter(programme_id=pid).delete()
    GroupMember.objects.filter(target_group__programme_id=pid).delete()
    IndicatorPoint.objects.filter(indicator__programme_id=pid).delete()

    # Named people present at held meetings of the linked activities: one row a day.
    present = Attendance.objects.filter(
        status=Attendance.Status.PRESENT,
        session__status=Session.Status.HELD,
        session__activity__programmes=pid,
    )
    day = TruncDate("session__starts_at")
    for kind, column in (
        (PersonKind.CHILD, "participant__child_id"),
        (PersonKind.ADULT, "participant__adult_id"),
        (PersonKind.STAFF, "participant__staff_id"),
    ):
        rows += _insert(
            Engagement,
            ENGAGEMENT_COLUMNS,
            _engagements(
                present.filter(**{f"{column[:-3]}__isnull": False}),
                pid, kind, column, Role.PARTICIPANT, "session__activity_id", day, day,
                activity_type=F("session__activity__type_id"),
                setting=F("session__activity__institution__kind"),
            ),
        )  # fmt: skip
    # Staff credited with a linked training event, from its first day to its last.
    from earlyhelp.workforce.models import Attendance as TrainingAttendance

    rows += _insert(
        Engagement,
        ENGAGEMENT_COLUMNS,
        _engagements(
            TrainingAttendance.objects.filter(event__programmes=pid),
            pid, PersonKind.STAFF, "staff__user_id", Role.PARTICIPANT, "event_id",
            F("event__starts_on"), F("event__ends_on"),
        ),
    )  # fmt: skip
    # Staff supported in introducing a method, from the support's start to its end: each
    # supported worker is one person, however many supports they had.
    from earlyhelp.workforce.models import ImplementationSupport

    rows += _insert(
        Engagement,
        ENGAGEMENT_COLUMNS,
        _engagements(
            ImplementationSupport.objects.filter(programmes=pid),
            pid, PersonKind.STAFF, "staff__user_id", Role.IMPLEMENTATION_SUPPORT, "pk",
            F("starts_on"), F("ends_on"),
        ),
    )  # fmt: skip
    # The held meetings of the linked activities.
    named_present = (
        Attendance.objects.filter(session=OuterRef("pk"), status=Attendance.Status.PRESENT)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partners = (
        Activity.partners.through.objects.filter(activity=OuterRef("activity_id"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows += _insert(
        Delivery,
        [
            "programme",
            "activity_id",
            "activity_type_id",
            "held_on",
            "minutes",
            "present",
            "partners",
        ],
        Session.objects.filter(status=Session.Status.HELD, activity__programmes=pid)
        .order_by()
        .values(
            d_programme=_v(pid, BigIntegerField()),
            d_activity=F("activity_id"),
            d_type=F("activity__type_id"),
            d_on=TruncDate("starts_at"),
            d_minutes=F("minutes"),
            d_present=Coalesce(Subquery(named_present), 0),
            d_partners=Coalesce(Subquery(partners), 0),
        ),
    )
    # The linked cases: their children and adult participants while the case was open.
    cases = Case.objects.filter(programmes=pid)
    rows += _insert(
        CaseSpan,
        ["programme", "case_id", "opened_on", "closed_on", "outcome"],
        cases.order_by().values(
            c_programme=_v(pid, BigIntegerField()),
            c_case=F("pk"),
            c_opened=TruncDate("opened_at"),
            c_closed=TruncDate("closed_at"),
            c_outcome=F("outcome"),
        ),
    )
    for queryset, kind, person in (
        (CaseChild.objects.filter(case__programmes=pid), PersonKind.CHILD, "child_id"),
        (CaseParticipant.objects.filter(case__programmes=pid), PersonKind.ADULT, "adult_id"),
    ):
        rows += _insert(
            Engagement,
            ENGAGEMENT_COLUMNS,
            _engagements(
                queryset, pid, kind, person, Role.CASE_CLIENT, "case_id",
                TruncDate("case__opened_at"), TruncDate("case__closed_at"),
            ),
        )  # fmt: skip
    # The linked contact arrangements: the visiting parent and the child, a day a held meeting.
    meetings = Meeting.objects.filter(status=Meeting.Status.HELD, arrangement__programmes=pid)
    day = TruncDate("starts_at")
    for kind, person, role in (
        (PersonKind.ADULT, "arrangement__visitor_id", Role.CONTACT_PARENT),
        (PersonKind.CHILD, "child_id", Role.CONTACT_CHILD),
    ):
        rows += _insert(
            Engagement,
            ENGAGEMENT_COLUMNS,
            _engagements(meetings, pid, kind, person, role, "arrangement_id", day, day),
        )
    rows += _rebuild_foster(programme)
    rows += _rebuild_outcomes(programme)
    rows += _rebuild_groups(programme)
    rows += _rebuild_points(programme, today)
    return rows


def _rebuild_foster(programme) -> int:
    """The carers of the households with a linked support agreement while it is in force, and
    the children placed there meanwhile. Foster care is small: counted here, row by row."""
    from earlyhelp.fostercare.models import SupportAgreement

    rows = []
    agreements = (
        SupportAgreement.objects.filter(programmes=programme.pk)
        .select_related("household")
        .prefetch_related("household__carers", "household__placements")
    )
    for agreement in agreements:
        household = agreement.household
        for carer in household.carers.all():
            # A carer who became one after the agreement started counts from that day.
            first = max(agreement.signed_on, carer.since or agreement.signed_on)
            if agreement.ends_on is not None and agreement.ends_on < first:
                continue
            rows.append(
                Engagement(
                    programme_id=programme.pk, person_kind=PersonKind.ADULT,
                    person_id=carer.adult_id, role=Role.FOSTER_CARER, source_id=agreement.pk,
                    first_on=first, last_on=agreement.ends_on,
                    household_id=household.pk,
                )
            )  # fmt: skip
        for placement in household.placements.all():
            first = max(agreement.signed_on, placement.starts_on)
            ends = [d for d in (agreement.ends_on, placement.ends_on) if d]
            last = min(ends) if ends else None
            if last is not None and last < first:
                continue
            rows.append(
                Engagement(
                    programme_id=programme.pk, person_kind=PersonKind.CHILD,
                    person_id=placement.child_id, role=Role.FOSTER_CHILD,
                    source_id=agreement.pk, first_on=first, last_on=last,
                    household_id=household.pk,
                )
            )  # fmt: skip
    Engagement.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def _rebuild_outcomes(programme) -> int:
    """The outcomes reached, with the days from referral (the earliest receipt of the case's
    concerns, else its opening) to resolution."""
    from earlyhelp.cases.models import CaseConcern
    from earlyhelp.programmes.models import Outcome

    outcomes = list(
        Outcome.objects.filter(category__programme_id=programme.pk).select_related("case")
    )
    referred: dict[int, date] = {}
    for case_id, received in (
        CaseConcern.objects.filter(
            case_id__in={o.case_id for o in outcomes}, concern__received_at__isnull=False
        )
        .values_list("case_id", "concern__received_at")
        .order_by()
    ):
        day = timezone.localdate(received)
        if case_id not in referred or day < referred[case_id]:
            referred[case_id] = day
    rows = []
    for outcome in outcomes:
        start = referred.get(outcome.case_id) or timezone.localdate(outcome.case.opened_at)
        rows.append(
            OutcomeReached(
                programme_id=programme.pk,
                category_id=outcome.category_id,
                case_id=outcome.case_id,
                achieved_on=outcome.achieved_on,
                days=(outcome.achieved_on - start).days,
            )
        )
    OutcomeReached.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def _age(birth: date | None, on: date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _rebuild_groups(programme) -> int:
    """Each person reached belongs to a target group or not, once: by their age at their first
    engagement, where they were reached, whether they are recorded as disadvantaged and where
    they live. `Participant.target_group` (a note for people named on the day) is not read."""
    from earlyhelp.people.models import Adult, Child, Enrolment

    groups = list(
        programme.target_groups.select_related("action_area").prefetch_related(
            "action_area__districts"
        )
    )
    if not groups:
        return 0
    people: dict[tuple[str, int], dict] = {}
    # One row a person and setting, with their first day there, counted by the database.
    for kind, person_id, setting, first_on in (
        Engagement.objects.filter(
            programme_id=programme.pk, person_kind__in=[PersonKind.CHILD, PersonKind.ADULT]
        )
        .order_by()
        .values("person_kind", "person_id", "setting")
        .annotate(first=Min("first_on"))
        .values_list("person_kind", "person_id", "setting", "first")
        .iterator(chunk_size=20_000)
    ):
        facts = people.setdefault((kind, person_id), {"first": first_on, "settings": set()})
        facts["first"] = min(facts["first"], first_on)
        if setting:
            facts["settings"].add(setting)
    for kind, model in ((PersonKind.CHILD, Child), (PersonKind.ADULT, Adult)):
        ids = [pid for (k, pid) in people if k == kind]
        fields = ["pk", "birth_date", "home_district_id", "disadvantaged"]
        if model is Adult:
            fields.append("address")
        for start in range(0, len(ids), 900):
            for row in model.objects.filter(pk__in=ids[start : start + 900]).values(*fields):
                people[(kind, row["pk"])].update(row)
        if model is Child:
            for start in range(0, len(ids), 900):
                for child_id, kind_of, starts_on, ends_on in Enrolment.objects.filter(
                    child_id__in=ids[start : start + 900]
                ).values_list("child_id", "group__institution__kind", "starts_on", "ends_on"):
                    facts = people[(kind, child_id)]
                    if starts_on <= facts["first"] and (
                        ends_on is None or ends_on >= facts["first"]
                    ):
                        facts["settings"].add(kind_of)
    rows = []
    for group in groups:
        kinds = KINDS_OF[group.people]
        ways = _area_ways(group)
        for (kind, person_id), facts in people.items():
            if kind not in kinds or "pk" not in facts:
                continue
            age = _age(facts.get("birth_date"), facts["first"])
            if group.min_age is not None and (age is None or age < group.min_age):
                continue
            if group.max_age is not None and (age is None or age > group.max_age):
                continue
            if group.settings and not facts["settings"] & set(group.settings):
                continue
            if group.disadvantaged and not facts.get("disadvantaged"):
                continue
            if ways is not None:
                # Unknown residence: in neither an "inside" nor an "outside" group.
                inside = residence(facts, *ways)
                if inside is None or inside != (group.area == TargetGroup.Area.INSIDE):
                    continue
            rows.append(GroupMember(target_group=group, person_kind=kind, person_id=person_id))
    GroupMember.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def _firsts(rows, starts: date) -> list[date]:
    """Each person's first day in `rows` (not before `starts`), sorted: a person counts from
    then on, however many rows they have."""
    return sorted(
        max(first, starts)
        for first in rows.order_by()
        .values("person_id")
        .annotate(first=Min("first_on"))
        .values_list("first", flat=True)
    )


def _running(firsts: list[date], days: list[date]) -> list[int]:
    """How many of `firsts` fall on or before each of `days` (both sorted)."""
    counts, index = [], 0
    for day in days:
        while index < len(firsts) and firsts[index] <= day:
            index += 1
        counts.append(index)
    return counts


def _people_series(indicator, starts: date, days: list[date]) -> list[Decimal]:
    """The cumulative count of distinct people at each day, in one query: each person counts
    from the first day they took part in the way counted (their first row in the period). A
    share divides the group's running count by everyone's, in two queries."""
    kind = UNIT_KIND[indicator.unit]
    rows = _people(
        indicator.programme_id, kind, _roles(indicator), starts, days[-1], _type_ids(indicator)
    )
    if indicator.aggregation == Indicator.Aggregation.SHARE:
        reached = _running(_firsts(rows, starts), days)
        members = _running(_firsts(_members(rows, indicator.target_group_id, kind), starts), days)
        return [_percent(m, r) or Decimal(0) for m, r in zip(members, reached, strict=True)]
    if indicator.target_group_id:
        rows = _members(rows, indicator.target_group_id, kind)
    return [Decimal(n) for n in _running(_firsts(rows, starts), days)]


def _rebuild_points(programme, today: date) -> int:
    rows = []
    for indicator in _indicators(programme):
        starts, ends = indicator.starts(), min(indicator.ends(), today)
        if ends < starts:
            continue
        days = month_ends(starts, ends)
        if indicator.unit in UNIT_KIND:
            values = _people_series(indicator, starts, days)
        else:
            values = [indicator_value(indicator, starts, on) for on in days]
        for on, value in zip(days, values, strict=True):
            if value is not None:
                rows.append(IndicatorPoint(indicator=indicator, on=on, value=value))
    IndicatorPoint.objects.bulk_create(rows, batch_size=2_000)
    return len(rows)


def rebuild(
    programme_ids=None, *, today: date | None = None, failed: list | None = None
) -> tuple[int, float]:
    """Recompute the maintained aggregates of the programmes (all when None), each in one
    transaction holding the programme's row locked, so that the scheduled job and "Compute
    now" never rebuild the same programme at once (PostgreSQL; SQLite writes one at a time
    anyway). Returns (rows written, seconds). With a `failed` list, a programme that fails is
    logged, its id appended, and the others still rebuilt; without, the error is raised."""
    started = time.monotonic()
    today = today or timezone.localdate()
    programmes = Programme.objects.order_by("pk")
    if programme_ids is not None:
        programmes = programmes.filter(pk__in=programme_ids)
    total = 0
    for pk in list(programmes.values_list("pk", flat=True)):
        try:
            total += _rebuild_locked(pk, today)
        except Exception:
            if failed is None:
                raise
            logger.exception("programme %s: the figures could not be rebuilt", pk)
            failed.append(pk)
    return total, time.monotonic() - started


class ProgrammesNotRebuilt(Exception):
    """Some programmes' figures could not be rebuilt (each is logged); the others were."""

    def __init__(self, failed: list[int]):
        self.failed = failed
        super().__init__(
            f"programme figures not rebuilt for programmes {', '.join(map(str, failed))}"
        )


def rebuild_every(programme_ids=None) -> tuple[int, float]:
    """The scheduled rebuild (`rebuild_programme_figures`): every programme (or these), one
    failing programme not keeping the others from being rebuilt; raises
    `ProgrammesNotRebuilt` at the end if any failed. Returns (rows written, seconds)."""
    failed: list[int] = []
    result = rebuild(programme_ids, failed=failed)
    if failed:
        raise ProgrammesNotRebuilt(failed)
    return result


def _rebuild_locked(pk: int, today: date) -> int:
    began = time.monotonic()
    with transaction.atomic():
        programme = Programme.objects.select_for_update().filter(pk=pk).first()
        if programme is None:  # deleted meanwhile
            return 0
        rows = _rebuild_one(programme, today)
        starts, ends = programme.starts_on, programme.ends_on
        Computation.objects.update_or_create(
            programme=programme,
            defaults={
                "computed_at": timezone.now(),
                "rows": rows,
                "seconds": time.monotonic() - began,
                "summary": {
                    **_summary(programme, starts, ends),
                    "behind": _behind(_indicators(programme)),
                },
            },
        )
        # The drafts of its funder's reports, counted from the same aggregates.
        from earlyhelp.programmes.reports import compute_draft

        for report in programme.reports.filter(status=Report.Status.DRAFT):
            compute_draft(report)
    return rows
