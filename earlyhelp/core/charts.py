"""THE chart code of earlyhelp: line (and bar) charts drawn as SVG, the same numbers in a
table beside them.

Every number that goes into the SVG (coordinates, sizes, the viewBox) is written here as a
string with a decimal point, whatever the language: a template never formats a coordinate
(in hu, cs and da the template's localisation writes "232,0", which breaks the drawing). The
text a reader sees (axis labels, the table) is localised. A chart is an image with a title for
screen readers (role="img", aria-labelledby), scales to a phone (a viewBox, width 100 %), and
draws each point as a dot so that a single point is visible.

Use: `chart = line_chart(title=..., series=[LineSeries(label, points)], target=..., ...)` and
`{% include "components/line_chart.html" with chart=chart %}`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from django.utils import formats

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36
_ids = count(1)


def coordinate(value: float | Decimal) -> str:
    """A number as SVG reads it: a decimal point, never a comma, one decimal."""
    return f"{float(value):.1f}"


def shown(value) -> str:
    """A number as the reader reads it, localised; whole numbers without decimals."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    return formats.number_format(value, 1, use_l10n=True, force_grouping=True)


@dataclass
class LineSeries:
    label: str
    points: list[tuple[date, Decimal | float | int]]
    dashed: bool = False  # a forecast or a projection


@dataclass
class Dot:
    cx: str
    cy: str
    label: str  # "31.03.2020: 12", as a tooltip


@dataclass
class Line:
    label: str
    points: str  # "x,y x,y …" for a polyline
    dashed: bool
    dots: list[Dot]
    css: str


@dataclass
class Tick:
    at: str
    text: str


@dataclass
class Chart:
    id: str
    title: str
    description: str
    view_box: str
    width: str
    height: str
    plot_left: str
    plot_right: str
    plot_top: str
    plot_bottom: str
    lines: list[Line]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    target: dict | None  # {"y", "label"} a horizontal target line
    target_date: dict | None  # {"x", "label"} a vertical line at the target date
    headers: list[str]
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


def _cell(values: dict, on: date, hidden: str) -> str:
    if on not in values:
        return ""
    return hidden if values[on] is None else shown(values[on])


def _nice_top(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10):
        magnitude = 10 ** (len(str(int(value))) - 1)
        top = step * magnitude
        if top >= value:
            return float(top)
    return float(value)


def line_chart(
    *,
    title: str,
    series: list[LineSeries],
    description: str = "",
    target: Decimal | float | None = None,
    target_label: str = "",
    target_date: date | None = None,
    target_date_label: str = "",
    date_header: str = "",
    hidden: str = "",
) -> Chart:
    """A line chart of values over dates, with an optional target level and target date. A
    value None is not drawn, and the table says `hidden` for it (e.g. "<5" where small counts
    are suppressed)."""
    days = [on for line in series for on, _ in line.points]
    if target_date:
        days.append(target_date)
    values = [float(v) for line in series for _, v in line.points if v is not None]
    if target is not None:
        values.append(float(target))
    first = min(days) if days else date.today()
    last = max(days) if days else first
    span = max((last - first).days, 1)
    top = _nice_top(max(values, default=0.0) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(on: date) -> float:
        if last == first:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (on - first).days / span

    def y(value) -> float:
        return TOP + plot_h * (1 - float(value) / top)

    lines = []
    for index, line in enumerate(series):
        points = [(on, v) for on, v in line.points if v is not None]
        dots = [
            Dot(
                coordinate(x(on)),
                coordinate(y(v)),
                f"{formats.date_format(on, 'SHORT_DATE_FORMAT')}: {shown(v)}",
            )
            for on, v in points
        ]
        lines.append(
            Line(
                label=line.label,
                points=" ".join(f"{coordinate(x(on))},{coordinate(y(v))}" for on, v in points),
                dashed=line.dashed,
                dots=dots,
                css=f"chart__line chart__line--{index + 1}",
            )
        )
    y_ticks = [
        Tick(coordinate(y(top * share)), shown(Decimal(str(top * share))))
        for share in (0, 0.25, 0.5, 0.75, 1)
    ]
    x_ticks = [Tick(coordinate(x(first)), formats.date_format(first, "SHORT_DATE_FORMAT"))]
    if last != first:
        x_ticks.append(Tick(coordinate(x(last)), formats.date_format(last, "SHORT_DATE_FORMAT")))
    dates = sorted({on for line in series for on, _ in line.points})
    by_line = [dict(line.points) for line in series]
    rows = [
        (
            formats.date_format(on, "SHORT_DATE_FORMAT"),
            [_cell(values, on, hidden) for values in by_line],
        )
        for on in dates
    ]
    return Chart(
        id=f"chart-{next(_ids)}",
        title=title,
        description=description,
        view_box=f"0 0 {WIDTH} {HEIGHT}",
        width=str(WIDTH),
        height=str(HEIGHT),
        plot_left=coordinate(LEFT),
        plot_right=coordinate(WIDTH - RIGHT),
        plot_top=coordinate(TOP),
        plot_bottom=coordinate(TOP + plot_h),
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        target={"y": coordinate(y(target)), "label": target_label} if target is not None else None,
        target_date={"x": coordinate(x(target_date)), "label": target_date_label}
        if target_date
        else None,
        headers=[date_header, *[line.label for line in series]],
        rows=rows,
    )
