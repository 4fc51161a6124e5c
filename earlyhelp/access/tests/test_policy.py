"""The policy's answers told as stories about the personas of earlyhelp.tests.personas."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, forget_scope, granting_path, visible
from earlyhelp.access.services import break_glass_open, break_glass_review
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult, Child, Consent
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


def names(user, action=Action.VIEW):
    return set(visible(user, Child.objects.all(), action).values_list("given_name", flat=True))


def test_an_educator_sees_the_children_of_their_own_class_only(world):
    assert names(world.users[Role.EDUCATOR]) == {"Bence"}
    assert names(world.users[Role.EDUCATOR], Action.VIEW_DETAILS) == set()


def test_an_educator_loses_a_child_who_left_the_class(world):
    enrolment = world.inside.enrolments.get()
    enrolment.ends_on = timezone.localdate() - timezone.timedelta(days=1)
    enrolment.save()
    assert names(world.users[Role.EDUCATOR]) == set()


def test_the_social_helper_sees_their_assigned_institutions(world):
    helper = world.users[Role.SOCIAL_HELPER]
    assert names(helper) == {"Bence"}
    f.MembershipFactory(
        user=helper,
        role=Role.SOCIAL_HELPER,
        municipality=world.municipality_a,
        institution=world.school_a2,
        service=world.service_a,
    )
    forget_scope(helper)
    assert names(helper) == {"Bence", "Máté"}


def test_a_restricted_record_is_seen_by_its_named_team_only(world):
    assert "Luca" not in names(world.users[Role.SOCIAL_HELPER])
    assert "Luca" not in names(world.users[Role.SUPERVISOR])
    assert "Luca" not in names(world.users[Role.EDUCATOR])
    assert "Luca" in names(world.users[Role.CASE_WORKER])
    assert granting_path(world.users[Role.CASE_WORKER], Action.VIEW, world.secret) == "team"


def test_the_supervisor_sees_everything_of_their_team(world):
    # The social helper's institution and the case worker's team children, not restricted.
    assert names(world.users[Role.SUPERVISOR]) == {"Bence"}
    assert can(world.users[Role.SUPERVISOR], Action.CHANGE, world.inside)
    assert names(world.outsiders[Role.SUPERVISOR]) == {"Jiří"}


def test_managers_analysts_and_admins_see_no_child_by_default(world):
    for role in (Role.MANAGER, Role.ANALYST, Role.ADMIN):
        assert names(world.users[role]) == set()
        assert not can(world.users[role], Action.LIST, Child)


def test_adults_and_consents_follow_the_child(world):
    helper = world.users[Role.SOCIAL_HELPER]
    assert list(visible(helper, Adult.objects.all())) == [world.parent_inside]
    assert list(visible(helper, Consent.objects.all())) == [world.consent_inside]
    assert not visible(world.users[Role.EDUCATOR], Adult.objects.all()).exists()


def test_break_glass_opens_one_record_for_a_limited_time_and_is_audited(world):
    manager = world.users[Role.MANAGER]
    grant = break_glass_open(
        user=manager,
        child=world.inside,
        reason="The police called about this child now.",
        minutes=30,
    )
    assert names(manager) == {"Bence"}
    assert names(manager, Action.VIEW_DETAILS) == {"Bence"}
    assert not can(manager, Action.CHANGE, world.inside)
    assert granting_path(manager, Action.VIEW, world.inside) == "break_glass"
    event = AuditEvent.objects.get(action="break_glass")
    assert event.flagged and event.purpose.startswith("The police")

    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    del manager._earlyhelp_scope
    assert names(manager) == set()


@pytest.mark.parametrize(
    ("reason", "minutes"), [("too short", 30), ("A long enough reason for the record.", 61)]
)
def test_break_glass_needs_a_reason_and_at_most_an_hour(world, reason, minutes):
    with pytest.raises(ValidationError):
        break_glass_open(
            user=world.users[Role.MANAGER], child=world.inside, reason=reason, minutes=minutes
        )


def test_break_glass_is_for_managers_and_admins_of_the_childs_municipality(world):
    reason = "A long enough reason for the record."
    with pytest.raises(PermissionDenied):
        break_glass_open(
            user=world.users[Role.ANALYST], child=world.inside, reason=reason, minutes=5
        )
    with pytest.raises(PermissionDenied):
        break_glass_open(
            user=world.outsiders[Role.MANAGER], child=world.inside, reason=reason, minutes=5
        )


def test_a_supervisor_reviews_a_break_glass_opening(world):
    grant = break_glass_open(
        user=world.users[Role.ADMIN],
        child=world.inside,
        reason="A long enough reason for it.",
        minutes=5,
    )
    with pytest.raises(PermissionDenied):
        break_glass_review(user=world.users[Role.ADMIN], grant=grant)
    break_glass_review(user=world.users[Role.SUPERVISOR], grant=grant)
    grant.refresh_from_db()
    assert grant.reviewed_by == world.users[Role.SUPERVISOR]


def test_supervisors_see_how_many_openings_await_review(world, signed_in):
    break_glass_open(
        user=world.users[Role.MANAGER],
        child=world.inside,
        reason="A long enough reason for the record.",
        minutes=5,
    )
    response = signed_in(world.users[Role.SUPERVISOR]).get("/")
    assert "Break-glass log (1 to review)" in response.content.decode()


def test_changes_in_the_administration_are_audited(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    client.post(
        "/admin/organisations/group/add/",
        {"institution": world.school_a1.pk, "name": "8.c", "school_year": "2026/2027"},
    )
    event = AuditEvent.objects.get(object_type="organisations.group", action="create")
    assert event.actor_id == world.users[Role.ADMIN].pk
    assert event.purpose == "administration"


def test_leaving_the_job_ends_access_through_the_team(world):
    case_worker = world.users[Role.CASE_WORKER]
    case_worker.memberships.update(ends_on=timezone.localdate() - timezone.timedelta(days=1))
    assert names(type(case_worker).objects.get(pk=case_worker.pk)) == set()


def test_a_manager_can_close_break_glass_early(world):
    from earlyhelp.access.services import break_glass_end

    manager = world.users[Role.MANAGER]
    grant = break_glass_open(
        user=manager, child=world.inside, reason="A long enough reason for it.", minutes=30
    )
    break_glass_end(user=manager, grant=grant)
    assert names(manager) == set()


def test_a_user_object_kept_longer_than_a_request_loses_a_child_when_the_grant_ends(world):
    """Scopes are built once per user object, except break-glass, which ends at a moment."""
    manager = world.users[Role.MANAGER]
    grant = BreakGlassGrant.objects.create(
        user=manager,
        role=Role.MANAGER,
        municipality=world.inside.municipality,
        child=world.inside,
        reason="A test of the end of a break-glass opening.",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )
    assert can(manager, Action.VIEW, world.inside)
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    assert not can(manager, Action.VIEW, world.inside)


def test_the_list_form_of_every_path_reaches_the_same_children(world):
    """`visible_children` (a list's form of the scope) and `visible` (a record's) must agree
    for every role, action and path: team, institutions, groups, supervision, break-glass."""
    from earlyhelp.people.access import CHILD_RULES, visible_children

    manager = world.users[Role.MANAGER]
    BreakGlassGrant.objects.create(
        user=manager,
        role=Role.MANAGER,
        municipality=world.municipality_a,
        child=world.elsewhere,
        reason="A test of the list form of a break-glass opening.",
        expires_at=timezone.now() + timezone.timedelta(minutes=30),
    )
    group_educator = f.UserFactory()
    f.MembershipFactory(
        user=group_educator,
        role=Role.EDUCATOR,
        municipality=world.municipality_a,
        institution=world.school_a1,
        group=world.class_a1,
    )
    commuter = f.ChildFactory(municipality=world.municipality_b)
    f.EnrolmentFactory(group=world.class_a1, child=commuter)
    world.abroad.team_members.create(user=world.users[Role.CASE_WORKER])
    users = [*world.users.values(), *world.outsiders.values(), group_educator]
    reached = set()
    for user in users:
        for action in CHILD_RULES:
            by_list = {
                pk
                for part in visible_children(user, action)
                for pk in part.values_list("pk", flat=True)
            }
            by_record = set(visible(user, Child.objects.all(), action).values_list("pk", flat=True))
            assert by_list == by_record, (user.username, action)
            reached |= by_list
    assert {world.inside.pk, world.secret.pk, world.elsewhere.pk, commuter.pk} <= reached
