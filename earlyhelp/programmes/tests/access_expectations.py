"""Who may see and run programmes and their funder's reports (earlyhelp/tests/matrix.py)."""

from datetime import date

from earlyhelp.tests.matrix import ANA, MGR, Expect, answers, url
from earlyhelp.tests.personas import World

# --- The figures page and the computation on demand (views/page.py; helper `figures`) ---


def _figures_programme(w: World, inside: bool) -> int:
    from earlyhelp.programmes.tests.builders import programme

    municipality = w.municipality_a if inside else w.municipality_b
    return programme(w, municipality=municipality, lead=None).pk


EXPECTATIONS: dict[str, Expect] = {
    "programmes:detail": Expect(
        url("programmes:detail", pk=_figures_programme),
        inside=answers(404, **{MGR: 200, ANA: 200}),
        outside=answers(404),
    ),
    "programmes:compute": Expect(
        url("programmes:compute", pk=_figures_programme),
        inside=answers(404, **{MGR: 302, ANA: 403}),
        outside=answers(404),
        method="post",
    ),
}
# --- end of the figures page's block ---


# --- The funder's reports (views/reports.py) -------------------------------------------------
# A programme of municipality A without a lead: its managers run it (start a report, write the
# narrative, release a report someone else prepared), its analysts read the reports; nobody
# else sees it. Outside: the same in municipality B. A matrix report is prepared by a third
# person, so a manager may release it; the reports the matrix reads are released ones, built
# from their snapshot.


def _report_programme(w: World, inside: bool):
    from earlyhelp.programmes.models import Programme

    users = w.users if inside else w.outsiders
    municipality = w.municipality_a if inside else w.municipality_b
    return Programme.objects.create(
        municipality=municipality, name="Assisted contact and foster care", funder="ESF",
        reference="CZ.03.2.63/0.0/0.0/19_107/0016000", starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31), created_by=users[MGR],
    )  # fmt: skip


def _report_of(w: World, inside: bool, *, released: bool):
    from django.utils import timezone

    from earlyhelp.programmes.models import Report
    from earlyhelp.tests import factories as f

    programme = _report_programme(w, inside)
    preparer = f.UserFactory(username=f"report-preparer-{'a' if inside else 'b'}")
    users = w.users if inside else w.outsiders
    fields = {}
    if released:
        fields = {
            "status": Report.Status.RELEASED, "released_by": users[MGR],
            "released_at": timezone.now(), "figures": _snapshot(),
        }  # fmt: skip
    return Report.objects.create(
        programme=programme, period_starts=date(2026, 1, 1), period_ends=date(2026, 3, 31),
        prepared_by=preparer, narrative="The first quarter.", **fields,
    )  # fmt: skip


def _snapshot() -> dict:
    return {
        "schema": 1, "suppressed": True, "narrative": "The first quarter.",
        "programme": {
            "name": "Assisted contact and foster care", "funder": "ESF", "reference": "",
            "starts": "2026-01-01", "ends": "2027-12-31", "budget": None, "currency": "",
            "aid_rate": None, "partners": [],
        },
        "period": {"starts": "2026-01-01", "ends": "2026-03-31"}, "computed_at": None,
        "indicators": [], "shares": [],
        "activities": {"rows": [], "total": {"activities": 0, "meetings": 0, "hours": 0}},
        "outcomes": {"rows": [], "total": 0}, "case_outcomes": {"rows": [], "total": 0},
    }  # fmt: skip


def report_programme(w: World, inside: bool) -> int:
    return _report_programme(w, inside).pk


def released_report(w: World, inside: bool) -> int:
    return _report_of(w, inside, released=True).pk


def draft_report(w: World, inside: bool) -> int:
    return _report_of(w, inside, released=False).pk


REPORT_READERS = answers(404, **{MGR: 200, ANA: 200})
REPORT_NOT_FOUND = answers(404)

EXPECTATIONS.update(
    {
        "programmes:reports": Expect(
            url("programmes:reports", pk=report_programme), REPORT_READERS, REPORT_NOT_FOUND
        ),
        "programmes:report_create": Expect(
            url("programmes:report_create", pk=report_programme),
            answers(404, **{MGR: 302, ANA: 403}),
            REPORT_NOT_FOUND,
            method="post",
            data=lambda w, i: {"period_starts": "2026-04-01", "period_ends": "2026-06-30"},
        ),
        "programmes:report": Expect(
            url("programmes:report", pk=released_report), REPORT_READERS, REPORT_NOT_FOUND
        ),
        # A draft prepared by a third person: the manager releases it (its figures computed
        # by figures.programme_figures), the analyst may read it but not release it.
        "programmes:report_release": Expect(
            url("programmes:report_release", pk=draft_report),
            answers(404, **{MGR: 302, ANA: 403}),
            REPORT_NOT_FOUND,
            method="post",
            data=lambda w, i: {"version": 1},
        ),
        "programmes:report_pdf": Expect(
            url("programmes:report_pdf", pk=released_report), REPORT_READERS, REPORT_NOT_FOUND
        ),
        "programmes:report_xlsx": Expect(
            url("programmes:report_xlsx", pk=released_report), REPORT_READERS, REPORT_NOT_FOUND
        ),
    }
)
# --- end of the funder's reports -------------------------------------------------------------
