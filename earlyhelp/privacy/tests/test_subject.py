"""The data subject's rights: the register's deadlines, the copy of a person's data with other
people's data withheld, and the restriction of processing."""

import json
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.concerns.models import Concern, ConcernChild
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child
from earlyhelp.privacy.models import SubjectRequest
from earlyhelp.privacy.requests import (
    request_answer,
    request_extend,
    request_register,
    restriction_lift,
)
from earlyhelp.privacy.retention import active_holds
from earlyhelp.privacy.subject import LEFT_OUT, subject_copy
from earlyhelp.privacy.tests.test_retention import closed_concern
from earlyhelp.tests.factories import AdultFactory, ChildFactory, RelationshipFactory

pytestmark = pytest.mark.django_db


def register(world, right="access", received_on=date(2026, 1, 31), child=None):
    return request_register(
        user=world.users[Role.DPO],
        municipality_ids={world.municipality_a.pk},
        person_kind="child",
        number=(child or world.inside).pk,
        right=right,
        received_on=received_on,
        requester="The mother, by letter",
        details="",
    )


def test_the_answer_is_due_in_a_month_and_once_extendable_by_two_more(world):
    request = register(world)
    assert request.due_on == date(2026, 2, 28)
    assert request.is_overdue(date(2026, 3, 1)) and not request.is_overdue(date(2026, 2, 28))
    request = request_extend(user=world.users[Role.DPO], request=request, reason="Many records")
    assert request.due_on == date(2026, 4, 30)
    with pytest.raises(ValidationError, match="already extended"):
        request_extend(user=world.users[Role.DPO], request=request, reason="Again")
    assert AuditEvent.objects.filter(
        object_type="privacy.subjectrequest", purpose="request extended"
    ).exists()


def test_a_request_names_a_person_of_the_officers_municipality_only(world):
    with pytest.raises(ValidationError, match="no record of this kind"):
        register(world, child=world.abroad)


def test_the_copy_holds_the_persons_data_and_withholds_other_peoples(world):
    child = world.inside
    parent = AdultFactory(
        municipality=child.municipality,
        given_name="Mária",
        family_name="Szőke",
        phone="+36 1 555 0000",
    )
    RelationshipFactory(child=child, adult=parent)
    # A concern by a private person about the child and a sibling.
    concern = closed_concern(world, date(2025, 5, 1), reporter_kind="citizen", reporter=None)
    Concern.objects.filter(pk=concern.pk).update(reporter_name="Nagy Ilona")
    sibling = ChildFactory(municipality=child.municipality, given_name="Zsófi", family_name="Szőke")
    ConcernChild.objects.create(concern=concern, child=sibling, role=ConcernChild.Role.SIBLING)
    audit_record(
        actor=world.users[Role.SOCIAL_HELPER],
        action="view",
        obj=child,
        role="social_helper",
        purpose="child page",
    )
    made = subject_copy(child)
    document = json.loads(made.as_json())
    text = json.dumps(document, ensure_ascii=False)
    assert document["about"] == f"people.child:{child.pk}"
    assert "Bence" in text and "Bence came to school hungry again." in text
    assert "Mária" in text  # the child's own family tie
    assert "+36 1 555 0000" not in text  # but not her contact details
    assert "Zsófi" not in text and "[another person]" in text
    assert "Nagy Ilona" not in text and "reporter's identity is protected" in text
    # Who read the record: when, in which role and why; not by whom.
    assert "child page" in text and world.users[Role.SOCIAL_HELPER].username not in text
    assert made.as_pdf().startswith(b"%PDF")


def test_a_professional_reporter_is_named_unless_the_law_protects_them(world):
    concern = closed_concern(world, date(2025, 5, 1))
    reporter = str(world.users[Role.EDUCATOR])
    assert reporter in made_text(world.inside)
    Concern.objects.filter(pk=concern.pk).update(reporter_confidential=True)
    assert reporter not in made_text(world.inside)


def made_text(child) -> str:
    return subject_copy(Child.objects.get(pk=child.pk)).as_json().decode()


def test_every_model_that_names_a_person_is_copied_or_left_out_for_a_reason():
    from django.apps import apps

    for label, reason in LEFT_OUT.items():
        assert apps.get_model(label) and reason


def test_a_restriction_keeps_the_record_unchanged_and_unerased_until_lifted(world):
    request = register(world, right="restriction", received_on=date(2026, 11, 30))
    helper = world.users[Role.SOCIAL_HELPER]
    assert can(helper, Action.CHANGE, Child.objects.get(pk=world.inside.pk))
    request_answer(
        user=world.users[Role.DPO],
        request=request,
        refuse=False,
        outcome="Restricted while the parents dispute the facts.",
    )
    child = Child.objects.get(pk=world.inside.pk)
    assert child.processing_restricted_at is not None
    assert not can(helper, Action.CHANGE, child)
    assert can(helper, Action.VIEW, Child.objects.get(pk=world.inside.pk))
    assert world.inside.pk in active_holds(world.municipality_a.pk).children
    restriction_lift(user=world.users[Role.DPO], request=SubjectRequest.objects.get(pk=request.pk))
    child = Child.objects.get(pk=world.inside.pk)
    assert child.processing_restricted_at is None and can(helper, Action.CHANGE, child)
