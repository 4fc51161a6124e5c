"""Who may open the programme pages. Each helper keeps its own block below.

Set-up (helper `setup`): a programme of municipality A (no lead) is read by A's manager and
analyst and run by A's manager; the workers who count records for it (social helper, case
worker, supervisor) do not see it as a programme. Outside: the same in municipality B. Action
areas are drawn by A's manager and administrator and read also by its analyst and workers."""

from datetime import date

from django.core.files.base import ContentFile
from django.urls import reverse

from earlyhelp.programmes.models import ActionArea, Document, Partner, Programme
from earlyhelp.tests.matrix import ADM, ANA, CW, HELP, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World

# --- Set-up (helper `setup`) -------------------------------------------------------------------


def make_programme(w: World, inside: bool) -> Programme:
    users = w.users if inside else w.outsiders
    return Programme.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b,
        name="Early help 2030",
        funder="A funder",
        starts_on=date(2025, 1, 1),
        ends_on=date(2027, 12, 31),
        created_by=users[MGR],
    )


def programme(w: World, inside: bool) -> int:
    return make_programme(w, inside).pk


def partner_url(action: str):
    def build(w: World, inside: bool) -> str:
        made = make_programme(w, inside)
        item = Partner.objects.create(programme=made, name="A partner", role="cooperating")
        return reverse(f"programmes:{action}", args=[made.pk, "partners", item.pk])

    return build


def document(w: World, inside: bool) -> int:
    made = make_programme(w, inside)
    users = w.users if inside else w.outsiders
    return Document.objects.create(
        programme=made, title="Grant agreement", file=ContentFile(b"%PDF-1.4\n", name="g.pdf"),
        original_name="grant.pdf", content_type="application/pdf", size=9,
        uploaded_by=users[MGR],
    ).pk  # fmt: skip


def area(w: World, inside: bool) -> int:
    return ActionArea.objects.create(
        municipality=w.municipality_a if inside else w.municipality_b, name="Riverside"
    ).pk


def item_new_url(w: World, inside: bool) -> str:
    return reverse("programmes:item_new", args=[programme(w, inside), "partners"])


SETUP_READERS = answers(404, **{MGR: 200, ANA: 200})
SETUP_RUNNERS = answers(404, **{MGR: 200, ANA: 403})
NOT_FOUND = answers(404)

SETUP_EXPECTATIONS = {
    "programmes:list": Expect(url("programmes:list"), answers(403, **{MGR: 200, ANA: 200})),
    "programmes:create": Expect(url("programmes:create"), answers(403, **{MGR: 200})),
    "programmes:edit": Expect(url("programmes:edit", pk=programme), SETUP_RUNNERS, NOT_FOUND),
    "programmes:setup": Expect(url("programmes:setup", pk=programme), SETUP_READERS, NOT_FOUND),
    "programmes:document_add": Expect(
        url("programmes:document_add", pk=programme), SETUP_RUNNERS, NOT_FOUND
    ),
    "programmes:item_new": Expect(item_new_url, SETUP_RUNNERS, NOT_FOUND),
    "programmes:item_edit": Expect(partner_url("item_edit"), SETUP_RUNNERS, NOT_FOUND),
    "programmes:item_remove": Expect(
        partner_url("item_remove"),
        answers(404, **{MGR: 302, ANA: 403}),
        NOT_FOUND,
        method="post",
    ),
    "programmes:document": Expect(
        url("programmes:document", pk=document), SETUP_READERS, NOT_FOUND
    ),
    "programmes:areas": Expect(
        url("programmes:areas"), answers(403, **{ADM: 200, MGR: 200, ANA: 200})
    ),
    "programmes:area_create": Expect(
        url("programmes:area_create"), answers(403, **{ADM: 200, MGR: 200})
    ),
    "programmes:area_edit": Expect(
        url("programmes:area_edit", pk=area),
        answers(404, **{ADM: 200, MGR: 200, ANA: 403, HELP: 403, CW: 403, SUP: 403}),
        NOT_FOUND,
    ),
}

# --- End of set-up -----------------------------------------------------------------------------

EXPECTATIONS = {**SETUP_EXPECTATIONS}


# --- The figures page and the computation on demand (views/page.py; helper `figures`) ---


def _figures_programme(w: World, inside: bool) -> int:
    from earlyhelp.programmes.tests.builders import programme

    municipality = w.municipality_a if inside else w.municipality_b
    return programme(w, municipality=municipality, lead=None).pk


EXPECTATIONS: dict[str, Expect] = {
    **SETUP_EXPECTATIONS,
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


# --- A new programme from a shipped template (views/templates.py): the managers, who run
# programmes, set one up; nobody else may. Municipality A is Hungarian. ---
EXPECTATIONS["programmes:from_template"] = Expect(
    url("programmes:from_template"), answers(403, **{MGR: 200})
)
