"""The one chart code path: numbers in SVG with a decimal point in every language, a single
value drawn as a dot, several lines with a legend, a fixed 0–10 scale, bars and sparklines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from earlyhelp.core import charts
from earlyhelp.core.tests.svg import bad_numbers, dots, svgs

DAY = dt.date(2026, 3, 31)


def _chart(**kwargs):
    return charts.line_chart(
        title="Answers",
        series=[
            charts.LineSeries("Anya", [(DAY, 3), (DAY + dt.timedelta(days=30), Decimal("6.5"))]),
            charts.LineSeries("Hanna", [(DAY, 2)]),
        ],
        **kwargs,
    )


@pytest.mark.parametrize("language", ["hu", "cs", "da"])
def test_no_decimal_comma_reaches_the_svg(language):
    with translation.override(language):
        chart = _chart(y_max=10, y_ticks=[0, 2.5, 5, 7.5, 10], width=400, height=240)
        html = render_to_string("components/line_chart.html", {"chart": chart})
    assert svgs(html) and bad_numbers(html) == []
    assert "2,5" in html  # the reader's label is localised, the coordinates are not
    assert dots(html) == 3  # Hanna's single answer is a dot
    assert 'viewBox="0 0 400 240"' in html and 'width="100%"' in html and "style=" not in html


def test_several_lines_have_a_legend_and_a_colour_each_on_a_fixed_scale():
    chart = _chart(y_max=10)
    html = render_to_string("components/line_chart.html", {"chart": chart})
    assert chart.legend and "chart__legend" in html and "Anya" in html and "Hanna" in html
    assert chart.lines[0].colour != chart.lines[1].colour
    top, bottom = float(chart.plot_top), float(chart.plot_bottom)
    assert [t.text for t in chart.y_ticks][-1] == "10" and float(chart.y_ticks[-1].at) == top
    assert float(chart.lines[1].dots[0].cy) == pytest.approx(bottom - (bottom - top) * 0.2)


def test_one_line_has_no_legend_unless_asked_and_the_table_can_be_left_out():
    one = [charts.LineSeries("Share", [(DAY, 25)])]
    assert not charts.line_chart(title="t", series=one).legend
    chart = charts.line_chart(title="t", series=one, legend=True, table=False)
    html = render_to_string("components/line_chart.html", {"chart": chart})
    assert "chart__legend" in html and "<table" not in html and dots(html) == 1


def test_a_bar_and_a_sparkline_in_hungarian():
    with translation.override("hu"):
        html = render_to_string(
            "components/bar.html", {"bar": charts.bar(Decimal("12.5"), 40)}
        ) + render_to_string("components/sparkline.html", {"spark": charts.sparkline([3], 14)})
    assert bad_numbers(html) == [] and 'width="31.2"' in html
    assert dots(html) == 1  # a single value is a dot
    assert charts.bar(None, 100) is None and charts.bar(150, 100).width == "100.0"
    assert charts.sparkline([], 14) is None
    assert charts.sparkline([0, 7, 14], 14).points.count(",") == 3
