"""The retention job at its boundary dates: what is due, what a hold keeps, what erasure
removes and keeps, and the officer's decision in between."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.verify import verify_log
from earlyhelp.cases.models import Case, CaseChild, CaseConcern, CaseDocument
from earlyhelp.concerns.models import Concern, ConcernAttachment, ConcernChild, ConcernMessage
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child, Relationship
from earlyhelp.privacy.models import LegalHold, RetentionBatch, RetentionItem
from earlyhelp.privacy.retention import (
    kind_of,
    periods_for,
    propose_for,
    retention_apply,
    retention_decide,
)
from earlyhelp.protocols.models import MunicipalSetting
from earlyhelp.tests.factories import ChildFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 7)
# The default periods of the shipped profiles (protocols/0006): 36 months for a concern that
# led to no case and for attached files, 12 months after the 18th birthday for a child.
CONCERN_CUTOFF = date(2023, 12, 7)


def noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def closed_concern(world, closed_on: date, child=None, **fields) -> Concern:
    fields.setdefault("reporter", world.users[Role.EDUCATOR])
    concern = Concern.objects.create(
        municipality=world.municipality_a,
        institution=world.school_a1,
        reporter_name="Kiss Anna",
        reporter_contact="+36 30 123 4567",
        status=Concern.Status.CLOSED,
        received_at=noon(closed_on) - timezone.timedelta(days=5),
        decided_at=noon(closed_on) - timezone.timedelta(days=1),
        closed_at=noon(closed_on),
        what_happened="Bence came to school hungry again.",
        child_words="I did not eat yesterday.",
        decision=Concern.Decision.ADVICE,
        decision_reason="Talked with the mother.",
        categories=["neglect"],
        **fields,
    )
    ConcernChild.objects.create(
        concern=concern, child=child or world.inside, role=ConcernChild.Role.HARMED
    )
    return concern


def due_ids(world, code: str, today: date = TODAY) -> list[int]:
    from earlyhelp.privacy.retention import due_now

    kind = kind_of(code)
    period = periods_for(world.municipality_a)[kind.rule]
    return [pk for pk, _began in due_now(kind, world.municipality_a, period, today)]


def test_the_period_is_the_profiles_default_until_the_municipality_sets_its_own(world):
    period = periods_for(world.municipality_a)["concern_no_case"]
    assert (period.months, period.event, period.origin) == (36, "closed", "default")
    assert "earlyhelp default" in period.basis()
    MunicipalSetting.objects.create(
        municipality=world.municipality_a, key="retention_concern_no_case_months", value=24
    )
    period = periods_for(world.municipality_a)["concern_no_case"]
    assert (period.months, period.origin) == (24, "setting")
    assert period.basis() == "24 months from the record's closure (municipal setting)"


def test_a_concern_is_due_on_the_day_its_period_ends_and_not_a_day_before(world):
    on_the_day = closed_concern(world, CONCERN_CUTOFF)
    a_day_later = closed_concern(world, date(2023, 12, 8))
    assert due_ids(world, "concern_no_case") == [on_the_day.pk]
    assert due_ids(world, "concern_no_case", date(2026, 12, 8)) == [on_the_day.pk, a_day_later.pk]


def test_a_month_end_counts_to_the_months_last_day():
    from earlyhelp.core.dates import add_months

    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2028, 3, 31), -1) == date(2028, 2, 29)
    assert add_months(date(2026, 12, 7), -36) == date(2023, 12, 7)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_a_concern_that_led_to_a_case_or_is_still_open_is_not_due(world):
    with_case = closed_concern(world, date(2022, 1, 1))
    case = Case.objects.create(
        municipality=world.municipality_a,
        service=world.service_a,
        title="Family",
        reason="Concerns.",
        lead_worker=world.users[Role.CASE_WORKER],
        opened_at=noon(date(2022, 1, 2)),
        opened_by=world.users[Role.CASE_WORKER],
    )
    CaseConcern.objects.create(
        case=case, concern=with_case, linked_by=world.users[Role.CASE_WORKER]
    )
    open_one = closed_concern(world, date(2022, 1, 1))
    Concern.objects.filter(pk=open_one.pk).update(status=Concern.Status.TRIAGED)
    assert due_ids(world, "concern_no_case") == []


def test_a_legal_hold_on_the_concern_or_its_child_keeps_it(world):
    concern = closed_concern(world, date(2022, 1, 1))
    hold = LegalHold.objects.create(
        municipality=world.municipality_a,
        child=world.inside,
        reason="Court case",
        placed_by=world.users[Role.DPO],
        placed_at=timezone.now(),
    )
    assert due_ids(world, "concern_no_case") == []
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    assert due_ids(world, "concern_no_case") == [concern.pk]
    LegalHold.objects.create(
        municipality=world.municipality_a,
        concern=concern,
        reason="Claim",
        placed_by=world.users[Role.DPO],
        placed_at=timezone.now(),
    )
    assert due_ids(world, "concern_no_case") == []


def test_the_daily_job_proposes_once_and_follows_what_changes(world):
    first = closed_concern(world, date(2022, 1, 1))
    [batch] = [b for b in propose_for(world.municipality_a, TODAY) if b.kind == "concern_no_case"]
    assert list(batch.items.values_list("object_id", flat=True)) == [first.pk]
    assert batch.months == 36 and "earlyhelp default" in batch.basis
    second = closed_concern(
        world, date(2022, 2, 1), child=ChildFactory(municipality=world.municipality_a)
    )
    propose_for(world.municipality_a, TODAY)
    batch.refresh_from_db()
    assert sorted(batch.items.values_list("object_id", flat=True)) == sorted([first.pk, second.pk])
    assert RetentionBatch.objects.filter(kind="concern_no_case").count() == 1
    # A hold placed on both takes them out; the empty batch goes.
    for concern in (first, second):
        LegalHold.objects.create(
            municipality=world.municipality_a,
            concern=concern,
            reason="Claim",
            placed_by=world.users[Role.DPO],
            placed_at=timezone.now(),
        )
    propose_for(world.municipality_a, TODAY)
    assert not RetentionBatch.objects.filter(kind="concern_no_case").exists()


def _approved(world, kind: str) -> RetentionBatch:
    [batch] = [b for b in propose_for(world.municipality_a, TODAY) if b.kind == kind]
    return retention_decide(
        batch=batch, user=world.users[Role.DPO], approve=True, items_seen=batch.items.count()
    )


def test_nothing_is_approved_unseen_and_a_rejection_says_why(world):
    closed_concern(world, date(2022, 1, 1))
    [batch] = propose_for(world.municipality_a, TODAY)[:1]
    with pytest.raises(ValidationError, match="changed since you opened it"):
        retention_decide(batch=batch, user=world.users[Role.DPO], approve=True, items_seen=7)
    with pytest.raises(ValidationError, match="why"):
        retention_decide(batch=batch, user=world.users[Role.DPO], approve=False, items_seen=1)
    retention_decide(
        batch=batch, user=world.users[Role.DPO], approve=False, items_seen=1, note="Not yet."
    )
    # A rejected record rests: not proposed again the next day.
    assert not [b for b in propose_for(world.municipality_a, TODAY) if b.kind == batch.kind]


def test_erasing_a_concern_removes_what_identifies_anyone_and_keeps_the_counts(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    concern = closed_concern(world, date(2022, 1, 1))
    ConcernMessage.objects.create(
        concern=concern, author=world.users[Role.EDUCATOR], body="Mum called."
    )
    attachment = ConcernAttachment(
        concern=concern,
        original_name="note.pdf",
        content_type="application/pdf",
        size=5,
        uploaded_by=world.users[Role.EDUCATOR],
    )
    attachment.file.save("note.pdf", ContentFile(b"%PDF-"), save=True)
    stored = attachment.file.name
    read = audit_record(
        actor=world.users[Role.SOCIAL_HELPER], action="view", obj=concern, purpose="concern page"
    )
    other = audit_record(
        actor=world.users[Role.SOCIAL_HELPER], action="view", obj=world.secret, purpose="child page"
    )
    batch = _approved(world, "concern_no_case")
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(batch.pk)
    concern.refresh_from_db()
    assert concern.anonymised_at is not None
    for name in (
        "reporter_name",
        "reporter_contact",
        "what_happened",
        "child_words",
        "decision_reason",
    ):
        assert getattr(concern, name) == ""
    assert (concern.status, concern.decision, concern.categories) == (
        "closed",
        "advice",
        ["neglect"],
    )
    assert list(concern.children.values_list("child_id", "described_as")) == [(None, "—")]
    assert list(concern.messages.values_list("body", flat=True)) == [""]
    assert not ConcernAttachment.objects.filter(pk=attachment.pk).exists()
    batch.refresh_from_db()
    assert (batch.state, batch.erased, batch.skipped) == ("applied", 1, 0)
    assert AuditEvent.objects.get(pk=read.pk).is_erased
    assert not AuditEvent.objects.get(pk=other.pk).is_erased
    erased = AuditEvent.objects.get(action="erase", object_id=str(concern.pk))
    assert (erased.object_type, erased.role, erased.actor_name) == (
        "concerns.concern",
        "dpo",
        world.users[Role.DPO].username,
    )
    assert verify_log().broken is None
    assert RetentionItem.objects.get(batch=batch).state == "erased"
    assert not attachment.file.storage.exists(stored)


def test_a_hold_placed_after_the_approval_still_keeps_the_record(world):
    concern = closed_concern(world, date(2022, 1, 1))
    batch = _approved(world, "concern_no_case")
    LegalHold.objects.create(
        municipality=world.municipality_a,
        concern=concern,
        reason="Claim",
        placed_by=world.users[Role.DPO],
        placed_at=timezone.now(),
    )
    retention_apply(batch.pk)
    batch.refresh_from_db()
    concern.refresh_from_db()
    assert (batch.erased, batch.skipped, concern.what_happened) == (
        0,
        1,
        "Bence came to school hungry again.",
    )


def adult_child(world, born: date) -> Child:
    return ChildFactory(municipality=world.municipality_a, birth_date=born, national_id="")


def test_a_child_is_erased_a_year_after_their_18th_birthday_once_nothing_else_is_kept(world):
    # 12 months after the 18th birthday: born on 7 December 2007 is due on 7 December 2026.
    due = adult_child(world, date(2007, 12, 7))
    not_yet = adult_child(world, date(2007, 12, 8))
    ids = due_ids(world, "child")
    assert due.pk in ids and not_yet.pk not in ids
    concern = closed_concern(world, date(2026, 1, 1), child=due)
    assert due.pk not in due_ids(world, "child")
    Concern.objects.filter(pk=concern.pk).update(anonymised_at=timezone.now())
    assert due.pk in due_ids(world, "child")
    case = Case.objects.create(
        municipality=world.municipality_a,
        service=world.service_a,
        title="Family",
        reason="Concerns.",
        lead_worker=world.users[Role.CASE_WORKER],
        opened_at=noon(date(2020, 1, 2)),
        opened_by=world.users[Role.CASE_WORKER],
    )
    link = CaseChild.objects.create(case=case, child=due)
    assert due.pk not in due_ids(world, "child")
    link.delete()


def test_erasing_a_child_leaves_an_unnamed_record_and_unsaid_audit_rows(world):
    child = adult_child(world, date(2005, 3, 14))
    Child.objects.filter(pk=child.pk).update(needs="Dyslexia", national_id="12345")
    RelationshipFactory(child=child)
    seen = audit_record(
        actor=world.users[Role.SOCIAL_HELPER],
        action="change",
        obj=child,
        changes={"needs": ["", "Dyslexia"]},
    )
    ids = [pk for pk in due_ids(world, "child")]
    assert child.pk in ids
    batch = _approved(world, "child")
    retention_apply(batch.pk)
    child.refresh_from_db()
    assert (child.given_name, child.family_name, child.national_id, child.needs) == ("", "", "", "")
    assert child.full_name == "erased person"
    assert child.birth_date == date(2005, 1, 1) and child.erased_at is not None
    assert not Relationship.objects.filter(child=child).exists()
    row = AuditEvent.objects.get(pk=seen.pk)
    assert row.is_erased and row.changes == {"erased": True}
    erased = AuditEvent.objects.get(action="erase", object_id=str(child.pk))
    assert erased.subject == f"people.child:{child.pk}" and not erased.is_erased
    assert verify_log().broken is None


def test_a_closed_cases_documents_are_due_from_its_closure(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = Case.objects.create(
        municipality=world.municipality_a,
        service=world.service_a,
        title="Family",
        reason="Concerns.",
        lead_worker=world.users[Role.CASE_WORKER],
        opened_at=noon(date(2020, 1, 2)),
        opened_by=world.users[Role.CASE_WORKER],
        status=Case.Status.CLOSED,
        closed_at=noon(CONCERN_CUTOFF),
    )
    document = CaseDocument(
        case=case,
        title="Report",
        original_name="r.pdf",
        content_type="application/pdf",
        size=5,
        uploaded_by=world.users[Role.CASE_WORKER],
    )
    document.file.save("r.pdf", ContentFile(b"%PDF-"), save=True)
    assert due_ids(world, "case_document") == [document.pk]
    assert due_ids(world, "case_document", date(2026, 12, 6)) == []
    batch = _approved(world, "case_document")
    retention_apply(batch.pk)
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()
