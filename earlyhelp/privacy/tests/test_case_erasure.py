"""A closed case at its boundary dates, its erasure through the chronology's triggers, and the
text fields of a case's rows each declared erased or kept."""

from datetime import date

import pytest
from django.apps import apps
from django.db import models, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.verify import verify_log
from earlyhelp.cases import retention as case_retention
from earlyhelp.cases.models import Case, CaseChild, ChronologyEntry, Goal
from earlyhelp.organisations.models import Role
from earlyhelp.privacy.models import LegalHold
from earlyhelp.privacy.retention import retention_apply
from earlyhelp.privacy.tests.test_retention import _approved, due_ids, noon
from earlyhelp.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def closed_case(world, closed_on: date, born: date) -> Case:
    child = ChildFactory(municipality=world.municipality_a, birth_date=born)
    case = Case.objects.create(
        municipality=world.municipality_a,
        service=world.service_a,
        title="Family Szőke",
        reason="Repeated concerns about neglect.",
        lead_worker=world.users[Role.CASE_WORKER],
        opened_at=noon(date(2010, 1, 4)),
        opened_by=world.users[Role.CASE_WORKER],
        status=Case.Status.CLOSED,
        closed_at=noon(closed_on),
    )
    CaseChild.objects.create(case=case, child=child)
    return case


def test_a_case_is_due_60_months_after_the_later_of_closure_and_the_youngest_18th_birthday(world):
    # Today 7 December 2026; 60 months back is 7 December 2021.
    adult_long_ago = closed_case(world, date(2021, 12, 7), born=date(2000, 1, 1))
    closed_a_day_late = closed_case(world, date(2021, 12, 8), born=date(2000, 1, 1))
    came_of_age_on_the_day = closed_case(world, date(2015, 1, 1), born=date(2003, 12, 7))
    came_of_age_a_day_late = closed_case(world, date(2015, 1, 1), born=date(2003, 12, 8))
    due = due_ids(world, "closed_case")
    assert adult_long_ago.pk in due and came_of_age_on_the_day.pk in due
    assert closed_a_day_late.pk not in due and came_of_age_a_day_late.pk not in due


def test_erasing_a_case_empties_its_texts_and_its_chronology_and_keeps_its_shape(world):
    case = closed_case(world, date(2015, 1, 1), born=date(2000, 1, 1))
    entry = ChronologyEntry.objects.create(
        case=case,
        kind=ChronologyEntry.Kind.NOTE,
        happened_at=noon(date(2014, 3, 3)),
        author=world.users[Role.CASE_WORKER],
        title="Home visit",
        text="Mother was drunk.",
    )
    Goal.objects.create(
        case=case,
        child=case.case_children.get().child,
        text="Bence eats breakfast",
        created_by=world.users[Role.CASE_WORKER],
    )
    read = audit_record(
        actor=world.users[Role.CASE_WORKER], action="view", obj=case, purpose="case page"
    )
    batch = _approved(world, "closed_case")
    retention_apply(batch.pk)
    case.refresh_from_db()
    assert (case.title, case.reason, case.status) == ("", "", "closed") and case.anonymised_at
    entry.refresh_from_db()
    assert (entry.title, entry.text, entry.kind) == ("", "", ChronologyEntry.Kind.NOTE)
    assert Goal.objects.get(case=case).text == ""
    assert CaseChild.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.get(pk=read.pk).is_erased
    assert verify_log().broken is None


def test_the_chronology_refuses_any_other_change_even_after_the_erasure(world):
    case = closed_case(world, date(2015, 1, 1), born=date(2000, 1, 1))
    entry = ChronologyEntry.objects.create(
        case=case,
        kind=ChronologyEntry.Kind.NOTE,
        happened_at=noon(date(2014, 3, 3)),
        author=world.users[Role.CASE_WORKER],
        title="Home visit",
        text="Seen.",
    )
    with pytest.raises(DatabaseError), transaction.atomic():
        ChronologyEntry.objects.filter(pk=entry.pk).update(title="", text="")
    retention_apply(_approved(world, "closed_case").pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        ChronologyEntry.objects.filter(pk=entry.pk).update(happened_at=timezone.now())
    with pytest.raises(DatabaseError), transaction.atomic():
        ChronologyEntry.objects.filter(pk=entry.pk).update(text="Rewritten.")
    with pytest.raises(DatabaseError), transaction.atomic():
        ChronologyEntry.objects.filter(pk=entry.pk).delete()


def test_a_hold_on_the_cases_child_keeps_the_case(world):
    case = closed_case(world, date(2015, 1, 1), born=date(2000, 1, 1))
    LegalHold.objects.create(
        municipality=world.municipality_a,
        child=case.case_children.get().child,
        reason="Court",
        placed_by=world.users[Role.DPO],
        placed_at=timezone.now(),
    )
    assert case.pk not in due_ids(world, "closed_case")


def _free_texts(model) -> set[str]:
    return {
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.choices
    }


def test_every_text_of_a_case_and_the_rows_below_it_is_erased_or_declared_kept():
    declared = set(case_retention.ERASED_FIELDS) | set(case_retention.KEPT_FIELDS)
    case = apps.get_model("cases.case")
    below = [case]
    for relation in case._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many or model._meta.app_label in {"activities", "contacts", "privacy"}:
            continue
        below.append(model)
        below += [
            r.related_model
            for r in model._meta.related_objects
            if r.related_model._meta.app_label == model._meta.app_label and not r.many_to_many
        ]
    for model in below:
        label = model._meta.label_lower
        texts = (
            _free_texts(model) - {"file_sha256", "original_name", "content_type", "title"}
            if label == "cases.casedocument"
            else _free_texts(model)
        )
        if not texts:
            continue
        assert label in declared, f"say in cases/retention.py what the erasure does with {label}"
        fields = set(case_retention.ERASED_FIELDS.get(label, ())) | set(
            case_retention.KEPT_FIELDS.get(label, ())
        )
        assert texts <= fields, f"{label}: {sorted(texts - fields)} erased or kept?"
