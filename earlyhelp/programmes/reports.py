"""The funder's report: its tables built from a programme's figures, small cells suppressed,
the snapshot a release fixes, and the PDF and XLSX the funder receives.

`content(report)` is what a report says, as plain JSON-serialisable data (strings, numbers,
booleans, ISO dates): while the report is a draft, its exact figures are what the last
computation of the programme counted for its period (`PeriodFigures`, written by
`figures.rebuild` with the rest and by `compute_draft` when missing), so that opening or
downloading a draft reads one row; once released, read from `Report.figures`.
`layout(content)` turns it into the sections every output shares (the page, the PDF, the
XLSX), so the three say the same thing.

Small cells: where the report leaves the municipality, every count of people, cases or
outcomes from 1 to 4 is shown as "<5", and the cells that would reveal it through a total
(`suppressed_cells`) and any share or median computed from a hidden count as "*" (a complement
may well be 5 or more, and the funder must not be told it is less). Counts of
the service's own work (activities held, meetings held, events, hours) are not about persons
and are shown as they are: a funder must see that the four round tables were held.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from earlyhelp.access.policy import SMALL_CELL, Action, can
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import update_versioned
from earlyhelp.programmes.models import (
    Indicator,
    OutcomeCategory,
    Partner,
    PeriodFigures,
    Programme,
    Report,
)

SUPPRESSED = "<5"  # a count from 1 to 4
HIDDEN = (
    "*"  # a figure hidden because it would reveal one: never shown as "<5", which it may not be
)
MARKS = (SUPPRESSED, HIDDEN)
SCHEMA = 1

# Indicator units that count persons or what happened to them: suppressed when small.
PERSON_UNITS = {
    Indicator.Unit.CHILDREN,
    Indicator.Unit.ADULTS,
    Indicator.Unit.CARERS,
    Indicator.Unit.STAFF,
    Indicator.Unit.HOUSEHOLDS,
    Indicator.Unit.CASES,
    Indicator.Unit.ATTENDANCES,
    Indicator.Unit.OUTCOMES,
}


# --- Small-cell suppression ------------------------------------------------------------------


def is_small(value) -> bool:
    """A count from 1 to SMALL_CELL - 1. Zero is not small: nobody stands behind it."""
    return (
        isinstance(value, int | Decimal) and not isinstance(value, bool) and 0 < value < SMALL_CELL
    )


def suppressed_cells(
    table: Sequence[Sequence[int | None]],
    *,
    across: bool = False,
    down: bool = False,
    hidden: set[tuple[int, int]] | frozenset = frozenset(),
) -> set[tuple[int, int]]:
    """The cells of `table` to hide, as (row, column). `across`: the last column is each row's
    total; `down`: the last row is each column's total. A cell holding None is not part of
    the table's sums.

    Every count from 1 to 4 is hidden (primary suppression). Then, wherever a row or column
    that sums to a total has exactly one hidden cell (the total counts as one of its cells),
    the total would reveal it, so the smallest other cell of that line is hidden too (a
    non-zero one first, the total last), again and again until no line gives one away.
    `hidden`: cells hidden already for a reason outside the table (another table shows the
    same count hidden); they are protected like the small ones."""
    hidden = {
        (r, c) for r, row in enumerate(table) for c, value in enumerate(row) if is_small(value)
    } | set(hidden)
    lines: list[list[tuple[int, int]]] = []
    if across:
        lines += [[(r, c) for c in range(len(row))] for r, row in enumerate(table)]
    if down and table:
        width = max(len(row) for row in table)
        lines += [[(r, c) for r in range(len(table)) if c < len(table[r])] for c in range(width)]
    lines = [[cell for cell in line if table[cell[0]][cell[1]] is not None] for line in lines]
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            candidates = [cell for cell in line if cell not in hidden]
            if not candidates:
                continue
            last = line[-1]

            def order(cell, last=last):
                value = table[cell[0]][cell[1]]
                return (cell == last, value == 0, value, cell)

            hidden.add(min(candidates, key=order))
            changed = True
    return hidden


# --- What a report says ----------------------------------------------------------------------


def _number(value):
    """A JSON number: an int when whole, else a float to two places; None stays None."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(round(value, 2))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def facts(programme) -> dict:
    return {
        "name": programme.name,
        "funder": programme.funder,
        "reference": programme.reference,
        "starts": _iso(programme.starts_on),
        "ends": _iso(programme.ends_on),
        "budget": _number(programme.budget),
        "currency": programme.currency,
        "aid_rate": _number(programme.aid_rate),
        "partners": [
            {"name": p.name, "role": p.role, "note": p.note}
            for p in programme.partners.order_by("role", "name")
        ],
    }


def compute_draft(report) -> PeriodFigures:
    """Count the draft's period from the maintained aggregates and keep it (the rebuild calls
    this for each draft of the programme it computes, under the programme's lock)."""
    from earlyhelp.programmes import figures

    computed = figures.programme_figures(
        report.programme, starts=report.period_starts, ends=report.period_ends
    )
    content = content_of(computed)
    content["period"] = {"starts": _iso(report.period_starts), "ends": _iso(report.period_ends)}
    stored, _created = PeriodFigures.objects.update_or_create(
        report=report, defaults={"computed_at": timezone.now(), "content": content}
    )
    return stored


def forget_drafts(programme_id: int) -> None:
    """Drop the kept figures of the programme's drafts: its set-up changed, so what they say
    would be another set-up's; the next reading counts them again."""
    PeriodFigures.objects.filter(
        report__programme_id=programme_id, report__status=Report.Status.DRAFT
    ).delete()


def draft_figures(report) -> PeriodFigures:
    """A draft's kept figures, counted now if there are none yet."""
    stored = PeriodFigures.objects.filter(report=report).first()
    return stored if stored is not None else compute_draft(report)


def _exact(report, stored: PeriodFigures | None = None) -> dict:
    """The draft's exact figures, as the last computation counted them (`stored`, else read),
    with its narrative and its programme's facts as they are now."""
    content = dict((stored or draft_figures(report)).content)
    content["programme"] = facts(report.programme)
    content["narrative"] = report.narrative
    return content


def content_of(computed, *, narrative: str = "") -> dict:
    """`figures.ProgrammeFigures` as a report's exact content (the programme page passes its
    own figures here to suppress them exactly as a report of the same period would)."""
    programme = computed.programme
    behind = computed.behind or {}
    indicators = []
    for item in computed.indicators:
        indicator = item.indicator
        indicators.append(
            {
                "name": str(getattr(indicator, "name", "")),
                "description": str(item.description),
                "unit": getattr(indicator, "unit", ""),
                "aggregation": getattr(indicator, "aggregation", ""),
                "target_group": getattr(indicator, "target_group_id", None),
                "outcome": getattr(indicator, "outcome_id", None),
                # Whether the count is the same as a cell of the tables below (any role, no
                # activity types): the group's people, or the people reached.
                "plain": getattr(indicator, "role", Indicator.Role.ANY) == Indicator.Role.ANY
                and not _has_types(indicator),
                # The counts a share or a median stands on (never in what the funder gets).
                "counts": behind.get(str(getattr(indicator, "pk", None))),
                "value": _number(item.value),
                "target": _number(item.target),
                "target_date": _iso(item.target_date),
                "lower_is_better": bool(item.lower_is_better),
                "met": bool(item.met),
                "will_miss": bool(item.will_miss),
            }
        )
    shares = [
        {
            "id": getattr(item.target_group, "pk", None),
            "name": str(item.target_group),
            "kind": getattr(item.target_group, "people", ""),
            "people": item.people,
            "reached": item.reached,
            "share": _number(item.share),
            "target_share": _number(item.target_share),
            "rule": str(item.rule),
            "met": item.met,
        }
        for item in computed.shares
    ]
    activities = [
        {
            "type": str(item.activity_type),
            "activities": item.activities,
            "meetings": item.meetings,
            "hours": _number(item.hours),
            "people": item.people,
        }
        for item in computed.activities
    ]
    outcomes = [
        {
            "id": getattr(item.category, "pk", None),
            "code": getattr(item.category, "code", ""),
            "name": getattr(item.category, "name", ""),
            "reached": item.reached,
            "median_days": _number(item.median_days),
        }
        for item in computed.outcomes
    ]
    case_outcomes = [
        {"outcome": str(label), "cases": count} for label, count in computed.case_outcomes
    ]
    return {
        "schema": SCHEMA,
        "suppressed": False,
        "programme": facts(programme),
        "period": {"starts": _iso(computed.starts), "ends": _iso(computed.ends)},
        "computed_at": _iso(computed.computed_at),
        "indicators": indicators,
        "shares": shares,
        "activities": {
            "rows": activities,
            "total": {
                "activities": sum(row["activities"] for row in activities),
                "meetings": sum(row["meetings"] for row in activities),
                "hours": _number(
                    sum((Decimal(str(row["hours"] or 0)) for row in activities), Decimal(0))
                ),
            },
        },
        "outcomes": {"rows": outcomes, "total": sum(row["reached"] for row in outcomes)},
        "case_outcomes": {
            "rows": case_outcomes,
            "total": sum(row["cases"] for row in case_outcomes),
        },
        "narrative": narrative,
    }


def _has_types(indicator) -> bool:
    if getattr(indicator, "pk", None) is None:
        return False
    cache = getattr(indicator, "_prefetched_objects_cache", {})
    if "activity_types" in cache:
        return bool(cache["activity_types"])
    return indicator.activity_types.exists()


def _mark(value) -> str:
    return SUPPRESSED if is_small(value) else HIDDEN


def _links(row: dict, shares: list[dict]) -> list[tuple]:
    """The cells of the tables that a count indicator shows again: the outcome category's
    row, the target group's people, or the people reached by the groups of its kind."""
    if row["aggregation"] != Indicator.Aggregation.COUNT:
        return []
    if row["unit"] == Indicator.Unit.OUTCOMES and row.get("outcome"):
        return [("outcome", row["outcome"])]
    kinds = {Indicator.Unit.CHILDREN: "children", Indicator.Unit.ADULTS: "adults"}
    if row["unit"] not in kinds or not row.get("plain", True):
        return []
    if row.get("target_group"):
        return [("people", row["target_group"])]
    return [("reached", share["id"]) for share in shares if share.get("kind") == kinds[row["unit"]]]


def _share_hidden(row: dict, hidden_groups: set) -> bool:
    """A share indicator is hidden when its group's row is, or when its own counts (the
    group's people, the others reached) would be: unknown counts hide it too."""
    if row["target_group"] in hidden_groups:
        return True
    counts = row.get("counts")
    if not counts:
        return True
    members, others = counts[0], counts[-1] if len(counts) > 1 else 0
    return bool(suppressed_cells([[members, others, members + others]], across=True))


def suppress(exact: dict) -> dict:
    """The same content as the funder receives it: small counts shown as "<5", the cells that
    would reveal them and the shares and medians of a hidden count as "*".

    Suppression runs across tables: a count indicator that shows a table's cell again (an
    outcome's row, a group's people, the people reached) is hidden when the cell is, and a
    small indicator hides the cells it shows again, with their complements, until no table or
    indicator gives another away."""
    out = {**exact, "suppressed": True}
    links = {i: _links(row, exact["shares"]) for i, row in enumerate(exact["indicators"])}
    forced: set[tuple] = set()
    while True:
        # Target groups: the people of the group, those reached outside it (never shown, but
        # revealed by the other two) and the people reached.
        share_hidden = {}
        for row in exact["shares"]:
            people, reached = row["people"], row["reached"]
            given = {(0, 0)} if ("people", row["id"]) in forced else set()
            given |= {(0, 2)} if ("reached", row["id"]) in forced else set()
            share_hidden[row["id"]] = suppressed_cells(
                [[people, max(reached - people, 0), reached]], across=True, hidden=given
            )
        outcome_rows = exact["outcomes"]["rows"]
        outcome_hidden = suppressed_cells(
            [[row["reached"]] for row in outcome_rows] + [[exact["outcomes"]["total"]]],
            down=True,
            hidden={
                (r, 0) for r, row in enumerate(outcome_rows) if ("outcome", row["id"]) in forced
            },
        )
        cells = {
            ("outcome", row["id"]) for r, row in enumerate(outcome_rows) if (r, 0) in outcome_hidden
        }
        for gid, hidden in share_hidden.items():
            cells |= {("people", gid)} if (0, 0) in hidden else set()
            cells |= {("reached", gid)} if (0, 2) in hidden else set()
        more = set(forced)
        for i, row in enumerate(exact["indicators"]):
            if is_small(row["value"]) or any(link in cells for link in links[i]):
                more |= set(links[i])
        if more == forced:
            break
        forced = more

    shares = []
    hidden_groups = set()
    for row in exact["shares"]:
        hidden = share_hidden[row["id"]]
        row = dict(row)
        if hidden:
            hidden_groups.add(row["id"])
            row["share"] = HIDDEN if row["share"] is not None else None
            row["met"] = None
        if (0, 0) in hidden:
            row["people"] = _mark(row["people"])
        if (0, 2) in hidden:
            row["reached"] = _mark(row["reached"])
        shares.append(row)
    out["shares"] = shares

    rows = [dict(row) for row in outcome_rows]
    hidden_outcomes = set()
    for r, row in enumerate(rows):
        if (r, 0) in outcome_hidden:
            hidden_outcomes.add(row["id"])
            row["reached"] = _mark(row["reached"])
            if row["median_days"] is not None:
                row["median_days"] = HIDDEN
    total = exact["outcomes"]["total"]
    out["outcomes"] = {
        "rows": rows,
        "total": _mark(total) if (len(rows), 0) in outcome_hidden else total,
    }

    # The cases closed: a column with its total.
    case_rows = exact["case_outcomes"]["rows"]
    total = exact["case_outcomes"]["total"]
    hidden = suppressed_cells([[row["cases"]] for row in case_rows] + [[total]], down=True)
    out["case_outcomes"] = {
        "rows": [
            {**row, "cases": _mark(row["cases"])} if (r, 0) in hidden else dict(row)
            for r, row in enumerate(case_rows)
        ],
        "total": _mark(total) if (len(case_rows), 0) in hidden else total,
    }

    # Activities: the distinct people of each type (they do not add up, so no total reveals).
    out["activities"] = {
        "rows": [
            {**row, "people": SUPPRESSED if is_small(row["people"]) else row["people"]}
            for row in exact["activities"]["rows"]
        ],
        "total": exact["activities"]["total"],
    }

    indicators = []
    for i, row in enumerate(exact["indicators"]):
        row = dict(row)
        value = row["value"]
        if row["aggregation"] == Indicator.Aggregation.SHARE:
            hide = _share_hidden(row, hidden_groups)
        elif row["unit"] == Indicator.Unit.RESOLUTION_DAYS:
            hide = row["outcome"] in hidden_outcomes or any(
                is_small(n) for n in row.get("counts") or []
            )
        else:
            hide = row["unit"] in PERSON_UNITS and (
                is_small(value) or any(link in forced for link in links[i])
            )
        if hide and value is not None:
            row["value"] = _mark(value) if row["unit"] in PERSON_UNITS else HIDDEN
            row["met"] = row["will_miss"] = False
        row.pop("counts", None)
        row.pop("plain", None)
        indicators.append(row)
    out["indicators"] = indicators
    return out


def exact_content(report, stored: PeriodFigures | None = None) -> dict:
    """Exact figures (never for a released report: it keeps only what the funder received),
    from the draft's kept figures (`stored`, else read)."""
    return _exact(report, stored)


def funder_content(report, exact: dict | None = None) -> dict:
    """What the funder receives: the snapshot of a released report, else the draft's exact
    content (`exact`, else read) suppressed."""
    if report.is_released and report.figures:
        return report.figures
    return suppress(exact if exact is not None else _exact(report))


# --- Release and the narrative ---------------------------------------------------------------


def save_narrative(*, user, report: Report, narrative: str, version: int, **audit) -> Report:
    if not can(user, Action.CHANGE, report):
        raise PermissionDenied
    if report.is_released:
        raise ValidationError(_("A released report is fixed: its narrative cannot change."))
    before = {"narrative": report.narrative}
    update_versioned(report, expected_version=version, fields={"narrative": narrative})
    changes = field_changes(before, {"narrative": narrative})
    if changes:
        audit_record(actor=user, action="change", obj=report, changes=changes, **audit)
    return report


def figures_stamp(stored: PeriodFigures) -> str:
    """Which counting of a draft's figures the reader saw: the release form carries it, so
    that figures counted again in the meantime are never released unseen."""
    return stored.computed_at.isoformat()


@transaction.atomic
def release(*, user, report: Report, version: int, seen: str | None = None, **audit) -> Report:
    """Fix the report as the funder receives it: the suppressed figures (those the releaser saw,
    `seen` being their `figures_stamp`) and the narrative as they are now, released by a second
    person."""
    if not can(user, Action.APPROVE, report):
        raise PermissionDenied
    if report.is_released:
        raise ValidationError(_("The report is released already."))
    if report.prepared_by_id == user.pk:
        raise ValidationError(_("Whoever prepared the report cannot release it."))
    # Held until the release commits: a rebuild counting the draft again waits for it.
    stored = PeriodFigures.objects.select_for_update().filter(report=report).first()
    stored = stored or compute_draft(report)
    if seen is not None and seen != figures_stamp(stored):
        raise ValidationError(
            _(
                "The figures were counted again since you opened the report. Look at them "
                "once more, then release it."
            )
        )
    snapshot = suppress(_exact(report, stored))
    now = timezone.now()
    snapshot["released_at"] = now.isoformat()
    update_versioned(
        report,
        expected_version=version,
        fields={
            "status": Report.Status.RELEASED,
            "released_by": user,
            "released_at": now,
            "figures": snapshot,
        },
    )
    stored.delete()  # a released report keeps its own snapshot; the rows are the drafts'
    audit_record(
        actor=user,
        action="release",
        obj=report,
        changes={"status": [Report.Status.DRAFT, Report.Status.RELEASED]},
        **audit,
    )
    return report


def create(*, user, programme, starts: date, ends: date, **audit) -> Report:
    """A new draft report of a period; a period sharing a day with another report of the
    programme is refused (`Report.clean`), checked under the programme's row lock so that two
    reports started at once cannot overlap either."""
    if not can(user, Action.CHANGE, programme):
        raise PermissionDenied
    report = Report(programme=programme, period_starts=starts, period_ends=ends, prepared_by=user)
    with transaction.atomic():
        list(Programme.objects.select_for_update().filter(pk=programme.pk).values("pk"))
        # The overlap rule covers a report of the same period (the database's unique
        # constraint stays as the last word).
        report.full_clean(exclude=["narrative"], validate_constraints=False)
        report.save()
        audit_record(actor=user, action="create", obj=report, **audit)
    compute_draft(report)
    return report


# --- The sections every output shares --------------------------------------------------------


@dataclass
class Section:
    key: str
    title: str
    headings: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None
    widths: list[float] | None = None  # relative, for the PDF
    empty: str = ""


def shown(value) -> str:
    """A cell as text in the active language: "<5" as it is, numbers with the language's
    decimal mark and grouping, dates in its short format, None as "—"."""
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        places = 0 if float(value).is_integer() else 1
        return formats.number_format(value, places, use_l10n=True, force_grouping=True)
    if isinstance(value, date):
        return local_date(value)
    return str(value)


def local_date(value) -> str:
    if isinstance(value, str):
        value = parse_date(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else "\u2014"


def local_moment(value) -> str:
    if isinstance(value, str):
        value = parse_datetime(value)
    if not value:
        return "\u2014"
    return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _status(row: dict) -> str:
    if row["value"] in MARKS:
        return _("Not shown: too few to show")
    if row["met"]:
        return _("Met")
    if row["will_miss"]:
        return _("Will miss at the current pace")
    return _("On course")


def _percent(value) -> object:
    return value if value is None or value in MARKS else f"{shown(value)} %"


def _target_share(row: dict) -> str:
    if row["target_share"] is None:
        return "\u2014"
    rule = (
        pgettext("share rule", "at least")
        if row["rule"] == "at_least"
        else pgettext("share rule", "at most")
    )
    return f"{rule} {shown(row['target_share'])} %"


def _outcome_name(row: dict) -> str:
    # A shipped category is named in the reader's language; a programme's own by its name.
    if row["name"]:
        return row["name"]
    return str(OutcomeCategory.SHIPPED.get(row["code"], row["code"]))


def fact_rows(content: dict) -> list[tuple[str, str]]:
    programme = content["programme"]
    budget = "\u2014"
    if programme["budget"] is not None:
        budget = f"{shown(programme['budget'])} {programme['currency']}".strip()
    roles = dict(Partner.Role.choices)
    partners = "\n".join(
        f"{p['name']} ({roles.get(p['role'], p['role'])})" + (f", {p['note']}" if p["note"] else "")
        for p in programme["partners"]
    )
    return [
        (_("Programme"), programme["name"]),
        (_("Funder"), programme["funder"] or "\u2014"),
        (_("Reference number"), programme["reference"] or "\u2014"),
        (
            _("Programme period"),
            f"{local_date(programme['starts'])} – {local_date(programme['ends'])}",
        ),
        (_("Budget total"), budget),
        (
            _("Aid rate"),
            "\u2014" if programme["aid_rate"] is None else f"{shown(programme['aid_rate'])} %",
        ),
        (_("Partners and their roles"), partners or "\u2014"),
        (
            _("Reporting period"),
            f"{local_date(content['period']['starts'])} – {local_date(content['period']['ends'])}",
        ),
    ]


def layout(content: dict) -> list[Section]:
    """The report's tables, with raw cells (numbers, "<5", texts, None) that each output
    writes its own way."""
    indicators = Section(
        "indicators",
        _("Indicators"),
        [_("Indicator"), _("Definition"), _("Target"), _("Value"), _("Status")],
        [
            [
                row["name"],
                row["description"],
                row["target"],
                row["value"],
                _status(row),
            ]
            for row in content["indicators"]
        ],
        widths=[3, 5, 1.5, 1.5, 2.5],
        empty=_("The programme has no indicators."),
    )
    shares = Section(
        "shares",
        _("Target groups"),
        [_("Target group"), _("People of the group"), _("People reached"), _("Share"), _("Target")],
        [
            [
                row["name"],
                row["people"],
                row["reached"],
                _percent(row["share"]),
                _target_share(row),
            ]
            for row in content["shares"]
        ],
        widths=[4, 2, 2, 1.5, 2],
        empty=_("The programme has no target groups."),
    )
    activities_total = content["activities"]["total"]
    activities = Section(
        "activities",
        _("Activities held and people reached"),
        [_("Type of activity"), _("Activities"), _("Meetings held"), _("Hours"), _("People")],
        [
            [row["type"], row["activities"], row["meetings"], row["hours"], row["people"]]
            for row in content["activities"]["rows"]
        ],
        total=[
            _("Total"),
            activities_total["activities"],
            activities_total["meetings"],
            activities_total["hours"],
            None,
        ],
        widths=[4, 1.5, 1.5, 1.5, 1.5],
        empty=_("No activity was held in the period."),
    )
    outcomes = Section(
        "outcomes",
        _("Outcomes"),
        [_("Outcome"), _("Reached"), _("Median days from referral to resolution")],
        [
            [_outcome_name(row), row["reached"], row["median_days"]]
            for row in content["outcomes"]["rows"]
        ],
        total=[_("Total"), content["outcomes"]["total"], None],
        widths=[5, 2, 3],
        empty=_("The programme counts no outcomes."),
    )
    case_outcomes = Section(
        "case_outcomes",
        _("Cases closed in the period, by outcome"),
        [_("Outcome of the case"), _("Cases")],
        [[row["outcome"], row["cases"]] for row in content["case_outcomes"]["rows"]],
        total=[_("Total"), content["case_outcomes"]["total"]],
        widths=[6, 2],
        empty=_("No case was closed in the period."),
    )
    return [indicators, shares, activities, outcomes, case_outcomes]


def suppression_note() -> str:
    return _(
        "Counts of people, cases and outcomes from 1 to 4 are shown as <5. A figure that would "
        "reveal such a count (through a total, or a share or median computed from it) is "
        "shown as *."
    )


def title_of(report) -> str:
    return _("Funder's report")


def screen(content: dict, funder: dict | None = None) -> list[Section]:
    """The sections for the page, each cell as (heading, text, what the funder sees if it
    differs). With `funder`, the content is exact and the funder's suppressed cells are named."""
    sections = layout(content)
    theirs = layout(funder) if funder is not None else sections

    def cells(mine: list, other: list, headings: list[str]) -> list[tuple]:
        return [
            (heading, shown(a), shown(b) if b in MARKS and a not in MARKS else None)
            for heading, a, b in zip(headings, mine, other, strict=True)
        ]

    for section, other in zip(sections, theirs, strict=True):
        rows = [
            cells(r, o, section.headings) for r, o in zip(section.rows, other.rows, strict=True)
        ]
        total = cells(section.total, other.total, section.headings) if section.total else None
        section.rows, section.total = rows, total
    return sections


def differs(exact: dict, funder: dict) -> bool:
    return any(
        any(b in MARKS and a not in MARKS for a, b in zip(x, y, strict=True))
        for mine, theirs in zip(layout(exact), layout(funder), strict=True)
        for x, y in zip(
            mine.rows + ([mine.total] if mine.total else []),
            theirs.rows + ([theirs.total] if theirs.total else []),
            strict=True,
        )
    )


def _released_line(report) -> str:
    if not report.is_released:
        return _("Draft: not released yet. The figures are computed afresh from the records.")
    who = report.released_by.get_full_name() or report.released_by.get_username()
    return _("Released on %(when)s by %(who)s.") % {
        "when": local_moment(report.released_at),
        "who": who,
    }


# --- The files -------------------------------------------------------------------------------


def report_pdf(report, content: dict) -> bytes:
    from earlyhelp.core.pdf import Document

    period = f"{local_date(content['period']['starts'])} – {local_date(content['period']['ends'])}"
    title = f"{title_of(report)} · {content['programme']['name']} · {period}"
    pdf = Document(title)
    pdf.begin(title)
    pdf.heading(title_of(report))
    pdf.paragraph(f"{content['programme']['name']} · {period}", size=12, bold=True)
    pdf.ln(2)
    if not report.is_released:
        pdf.boxed(_released_line(report))
    for label, value in fact_rows(content):
        pdf.row(label, value)
    for section in layout(content):
        pdf.section(section.title)
        if not section.rows:
            pdf.paragraph(section.empty)
            continue
        rows = [[shown(cell) for cell in row] for row in section.rows]
        if section.total:
            rows.append([shown(cell) for cell in section.total])
        weights = section.widths or [1] * len(section.headings)
        widths = [pdf.epw * w / sum(weights) for w in weights]
        pdf.grid(section.headings, rows, widths=widths)
    pdf.section(_("Narrative"))
    pdf.paragraph(content.get("narrative", ""))
    pdf.ln(4)
    pdf.paragraph(suppression_note(), size=8.5)
    if report.is_released:
        pdf.paragraph(_released_line(report), size=8.5)
    return pdf.to_bytes()


def report_rows(report, content: dict) -> tuple[list[str], list[list]]:
    """The report as one sheet: facts, then each table under its title, numbers as numbers,
    dates and texts as the language writes them. No formula is ever written."""
    columns = [title_of(report), content["programme"]["name"]]
    rows: list[list] = [[label, value] for label, value in fact_rows(content)]
    rows.append([_("Status"), _released_line(report)])
    for section in layout(content):
        rows += [[], [section.title], section.headings]
        if not section.rows:
            rows.append([section.empty])
        for row in section.rows + ([section.total] if section.total else []):
            rows.append([_sheet_cell(cell) for cell in row])
    rows += [[], [_("Narrative")], [content.get("narrative", "")], [], [suppression_note()]]
    return columns, rows


def _sheet_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return shown(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, date | datetime):
        return shown(value)
    return str(value)


def file_name(report, extension: str) -> str:
    name = f"funders-report-{report.pk}-{report.period_starts:%Y%m%d}-{report.period_ends:%Y%m%d}"
    if not report.is_released:
        name += "-draft"
    return f"{name}.{extension}" if extension else name


def xlsx_bytes(report, content: dict) -> bytes:
    """For tests and callers that want the file's body rather than a response."""
    columns, rows = report_rows(report, content)
    from earlyhelp.core.exports import table_download

    response = table_download(columns, rows, filename=file_name(report, ""), fmt="xlsx")
    return response.content
