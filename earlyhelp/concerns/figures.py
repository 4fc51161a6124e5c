"""Dashboard figures about concerns. They are computed from the records, never typed: a
rebuild (`rebuild_figures`, scheduled every 5 minutes by `manage.py run_scheduler`) counts
every concern once and keeps a row per institution (`InstitutionFigures`), and the page adds up
the rows the reader may see, with small-cell suppression for roles that see no concern itself.
Reading rows instead of counting concerns keeps the page fast at national scale."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext

from earlyhelp.access.policy import SMALL_CELL
from earlyhelp.concerns.access import figures_for
from earlyhelp.concerns.models import Concern, InstitutionFigures, MonthFigures
from earlyhelp.core import charts

STATUSES = [s for s in Concern.Status if s != Concern.Status.DRAFT]
MONTHS = 12  # the trend's length, this month included
# The scheduler recounts every 5 minutes (earlyhelp/schedule.py): figures older than this
# mean the recount is not running, and the page says so.
STALE_AFTER = timedelta(minutes=10)


@dataclass
class Bar:
    label: str
    value: float | None  # None: suppressed or too few to say
    drawn: charts.Bar | None = None  # drawn by the one chart code path, against the longest


@dataclass
class Figures:
    by_status: list[tuple[str, str]]  # (label, count as shown)
    overdue: str
    triage_hours: list[Bar]
    suppressed: bool
    computed_at: datetime | None  # None: never computed yet
    trend: charts.Chart | None = None  # received and decided per month, the last MONTHS
    stale: bool = False  # counted longer ago than STALE_AFTER


def _shown(count: int, suppress: bool) -> str:
    return f"<{SMALL_CELL}" if suppress and 0 < count < SMALL_CELL else str(count)


def concern_figures(*, user) -> Figures:
    rows, suppress = figures_for(
        user, InstitutionFigures.objects.select_related("institution").order_by("institution__name")
    )
    rows = list(rows)
    totals = {status: sum(getattr(row, status) for row in rows) for status in STATUSES}
    by_status = [(status.label, _shown(totals[status], suppress)) for status in STATUSES]
    bars = [
        Bar(
            row.institution.name,
            round(row.triage_median_hours, 1)
            if row.triage_median_hours is not None and (not suppress or row.decided >= SMALL_CELL)
            else None,
        )
        for row in rows
        if row.decided
    ]
    longest = max((bar.value for bar in bars if bar.value), default=0)
    for bar in bars:
        bar.drawn = charts.bar(bar.value, longest)
    computed_at = min((row.computed_at for row in rows), default=None)
    return Figures(
        by_status=by_status,
        overdue=_shown(sum(row.overdue for row in rows), suppress),
        triage_hours=bars,
        suppressed=suppress,
        computed_at=computed_at,
        stale=computed_at is not None and timezone.now() - computed_at > STALE_AFTER,
        trend=_trend(user, suppress) if rows else None,
    )


def _months(today: date) -> list[date]:
    """The first days of the last MONTHS calendar months, this one last."""
    months, year, month = [], today.year, today.month
    for _ in range(MONTHS):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def _trend(user, suppress: bool) -> charts.Chart:
    """Concerns received and decided per month over the last year, summed over the months'
    rows the user may read (one grouped query); a month below 5 is hidden where small cells
    are suppressed, and drawn as a gap."""
    months = _months(timezone.localdate())
    rows, _ = figures_for(user, MonthFigures.objects.filter(month__gte=months[0]))
    sums = {
        row["month"]: row
        for row in rows.order_by().values("month").annotate(r=Sum("received"), d=Sum("decided"))
    }

    def value(month: date, key: str) -> int | None:
        count = sums.get(month, {}).get(key) or 0
        return None if suppress and 0 < count < SMALL_CELL else count

    hidden = f"<{SMALL_CELL}"
    return charts.line_chart(
        title=gettext("Concerns received and decided per month"),
        description=gettext("The last twelve months, this month so far included."),
        series=[
            charts.LineSeries(gettext("Received"), [(m, value(m, "r")) for m in months]),
            charts.LineSeries(gettext("Decided"), [(m, value(m, "d")) for m in months]),
        ],
        date_header=gettext("Month"),
        hidden=hidden,
        width=charts.PHONE_WIDTH,
    )


def rebuild_figures(*, now: datetime | None = None) -> tuple[int, float]:
    """Count every sent concern once, per institution, and replace the maintained figures in
    one transaction. Returns (institutions, seconds)."""
    started = time.monotonic()
    now = now or timezone.now()
    concerns = Concern.objects.exclude(status=Concern.Status.DRAFT).order_by()
    counts = {
        row["institution_id"]: row
        for row in concerns.values("institution_id", "municipality_id").annotate(
            **{status.value: Count("pk", filter=Q(status=status)) for status in STATUSES},
            overdue=Count("pk", filter=Q(next_due_at__lt=now)),
        )
    }
    # The median needs every value: streamed in institution order, one institution in memory.
    medians: dict[int, tuple[int, float]] = {}
    current, hours = None, []
    decided = concerns.filter(decided_at__isnull=False, received_at__isnull=False)
    for institution_id, received, decided_at in (
        decided.order_by("institution_id")
        .values_list("institution_id", "received_at", "decided_at")
        .iterator(chunk_size=20_000)
    ):
        if institution_id != current:
            if hours:
                medians[current] = (len(hours), median(hours))
            current, hours = institution_id, []
        hours.append((decided_at - received).total_seconds() / 3600)
    if hours:
        medians[current] = (len(hours), median(hours))
    months = _month_rows(concerns, now)
    rows = [
        InstitutionFigures(
            institution_id=institution_id,
            municipality_id=row["municipality_id"],
            overdue=row["overdue"],
            decided=medians.get(institution_id, (0, None))[0],
            triage_median_hours=medians.get(institution_id, (0, None))[1],
            computed_at=now,
            **{status.value: row[status.value] for status in STATUSES},
        )
        for institution_id, row in counts.items()
    ]
    with transaction.atomic():
        InstitutionFigures.objects.all().delete()
        InstitutionFigures.objects.bulk_create(rows, batch_size=2_000)
        MonthFigures.objects.all().delete()
        MonthFigures.objects.bulk_create(months, batch_size=5_000)
    return len(rows), time.monotonic() - started


def _month_rows(concerns, now: datetime) -> list[MonthFigures]:
    """Per institution and month of the last MONTHS: the concerns received, and those decided,
    in that month (two grouped queries)."""
    start = _months(timezone.localdate(now))[0]
    first = timezone.make_aware(datetime(start.year, start.month, 1))
    found: dict[tuple[int, date], MonthFigures] = {}
    for field, key in (("received_at", "received"), ("decided_at", "decided")):
        grouped = (
            concerns.filter(**{f"{field}__gte": first})
            .annotate(month=TruncMonth(field))
            .values("institution_id", "municipality_id", "month")
            .annotate(n=Count("pk"))
        )
        for row in grouped:
            month = row["month"]
            month = month.date() if isinstance(month, datetime) else month
            figures = found.setdefault(
                (row["institution_id"], month),
                MonthFigures(
                    institution_id=row["institution_id"],
                    municipality_id=row["municipality_id"],
                    month=month,
                ),
            )
            setattr(figures, key, row["n"])
    return list(found.values())
