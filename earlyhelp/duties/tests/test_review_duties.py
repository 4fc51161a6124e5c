"""Break-glass openings wait for a supervisor's review; a membership asked for waits for its
approvers; done, the duty is gone."""

import pytest

from earlyhelp.access.services import break_glass_open, break_glass_review
from earlyhelp.duties.models import Duty
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.organisations.services import membership_approve, membership_save
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_break_glass_opening_waits_for_the_supervisors_review(world):
    manager, supervisor = world.users[Role.MANAGER], world.users[Role.SUPERVISOR]
    grant = break_glass_open(
        user=manager, child=world.inside, reason="A call from the hospital at night.", minutes=30
    )
    duty = Duty.objects.get(owner=supervisor)
    assert duty.kind == "break_glass_review" and duty.target_id == grant.pk
    assert not Duty.objects.filter(owner=manager).exists()
    assert not Duty.objects.filter(owner=world.outsiders[Role.SUPERVISOR]).exists()
    break_glass_review(user=supervisor, grant=grant)
    assert not Duty.objects.filter(owner=supervisor).exists()


def test_a_membership_asked_for_waits_for_its_approvers(world):
    admin, supervisor = world.users[Role.ADMIN], world.users[Role.SUPERVISOR]
    newcomer = f.UserFactory(username="newcomer", municipality=world.municipality_a)
    membership = membership_save(
        membership=Membership(
            user=newcomer,
            role=Role.CASE_WORKER,
            municipality=world.municipality_a,
            service=world.service_a,
        ),
        actor=admin,
    )
    assert membership.approval == "pending"
    assert list(Duty.objects.filter(owner=supervisor).values_list("kind", flat=True)) == [
        "membership_approve"
    ]
    assert not Duty.objects.filter(owner=admin).exists()  # who asked never decides
    membership_approve(membership=membership, user=supervisor)
    assert not Duty.objects.filter(kind="membership_approve").exists()
