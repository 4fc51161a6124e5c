"""Outcomes per method: what happened for the children and families who got each kind of help.

`rebuild` adds up, per method of the catalogue, the records that used it (activities with the
method, plan steps and referrals naming it) into the maintained figures of
`knowledge.aggregates`: the children reached, the participants' outcomes, the outcomes of the
cases in which it was used when they closed, and the median movement of the Signs of Safety
scaling (last answer minus first, per case) and of the screening worry score (last rating minus
first, per child reached). It runs daily (`manage.py rebuild_method_outcomes`) and rewrites
every row in one transaction.

`shown` turns one method's figures into what a page prints. The figures leave the team, so
every count from 1 to 4 is shown as "<5" to everyone, a count that would reveal one through a
printed total is hidden too ("*"), and a median is shown only when it stands on at least 5
cases or children. These are figures about the people who got the help, not evidence that the
help caused them (`CAVEAT`).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import SMALL_CELL
from earlyhelp.knowledge.aggregates import MethodCase, MethodOutcome, MethodReach
from earlyhelp.knowledge.models import Method

CAVEAT = _(
    "These figures describe what happened for the children and families who got this help. "
    "They are not evidence that the help caused it: nobody was compared with similar children "
    "who did not get it, and other help and life went on at the same time."
)
SUPPRESSED = "<5"  # a count from 1 to 4
HIDDEN = "*"  # a count hidden because, with the total, it would reveal a count from 1 to 4


def _insert(model, columns: list[str], queryset) -> int:
    """INSERT INTO model's table (columns) SELECT …: the database writes the rows itself."""
    sql, params = queryset.query.sql_with_params()
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) {sql}", params)
        return max(cursor.rowcount, 0)


def _median(values: list[int]) -> Decimal | None:
    if not values:
        return None
    return Decimal(str(median(values))).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _movement(rows) -> dict[int, int]:
    """Last minus first value per key, from (key, value) rows ordered by key and time; keys
    with a single value are left out."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    count: dict[int, int] = defaultdict(int)
    for key, value in rows:
        first.setdefault(key, value)
        last[key] = value
        count[key] += 1
    return {key: last[key] - first[key] for key in first if count[key] > 1}


def _counts(queryset, key: str, **annotations) -> dict[int, dict]:
    return {row[key]: row for row in queryset.order_by().values(key).annotate(**annotations)}


@transaction.atomic
def rebuild(municipality_ids=None) -> tuple[int, float]:
    """Recompute the outcome figures of every method (or of the methods of these
    municipalities); returns (methods, seconds)."""
    from earlyhelp.activities.models import Activity, Participant
    from earlyhelp.cases.models import Case, CaseChild, PlanAction, Referral
    from earlyhelp.safety.models import ScalingAnswer
    from earlyhelp.screening.models import Rating

    started = time.monotonic()
    methods = Method.objects.all()
    if municipality_ids is not None:
        methods = methods.filter(municipality_id__in=list(municipality_ids))
    ids = methods.values("pk")
    for model in (MethodReach, MethodCase, MethodOutcome):
        model.objects.filter(method__in=ids).delete()

    # Who and what the method reached.
    for queryset, method, child in (
        (Participant.objects.filter(child__isnull=False), "activity__method_id", "child_id"),
        (CaseChild.objects.all(), "case__goals__actions__method_id", "child_id"),
        (CaseChild.objects.all(), "case__referrals__method_id", "child_id"),
    ):
        _insert(
            MethodReach,
            ["method", "child_id"],
            queryset.filter(**{f"{method[:-3]}__in": ids})
            .order_by()
            .values(r_method=F(method), r_child=F(child))
            .distinct(),
        )
    for queryset, case in (
        (Activity.objects.filter(case__isnull=False, method__in=ids), "case_id"),
        (PlanAction.objects.filter(method__in=ids), "goal__case_id"),
        (Referral.objects.filter(method__in=ids), "case_id"),
    ):
        _insert(
            MethodCase,
            ["method", "case"],
            queryset.order_by().values(c_method=F("method_id"), c_case=F(case)).distinct(),
        )

    children = _counts(MethodReach.objects.all(), "method_id", n=Count("child_id", distinct=True))
    people = Participant.objects.filter(activity__method__in=ids, staff__isnull=True)
    adults = _counts(
        people.filter(adult__isnull=False),
        "activity__method_id",
        n=Count("adult_id", distinct=True),
    )
    outcomes = _counts(
        people,
        "activity__method_id",
        **{
            value: Count("pk", filter=Q(outcome=value))
            for value in ("achieved", "partly", "not_achieved")
        },
        no_outcome=Count("pk", filter=Q(outcome="")),
    )
    activities = _counts(Activity.objects.filter(method__in=ids), "method_id", n=Count("pk"))
    steps = _counts(PlanAction.objects.filter(method__in=ids), "method_id", n=Count("pk"))
    referrals = _counts(Referral.objects.filter(method__in=ids), "method_id", n=Count("pk"))
    closed = Q(case__status=Case.Status.CLOSED)
    cases = _counts(
        MethodCase.objects.all(),
        "method_id",
        n=Count("case_id", distinct=True),
        closed=Count("case_id", distinct=True, filter=closed),
        **{
            value: Count("case_id", distinct=True, filter=closed & Q(case__outcome=value))
            for value in ("improved", "unchanged", "worsened")
        },
        unknown=Count(
            "case_id",
            distinct=True,
            filter=closed & Q(case__outcome__in=[Case.Outcome.UNKNOWN, ""]),
        ),
    )

    # Movement: Signs of Safety scaling per case, screening worry per child reached.
    scaled = _movement(
        ScalingAnswer.objects.filter(case_id__in=MethodCase.objects.values("case_id"))
        .order_by("case_id", "answered_on", "pk")
        .values_list("case_id", "score")
        .iterator(chunk_size=5000)
    )
    rated = _movement(
        Rating.objects.filter(child_id__in=MethodReach.objects.values("child_id"))
        .order_by("child_id", "rated_at", "pk")
        .values_list("child_id", "worry")
        .iterator(chunk_size=5000)
    )
    scaling: dict[int, list[int]] = defaultdict(list)
    for method_id, case_id in MethodCase.objects.values_list("method_id", "case_id").distinct():
        if case_id in scaled:
            scaling[method_id].append(scaled[case_id])
    screening: dict[int, list[int]] = defaultdict(list)
    for method_id, child_id in (
        MethodReach.objects.values_list("method_id", "child_id").distinct().iterator(5000)
    ):
        if child_id in rated:
            screening[method_id].append(rated[child_id])

    now = timezone.now()
    rows = []
    for pk, municipality_id in methods.values_list("pk", "municipality_id"):
        outcome = outcomes.get(pk, {})
        case = cases.get(pk, {})
        rows.append(
            MethodOutcome(
                method_id=pk,
                municipality_id=municipality_id,
                children=children.get(pk, {}).get("n", 0),
                adults=adults.get(pk, {}).get("n", 0),
                activities=activities.get(pk, {}).get("n", 0),
                plan_steps=steps.get(pk, {}).get("n", 0),
                referrals=referrals.get(pk, {}).get("n", 0),
                cases=case.get("n", 0),
                achieved=outcome.get("achieved", 0),
                partly=outcome.get("partly", 0),
                not_achieved=outcome.get("not_achieved", 0),
                no_outcome=outcome.get("no_outcome", 0),
                cases_closed=case.get("closed", 0),
                improved=case.get("improved", 0),
                unchanged=case.get("unchanged", 0),
                worsened=case.get("worsened", 0),
                unknown=case.get("unknown", 0),
                scaling_cases=len(scaling.get(pk, [])),
                scaling_median=_median(scaling.get(pk, [])),
                screening_children=len(screening.get(pk, [])),
                screening_median=_median(screening.get(pk, [])),
                computed_at=now,
            )
        )
    MethodOutcome.objects.bulk_create(rows, batch_size=1000)
    return len(rows), time.monotonic() - started


# --- What a page shows ---------------------------------------------------------------------


def count_shown(count: int) -> str:
    return SUPPRESSED if 0 < count < SMALL_CELL else str(count)


def _distribution(parts: list[tuple[str, int]]) -> list[tuple[str, str]]:
    """The parts of a printed total, each suppressed below 5; when exactly one part is, the
    next smallest is hidden as well, so that the total does not give it away."""
    shown = [(label, count_shown(count)) for label, count in parts]
    small = [i for i, (_label, count) in enumerate(parts) if 0 < count < SMALL_CELL]
    if len(small) == 1:
        others = [(count, i) for i, (_label, count) in enumerate(parts) if count >= SMALL_CELL]
        if others:
            _count, i = min(others)
            shown[i] = (parts[i][0], HIDDEN)
    return shown


@dataclass
class Shown:
    """One method's figures as printed: counts as text ("<5" from 1 to 4), medians only where
    they stand on at least 5."""

    computed_at: object
    children: str
    adults: str
    activities: str
    plan_steps: str
    referrals: str
    cases: str
    participants: str
    participant_outcomes: list[tuple[str, str]]
    cases_closed: str
    case_outcomes: list[tuple[str, str]]
    scaling_cases: str
    scaling_median: Decimal | None
    screening_children: str
    screening_median: Decimal | None

    @property
    def hidden_any(self) -> bool:
        return any(v == HIDDEN for _l, v in self.participant_outcomes + self.case_outcomes)


def shown(row: MethodOutcome | None) -> Shown | None:
    """The printed figures of a method's row (None before the first computation)."""
    if row is None:
        return None
    participants = row.achieved + row.partly + row.not_achieved + row.no_outcome
    return Shown(
        computed_at=row.computed_at,
        children=count_shown(row.children),
        adults=count_shown(row.adults),
        activities=count_shown(row.activities),
        plan_steps=count_shown(row.plan_steps),
        referrals=count_shown(row.referrals),
        cases=count_shown(row.cases),
        participants=count_shown(participants),
        participant_outcomes=_distribution(
            [
                (_("Goal achieved"), row.achieved),
                (_("Partly achieved"), row.partly),
                (_("Not achieved"), row.not_achieved),
                (_("No outcome recorded yet"), row.no_outcome),
            ]
        ),
        cases_closed=count_shown(row.cases_closed),
        case_outcomes=_distribution(
            [
                (_("The situation improved"), row.improved),
                (_("The situation did not change"), row.unchanged),
                (_("The situation worsened"), row.worsened),
                (_("Not known"), row.unknown),
            ]
        ),
        scaling_cases=count_shown(row.scaling_cases),
        scaling_median=row.scaling_median if row.scaling_cases >= SMALL_CELL else None,
        screening_children=count_shown(row.screening_children),
        screening_median=row.screening_median if row.screening_children >= SMALL_CELL else None,
    )
