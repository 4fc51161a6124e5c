"""Reading a case's Signs of Safety work for its page: the map by column, the current and
earlier statements, and the scaling answers drawn as one line per person."""

from __future__ import annotations

from dataclasses import dataclass, field

from earlyhelp.cases.models import Case
from earlyhelp.safety.models import MappingItem, ScalingAnswer, Statement

# The chart's drawing area, in SVG units.
WIDTH, HEIGHT, LEFT, TOP, BOTTOM = 640, 260, 36, 12, 28


@dataclass
class Series:
    name: str
    respondent: str
    index: int
    answers: list[ScalingAnswer] = field(default_factory=list)
    points: str = ""  # "x,y x,y …" for the polyline
    dots: list[tuple[float, float, ScalingAnswer]] = field(default_factory=list)


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
        return {"series": [], "answers": [], "width": WIDTH, "height": HEIGHT}
    first, last = answers[0].answered_on, answers[-1].answered_on
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - 12, HEIGHT - TOP - BOTTOM

    def x(day) -> float:
        if first == last:
            return LEFT + plot_w / 2
        return round(LEFT + plot_w * (day - first).days / span, 1)

    def y(score: int) -> float:
        return round(TOP + plot_h * (10 - score) / 10, 1)

    for line in series.values():
        line.dots = [(x(a.answered_on), y(a.score), a) for a in line.answers]
        line.points = " ".join(f"{px},{py}" for px, py, _a in line.dots)
    return {
        "series": list(series.values()),
        "answers": answers,
        "width": WIDTH,
        "height": HEIGHT,
        "grid": [{"score": s, "y": y(s)} for s in (0, 5, 10)],
        "left": LEFT,
        "right": WIDTH - 12,
        "first": first,
        "last": last,
        "baseline": HEIGHT - BOTTOM + 16,
    }
