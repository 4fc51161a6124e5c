"""The cases' kinds of records for the retention job (privacy/retention.py): a closed case,
counted from its closure or its youngest child's 18th birthday, whichever is later; and the
documents of a closed case, counted from its closure."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.cases.models import Case, CaseDocument, ChronologyErasure
from earlyhelp.core.dates import add_years
from earlyhelp.core.files import delete_files_on_commit
from earlyhelp.privacy.retention import (
    Holds,
    Kind,
    audit_rows_of,
    delete_with_files,
    oldest_first,
    register,
)

# What identifies anyone in a case and the rows below it, emptied by the erasure; files are
# removed. The links (the case's children, team, concerns and adults), the dates, kinds,
# statuses, outcomes and severities stay: what the figures count. Every text field of these
# models is either here or in KEPT_FIELDS; the test privacy/tests/test_kinds.py checks it.
ERASED_FIELDS: dict[str, tuple[str, ...]] = {
    "cases.case": ("title", "reason"),
    "cases.chronologyentry": ("title", "text"),
    "cases.problemassessment": ("note",),
    "cases.goal": ("text",),
    "cases.planaction": ("text", "owner_name"),
    "cases.planreview": ("note",),
    "cases.referral": ("reason", "outcome"),
    "cases.caseconference": ("agenda", "external_attendees", "minutes"),
    "cases.conferencedecision": ("text",),
    "safety.mappingitem": ("text",),
    "safety.statement": ("text",),
    "safety.scalinganswer": ("respondent_name", "note"),
    "safety.threehouses": ("worries", "good_things", "dreams"),
    "safety.networkmember": ("name", "relation", "contact", "agreed"),
    "safety.safetyrule": ("text",),
    "safety.safetymeeting": ("topic", "participants", "worried", "working", "needs", "next_steps"),
    "programmes.outcome": ("note",),
}
KEPT_FIELDS: dict[str, tuple[str, ...]] = {
    "cases.referral": ("organisation",),  # the service referred to, not a person
    "safety.threehouses": ("drawing_sha256", "drawing_type"),  # emptied with the drawing
}
# How each row reaches its case.
CASE_PATH = {
    "cases.case": "pk",
    "cases.planaction": "goal__case",
    "cases.conferencedecision": "conference__case",
}


def _rows(label: str, ids: list[int]):
    model = apps.get_model(label)
    return model.objects.filter(**{f"{CASE_PATH.get(label, 'case')}__in": ids})


def _unheld(rows, holds: Holds):
    return (
        rows.exclude(pk__in=holds.cases)
        .exclude(case_children__child_id__in=holds.children)
        .exclude(case_concerns__concern_id__in=holds.concerns)
    )


def cases_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    rows = Case.objects.filter(
        municipality_id=municipality_id,
        status=Case.Status.CLOSED,
        anonymised_at__isnull=True,
        closed_at__date__lte=cutoff,
    )
    if event == "closed_or_adult":
        # Every child of the case 18 by the cutoff: none born after it less 18 years.
        rows = rows.exclude(case_children__child__birth_date__gt=add_years(cutoff, -18))
    rows = _unheld(rows, holds)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    found = rows.annotate(youngest=Max("case_children__child__birth_date")).order_by(
        "closed_at", "pk"
    )
    due = []
    for pk, closed_at, youngest in found.values_list("pk", "closed_at", "youngest"):
        began = timezone.localdate(closed_at)
        if event == "closed_or_adult" and youngest is not None:
            began = max(began, add_years(youngest, 18))
        due.append((pk, began))
    return due


@transaction.atomic
def cases_erase(ids: list[int]) -> Q:
    now = timezone.now()
    Case.objects.filter(pk__in=ids).update(
        anonymised_at=now, version=F("version") + 1, updated_at=now
    )
    # Before the chronology is emptied: its triggers allow that only for a case recorded here.
    ChronologyErasure.objects.bulk_create(
        [
            ChronologyErasure(case_id=pk, municipality_id=municipality_id, erased_at=now)
            for pk, municipality_id in Case.objects.filter(pk__in=ids).values_list(
                "pk", "municipality_id"
            )
        ],
        ignore_conflicts=True,
    )
    about = Q()
    for label, fields in ERASED_FIELDS.items():
        rows = _rows(label, ids)
        about |= audit_rows_of(rows)
        rows.update(**{name: "" for name in fields})

    drawings = apps.get_model("safety.ThreeHouses").objects.filter(case_id__in=ids)
    delete_files_on_commit(drawings.exclude(drawing=""), "drawing")
    drawings.update(drawing="", drawing_sha256="", drawing_type="")
    return about | delete_with_files(CaseDocument.objects.filter(case_id__in=ids), "file")


def documents_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    cases = _unheld(
        Case.objects.filter(
            municipality_id=municipality_id,
            status=Case.Status.CLOSED,
            closed_at__date__lte=cutoff,
        ),
        holds,
    )
    rows = CaseDocument.objects.filter(case__in=cases.values("pk"))
    return oldest_first(rows, ids, "case__closed_at")


@transaction.atomic
def documents_erase(ids: list[int]) -> Q:
    return delete_with_files(CaseDocument.objects.filter(pk__in=ids), "file")


register(
    Kind(
        code="closed_case",
        rule="closed_case",
        label=_("Closed cases"),
        reference=_("Case %(number)s"),
        model="cases.case",
        events=("closed", "closed_or_adult"),
        due=cases_due,
        erase=cases_erase,
    )
)
register(
    Kind(
        code="case_document",
        rule="attachments",
        label=_("Documents of closed cases"),
        reference=_("Case document %(number)s"),
        model="cases.casedocument",
        events=("closed",),
        due=documents_due,
        erase=documents_erase,
    )
)
