"""Reading a case's Signs of Safety work for its page: the map by column, the current and
earlier statements, and the scaling answers drawn as one line per person."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext

from earlyhelp.cases.models import Case
from earlyhelp.core.charts import LineSeries, line_chart
from earlyhelp.safety.models import MappingItem, ScalingAnswer, Statement

# The chart's drawing area, in SVG units: narrow, so that its labels read on a phone.
CHART_W, CHART_H = 400, 240


@dataclass
class Series:
    name: str
    respondent: str
    index: int
    answers: list[ScalingAnswer] = field(default_factory=list)

    @property
    def label(self) -> str:
        """ "Anya (parent): 3 → 6", the line's name in the legend."""
        scores = " → ".join(str(a.score) for a in self.answers)
        return f"{self.name} ({self.answers[0].get_respondent_display()}): {scores}"


def mapping(*, case: Case) -> list[dict]:
    """The three columns, each with its categories and their current items (one query)."""
    items = [i for i in case.mapping_items.select_related("author") if i.withdrawn_at is None]
    columns = []
    for column in MappingItem.Column:
        categories = [c for c, col in MappingItem.COLUMN_OF.items() if col == column]
        columns.append(
            {
                "column": column,
                "categories": [
                    {
                        "category": category,
                        "items": [i for i in items if i.category == category],
                    }
                    for category in categories
                ],
            }
        )
    return columns


def statements(*, case: Case) -> dict:
    """For each kind, the current version and the earlier ones, newest first (one query)."""
    found = {kind: [] for kind in Statement.Kind}
    for statement in case.statements.select_related("author").order_by("kind", "-number"):
        found[Statement.Kind(statement.kind)].append(statement)
    return {
        kind.value: {"kind": kind, "current": rows[0] if rows else None, "earlier": rows[1:]}
        for kind, rows in found.items()
    }


def scaling(*, case: Case) -> dict:
    """Each person's answers as a line over time, with the axes' labels (one query)."""
    answers = list(case.scaling_answers.order_by("answered_on", "pk"))
    series: dict[tuple[str, str], Series] = {}
    for answer in answers:
        key = (answer.respondent, answer.respondent_name)
        if key not in series:
            series[key] = Series(
                name=answer.respondent_name, respondent=answer.respondent, index=len(series)
            )
        series[key].answers.append(answer)
    if not answers:
        return {"series": [], "answers": [], "chart": None}
    chart = line_chart(
        title=gettext("Each person's answers over time; the table below holds the same answers."),
        series=[
            LineSeries(line.label, [(a.answered_on, a.score) for a in line.answers])
            for line in series.values()
        ],
        y_max=10,
        y_ticks=[0, 5, 10],
        table=False,
        legend=True,
        width=CHART_W,
        height=CHART_H,
    )
    return {"series": list(series.values()), "answers": answers, "chart": chart}
