"""The programme page: a programme's facts and its figures against its targets, for whoever
may view the programme (its lead, the managers and the analysts of its municipality). It reads
only the maintained figures (`programmes.figures`), so it costs the same few queries whatever
the size of the work behind it, and it names nobody the work was for."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import SMALL_CELL, Action, can
from earlyhelp.access.shortcuts import get_object_or_deny
from earlyhelp.core.charts import LineSeries, line_chart, shown
from earlyhelp.programmes import figures as figures_module
from earlyhelp.programmes import reports
from earlyhelp.programmes.access import figures_suppressed
from earlyhelp.programmes.figures import (
    IndicatorFigure,
    ProgrammeFigures,
    describe,
    rebuild,
)
from earlyhelp.programmes.models import Indicator, Programme

HIDDEN = f"<{SMALL_CELL}"


def _small(count) -> bool:
    return count is not None and 0 < count < SMALL_CELL


@dataclass
class IndicatorRow:
    figure: IndicatorFigure
    value: str
    target: str
    description: str
    forecast: str
    status: str  # in words: met, on course, will miss, not computed
    will_miss: bool
    chart: object


def _counts(indicator: Indicator) -> bool:
    """Whether the value is a count of persons or of what happened to them, as the funder's
    report counts them (or stands on one: a share, a median)."""
    return (
        indicator.unit in reports.PERSON_UNITS or indicator.unit == Indicator.Unit.RESOLUTION_DAYS
    )


def cell_of(value) -> str:
    """A cell of the funder's content as the page shows it: its marks as they are."""
    if value is None:
        return "–"
    return value if value in reports.MARKS else shown(value)


def _indicator_row(figure: IndicatorFigure, mark, suppress: bool) -> IndicatorRow:
    """`mark`: the value as the funder's report of the same period shows it, "<5" or "*" when
    it is hidden (None when nothing is suppressed)."""
    indicator = figure.indicator
    hidden = suppress and mark in reports.MARKS
    # A count's small months are hidden; a share or a median that stands on small counts is
    # hidden all along.
    plain = indicator.aggregation == Indicator.Aggregation.COUNT
    small_points = suppress and _counts(indicator) and plain
    series = [
        (
            point.on,
            None if hidden or (small_points and _small(point.value)) else point.value,
        )
        for point in figure.series
    ]
    lines = [LineSeries(_("Value"), series)]
    if figure.forecast is not None and figure.series and not hidden:
        last = figure.series[-1]
        if figure.target_date > last.on:
            lines.append(
                LineSeries(
                    _("Forecast at the current pace"),
                    [(last.on, last.value), (figure.target_date, figure.forecast)],
                    dashed=True,
                )
            )
    target = shown(figure.target)
    chart = line_chart(
        title=indicator.name,
        description=describe(indicator),
        series=lines,
        target=figure.target,
        target_label=_("Target: %(target)s") % {"target": target},
        target_date=figure.target_date,
        target_date_label=_("Target date: %(date)s")
        % {"date": formats.date_format(figure.target_date, "SHORT_DATE_FORMAT")},
        date_header=_("Month ending"),
        hidden=HIDDEN,
    )
    if figure.value is None:
        status = _("Not computed yet")
    elif hidden:
        status = _("Not shown: too few to show")
    elif figure.will_miss:
        status = (
            _("Will exceed the ceiling at the current pace")
            if figure.lower_is_better
            else _("Will miss the target at the current pace")
        )
    elif figure.met:
        status = _("Target met")
    else:
        status = _("On course")
    if figure.value is None:
        value = "–"
    elif hidden:
        value = mark
    else:
        value = shown(figure.value)
    return IndicatorRow(
        figure=figure,
        value=value,
        target=target,
        description=describe(indicator) if hidden or figure.value is None else figure.description,
        forecast="–" if hidden or figure.forecast is None else shown(figure.forecast),
        status=status,
        will_miss=bool(figure.will_miss and not hidden and figure.value is not None),
        chart=chart,
    )


def _shares(figures: ProgrammeFigures, funder: dict | None) -> list[dict]:
    rows = []
    theirs = funder["shares"] if funder else [None] * len(figures.shares)
    for share, their in zip(figures.shares, theirs, strict=True):
        hidden = their is not None and their["share"] in reports.MARKS
        rows.append(
            {
                "group": share.target_group,
                "people": cell_of(their["people"] if their else share.people),
                "reached": cell_of(their["reached"] if their else share.reached),
                "share": their["share"]
                if hidden
                else ("–" if share.share is None else f"{shown(share.share)} %"),
                "target": "–" if share.target_share is None else f"{shown(share.target_share)} %",
                "rule": share.target_group.get_share_rule_display(),
                "met": None if hidden else share.met,
            }
        )
    return rows


@login_required
def detail(request, pk: int):
    programme = get_object_or_deny(
        request, Programme.objects.select_related("lead", "municipality"), Action.VIEW, pk=pk
    )
    suppress = figures_suppressed(request.user, programme)
    # Looked up when called, never bound at import (a test's stand-in must not outlive it).
    figures = figures_module.programme_figures(programme)
    # Where small cells are suppressed, the page shows exactly what a funder's report of the
    # programme's whole period would: the same suppression, across the same tables.
    funder = reports.suppress(reports.content_of(figures)) if suppress else None

    def theirs(section: str, key: str, exact: list) -> list:
        if funder is None:
            return exact
        rows = funder[section]["rows"] if isinstance(funder[section], dict) else funder[section]
        return [row[key] for row in rows]

    marks = theirs("indicators", "value", [None] * len(figures.indicators))
    indicators = [
        _indicator_row(figure, mark, suppress)
        for figure, mark in zip(figures.indicators, marks, strict=True)
    ]
    people = theirs("activities", "people", [row.people for row in figures.activities])
    reached = theirs("outcomes", "reached", [row.reached for row in figures.outcomes])
    medians = theirs("outcomes", "median_days", [row.median_days for row in figures.outcomes])
    cases = theirs("case_outcomes", "cases", [n for _label, n in figures.case_outcomes])
    context = {
        "programme": programme,
        "figures": figures,
        "suppress": suppress,
        "suppression_note": reports.suppression_note(),
        "indicators": indicators,
        "shares": _shares(figures, funder),
        "activities": [
            {
                "type": row.activity_type,
                "activities": shown(row.activities),
                "meetings": shown(row.meetings),
                "hours": shown(row.hours),
                "people": cell_of(n),
            }
            for row, n in zip(figures.activities, people, strict=True)
        ],
        "outcomes": [
            {"category": row.category, "reached": cell_of(n), "median": cell_of(m)}
            for row, n, m in zip(figures.outcomes, reached, medians, strict=True)
        ],
        "case_outcomes": [
            (label, cell_of(n)) for (label, _n), n in zip(figures.case_outcomes, cases, strict=True)
        ],
        "partners": list(programme.partners.all()),
        "services": list(programme.services.all()),
        "institutions": list(programme.institutions.all()),
        "may_compute": can(request.user, Action.CHANGE, programme),
        "budget": None
        if programme.budget is None
        else formats.number_format(programme.budget, 0, use_l10n=True, force_grouping=True),
        "aid_rate": None if programme.aid_rate is None else shown(Decimal(programme.aid_rate)),
    }
    return render(request, "programmes/detail.html", context)


@login_required
@require_POST
def compute(request, pk: int):
    programme = get_object_or_deny(request, Programme.objects.all(), Action.CHANGE, pk=pk)
    rebuild([programme.pk])
    messages.success(request, _("The figures were computed afresh from the records."))
    return redirect("programmes:detail", pk=programme.pk)
