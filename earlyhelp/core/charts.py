"""THE chart code of earlyhelp: line (and bar) charts drawn as SVG, the same numbers in a
table beside them.

Every number that goes into the SVG (coordinates, sizes, the viewBox) is written here as a
string with a decimal point, whatever the language: a template never formats a coordinate
(in hu, cs and da the template's localisation writes "232,0", which breaks the drawing). The
text a reader sees (axis labels, the table) is localised. A chart is an image with a title for
screen readers (role="img", aria-labelledby), scales to a phone (a viewBox, width 100 %), and
draws each point as a dot so that a single point is visible. Every chart also says what it
shows in words (`Chart.summary`: each line's first, last and highest value with their dates)
and gives its numbers as a table (here, or in the page's own table with `table=False`). On a
phone a chart never shrinks below a readable size: a narrow drawing (at most `PHONE_WIDTH`)
fits a 360-px screen as it is, a wider one keeps a minimum width and scrolls inside its frame,
never the page (`core/tests/test_charts.py` renders every chart of earlyhelp in all four
languages and parses the SVG).

Use: `chart = line_chart(title=..., series=[LineSeries(label, points)], target=..., ...)` and
`{% include "components/line_chart.html" with chart=chart %}`. Several series get a legend and
a colour each (`COLOURS`, written as attributes); `y_max` fixes the scale (0–10 for Signs of Safety
scaling, 0–100 for a share); `table=False` leaves the table out where the page already shows the
same numbers in a fuller table. A bar inside a table cell: `bar(value, top)` and
`components/bar.html`; a sparkline in a table row: `sparkline(values, top)` and
`components/sparkline.html`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import count

from django.utils import formats
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext

WIDTH, HEIGHT = 640, 260
# Drawn wider than this, a chart keeps a minimum size on a phone (the stylesheet's
# `.chart--wide`) and scrolls inside its own frame rather than shrinking its labels away.
PHONE_WIDTH = 480
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36
_ids = count(1)
# One colour per line, told apart on white and by colour-blind readers (the legend and the
# table name each line too); written as presentation attributes, never as a style attribute.
COLOURS = ("#1f5f8b", "#a3162a", "#1e6b3a", "#7a4b00", "#5b3b8c", "#4a5468")


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
    colour: str = "#1f5f8b"  # the line's colour, the same in the legend

    @property
    def fill(self) -> str:
        return "#6b7280" if self.dashed else self.colour

    @property
    def dots_svg(self) -> SafeString:
        """The dots as SVG, escaped, written here rather than in a template loop: a page of
        a dozen charts draws hundreds of them."""
        return format_html_join(
            "",
            '<circle cx="{}" cy="{}" r="5" fill="{}"><title>{} · {}</title></circle>',
            ((dot.cx, dot.cy, self.fill, self.label, dot.label) for dot in self.dots),
        )


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
    legend: bool = False  # several lines: a legend names each
    table: bool = True  # False: the page holds the same numbers in its own table
    summary: str = ""  # the chart in words, for every reader (each line's first, last, highest)
    wide: bool = False  # drawn wider than a phone: keeps a minimum size and scrolls in its frame

    @property
    def rows_html(self) -> SafeString:
        """The table's body rows, escaped (like `Line.dots_svg`, for the same reason)."""
        return format_html_join(
            "",
            '<tr><th scope="row">{}</th>{}</tr>',
            (
                (label, format_html_join("", "<td>{}</td>", ((cell,) for cell in cells)))
                for label, cells in self.rows
            ),
        )


def _cell(values: dict, on: date, hidden: str) -> str:
    if on not in values:
        return ""
    return hidden if values[on] is None else shown(values[on])


def summarise(series: list[LineSeries], day, hidden: str = "") -> str:
    """The chart in words: per line, its first and last value with their dates and, where it
    differs from both, its highest. A line with one value gives that value; a line with none
    says so. `day` formats a date as the chart does."""
    sentences = []
    for line in series:
        points = [(on, v) for on, v in sorted(line.points, key=lambda p: p[0]) if v is not None]
        if not points:
            if any(v is None for _, v in line.points) and hidden:
                sentences.append(
                    gettext("%(line)s: %(hidden)s.") % {"line": line.label, "hidden": hidden}
                )
            else:
                sentences.append(gettext("%(line)s: no value yet.") % {"line": line.label})
            continue
        (first_on, first), (last_on, last) = points[0], points[-1]
        if len(points) == 1:
            sentences.append(
                gettext("%(line)s: %(value)s on %(date)s.")
                % {"line": line.label, "value": shown(first), "date": day(first_on)}
            )
            continue
        sentence = gettext(
            "%(line)s: from %(first)s on %(first_date)s to %(last)s on %(last_date)s"
        ) % {
            "line": line.label,
            "first": shown(first),
            "first_date": day(first_on),
            "last": shown(last),
            "last_date": day(last_on),
        }
        high_on, high = max(points, key=lambda p: float(p[1]))
        if float(high) > max(float(first), float(last)):
            sentence += gettext("; highest %(value)s on %(date)s") % {
                "value": shown(high),
                "date": day(high_on),
            }
        sentences.append(sentence + ".")
    return " ".join(sentences)


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
    y_max: Decimal | float | None = None,
    y_ticks: list[float] | None = None,
    y_suffix: str = "",
    table: bool = True,
    legend: bool | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> Chart:
    """A line chart of values over dates, with an optional target level and target date. A
    value None is not drawn, and the table says `hidden` for it (e.g. "<5" where small counts
    are suppressed). `y_max` fixes the top of the scale (else a round number above the
    highest value), `y_ticks` the values labelled on it, `y_suffix` follows each label
    (" %"). The legend names the lines (by default when there are several). A narrower
    `width` keeps the labels readable on a phone."""
    days = [on for line in series for on, _ in line.points]
    if target_date:
        days.append(target_date)
    values = [float(v) for line in series for _, v in line.points if v is not None]
    if target is not None:
        values.append(float(target))
    first = min(days) if days else date.today()
    last = max(days) if days else first
    span = max((last - first).days, 1)
    if y_max is not None and float(y_max) > 0:
        top = float(y_max)
    else:
        top = _nice_top(max(values, default=0.0) * 1.05)
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def x(on: date) -> float:
        if last == first:
            return LEFT + plot_w / 2
        return LEFT + plot_w * (on - first).days / span

    def y(value) -> float:
        return TOP + plot_h * (1 - float(value) / top)

    labels: dict[date, str] = {}

    def day(on: date) -> str:  # each date formatted once (a dot and a table row share it)
        if on not in labels:
            labels[on] = formats.date_format(on, "SHORT_DATE_FORMAT")
        return labels[on]

    lines = []
    for index, line in enumerate(series):
        points = [(on, v) for on, v in line.points if v is not None]
        dots = [
            Dot(
                coordinate(x(on)),
                coordinate(y(v)),
                f"{day(on)}: {shown(v)}",
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
                colour=COLOURS[index % len(COLOURS)],
            )
        )
    tick_values = y_ticks if y_ticks is not None else [top * s for s in (0, 0.25, 0.5, 0.75, 1)]
    ticks = [
        Tick(coordinate(y(value)), f"{shown(Decimal(str(value)))}{y_suffix}")
        for value in tick_values
    ]
    x_ticks = [Tick(coordinate(x(first)), day(first))]
    if last != first:
        x_ticks.append(Tick(coordinate(x(last)), day(last)))
    dates = sorted({on for line in series for on, _ in line.points})
    by_line = [dict(line.points) for line in series]
    rows = [(day(on), [_cell(values, on, hidden) for values in by_line]) for on in dates]
    return Chart(
        id=f"chart-{next(_ids)}",
        title=title,
        description=description,
        view_box=f"0 0 {width} {height}",
        width=str(width),
        height=str(height),
        plot_left=coordinate(LEFT),
        plot_right=coordinate(width - RIGHT),
        plot_top=coordinate(TOP),
        plot_bottom=coordinate(TOP + plot_h),
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=ticks,
        target={"y": coordinate(y(target)), "label": target_label} if target is not None else None,
        target_date={"x": coordinate(x(target_date)), "label": target_date_label}
        if target_date
        else None,
        headers=[date_header, *[line.label for line in series]],
        rows=rows,
        legend=len(series) > 1 if legend is None else legend,
        table=table,
        summary=summarise(series, day, hidden),
        wide=width > PHONE_WIDTH,
    )


# --- A bar inside a table cell -----------------------------------------------------------------

BAR_WIDTH, BAR_HEIGHT = 100, 10


@dataclass
class Bar:
    width: str  # "0.0" … "100.0", in the bar's viewBox
    view_box: str = f"0 0 {BAR_WIDTH} {BAR_HEIGHT}"
    height: str = str(BAR_HEIGHT)


def bar(value: Decimal | float | int | None, top: Decimal | float | int) -> Bar | None:
    """A horizontal bar of `value` on a scale from 0 to `top`, for a table cell beside the
    number it draws (the bar is decoration: the number is the text). None: nothing drawn."""
    if value is None:
        return None
    share = 0.0 if not top else max(0.0, min(1.0, float(value) / float(top)))
    return Bar(width=coordinate(BAR_WIDTH * share))


# --- A sparkline in a table row ----------------------------------------------------------------

SPARK_W, SPARK_H, SPARK_PAD = 120, 32, 4


@dataclass
class Spark:
    points: str  # "x,y x,y …"; empty for a single value (its dot is drawn)
    dots: list[Dot]
    view_box: str = f"0 0 {SPARK_W} {SPARK_H}"
    width: str = str(SPARK_W)
    height: str = str(SPARK_H)


def sparkline(values: list[Decimal | float | int], top: Decimal | float | int) -> Spark | None:
    """A small line of `values` over equal steps on a scale from 0 to `top`, each value a
    dot (so that a single value shows). None: no value."""
    if not values:
        return None
    top = max(float(top), max(float(v) for v in values), 1.0)
    inner_w, inner_h = SPARK_W - 2 * SPARK_PAD, SPARK_H - 2 * SPARK_PAD
    step = inner_w / (len(values) - 1) if len(values) > 1 else 0
    spots = [
        (
            SPARK_PAD + (i * step if len(values) > 1 else inner_w / 2),
            SPARK_PAD + inner_h * (1 - float(v) / top),
        )
        for i, v in enumerate(values)
    ]
    return Spark(
        points=" ".join(f"{coordinate(px)},{coordinate(py)}" for px, py in spots)
        if len(values) > 1
        else "",
        dots=[
            Dot(coordinate(px), coordinate(py), shown(v))
            for (px, py), v in zip(spots, values, strict=True)
        ],
    )
