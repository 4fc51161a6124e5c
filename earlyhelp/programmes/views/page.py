"""The programme page: a programme's facts and its figures against its targets, for whoever
may view the programme (its lead, the managers and the analysts of its municipality). It reads
only the maintained figures (`programmes.figures`), so it costs the same few queries whatever
the size of the work behind it, and it names nobody the work was for. The figures part is drawn
once per computation, set-up, language, day and kind of reader, and kept in the cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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
from earlyhelp.programmes.models import Computation, Indicator, Programme, Report

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


def points_shown(figure: IndicatorFigure, hidden: bool, suppress: bool) -> list[tuple]:
    """The indicator's monthly values, (month's end, value), as the reader sees them (the page
    and the API): none where its value is hidden; where small cells are suppressed, a count of
    persons' months of 1 to 4. A share or a median that stands on small counts is hidden all
    along (`hidden`)."""
    indicator = figure.indicator
    plain = indicator.aggregation == Indicator.Aggregation.COUNT
    small_points = suppress and _counts(indicator) and plain
    return [
        (
            point.on,
            None if hidden or (small_points and _small(point.value)) else point.value,
        )
        for point in figure.series
    ]


def _indicator_row(figure: IndicatorFigure, mark, suppress: bool) -> IndicatorRow:
    """`mark`: the value as the funder's report of the same period shows it, "<5" or "*" when
    it is hidden (None when nothing is suppressed)."""
    indicator = figure.indicator
    hidden = suppress and mark in reports.MARKS
    series = points_shown(figure, hidden, suppress)
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


# How long a rendered figures fragment is kept at most: the key names everything the figures
# stand on (the computation, the set-up's versions, the language, the day, suppression), so
# this bounds only what it does not name, such as an activity type renamed by the administrator.
FIGURES_TTL = 600


def _figures_key(programme: Programme, computation, suppress: bool) -> str:
    """The cache key of the programme's figures as the page draws them."""
    setup = (
        programme.version,
        computation
        and (computation.computed_at.isoformat(), bool(computation.summary.get("outdated"))),
        list(programme.indicators.order_by("pk").values_list("pk", "version")),
        list(programme.target_groups.order_by("pk").values_list("pk", "version")),
        list(programme.outcome_categories.order_by("pk").values_list("pk", "version")),
    )
    digest = hashlib.sha256(repr(setup).encode()).hexdigest()[:32]
    return (
        f"programme-figures:{programme.pk}:{get_language()}:{int(suppress)}:"
        f"{timezone.get_current_timezone_name()}:{timezone.localdate().isoformat()}:{digest}"
    )


def _figures_context(programme: Programme, suppress: bool) -> dict:
    """What the figures fragment shows: the indicators with their charts, the shares, the
    activities and the outcomes, suppressed as the funder's report would be where they must."""
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
    return {
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
    }


@login_required
def detail(request, pk: int):
    programme = get_object_or_deny(
        request, Programme.objects.select_related("lead", "municipality"), Action.VIEW, pk=pk
    )
    suppress = figures_suppressed(request.user, programme)
    # The figures change only when they are computed again or the set-up changes: drawn once
    # for each (the same for every reader of the same kind) and kept, so that a page of a
    # dozen charts costs a few small queries.
    computation = Computation.objects.filter(programme=programme).first()
    key = _figures_key(programme, computation, suppress)
    figures_html = cache.get(key)
    if figures_html is None:
        figures_html = render_to_string(
            "programmes/_figures.html", _figures_context(programme, suppress)
        )
        cache.set(key, figures_html, FIGURES_TTL)
    context = {
        "programme": programme,
        "figures_html": mark_safe(figures_html),  # noqa: S308 (rendered by our own template)
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


class ReportChoice(forms.Form):
    """Where "Compute now" was asked from: a draft report of the programme, or its page."""

    report = forms.ModelChoiceField(queryset=Report.objects.none(), required=False)

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = programme.reports.filter(status=Report.Status.DRAFT)


@login_required
@require_POST
def compute(request, pk: int):
    programme = get_object_or_deny(request, Programme.objects.all(), Action.CHANGE, pk=pk)
    rebuild([programme.pk])
    messages.success(request, _("The figures were computed afresh from the records."))
    # Asked from a draft report of the programme: back to it.
    draft = ReportChoice(request.POST, programme=programme)
    if draft.is_valid() and draft.cleaned_data["report"] is not None:
        return redirect(draft.cleaned_data["report"])
    return redirect("programmes:detail", pk=programme.pk)
