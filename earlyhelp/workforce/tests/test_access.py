"""Who sees and keeps a staff record: the staff member sees their own, their supervisor and
the administrator of their municipality see and change it, everyone else gets 404."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.tests import factories as f
from earlyhelp.workforce.access import profile_candidates
from earlyhelp.workforce.models import StaffProfile
from earlyhelp.workforce.tests.builders import helper_profile, profile_of

pytestmark = pytest.mark.django_db


def test_the_staff_member_sees_their_profile_but_does_not_change_it(world, signed_in):
    profile = helper_profile(world, True)
    helper = world.users[Role.SOCIAL_HELPER]
    client = signed_in(helper)
    assert client.get(reverse("workforce:me")).status_code == 200
    assert client.get(reverse("workforce:staff", args=[profile.pk])).status_code == 200
    assert client.get(reverse("workforce:staff_edit", args=[profile.pk])).status_code == 403
    assert not can(helper, Action.CHANGE, profile)


def test_their_supervisor_and_the_administrator_see_and_change_it(world, signed_in):
    profile = helper_profile(world, True)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        client = signed_in(world.users[role])
        assert client.get(reverse("workforce:staff", args=[profile.pk])).status_code == 200
        assert client.get(reverse("workforce:staff_edit", args=[profile.pk])).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.CASE_WORKER, Role.MANAGER, Role.ANALYST]
)
def test_nobody_else_of_the_municipality_finds_it(world, signed_in, role):
    profile = helper_profile(world, True)
    page = signed_in(world.users[role]).get(reverse("workforce:staff", args=[profile.pk]))
    assert page.status_code == 404


def test_a_supervisor_and_an_administrator_elsewhere_find_nothing(world, signed_in):
    profile = helper_profile(world, True)
    for role in (Role.SUPERVISOR, Role.ADMIN):
        page = signed_in(world.outsiders[role]).get(reverse("workforce:staff", args=[profile.pk]))
        assert page.status_code == 404


def test_a_supervisor_of_another_service_of_the_same_municipality_finds_nothing(world, signed_in):
    other = f.ServiceFactory(municipality=world.municipality_a)
    supervisor = f.UserFactory(username="supervisor-other", municipality=world.municipality_a)
    f.TOTPDeviceFactory(user=supervisor)
    f.MembershipFactory(
        user=supervisor, role=Role.SUPERVISOR, municipality=world.municipality_a, service=other
    )
    profile = helper_profile(world, True)
    page = signed_in(supervisor).get(reverse("workforce:staff", args=[profile.pk]))
    assert page.status_code == 404


def test_a_supervisor_no_longer_supervises_a_worker_whose_membership_ended(world):
    profile = helper_profile(world, True)
    supervisor = world.users[Role.SUPERVISOR]
    Membership.objects.filter(user=profile.user).update(
        starts_on=date(2019, 1, 1), ends_on=date(2020, 1, 1)
    )
    assert not visible(supervisor, StaffProfile.objects.filter(pk=profile.pk)).exists()


def test_nobody_keeps_their_own_record(world):
    supervisor = world.users[Role.SUPERVISOR]
    own = profile_of(supervisor)
    assert can(supervisor, Action.VIEW, own)
    assert not can(supervisor, Action.CHANGE, own)
    # The administrator of A keeps the supervisor's record.
    assert can(world.users[Role.ADMIN], Action.CHANGE, own)


def test_a_supervisor_starts_profiles_for_their_workers_only(world):
    candidates = set(profile_candidates(world.users[Role.SUPERVISOR]))
    assert candidates == {world.users[Role.SOCIAL_HELPER], world.users[Role.CASE_WORKER]}
    admin_candidates = set(profile_candidates(world.users[Role.ADMIN]))
    assert world.users[Role.EDUCATOR] in admin_candidates
    assert world.outsiders[Role.SOCIAL_HELPER] not in admin_candidates
    assert world.users[Role.ADMIN] not in admin_candidates


def test_the_navigation_offers_the_pages_the_policy_allows(world, signed_in):
    keeper = signed_in(world.users[Role.SUPERVISOR]).get(reverse("home")).content.decode()
    assert reverse("workforce:staff_list") in keeper
    helper = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("home")).content.decode()
    assert 'href="/workforce/me/"' in helper and 'href="/workforce/"' not in helper
    manager = signed_in(world.users[Role.MANAGER]).get(reverse("home")).content.decode()
    # A manager reaches the coverage of institutions, nothing of the staff records.
    assert 'href="/workforce/coverage/"' in manager
    assert 'href="/workforce/"' not in manager and 'href="/workforce/me/"' not in manager
