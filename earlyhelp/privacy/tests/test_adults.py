"""Adults (parents, relatives, carers) under the retention rules and the data subject's rights:
an adult's identity goes once nothing about them has been kept for the period; a tie to a child
still identified, a case, an activity, an arrangement, a foster household or an open request
keeps them; a restricted adult is read, not changed, and not erased."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.verify import verify_log
from earlyhelp.organisations.models import Role
from earlyhelp.people import retention as people_retention
from earlyhelp.people.models import Adult, Child
from earlyhelp.privacy.requests import request_answer, request_register
from earlyhelp.privacy.retention import propose_for, retention_apply, retention_decide
from earlyhelp.privacy.tests.test_retention import TODAY, adult_child, due_ids
from earlyhelp.tests.factories import AdultFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

# The shipped default (protocols/0007): 12 months after the last change to the adult's record.
CUTOFF = date(2025, 12, 7)


def _changed_on(adult: Adult, day: date) -> Adult:
    moment = timezone.make_aware(datetime.combine(day, time(12)))
    Adult.objects.filter(pk=adult.pk).update(updated_at=moment)
    adult.refresh_from_db()
    return adult


def _alone(world, changed_on: date, **fields) -> Adult:
    adult = AdultFactory(municipality=world.municipality_a, **fields)
    return _changed_on(adult, changed_on)


def test_an_adult_tied_to_nothing_is_due_a_year_after_the_last_change(world):
    due = _alone(world, CUTOFF)
    not_yet = _alone(world, date(2025, 12, 8))
    ids = due_ids(world, "adult")
    assert due.pk in ids and not_yet.pk not in ids


def test_a_tie_to_a_child_still_identified_keeps_the_adult(world):
    adult = _alone(world, date(2020, 1, 1))
    child = adult_child(world, date(2000, 1, 1))
    RelationshipFactory(child=child, adult=adult)
    _changed_on(adult, date(2020, 1, 1))
    assert adult.pk not in due_ids(world, "adult")
    # The child's identity goes; the tie with it, and that is a change to the adult's record.
    people_retention.children_erase([child.pk])
    adult.refresh_from_db()
    assert timezone.localdate(adult.updated_at) == timezone.localdate()
    assert adult.pk not in due_ids(world, "adult")
    assert adult.pk in due_ids(world, "adult", today=date(2027, 12, 31))


def test_an_open_request_and_a_restriction_keep_the_adult(world):
    adult = _alone(world, date(2020, 1, 1))
    request = request_register(
        user=world.users[Role.DPO],
        municipality_ids={world.municipality_a.pk},
        person_kind="adult",
        number=adult.pk,
        right="restriction",
        received_on=date(2026, 12, 1),
        requester="The father, in person",
        details="",
    )
    assert adult.pk not in due_ids(world, "adult")
    request_answer(user=world.users[Role.DPO], request=request, refuse=False, outcome="Done.")
    adult.refresh_from_db()
    assert adult.processing_restricted_at is not None
    _changed_on(adult, date(2020, 1, 1))
    assert adult.pk not in due_ids(world, "adult")


def test_a_restricted_adult_is_read_and_not_changed(world):
    child = world.inside
    adult = AdultFactory(municipality=world.municipality_a)
    RelationshipFactory(child=child, adult=adult)
    helper = world.users[Role.SOCIAL_HELPER]
    assert can(helper, Action.CHANGE, adult)
    Adult.objects.filter(pk=adult.pk).update(processing_restricted_at=timezone.now())
    adult.refresh_from_db()
    assert can(helper, Action.VIEW, adult) and not can(helper, Action.CHANGE, adult)


def test_erasing_an_adult_leaves_an_unnamed_record_and_unsaid_audit_rows(world):
    adult = _alone(
        world,
        date(2020, 1, 1),
        phone="+36 30 765 4321",
        email="apa@example.org",
        address="Fő utca 1.",
        birth_date=date(1980, 6, 15),
    )
    seen = audit_record(actor=world.users[Role.SOCIAL_HELPER], action="view", obj=adult)
    [batch] = [b for b in propose_for(world.municipality_a, TODAY) if b.kind == "adult"]
    assert adult.pk in set(batch.items.values_list("object_id", flat=True))
    retention_decide(
        batch=batch, user=world.users[Role.DPO], approve=True, items_seen=batch.items.count()
    )
    retention_apply(batch.pk)
    adult.refresh_from_db()
    assert (adult.given_name, adult.family_name, adult.phone, adult.email, adult.address) == (
        ("",) * 5
    )
    assert adult.full_name == "erased person" and adult.erased_at is not None
    assert adult.birth_date == date(1980, 1, 1)
    assert AuditEvent.objects.get(pk=seen.pk).is_erased
    assert verify_log().broken is None
    # An erased adult is not proposed again.
    assert adult.pk not in due_ids(world, "adult")
    assert Child.objects.filter(pk=world.inside.pk, erased_at__isnull=True).exists()
