"""Holes found in a second read of the policy, each closed and kept closed."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, granting_path, visible
from earlyhelp.access.services import break_glass_open, break_glass_review
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.people.models import Child, ChildTeamMember, Relationship
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db
REASON = "The police asked about this child just now."


def test_a_supervisor_never_reaches_a_child_of_another_municipality(world):
    ChildTeamMember.objects.create(child=world.abroad, user=world.users[Role.CASE_WORKER])
    seen = visible(world.users[Role.SUPERVISOR], Child.objects.all())
    assert world.abroad not in seen


def test_a_restricted_adult_stays_hidden_in_the_childs_relationships(world, signed_in):
    hidden = f.AdultFactory(
        municipality=world.municipality_a, given_name="Rejtett", restricted=True
    )
    link = f.RelationshipFactory(child=world.inside, adult=hidden, kind="father")
    helper = world.users[Role.SOCIAL_HELPER]
    assert link not in visible(helper, Relationship.objects.all())
    page = signed_in(helper).get(reverse("people:child_detail", args=[world.inside.pk]))
    assert "Rejtett" not in page.content.decode()
    assert link in visible(world.users[Role.CASE_WORKER], Relationship.objects.all())


def test_an_educator_sees_only_todays_class_not_the_childs_history(world, signed_in):
    f.EnrolmentFactory(child=world.inside, group=world.class_a2, ends_on="2025-12-31")
    page = signed_in(world.users[Role.EDUCATOR]).get(
        reverse("people:child_detail", args=[world.inside.pk])
    )
    assert [e.group for e in page.context["enrolments"]] == [world.class_a1]


def test_break_glass_cannot_tell_restricted_records_from_missing_ones(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    answers = []
    for record in (world.secret.pk, 999999):
        response = client.post(
            reverse("access:break_glass"), {"record": record, "reason": REASON, "minutes": 5}
        )
        answers.append(response.context["form"].errors["record"])
    assert answers[0] == answers[1]
    assert (
        AuditEvent.objects.filter(action="break_glass", purpose__startswith="refused").count() == 2
    )
    assert not BreakGlassGrant.objects.filter(refused=False).exists()


def test_restricting_a_record_keeps_whoever_restricted_it_on_the_team(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    child = world.inside
    signed_in(helper).post(
        reverse("people:child_edit", args=[child.pk]),
        {
            "family_name": child.family_name,
            "given_name": child.given_name,
            "birth_date": child.birth_date.isoformat(),
            "sex": child.sex,
            "restricted": "on",
            "version": child.version,
        },
    )
    child.refresh_from_db()
    assert child.restricted
    assert child.team_members.filter(user=helper).exists()


def test_reading_an_adult_under_break_glass_is_flagged(world, signed_in):
    manager = world.users[Role.MANAGER]
    break_glass_open(user=manager, child=world.inside, reason=REASON, minutes=5)
    assert granting_path(manager, Action.VIEW, world.parent_inside) == "break_glass"
    signed_in(manager).get(reverse("people:adult_detail", args=[world.parent_inside.pk]))
    event = AuditEvent.objects.get(action="view", object_type="people.adult")
    assert event.flagged and event.role == "break_glass"


def test_an_opening_is_reviewed_once(world):
    grant = break_glass_open(
        user=world.users[Role.MANAGER], child=world.inside, reason=REASON, minutes=5
    )
    break_glass_review(user=world.users[Role.SUPERVISOR], grant=grant)
    with pytest.raises(ValidationError):
        break_glass_review(user=world.users[Role.SUPERVISOR], grant=grant)


def test_a_nul_in_the_search_is_harmless(world, signed_in):
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("people:child_list"), {"q": "Sz\x00oke"}
    )
    assert response.status_code == 200


def test_a_consent_given_in_the_future_is_refused(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    target = reverse("people:consent_create", args=[world.inside.pk])
    next_month = (timezone.localdate() + timedelta(days=30)).isoformat()
    for given_on, message in [(next_month, "future"), ("9999-12-31", "Enter a date from")]:
        response = client.post(
            target,
            {"purpose": "group_activities", "given_by_other": "the pupil", "given_on": given_on},
        )
        assert response.status_code == 200
        assert message in response.content.decode()


def test_an_administrator_cannot_give_themselves_access_to_children(world, signed_in):
    admin = world.users[Role.ADMIN]
    response = signed_in(admin).post(
        reverse("admin:organisations_membership_add"),
        {
            "user": admin.pk,
            "role": Role.SOCIAL_HELPER,
            "municipality": world.municipality_a.pk,
            "institution": world.school_a1.pk,
            "service": world.service_a.pk,
            "starts_on": "2026-09-01",
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=admin, role=Role.SOCIAL_HELPER).exists()


def test_creating_a_child_audits_its_team_and_enrolment(world, signed_in):
    signed_in(world.users[Role.SOCIAL_HELPER]).post(
        reverse("people:child_create"),
        {
            "family_name": "Új",
            "given_name": "Gyerek",
            "birth_date": "2019-02-03",
            "sex": "female",
            "group": world.class_a1.pk,
        },
    )
    types = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert {"people.child", "people.childteammember", "people.enrolment"} <= types
