"""Memberships that reach children need a second person: the story of the tester's finding.
An administrator makes an account and gives it a social-helper membership; it grants nothing
until another administrator or the service's supervisor approves it, and never on the
requester's own word."""

import pytest
from django.urls import reverse

from earlyhelp.access.policy import visible
from earlyhelp.accounts.access import needs_two_factor
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.access import may_approve, needs_approval
from earlyhelp.organisations.models import Approval, Membership, Role
from earlyhelp.people.models import Child
from earlyhelp.tests import factories as f
from earlyhelp.tests.personas import sign_in

pytestmark = pytest.mark.django_db


def _ask_for_social_helper(client, world, holder):
    return client.post(
        reverse("admin:organisations_membership_add"),
        {
            "user": holder.pk,
            "role": Role.SOCIAL_HELPER,
            "municipality": world.municipality_a.pk,
            "institution": world.school_a1.pk,
            "service": world.service_a.pk,
            "starts_on": "2025-09-01",
        },
    )


def _children_seen_by(user):
    user = type(user).objects.get(pk=user.pk)  # a fresh scope
    return set(visible(user, Child.objects.all()).values_list("given_name", flat=True))


@pytest.fixture
def newcomer(world):
    return f.UserFactory(username="new.helper", municipality=world.municipality_a)


def test_an_administrators_request_grants_nothing_until_the_supervisor_approves(
    world, client, newcomer
):
    admin = world.users[Role.ADMIN]
    sign_in(client, admin)
    response = _ask_for_social_helper(client, world, newcomer)
    assert response.status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert membership.approval == Approval.PENDING
    assert membership.requested_by == admin
    assert _children_seen_by(newcomer) == set()
    assert not needs_two_factor(type(newcomer).objects.get(pk=newcomer.pk))

    # The administrator sees the request on the page but cannot approve it.
    page = client.get(reverse("organisations:approvals"))
    assert page.status_code == 200 and b"new.helper" in page.content
    denied = client.post(reverse("organisations:approval_approve", args=[membership.pk]))
    assert denied.status_code == 403
    assert Membership.objects.get(pk=membership.pk).approval == Approval.PENDING

    # The supervisor of the service approves it; from now on it grants its role.
    client.logout()
    supervisor = world.users[Role.SUPERVISOR]
    sign_in(client, supervisor)
    response = client.post(
        reverse("organisations:approval_approve", args=[membership.pk]),
        {"requested_at": membership.requested_at.isoformat()},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.approval == Approval.APPROVED and membership.decided_by == supervisor
    assert _children_seen_by(newcomer) == {"Bence"}

    purposes = list(
        AuditEvent.objects.filter(
            object_type="organisations.membership", object_id=str(membership.pk)
        ).values_list("actor_name", "purpose")
    )
    assert (admin.username, "membership approval requested") in purposes
    assert (supervisor.username, "membership approved") in purposes


def test_a_second_administrator_of_the_municipality_may_approve(world, newcomer):
    admin = world.users[Role.ADMIN]
    second = f.UserFactory(municipality=world.municipality_a)
    f.MembershipFactory(user=second, role=Role.ADMIN, municipality=world.municipality_a)
    membership = f.MembershipFactory(
        user=newcomer,
        role=Role.EDUCATOR,
        municipality=world.municipality_a,
        institution=world.school_a1,
        approval=Approval.PENDING,
        requested_by=admin,
    )
    assert may_approve(second, membership)
    assert not may_approve(admin, membership)
    # Nobody else: B's administrator, A's manager, the supervisor (an educator's membership
    # has no service), nor the holder.
    for user in (
        world.outsiders[Role.ADMIN],
        world.users[Role.MANAGER],
        world.users[Role.SUPERVISOR],
        newcomer,
    ):
        assert not may_approve(user, membership)


def test_a_refused_membership_grants_nothing_and_is_audited(world, client, newcomer):
    sign_in(client, world.users[Role.ADMIN])
    _ask_for_social_helper(client, world, newcomer)
    membership = Membership.objects.get(user=newcomer)
    client.logout()
    sign_in(client, world.users[Role.SUPERVISOR])
    client.post(reverse("organisations:approval_refuse", args=[membership.pk]))
    membership.refresh_from_db()
    assert membership.approval == Approval.REFUSED
    assert _children_seen_by(newcomer) == set()
    assert AuditEvent.objects.filter(
        purpose="membership refused", object_id=str(membership.pk)
    ).exists()
    # Decided once: a second decision finds nothing pending.
    again = client.post(reverse("organisations:approval_approve", args=[membership.pk]))
    assert again.status_code == 404


def test_widening_an_approved_membership_asks_again(world, client):
    educator = world.users[Role.EDUCATOR]
    membership = educator.memberships.get()
    sign_in(client, world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:organisations_membership_change", args=[membership.pk]),
        {
            "role": Role.EDUCATOR,
            "municipality": world.municipality_a.pk,
            "institution": world.school_a1.pk,
            "group": "",  # the whole school instead of class 1.a
            "starts_on": "2025-09-01",
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.approval == Approval.PENDING
    assert _children_seen_by(educator) == set()


def test_what_needs_approval():
    def m(**kw):
        base = {"role": Role.EDUCATOR, "municipality_id": 1, "institution_id": 1, "group_id": 2}
        return Membership(approval=Approval.APPROVED, **{**base, **kw})

    assert needs_approval(None, m())
    assert needs_approval(None, m(role=Role.ADMIN))
    assert not needs_approval(None, m(role=Role.ANALYST))
    assert needs_approval(m(), m(group_id=None))
    assert needs_approval(m(), m(group_id=3))
    assert needs_approval(m(), m(role=Role.SOCIAL_HELPER))
    assert not needs_approval(m(group_id=None), m(group_id=2))  # narrower
    assert not needs_approval(m(), m())


def test_the_admin_shows_who_asked(world, client, newcomer):
    sign_in(client, world.users[Role.ADMIN])
    _ask_for_social_helper(client, world, newcomer)
    page = client.get(reverse("admin:organisations_membership_changelist") + "?approval=pending")
    assert page.status_code == 200
    rows = page.context["cl"].result_list
    assert [(row.user, row.requested_by) for row in rows] == [(newcomer, world.users[Role.ADMIN])]
    assert b"awaiting approval" in page.content


def test_an_administrator_cannot_approve_through_the_admin_form(world, client, newcomer):
    sign_in(client, world.users[Role.ADMIN])
    _ask_for_social_helper(client, world, newcomer)
    membership = Membership.objects.get(user=newcomer)
    client.post(
        reverse("admin:organisations_membership_change", args=[membership.pk]),
        {
            "role": Role.SOCIAL_HELPER,
            "municipality": world.municipality_a.pk,
            "institution": world.school_a1.pk,
            "service": world.service_a.pk,
            "starts_on": "2025-09-01",
            "approval": Approval.APPROVED,
        },
    )
    membership.refresh_from_db()
    assert membership.approval == Approval.PENDING


@pytest.mark.parametrize("typed", ["2026-02-31T10:00:00", "9999-12-31T23:59:59+14:00"])
def test_an_impossible_request_time_is_refused_as_a_change(world, client, newcomer, typed):
    sign_in(client, world.users[Role.ADMIN])
    _ask_for_social_helper(client, world, newcomer)
    membership = Membership.objects.get(user=newcomer)
    client.logout()
    sign_in(client, world.users[Role.SUPERVISOR])
    response = client.post(
        reverse("organisations:approval_approve", args=[membership.pk]),
        {"requested_at": typed},
        follow=True,
    )
    assert response.status_code == 200
    assert "changed after you opened the page" in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).approval == Approval.PENDING
