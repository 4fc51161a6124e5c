"""Programmes in the API, under the same policy as the programme list and the programme page
(programmes/access.py): a programme is read by its lead and by the managers and analysts of its
municipality; 404 outside, 403 for a role that lists none (the workers who count their records
for a programme link to it but do not read it). A programme comes with its facts and its
indicators, each with the maintained figures the page shows: the value, the monthly series,
the forecast and whether it will miss its target. Nobody is named: the figures are aggregates,
and a reader the page suppresses small cells for (an analyst) reads exactly what the page
shows, the funder's report's marks ("<5", "*") in place of the hidden values. Every page and
record read is audited (purpose "api")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_list, open_record
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.programmes import figures as figures_module
from earlyhelp.programmes import reports
from earlyhelp.programmes.access import figures_suppressed
from earlyhelp.programmes.figures import IndicatorFigure, describe
from earlyhelp.programmes.models import Currency, Indicator, Partner, Programme
from earlyhelp.programmes.views.page import points_shown

router = Router(tags=["programmes"])
PROGRAMME_ID = Path(...)
# The programme list's order: the latest start first, then by name.
PROGRAMME_ORDER = [Key("starts_on", descending=True), Key("name"), Key("pk")]


class ProgrammeOut(Schema):
    id: int
    version: int
    name: str
    funder: str
    reference: str
    municipality_id: int
    lead_id: int | None
    starts_on: date
    ends_on: date
    running: bool
    budget: float | None
    currency: Choice(Currency) | Literal[""]
    aid_rate: float | None


class PartnerOut(Schema):
    id: int
    name: str
    role: Choice(Partner.Role)
    service_id: int | None


class PointOut(Schema):
    on: date
    value: float | None


class IndicatorOut(Schema):
    id: int
    version: int
    name: str
    unit: Choice(Indicator.Unit)
    aggregation: Choice(Indicator.Aggregation)
    role: Choice(Indicator.Role)
    target_group_id: int | None
    outcome_id: int | None
    with_partners: bool
    period_starts: date
    period_ends: date
    target: float
    target_date: date
    lower_is_better: bool
    description: str
    value: float | None
    hidden: Literal["<5", "*"] | None
    forecast: float | None
    met: bool | None
    will_miss: bool | None
    status: Literal["not_computed", "not_shown", "will_miss", "met", "on_course"]
    series: list[PointOut]


class ProgrammeDetailOut(ProgrammeOut):
    description: str
    service_ids: list[int]
    institution_ids: list[int]
    partners: list[PartnerOut]
    computed_at: datetime | None
    outdated: bool
    suppressed: bool
    indicators: list[IndicatorOut]


class ProgrammePage(Schema):
    items: list[ProgrammeOut]
    next_cursor: str | None


def _number(value) -> float | None:
    return None if value is None else float(value)


def _programme(p: Programme, today: date) -> dict:
    return {
        "id": p.pk,
        "version": p.version,
        "name": p.name,
        "funder": p.funder,
        "reference": p.reference,
        "municipality_id": p.municipality_id,
        "lead_id": p.lead_id,
        "starts_on": p.starts_on,
        "ends_on": p.ends_on,
        "running": p.runs_on(today),
        "budget": _number(p.budget),
        "currency": p.currency,
        "aid_rate": _number(p.aid_rate),
    }


def _indicator(figure: IndicatorFigure, mark, suppress: bool) -> dict:
    """An indicator's figures as the programme page shows them (views/page.py): `mark` is its
    value as a funder's report of the programme's whole period shows it, "<5" or "*" where it
    is hidden; a hidden value has no status, forecast or points."""
    indicator = figure.indicator
    hidden = suppress and mark in reports.MARKS
    computed = figure.value is not None
    if not computed:
        status = "not_computed"
    elif hidden:
        status = "not_shown"
    elif figure.will_miss:
        status = "will_miss"
    elif figure.met:
        status = "met"
    else:
        status = "on_course"
    shown = computed and not hidden
    return {
        "id": indicator.pk,
        "version": indicator.version,
        "name": indicator.name,
        "unit": indicator.unit,
        "aggregation": indicator.aggregation,
        "role": indicator.role,
        "target_group_id": indicator.target_group_id,
        "outcome_id": indicator.outcome_id,
        "with_partners": indicator.with_partners,
        "period_starts": indicator.starts(),
        "period_ends": indicator.ends(),
        "target": float(figure.target),
        "target_date": figure.target_date,
        "lower_is_better": figure.lower_is_better,
        # The definition in words, with the value only where it is shown.
        "description": str(figure.description if shown else describe(indicator)),
        "value": _number(figure.value) if shown else None,
        "hidden": mark if hidden else None,
        "forecast": _number(figure.forecast) if shown else None,
        "met": figure.met if shown else None,
        "will_miss": figure.will_miss if shown else None,
        "status": status,
        "series": [
            {"on": on, "value": _number(value)}
            for on, value in points_shown(figure, hidden, suppress)
        ],
    }


@router.get(
    "/programmes",
    response={200: ProgrammePage, **documented(401, 403, 422)},
    url_name="programme_list",
    operation_id="programme_list",
)
def programme_list(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    """The programmes this account may read (those it leads, and as a manager or analyst its
    municipality's), the latest start first, as on the programme list. Page with
    `next_cursor`."""
    known_query(request, "cursor", "limit")
    if not can(request.user, Action.LIST, Programme):
        raise Problem(403, _("This account may not list programmes."))
    programmes = visible(request.user, Programme.objects.all(), Action.VIEW)
    page = keyset_page(
        programmes,
        PROGRAMME_ORDER,
        check_cursor(cursor, Programme.objects.none(), PROGRAMME_ORDER),
        limit,
    )
    audit_list(
        request,
        object_type="programmes.programme",
        purpose="api",
        changes={"programmes": [p.pk for p in page.rows]},
    )
    today = timezone.localdate()
    return {"items": [_programme(p, today) for p in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/programmes/{programme_id}",
    response={200: ProgrammeDetailOut, **documented(401, 403, 404, 422)},
    url_name="programme_detail",
    operation_id="programme_detail",
)
def programme_detail(request, programme_id: Id = PROGRAMME_ID):
    """One programme with its partners and its indicators' figures over its whole period, as
    of the last computation (`computed_at`; `outdated` when a definition changed since, and
    the indicators changed are `not_computed` until the next). `suppressed`: small cells are
    hidden for this account, as on the page and in the funder's report. Outside the account's
    scope: 404."""
    known_query(request)
    programme, _path = open_record(
        request, Programme.objects.all(), Action.VIEW, purpose="api", pk=programme_id
    )
    suppress = figures_suppressed(request.user, programme)
    # Looked up when called, as the page does (a test's stand-in must not outlive it).
    figures = figures_module.programme_figures(programme)
    # Where small cells are suppressed, exactly what the page shows: a funder's report of the
    # programme's whole period, suppressed across its tables.
    marks = [None] * len(figures.indicators)
    if suppress:
        funder = reports.suppress(reports.content_of(figures))
        marks = [row["value"] for row in funder["indicators"]]
    return {
        **_programme(programme, timezone.localdate()),
        "description": programme.description,
        "service_ids": sorted(programme.services.values_list("pk", flat=True)),
        "institution_ids": sorted(programme.institutions.values_list("pk", flat=True)),
        "partners": [
            {"id": p.pk, "name": p.name, "role": p.role, "service_id": p.service_id}
            for p in programme.partners.all()
        ],
        "computed_at": figures.computed_at,
        "outdated": figures.outdated,
        "suppressed": suppress,
        "indicators": [
            _indicator(figure, mark, suppress)
            for figure, mark in zip(figures.indicators, marks, strict=True)
        ],
    }
