"""Every chart earlyhelp draws, rendered in all four languages and parsed as XML: each call of
`core.charts.line_chart` in the code base is found by reading the source, and drawn here with
the options it passes (sample values per option), a single point and a hidden one among them.
A new chart is tested by this file with no code of its own; an option this file does not know
fails it until a sample is added."""

import ast
import datetime as dt
import xml.etree.ElementTree as ElementTree
from decimal import Decimal
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from earlyhelp.core import charts
from earlyhelp.core.tests.svg import bad_numbers, svgs

APP = Path(charts.__file__).resolve().parents[1]
DAY = dt.date(2026, 3, 31)
SAMPLES = {
    "title": "Title",
    "description": "What the chart shows",
    "target": Decimal("12.5"),
    "target_label": "Target",
    "target_date": DAY + dt.timedelta(days=200),
    "target_date_label": "Target date",
    "date_header": "Date",
    "hidden": "<5",
    "y_max": 10,
    "y_ticks": [0, 5, 10],
    "y_suffix": " %",
    "table": True,
    "legend": True,
    "width": charts.PHONE_WIDTH,
    "height": 240,
}
SERIES = [
    charts.LineSeries(
        "First line", [(DAY, Decimal("2.5")), (DAY + dt.timedelta(days=31), None), (DAY, 4)]
    ),
    charts.LineSeries("A single value", [(DAY + dt.timedelta(days=61), Decimal("7.25"))]),
]


def _call_sites() -> list[tuple[str, int, frozenset[str]]]:
    """(module, line, keyword names) of every `line_chart(...)` call outside tests and the
    chart module itself."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        if "tests" in path.parts or path.name == "charts.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name == "line_chart":
                found.append(
                    (
                        str(path.relative_to(APP.parent)),
                        node.lineno,
                        frozenset(k.arg for k in node.keywords if k.arg),
                    )
                )
    return found


CALL_SITES = _call_sites()


def test_the_call_sites_are_found():
    modules = {module for module, _, _ in CALL_SITES}
    assert {
        "earlyhelp/concerns/figures.py",
        "earlyhelp/programmes/views/page.py",
        "earlyhelp/safety/selectors.py",
        "earlyhelp/screening/selectors.py",
    } <= modules


@pytest.mark.parametrize("language", ["en", "hu", "cs", "da"])
@pytest.mark.parametrize(
    "module,line,keywords", CALL_SITES, ids=[f"{m}:{n}" for m, n, _ in CALL_SITES]
)
def test_each_chart_draws_in_every_language(module, line, keywords, language):
    unknown = keywords - set(SAMPLES) - {"series"}
    assert not unknown, f"{module}:{line} passes {unknown}: add a sample to SAMPLES"
    with translation.override(language):
        chart = charts.line_chart(
            series=SERIES, **{k: SAMPLES[k] for k in keywords if k != "series"}
        )
        html = render_to_string("components/line_chart.html", {"chart": chart})
    assert not bad_numbers(html)
    drawings = svgs(html)
    assert drawings[0].startswith('<svg class="chart__svg"')
    # Our own rendering, not untrusted input. The legend's swatches follow, parsed too.
    root = ElementTree.fromstring(drawings[0])  # noqa: S314
    for swatch in drawings[1:]:
        ElementTree.fromstring(swatch)  # noqa: S314
    circles = root.findall(".//{*}circle") or root.findall(".//circle")
    assert len(circles) == 3  # two values of the first line (one hidden), the single one
    assert chart.summary and "A single value" in chart.summary
    if chart.table:
        assert "<table" in html
    if chart.wide:
        assert 'class="chart__frame" tabindex="0"' in html
