"""Administrators manage their own municipality's organisation tree and nothing else."""

import pytest
from django.urls import reverse

from earlyhelp.organisations.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db


def test_an_administrator_lists_only_their_municipalitys_institutions(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.get(reverse("admin:organisations_institution_changelist"))
    shown = set(response.context["cl"].queryset.values_list("name", flat=True))
    assert shown == {"A1 Általános Iskola", "A2 Általános Iskola"}


def test_an_administrator_cannot_attach_a_unit_of_another_municipality(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:organisations_group_add"),
        {"institution": world.school_b1.pk, "name": "9.z", "school_year": "2026/2027"},
    )
    assert response.status_code == 200
    assert "institution" in response.context["adminform"].form.errors
    assert not world.school_b1.groups.filter(name="9.z").exists()


def test_an_administrator_adds_a_membership_with_dates(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    newcomer = world.users[Role.ANALYST]
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {
            "user": newcomer.pk,
            "role": Role.EDUCATOR,
            "municipality": world.municipality_a.pk,
            "institution": world.school_a2.pk,
            "group": world.class_a2.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2027-06-30",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Membership.objects.filter(user=newcomer, role=Role.EDUCATOR).exists()


def test_a_membership_ending_before_it_starts_is_refused(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {
            "user": world.users[Role.ANALYST].pk,
            "role": Role.MANAGER,
            "municipality": world.municipality_a.pk,
            "starts_on": "2026-09-01",
            "ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(role=Role.MANAGER, ends_on="2026-01-01").exists()


def test_a_social_helper_membership_needs_an_institution_and_a_service(world, signed_in):
    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {
            "user": world.users[Role.ANALYST].pk,
            "role": Role.SOCIAL_HELPER,
            "municipality": world.municipality_a.pk,
            "starts_on": "2026-09-01",
        },
    )
    errors = response.context["adminform"].form.errors
    assert "institution" in errors and "service" in errors


def test_other_roles_are_sent_to_the_admin_sign_in(world, signed_in):
    for role in (Role.MANAGER, Role.SOCIAL_HELPER):
        response = signed_in(world.users[role]).get(reverse("admin:index"))
        assert response.status_code == 302
    assert Institution.objects.count() == 3


def test_an_administrator_cannot_reach_accounts_of_another_municipality(world, signed_in):
    from earlyhelp.tests.factories import UserFactory

    boss = UserFactory(username="root", is_superuser=True)
    client = signed_in(world.users[Role.ADMIN])
    outsider = world.outsiders[Role.ADMIN]
    # A membership in A does not hand B's administrator over to A's administrator.
    Membership.objects.create(
        user=outsider,
        role=Role.EDUCATOR,
        municipality=world.municipality_a,
        institution=world.school_a1,
    )
    for user in (outsider, boss):
        response = client.get(reverse("admin:auth_user_password_change", args=[user.pk]))
        assert response.status_code == 404


def test_an_account_created_by_an_administrator_belongs_to_their_municipality(world, signed_in):
    from earlyhelp.accounts.models import User

    client = signed_in(world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new.educator",
            "email": "new.educator@example.org",
            "municipality": world.municipality_a.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert User.objects.get(username="new.educator").municipality == world.municipality_a
