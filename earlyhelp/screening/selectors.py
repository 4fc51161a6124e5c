"""Reading screening rounds for their pages: the list, the progress per class, the flagged
children with their worry across rounds, the class sheet, the movement of a class between
rounds and the share of flagged children per institution. Every read goes through the access
policy, and each page's query count stays the same whatever the size of the class or round."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from earlyhelp.access.policy import SMALL_CELL, Action, can, visible, visible_of
from earlyhelp.core.charts import Bar, Chart, LineSeries, Spark, bar, line_chart, sparkline
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.people.models import Child
from earlyhelp.screening.access import ratable_counts, screening_figures_for
from earlyhelp.screening.models import Item, Rating, Round, RoundGroup
from earlyhelp.screening.services import ratable_children, screening_withheld

ROUND_KEYS = [Key("opens_on", descending=True), Key("pk", descending=True)]


def round_list(
    *, user, cursor: str = "", page_size: int = 25, status: str = "", institution_id=None
) -> Page:
    """The rounds the user may see, newest first, with the status they have today (a round
    past its last day reads as closed before anyone opened it), of that status and
    institution if asked."""
    today = timezone.localdate()
    rounds = visible(
        user, Round.objects.select_related("institution", "instrument"), Action.VIEW
    ).annotate(
        shown_status=Case(
            When(status=Round.Status.OPEN, closes_on__lt=today, then=Value(Round.Status.CLOSED)),
            default="status",
            output_field=CharField(),
        )
    )
    if status:
        rounds = rounds.filter(shown_status=status)
    if institution_id is not None:
        rounds = rounds.filter(institution_id=institution_id)
    return keyset_page(rounds, ROUND_KEYS, cursor, page_size)


def round_queryset() -> QuerySet:
    return Round.objects.select_related("institution", "instrument", "created_by")


def items(round_: Round) -> list[Item]:
    return list(round_.instrument.items.all())


# --- Progress per class ------------------------------------------------------------------------


@dataclass
class ClassProgress:
    round_group: RoundGroup
    children: int  # to rate: enrolled now, not restricted, not withheld by consent
    rated: int
    flagged: int
    open_flags: int

    @property
    def group(self):
        return self.round_group.group

    @property
    def done(self) -> bool:
        return self.round_group.finished_at is not None

    @property
    def share(self) -> int | None:
        return round(100 * self.flagged / self.rated) if self.rated else None


def progress(*, user, round_: Round) -> list[ClassProgress]:
    """Each class of the round: children to rate, rated, flagged, done or not (four queries)."""
    round_groups = list(
        round_.round_groups.select_related("group", "finished_by").order_by("group__name")
    )
    group_ids = [rg.group_id for rg in round_groups]
    enrolled = [
        (group_id, child_id)
        for group_id, child_ids in ratable_counts(group_ids).items()
        for child_id in child_ids
    ]
    withheld = screening_withheld({child_id for _g, child_id in enrolled})
    children: dict[int, int] = {}
    for group_id, child_id in enrolled:
        if child_id not in withheld:
            children[group_id] = children.get(group_id, 0) + 1
    counts = {
        row["group_id"]: row
        for row in visible_of(user, round_, round_.ratings.order_by(), Action.LIST)
        .values("group_id")
        .annotate(
            n_rated=Count("pk"),
            n_flagged=Count("pk", filter=Q(flagged=True)),
            n_open=Count("pk", filter=Q(flagged=True, outcome="")),
        )
    }
    empty = {"n_rated": 0, "n_flagged": 0, "n_open": 0}
    return [
        ClassProgress(
            round_group=rg,
            children=children.get(rg.group_id, 0),
            rated=counts.get(rg.group_id, empty)["n_rated"],
            flagged=counts.get(rg.group_id, empty)["n_flagged"],
            open_flags=counts.get(rg.group_id, empty)["n_open"],
        )
        for rg in round_groups
    ]


# --- The class sheet ---------------------------------------------------------------------------


@dataclass
class SheetData:
    children: list[Child]
    ratings: dict[int, Rating]  # by child
    withheld: list[Child]  # not rated: screening consent withdrawn


def class_sheet(*, user, round_: Round, group) -> SheetData:
    """The children of the class the user rates and their ratings in this round (three
    queries, whatever the size of the class)."""
    children = list(ratable_children(user=user, group=group))
    withheld_ids = screening_withheld([c.pk for c in children])
    ratings = {
        r.child_id: r
        for r in visible_of(
            user,
            round_,
            Rating.objects.filter(child_id__in=[c.pk for c in children]),
            Action.RECORD if can(user, Action.RECORD, round_) else Action.VIEW,
        )
    }
    return SheetData(
        children=[c for c in children if c.pk not in withheld_ids],
        ratings=ratings,
        withheld=[c for c in children if c.pk in withheld_ids],
    )


def child_sheet(*, user, round_: Round, child) -> SheetData:
    """One child of the class sheet (opened through the policy) and their rating in this round,
    the rating read as the user rates it; no child if their consent to screening was
    withdrawn."""
    if screening_withheld([child.pk]):
        return SheetData(children=[], ratings={}, withheld=[child])
    rating = (
        visible_of(user, round_, Rating.objects.filter(child_id=child.pk), Action.RECORD)
        .select_related("rated_by")
        .first()
    )
    return SheetData(children=[child], ratings={child.pk: rating} if rating else {}, withheld=[])


# --- Charts ------------------------------------------------------------------------------------

# Drawn by the one chart code path (earlyhelp/core/charts.py); a narrow drawing keeps the
# labels readable on a phone.
CHART_W, CHART_H = 400, 240


# --- Flagged children --------------------------------------------------------------------------


@dataclass
class Flag:
    rating: Rating
    worries: list[tuple[str, int]]  # the items answered with some or serious worry
    history: list[dict] = field(default_factory=list)  # earlier and later rounds, in order
    spark: Spark | None = None
    chart: Chart | None = None  # the worry score across rounds as a line (one child's page)


@dataclass
class FlagList:
    flags: list[Flag]
    hidden: int  # flags on restricted records the user cannot see
    open: int


def _histories(user, child_ids: list[int]) -> dict[int, list[dict]]:
    """Each child's worry score in every round the user may read in full, oldest first."""
    history: dict[int, list[dict]] = {}
    for row in (
        visible(user, Rating.objects.filter(child_id__in=child_ids), Action.VIEW)
        .order_by("round__opens_on", "round_id")
        .values("child_id", "round_id", "round__title", "round__opens_on", "worry", "flagged")
    ):
        history.setdefault(row["child_id"], []).append(row)
    return history


def short_label(item: Item) -> str:
    """An item's name for a list: its question up to the colon ("Mood: seems content …" →
    "Mood"), or its first words."""
    text = str(item)
    head = text.split(":", 1)[0]
    if head != text and len(head) <= 30:
        return head
    return text if len(text) <= 30 else text[:29].rstrip() + "…"


def _worries(instrument, rating: Rating, round_items: list[Item]) -> list[tuple[str, int]]:
    """(the item's short name, worry level) of each item answered with some or serious
    worry."""
    levels = [
        (item, instrument.worry(rating.answers[item.code]))
        for item in round_items
        if item.code in rating.answers
    ]
    return [(short_label(item), level) for item, level in levels if level]


def flag_detail(*, user, rating: Rating, round_items: list[Item]) -> Flag:
    """One flagged child's rating: every item's answer, and the worry score across rounds
    drawn as a line (two queries)."""
    history = _histories(user, [rating.child_id]).get(rating.child_id, [])
    top = 2 * len(round_items)
    flag = Flag(
        rating=rating,
        worries=_worries(rating.round.instrument, rating, round_items),
        history=history,
    )
    flag.chart = line_chart(
        title=gettext(
            "The child's worry score in each round; the table below holds the same numbers."
        ),
        series=[
            LineSeries(
                gettext("Worry score"), [(h["round__opens_on"], h["worry"]) for h in history]
            )
        ],
        y_max=top or 1,
        y_ticks=[0, top / 2, top] if top else [0, 1],
        table=False,
        width=CHART_W,
        height=CHART_H,
    )
    return flag


def flags(*, user, round_: Round, round_items: list[Item]) -> FlagList:
    """The round's flagged children the user may see, open flags first, each with the items
    of worry and the worry score in every round the user may read (three queries)."""
    seen = visible(user, Child.objects.all(), Action.VIEW).values("pk")
    flagged = visible_of(user, round_, Rating.objects.filter(flagged=True))
    rows = list(
        flagged.filter(child__in=seen)
        .select_related("child__municipality__jurisdiction", "group")
        .annotate(is_open=Case(When(outcome="", then=Value(0)), default=Value(1)))
        .order_by("is_open", "group__name", "child__search_name", "pk")
    )
    counts = flagged.aggregate(
        total=Count("pk"), open=Count("pk", filter=Q(outcome=""))
    )  # fmt: skip
    instrument = round_.instrument
    history = _histories(user, [r.child_id for r in rows])
    top = 2 * len(round_items)
    result = []
    for rating in rows:
        past = history.get(rating.child_id, [])
        result.append(
            Flag(
                rating=rating,
                worries=_worries(instrument, rating, round_items),
                history=past,
                spark=sparkline([h["worry"] for h in past], top),
            )
        )
    return FlagList(flags=result, hidden=counts["total"] - len(rows), open=counts["open"])


# --- Movement of a class between rounds --------------------------------------------------------


@dataclass
class RoundShare:
    round: Round
    rated: int
    flagged: int

    @property
    def share(self) -> int | None:
        return round(100 * self.flagged / self.rated) if self.rated else None


def class_movement(*, user, round_: Round, group) -> dict:
    """The share of flagged children of `group` in every round over it that the user may
    see, oldest first, drawn as a line (two queries)."""
    rounds = list(
        visible(
            user,
            Round.objects.filter(institution_id=round_.institution_id, round_groups__group=group),
            Action.VIEW,
        ).order_by("opens_on", "pk")
    )
    counts = {
        row["round_id"]: row
        for row in visible(
            user, Rating.objects.filter(round__in=[r.pk for r in rounds], group=group), Action.LIST
        )
        .order_by()
        .values("round_id")
        .annotate(n_rated=Count("pk"), n_flagged=Count("pk", filter=Q(flagged=True)))
    }
    shares = [
        RoundShare(
            round=r,
            rated=counts.get(r.pk, {}).get("n_rated", 0),
            flagged=counts.get(r.pk, {}).get("n_flagged", 0),
        )
        for r in rounds
    ]
    chart = line_chart(
        title=gettext(
            "Share of flagged children per round, in per cent; the table below holds the same "
            "numbers."
        ),
        series=[
            LineSeries(gettext("Share flagged"), [(s.round.opens_on, s.share) for s in shares])
        ],
        y_max=100,
        y_ticks=[0, 50, 100],
        y_suffix=" %",
        table=False,
        width=CHART_W,
        height=CHART_H,
    )
    return {"shares": shares, "chart": chart}


# --- Share of flagged children per institution -------------------------------------------------


@dataclass
class Figure:
    round: Round
    rated: int
    flagged: int
    suppress: bool

    def _shown(self, count: int) -> str | None:
        """None where a count below 5 must not be shown."""
        return None if self.suppress and 0 < count < SMALL_CELL else str(count)

    @property
    def rated_shown(self) -> str | None:
        return self._shown(self.rated)

    @property
    def flagged_shown(self) -> str | None:
        # The children not flagged are a cell too: "all but one flagged" names that one.
        if self._shown(self.rated - self.flagged) is None:
            return None
        return self._shown(self.flagged)

    @property
    def share(self) -> int | None:
        if not self.rated or self.flagged_shown is None or self.rated_shown is None:
            return None
        return round(100 * self.flagged / self.rated)

    @property
    def bar(self) -> Bar | None:
        """The share drawn as a bar beside it (nothing where the share is left out)."""
        return bar(self.share, 100)


@dataclass
class Overview:
    figures: list[Figure]  # by institution, newest round first
    latest: list[Figure]  # each institution's latest round
    suppressed: bool
    since: dt.date
    counted_at: dt.datetime | None = None  # counted from the ratings as the page is read


def overview(*, user, since: dt.date) -> Overview:
    """The share of flagged children in each round opened since `since`, per institution,
    for the rounds whose figures the user may read; small cells hidden for roles without
    person-level access (two queries)."""
    rounds, suppress = screening_figures_for(
        user, Round.objects.filter(opens_on__gte=since).select_related("institution")
    )
    rounds = list(rounds.order_by("institution__name", "institution_id", "-opens_on", "-pk"))
    counts = {
        row["round_id"]: row
        for row in visible(
            user, Rating.objects.filter(round__in=[r.pk for r in rounds]), Action.VIEW_STATS
        )
        .order_by()
        .values("round_id")
        .annotate(n_rated=Count("pk"), n_flagged=Count("pk", filter=Q(flagged=True)))
    }
    figures = [
        Figure(
            round=r,
            rated=counts.get(r.pk, {}).get("n_rated", 0),
            flagged=counts.get(r.pk, {}).get("n_flagged", 0),
            suppress=suppress,
        )
        for r in rounds
    ]
    latest, seen = [], set()
    for figure in figures:
        if figure.round.institution_id not in seen:
            seen.add(figure.round.institution_id)
            latest.append(figure)
    return Overview(
        figures=figures,
        latest=latest,
        suppressed=suppress,
        since=since,
        counted_at=timezone.now(),
    )
