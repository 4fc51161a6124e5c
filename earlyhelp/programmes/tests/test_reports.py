"""The funder's report: small-cell suppression, who prepares, releases and reads it, the snapshot
a release fixes, and the PDF and XLSX the funder receives. The figures are hand-made here
(`figures.programme_figures` is replaced); the end-to-end test counts them from records."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.programmes import figures as figures_module
from earlyhelp.programmes.figures import (
    ActivityFigure,
    IndicatorFigure,
    OutcomeFigure,
    ProgrammeFigures,
    ShareFigure,
)
from earlyhelp.programmes.models import (
    Indicator,
    OutcomeCategory,
    Partner,
    PeriodFigures,
    Programme,
    Report,
    TargetGroup,
)
from earlyhelp.programmes.reports import (
    HIDDEN,
    SUPPRESSED,
    compute_draft,
    funder_content,
    suppress,
    suppressed_cells,
)
from earlyhelp.programmes.views.reports import next_period

MGR, ANA, SUP = Role.MANAGER, Role.ANALYST, Role.SUPERVISOR

# --- The suppression itself ------------------------------------------------------------------


def test_one_small_cell_is_suppressed():
    assert suppressed_cells([[3, 10, 20]]) == {(0, 0)}


def test_zero_is_not_suppressed():
    assert suppressed_cells([[0, 10, 0, 5]], across=True) == set()
    assert suppressed_cells([[0], [7], [7]], down=True) == set()


def test_five_and_more_are_shown_unless_they_would_reveal():
    assert suppressed_cells([[5, 6, 11]], across=True) == set()


def test_a_total_that_would_reveal_the_cell_hides_the_next_smallest():
    # 3 + 9 + 20 = 32: with 3 hidden alone, 32 - 9 - 20 gives it back; 9 goes too.
    assert suppressed_cells([[3, 9, 20, 32]], across=True) == {(0, 0), (0, 1)}


def test_a_cell_of_five_or_more_is_suppressed_only_as_a_complement():
    hidden = suppressed_cells([[2], [6], [40], [48]], down=True)
    assert hidden == {(0, 0), (1, 0)}
    assert suppressed_cells([[2], [6], [40], [48]]) == {(0, 0)}  # no total: nothing revealed


def test_two_small_cells_in_a_row_protect_each_other():
    assert suppressed_cells([[2, 3, 30, 35]], across=True) == {(0, 0), (0, 1)}


def test_the_complement_prefers_a_non_zero_cell_and_the_total_comes_last():
    assert suppressed_cells([[3, 0, 8, 11]], across=True) == {(0, 0), (0, 2)}
    assert suppressed_cells([[3, 9, 12]], across=True) == {(0, 0), (0, 1)}
    # Totals both ways: the 3, its row's 9, then the column complements 6 and 7; no total.
    table = [[3, 9, 12], [6, 7, 13], [9, 16, 25]]
    assert suppressed_cells(table, across=True, down=True) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_complements_repeat_until_no_row_or_column_reveals():
    # Rows and columns both sum to totals; hiding the 2 then 6 in the first row leaves the
    # second column with one hidden cell, so it needs a complement of its own, and so on.
    table = [
        [2, 6, 10, 18],
        [7, 8, 9, 24],
        [9, 14, 19, 42],
    ]
    hidden = suppressed_cells(table, across=True, down=True)
    assert {(0, 0), (0, 1)} <= hidden
    lines = [[(r, c) for c in range(4)] for r in range(3)] + [
        [(r, c) for r in range(3)] for c in range(4)
    ]
    assert all(sum(cell in hidden for cell in line) != 1 for line in lines)


def test_none_is_no_part_of_a_line():
    assert suppressed_cells([[3, None, 12, 15]], across=True) == {(0, 0), (0, 2)}


# --- The world the report lives in -----------------------------------------------------------


@pytest.fixture
def programme(world):
    users = world.users
    programme = Programme.objects.create(
        municipality=world.municipality_a,
        name="Asistovaný kontakt a pěstounská péče",
        funder="OPZ (ESF)",
        reference="CZ.03.2.63/0.0/0.0/19_107/0016000",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        budget=Decimal("1200000"),
        currency="CZK",
        aid_rate=Decimal("85"),
        lead=users[SUP],
        created_by=users[MGR],
    )
    Partner.objects.create(
        programme=programme, name="Rodinné centrum Ovečka", role=Partner.Role.IMPLEMENTING
    )
    return programme


class Figures:
    """What `programme_figures` answers in a test; `now` can be changed to show that a
    released report no longer listens."""

    def __init__(self):
        self.parents = 3  # assisted-contact parents: a small cell
        self.carers = 17
        self.calls = []

    def __call__(self, programme, *, starts=None, ends=None):
        self.calls.append((starts, ends))
        parents = Indicator(
            name="Parents in assisted contact",
            unit=Indicator.Unit.ADULTS,
            aggregation=Indicator.Aggregation.COUNT,
        )
        carers = Indicator(
            name="Foster carers supported",
            unit=Indicator.Unit.CARERS,
            aggregation=Indicator.Aggregation.COUNT,
        )
        tables = Indicator(name="Round tables", unit=Indicator.Unit.EVENTS, aggregation="count")
        group = TargetGroup(pk=901, name="Living in the action area")
        share = Indicator(
            name="Share from the action area",
            unit=Indicator.Unit.ADULTS,
            aggregation=Indicator.Aggregation.SHARE,
            target_group_id=901,
        )
        housing = OutcomeCategory(pk=801, code="housing_kept")
        own = OutcomeCategory(pk=802, code="back_to_work", name="Back at work")
        return ProgrammeFigures(
            programme=programme,
            starts=starts,
            ends=ends,
            indicators=[
                IndicatorFigure(
                    parents, "distinct parents in assisted contact", Decimal(self.parents),
                    Decimal(6), date(2026, 12, 31), False, will_miss=True,
                ),
                IndicatorFigure(
                    carers, "distinct foster carers with a support agreement",
                    Decimal(self.carers), Decimal(20), date(2026, 12, 31), False,
                ),
                IndicatorFigure(
                    tables, "round tables held", Decimal(4), Decimal(4), date(2026, 12, 31),
                    False, met=True,
                ),
                IndicatorFigure(
                    share, "share of the people reached living in the action area",
                    Decimal("75"), Decimal(75), date(2026, 12, 31), False, met=True,
                ),
            ],
            shares=[
                ShareFigure(group, 3, 4, Decimal("75"), Decimal(75), "at_least", True),
            ],
            activities=[
                ActivityFigure("Round table", 4, 4, Decimal("8"), 23),
                ActivityFigure("Parent club", 2, 6, Decimal("9.5"), 2),
            ],
            outcomes=[
                OutcomeFigure(housing, 2, Decimal("41")),
                OutcomeFigure(own, 6, Decimal("30")),
                OutcomeFigure(OutcomeCategory(pk=803, code="removal_prevented"), 12, None),
            ],
            case_outcomes=[("Goals met", 9), ("Moved away", 1)],
            computed_at=datetime(2026, 12, 1, 8, 0, tzinfo=UTC),
        )  # fmt: skip


@pytest.fixture
def figures(monkeypatch):
    made = Figures()
    monkeypatch.setattr(figures_module, "programme_figures", made, raising=False)
    return made


def report_of(programme, user, **fields) -> Report:
    return Report.objects.create(
        programme=programme,
        period_starts=date(2026, 1, 1),
        period_ends=date(2026, 3, 31),
        prepared_by=user,
        **fields,
    )


def release_data(client, report) -> dict:
    """What the release form of the report's page posts: its version and the figures seen."""
    form = client.get(report.get_absolute_url()).context["release_form"]
    return {"version": form.initial["version"], "figures": form.initial["figures"]}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def sheet_rows(body: bytes) -> list[list]:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def row_named(rows: list[list], name: str) -> list:
    return next(row for row in rows if row and row[0] == name)


# --- The content and its suppression ---------------------------------------------------------


def test_the_funder_receives_small_cells_suppressed_with_what_reveals_them(programme, figures):
    from earlyhelp.programmes.reports import funder_content

    report = report_of(programme, programme.lead)
    content = funder_content(report)
    values = {row["name"]: row["value"] for row in content["indicators"]}
    assert values["Parents in assisted contact"] == SUPPRESSED
    assert values["Foster carers supported"] == 17
    assert values["Round tables"] == 4  # events held are the service's work, not persons
    # 3 of 4 reached: both small, and the share computed from them goes too.
    (share,) = content["shares"]
    assert (share["people"], share["reached"], share["share"]) == (SUPPRESSED, SUPPRESSED, HIDDEN)
    assert values["Share from the action area"] == HIDDEN
    # Outcomes 2, 6, 12 with a total of 20: 2 is hidden, 6 with it, their medians too.
    outcomes = content["outcomes"]["rows"]
    assert [row["reached"] for row in outcomes] == [SUPPRESSED, HIDDEN, 12]
    assert [row["median_days"] for row in outcomes] == [HIDDEN, HIDDEN, None]
    assert content["outcomes"]["total"] == 20
    # 9 + 1 = 10 cases closed: 1 is hidden, and 9 goes with it (shown as *: it is not < 5).
    assert [row["cases"] for row in content["case_outcomes"]["rows"]] == [HIDDEN, SUPPRESSED]
    assert content["case_outcomes"]["total"] == 10
    people = [row["people"] for row in content["activities"]["rows"]]
    assert people == [23, SUPPRESSED]
    assert figures.calls == [(date(2026, 1, 1), date(2026, 3, 31))]


def test_suppression_leaves_a_table_without_small_cells_alone():
    exact = {
        "indicators": [],
        "shares": [
            {"id": 1, "name": "g", "people": 60, "reached": 80, "share": 75.0,
             "target_share": 75, "rule": "at_least", "met": True},
        ],
        "activities": {"rows": [], "total": {"activities": 0, "meetings": 0, "hours": 0}},
        "outcomes": {"rows": [{"id": 1, "code": "x", "name": "X", "reached": 0,
                               "median_days": None}], "total": 0},
        "case_outcomes": {"rows": [], "total": 0},
    }  # fmt: skip
    out = suppress(exact)
    assert out["shares"] == exact["shares"]
    assert out["outcomes"] == exact["outcomes"]


# --- Roles -----------------------------------------------------------------------------------


def test_the_lead_starts_a_report_for_the_next_period(programme, figures, signed_in):
    client = signed_in(programme.lead)
    page = client.get(reverse("programmes:reports", args=[programme.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert (form.initial["period_starts"], form.initial["period_ends"]) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    answer = client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": "2026-01-01", "period_ends": "2026-03-31"},
    )
    report = Report.objects.get(programme=programme)
    assert answer.status_code == 302 and answer["Location"] == report.get_absolute_url()
    assert report.prepared_by == programme.lead and report.status == Report.Status.DRAFT
    assert AuditEvent.objects.filter(action="create", object_id=str(report.pk)).exists()
    assert next_period(programme) == (date(2026, 4, 1), date(2026, 6, 30))


def test_a_period_already_reported_is_refused_with_a_link_to_its_report(
    programme, figures, signed_in
):
    report = report_of(programme, programme.lead)
    client = signed_in(programme.lead)
    answer = client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": "2026-01-01", "period_ends": "2026-03-31"},
    )
    assert answer.status_code == 400
    assert Report.objects.count() == 1
    body = answer.content.decode()
    assert "There is already a report of this period." in body
    assert f'href="{report.get_absolute_url()}"' in body
    # A new period gives a new report.
    client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": "2026-04-01", "period_ends": "2026-06-30"},
    )
    assert Report.objects.count() == 2


@pytest.mark.parametrize(
    ("starts", "ends"),
    [("2026-01-01", "2026-02-28"), ("2026-03-01", "2026-05-31"), ("2026-01-01", "2026-12-31")],
)
def test_a_period_overlapping_another_report_is_refused(
    programme, figures, signed_in, starts, ends
):
    # January to March and January to February would give a small count by subtraction; the
    # whole programme after a quarter overlaps too.
    report = report_of(programme, programme.lead)
    client = signed_in(programme.lead)
    answer = client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": starts, "period_ends": ends},
    )
    assert answer.status_code == 400
    assert Report.objects.count() == 1
    body = answer.content.decode()
    assert "The period overlaps the report of" in body
    assert f'href="{report.get_absolute_url()}"' in body
    assert f'value="{starts}"' in body and f'value="{ends}"' in body


def test_the_rule_against_overlap_holds_whoever_starts_the_report(programme, figures):
    from django.core.exceptions import ValidationError

    from earlyhelp.programmes.reports import create

    report_of(programme, programme.lead)
    for starts, ends in (
        (date(2026, 2, 1), date(2026, 4, 30)),
        (date(2026, 1, 1), date(2026, 3, 31)),
    ):
        with pytest.raises(ValidationError) as refused:
            create(user=programme.lead, programme=programme, starts=starts, ends=ends)
        assert len(refused.value.messages) == 1
    assert Report.objects.count() == 1
    later = create(
        user=programme.lead, programme=programme, starts=date(2026, 4, 1), ends=date(2026, 6, 30)
    )
    assert PeriodFigures.objects.filter(report=later).exists()  # counted as it starts


def test_once_the_end_is_reported_there_is_no_next_period(programme, figures, signed_in):
    Report.objects.create(
        programme=programme,
        period_starts=date(2026, 10, 1),
        period_ends=date(2026, 12, 31),
        prepared_by=programme.lead,
    )
    assert next_period(programme) is None
    page = signed_in(programme.lead).get(reverse("programmes:reports", args=[programme.pk]))
    assert page.status_code == 200
    assert "whole period is reported" in page.content.decode()


def test_a_period_outside_the_programme_is_refused_keeping_what_was_typed(programme, signed_in):
    client = signed_in(programme.lead)
    answer = client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": "2025-10-01", "period_ends": "2026-03-31"},
    )
    assert answer.status_code == 400
    assert not Report.objects.exists()
    assert 'value="2025-10-01"' in answer.content.decode()


def test_the_preparer_sees_exact_figures_and_what_the_funder_will_see(
    programme, figures, signed_in
):
    report = report_of(programme, programme.lead)
    page = signed_in(programme.lead).get(report.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert page.context["exact"] and page.context["differs"]
    assert "funder: &lt;5" in body
    indicators = page.context["sections"][0]
    parents = indicators.rows[0]
    assert parents[3][1:] == ("3", "<5")
    assert page.context["form"] is not None
    # The preparer may not release: no button, and the reason said.
    assert page.context["release_form"] is None
    assert "You prepared this report, so you cannot release it" in body
    answer = signed_in(programme.lead).post(
        reverse("programmes:report_release", args=[report.pk]), {"version": report.version}
    )
    assert answer.status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_the_manager_releases_what_the_lead_prepared(programme, figures, world, signed_in):
    report = report_of(programme, programme.lead, narrative="Six parents started in March.")
    manager = world.users[MGR]
    client = signed_in(manager)
    answer = client.post(
        reverse("programmes:report_release", args=[report.pk]), release_data(client, report)
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.RELEASED
    assert report.released_by == manager and report.released_at is not None
    assert not PeriodFigures.objects.filter(report=report).exists()  # its snapshot is its own
    snapshot = report.figures
    assert snapshot["narrative"] == "Six parents started in March."
    assert snapshot["suppressed"] is True
    assert snapshot["period"] == {"starts": "2026-01-01", "ends": "2026-03-31"}
    values = {row["name"]: row["value"] for row in snapshot["indicators"]}
    assert values["Parents in assisted contact"] == SUPPRESSED
    event = AuditEvent.objects.get(action="release", object_id=str(report.pk))
    assert event.actor_id == manager.pk


def test_a_stale_release_is_refused(programme, figures, world, signed_in):
    report = report_of(programme, programme.lead)
    client = signed_in(world.users[MGR])
    client.post(
        reverse("programmes:report_release", args=[report.pk]),
        {**release_data(client, report), "version": 99},
    )
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT


def test_figures_counted_again_since_the_page_was_opened_are_not_released_unseen(
    programme, figures, world, signed_in
):
    report = report_of(programme, programme.lead)
    client = signed_in(world.users[MGR])
    seen = release_data(client, report)
    figures.carers = 18
    compute_draft(report)  # the rebuild, or someone's "Compute now", meanwhile
    answer = client.post(reverse("programmes:report_release", args=[report.pk]), seen, follow=True)
    assert "The figures were counted again since you opened the report" in answer.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    # Looked at once more, they are released as seen.
    client.post(
        reverse("programmes:report_release", args=[report.pk]), release_data(client, report)
    )
    report.refresh_from_db()
    assert report.is_released
    carers = {row["name"]: row["value"] for row in report.figures["indicators"]}
    assert carers["Foster carers supported"] == 18


def test_the_analyst_reads_the_report_suppressed_and_cannot_change_it(
    programme, figures, world, signed_in
):
    report = report_of(programme, programme.lead, narrative="Written by the lead.")
    client = signed_in(world.users[ANA])
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    assert not page.context["exact"]
    assert page.context["form"] is None and page.context["release_form"] is None
    parents = page.context["sections"][0].rows[0]
    assert parents[3][1:] == ("<5", None)
    assert "Written by the lead." in page.content.decode()
    assert (
        client.post(report.get_absolute_url(), {"narrative": "x", "version": 1}).status_code == 403
    )
    release = client.post(reverse("programmes:report_release", args=[report.pk]), {"version": 1})
    assert release.status_code == 403
    create = client.post(
        reverse("programmes:report_create", args=[programme.pk]),
        {"period_starts": "2026-04-01", "period_ends": "2026-06-30"},
    )
    assert create.status_code == 403
    assert client.get(reverse("programmes:report_pdf", args=[report.pk])).status_code == 200
    assert client.get(reverse("programmes:reports", args=[programme.pk])).context["form"] is None


@pytest.mark.parametrize("role", [Role.EDUCATOR, Role.CASE_WORKER, Role.ADMIN])
def test_people_outside_the_programme_get_not_found(programme, figures, world, signed_in, role):
    report = report_of(programme, programme.lead)
    client = signed_in(world.users[role])
    for name, target in (
        ("programmes:reports", programme.pk),
        ("programmes:report", report.pk),
        ("programmes:report_pdf", report.pk),
        ("programmes:report_xlsx", report.pk),
    ):
        assert client.get(reverse(name, args=[target])).status_code == 404, name
    assert client.post(reverse("programmes:report_release", args=[report.pk])).status_code == 404


def test_another_municipality_gets_not_found(programme, figures, world, signed_in):
    report = report_of(programme, programme.lead)
    client = signed_in(world.outsiders[MGR])
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.get(reverse("programmes:reports", args=[programme.pk])).status_code == 404


# --- The narrative ---------------------------------------------------------------------------


def test_the_narrative_keeps_what_was_typed_on_a_stale_version(programme, figures, signed_in):
    report = report_of(programme, programme.lead, narrative="First words.")
    client = signed_in(programme.lead)
    answer = client.post(
        report.get_absolute_url(), {"narrative": "My new paragraph.", "version": report.version}
    )
    assert answer.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "My new paragraph."
    stale = client.post(
        report.get_absolute_url(),
        {"narrative": "Typed on an old page.", "version": report.version - 1},
    )
    assert stale.status_code == 400
    assert "Typed on an old page." in stale.content.decode()
    assert "Someone else changed this record" in stale.content.decode()
    report.refresh_from_db()
    assert report.narrative == "My new paragraph."


# --- Fixed once released ---------------------------------------------------------------------


def test_a_released_report_stays_as_released(programme, figures, world, signed_in):
    report = report_of(programme, programme.lead, narrative="As released.")
    manager = signed_in(world.users[MGR])
    manager.post(
        reverse("programmes:report_release", args=[report.pk]), release_data(manager, report)
    )
    report.refresh_from_db()
    assert report.is_released
    calls = len(figures.calls)
    # The records change afterwards: the report does not.
    figures.carers = 99
    figures.parents = 40
    client = signed_in(programme.lead)
    page = client.get(report.get_absolute_url())
    carers = page.context["sections"][0].rows[1]
    assert carers[3][1] == "17"
    assert page.context["form"] is None
    assert "As released." in page.content.decode()
    pdf = text_of(client.get(reverse("programmes:report_pdf", args=[report.pk])).content)
    pdf = re.sub(r"\d{1,2}:\d{2}", "", pdf)  # the time of release ("11:40") is no count
    assert "99" not in pdf and "40" not in pdf
    rows = sheet_rows(client.get(reverse("programmes:report_xlsx", args=[report.pk])).content)
    assert row_named(rows, "Foster carers supported")[3] == 17
    assert len(figures.calls) == calls  # nothing was computed for the released report
    # The narrative is fixed: the form is gone and a POST is refused.
    refused = client.post(report.get_absolute_url(), {"narrative": "Later.", "version": 2})
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.narrative == "As released."
    # Nor is it released twice.
    again = manager.post(
        reverse("programmes:report_release", args=[report.pk]),
        {"version": report.version, "figures": "x"},
    )
    assert again.status_code == 403


def carers_on(page) -> str:
    return page.context["sections"][0].rows[1][3][1]


def test_a_draft_shows_the_last_counting_until_the_figures_are_computed_again(
    programme, figures, signed_in
):
    report = report_of(programme, programme.lead)
    client = signed_in(programme.lead)
    assert carers_on(client.get(report.get_absolute_url())) == "17"
    calls = len(figures.calls)
    figures.carers = 18
    page = client.get(report.get_absolute_url())
    assert carers_on(page) == "17"  # read from what was kept: nothing counted on opening
    assert client.get(reverse("programmes:report_xlsx", args=[report.pk])).status_code == 200
    assert len(figures.calls) == calls
    assert page.context["may_compute"]
    # "Compute now" on the draft counts it again with the programme and comes back to it.
    answer = client.post(
        reverse("programmes:compute", args=[programme.pk]), {"report": str(report.pk)}
    )
    assert answer.status_code == 302 and answer.url == report.get_absolute_url()
    assert carers_on(client.get(report.get_absolute_url())) == "18"


def test_a_report_of_another_programme_is_no_way_back_from_compute_now(
    programme, figures, world, signed_in
):
    client = signed_in(programme.lead)
    for given in ("999999", "x", "", "1e9"):
        answer = client.post(reverse("programmes:compute", args=[programme.pk]), {"report": given})
        assert answer.status_code == 302
        assert answer.url == reverse("programmes:detail", args=[programme.pk])


def test_a_change_of_the_set_up_has_the_draft_counted_again(programme, figures, world):
    from earlyhelp.programmes.services import setup_item_save

    report = report_of(programme, programme.lead)
    compute_draft(report)
    assert PeriodFigures.objects.filter(report=report).exists()
    setup_item_save(
        user=programme.lead,
        programme=programme,
        item=TargetGroup(),
        fields={"name": "Carers in the district", "people": TargetGroup.People.ADULTS},
    )
    assert not PeriodFigures.objects.filter(report=report).exists()
    figures.carers = 19
    assert funder_content(report)["indicators"][1]["value"] == 19


# --- The files -------------------------------------------------------------------------------


def test_the_pdf_is_suppressed_even_for_the_lead(programme, figures, signed_in):
    report = report_of(programme, programme.lead, narrative="Řízení, ő, æ: the narrative.")
    answer = signed_in(programme.lead).get(reverse("programmes:report_pdf", args=[report.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith("attachment")
    assert answer["Cache-Control"] == "no-store"
    text = text_of(answer.content)
    assert "Parents in assisted contact" in text
    assert "Round table 4 4 8 23" in text
    assert "Parent club 2 6 9,5 <5" in text or "Parent club 2 6 9.5 <5" in text
    assert "Housing kept <5 *" in text
    assert "Back at work * *" in text
    assert "Goals met *" in text and "Moved away <5" in text
    assert "Řízení, ő, æ: the narrative." in text
    assert "CZ.03.2.63/0.0/0.0/19_107/0016000" in text
    assert "Rodinné centrum Ovečka" in text
    event = AuditEvent.objects.get(action="export", object_id=str(report.pk))
    assert event.purpose == "funder's report"


def test_the_xlsx_is_suppressed_and_writes_numbers_as_numbers(programme, figures, signed_in):
    report = report_of(programme, programme.lead, narrative='=HYPERLINK("x")')
    answer = signed_in(programme.lead).get(reverse("programmes:report_xlsx", args=[report.pk]))
    assert answer.status_code == 200
    assert answer["Content-Disposition"].startswith("attachment")
    rows = sheet_rows(answer.content)
    assert row_named(rows, "Parents in assisted contact")[3] == SUPPRESSED
    assert row_named(rows, "Foster carers supported")[3] == 17
    assert row_named(rows, "Parent club")[1:5] == [2, 6, 9.5, SUPPRESSED]
    assert row_named(rows, "Housing kept")[1:3] == [SUPPRESSED, HIDDEN]
    assert row_named(rows, "Goals met")[1] == HIDDEN
    # The narrative that looks like a formula stays text.
    assert any(row and row[0] == '\'=HYPERLINK("x")' for row in rows)
    assert AuditEvent.objects.filter(action="export", object_id=str(report.pk)).exists()


def test_the_files_are_in_the_users_language(programme, figures, signed_in, settings):
    lead = programme.lead
    lead.preferred_language = "cs"
    lead.save(update_fields=["preferred_language"])
    report = report_of(programme, lead)
    client = signed_in(lead)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cs"
    text = text_of(client.get(reverse("programmes:report_pdf", args=[report.pk])).content)
    assert "1. 1. 2026" in text or "01.01.2026" in text or "1.1.2026" in text
    assert "Parent club 2 6 9,5" in text


# --- Suppression across tables ---------------------------------------------------------------


def _content(indicators=(), shares=(), outcomes=()) -> dict:
    outcomes = list(outcomes)
    return {
        "indicators": [
            {"name": "i", "description": "", "target": 10, "target_date": None,
             "lower_is_better": False, "met": False, "will_miss": False, "target_group": None,
             "outcome": None, "plain": True, "counts": None, **row}
            for row in indicators
        ],
        "shares": [
            {"name": "g", "kind": "children", "share": None, "target_share": None,
             "rule": "at_least", "met": None, **row}
            for row in shares
        ],
        "activities": {"rows": [], "total": {"activities": 0, "meetings": 0, "hours": 0}},
        "outcomes": {
            "rows": [{"code": "x", "name": "X", "median_days": None, **row} for row in outcomes],
            "total": sum(row["reached"] for row in outcomes),
        },
        "case_outcomes": {"rows": [], "total": 0},
    }  # fmt: skip


OUTCOMES, CHILDREN = Indicator.Unit.OUTCOMES, Indicator.Unit.CHILDREN
COUNT, SHARE = Indicator.Aggregation.COUNT, Indicator.Aggregation.SHARE


def test_an_outcome_indicator_is_hidden_with_the_outcome_it_shows_again():
    # A 3, B 7, total 10: the table hides A and B; "B reached" 7 would give A as 10 - 7.
    out = suppress(
        _content(
            indicators=[{"unit": OUTCOMES, "aggregation": COUNT, "outcome": 2, "value": 7}],
            outcomes=[{"id": 1, "reached": 3}, {"id": 2, "reached": 7}],
        )
    )
    assert [row["reached"] for row in out["outcomes"]["rows"]] == [SUPPRESSED, HIDDEN]
    assert out["outcomes"]["total"] == 10
    assert out["indicators"][0]["value"] == HIDDEN


def test_a_small_indicator_hides_the_cell_it_shows_again_and_its_complement():
    out = suppress(
        _content(
            indicators=[{"unit": OUTCOMES, "aggregation": COUNT, "outcome": 1, "value": 3}],
            outcomes=[{"id": 1, "reached": 8}, {"id": 2, "reached": 20}],
        )
    )
    assert out["indicators"][0]["value"] == SUPPRESSED
    assert [row["reached"] for row in out["outcomes"]["rows"]] == [HIDDEN, HIDDEN]


def test_a_group_count_indicator_is_hidden_with_the_groups_people():
    # 97 of the group among 100 reached: the 3 others are hidden, so is 97; the indicator
    # counting the group's children must not show it.
    out = suppress(
        _content(
            indicators=[
                {"unit": CHILDREN, "aggregation": COUNT, "target_group": 1, "value": 97},
                {"unit": CHILDREN, "aggregation": COUNT, "value": 100},
            ],
            shares=[{"id": 1, "people": 97, "reached": 100, "share": 97.0}],
        )
    )
    (row,) = out["shares"]
    assert (row["people"], row["reached"], row["share"]) == (HIDDEN, 100, HIDDEN)
    assert [row["value"] for row in out["indicators"]] == [HIDDEN, 100]


def test_a_share_indicator_is_hidden_when_its_own_counts_are_small():
    out = suppress(
        _content(
            indicators=[
                {"unit": CHILDREN, "aggregation": SHARE, "target_group": 1, "value": 66.7,
                 "counts": [2, 1]},
                {"unit": CHILDREN, "aggregation": SHARE, "target_group": 1, "value": 75,
                 "counts": [60, 20]},
            ],
            shares=[{"id": 1, "people": 60, "reached": 80, "share": 75.0}],
        )
    )  # fmt: skip
    assert [row["value"] for row in out["indicators"]] == [HIDDEN, 75]
    assert all("counts" not in row for row in out["indicators"])


def test_the_status_of_a_hidden_value_is_not_shown():
    from earlyhelp.programmes.reports import layout

    # A target of 4 and "Met" would tell that the hidden value is 4.
    out = suppress(
        _content(
            indicators=[
                {"unit": CHILDREN, "aggregation": COUNT, "value": 4, "target": 4, "met": True},
                {"unit": CHILDREN, "aggregation": COUNT, "value": 3, "will_miss": True},
            ]
        )
    )
    statuses = [row[-1] for row in layout(out)[0].rows]
    assert statuses == ["Not shown: too few to show"] * 2
