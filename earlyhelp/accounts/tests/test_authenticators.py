"""Adding or removing an authenticator needs the password and a current code; the first one
at first sign-in stays as it was. Each is audited."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.twofactor import pending_device
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.tests.factories import TOTPDeviceFactory, UserFactory
from earlyhelp.tests.personas import sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_second_authenticator_without_password_or_code_is_refused(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    sign_in(client, helper)
    # The first-sign-in page no longer adds one to an account that has one.
    assert client.get(reverse("accounts:two_factor_setup")).status_code == 302
    client.get(reverse("accounts:device_add"))
    new = pending_device(helper)
    response = client.post(
        reverse("accounts:device_add"),
        {"password": "wrong-password", "code": "000000", "new_code": code(new)},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"password", "code"}
    assert TOTPDevice.objects.filter(user=helper, confirmed=True).count() == 1


def test_a_second_authenticator_with_password_and_code_is_added_and_audited(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    existing = helper.totpdevice_set.get()
    sign_in(client, helper)
    client.get(reverse("accounts:device_add"))
    new = pending_device(helper)
    response = client.post(
        reverse("accounts:device_add"),
        {"password": PASSWORD, "code": code(existing), "new_code": code(new)},
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=helper, confirmed=True).count() == 2
    assert AuditEvent.objects.filter(
        actor_id=helper.pk, action="create", purpose="authenticator added"
    ).exists()

    # Removing one needs the same proof.
    refused = client.post(
        reverse("accounts:device_remove", args=[existing.pk]), {"password": "x", "code": "1"}
    )
    assert refused.status_code == 200 and TOTPDevice.objects.filter(pk=existing.pk).exists()
    new.refresh_from_db()
    new.last_t = -1
    new.save()
    done = client.post(
        reverse("accounts:device_remove", args=[existing.pk]),
        {"password": PASSWORD, "code": code(new)},
    )
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(pk=existing.pk).exists()
    assert AuditEvent.objects.filter(purpose="authenticator removed").exists()


def test_the_only_authenticator_stays(world, client):
    educator = world.users[Role.EDUCATOR]
    device = educator.totpdevice_set.get()
    sign_in(client, educator)
    response = client.post(
        reverse("accounts:device_remove", args=[device.pk]),
        {"password": PASSWORD, "code": code(device)},
    )
    assert response.status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_another_persons_authenticator_is_not_found(world, client):
    sign_in(client, world.users[Role.SOCIAL_HELPER])
    other = world.users[Role.EDUCATOR].totpdevice_set.get()
    assert client.get(reverse("accounts:device_remove", args=[other.pk])).status_code == 404


def test_the_first_authenticator_is_set_up_at_first_sign_in_and_audited(world, client):
    newcomer = UserFactory(municipality=world.municipality_a)
    client.force_login(newcomer)
    client.get(reverse("accounts:two_factor_setup"))
    device = pending_device(newcomer)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": code(device)})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(
        actor_id=newcomer.pk, purpose="authenticator set up at first sign-in"
    ).exists()


def test_recovery_needs_a_second_person(world, capsys):
    from django.core.management import CommandError, call_command

    helper = world.users[Role.SOCIAL_HELPER]
    admin = world.users[Role.ADMIN]
    with pytest.raises(CommandError):
        call_command(
            "twofactor_reset",
            helper.username,
            requested_by=admin.username,
            confirmed_by=admin.username,
            reason="Lost her phone; identity checked in person.",
        )
    assert helper.totpdevice_set.exists()
    call_command(
        "twofactor_reset",
        helper.username,
        requested_by=admin.username,
        confirmed_by=world.users[Role.SUPERVISOR].username,
        reason="Lost her phone; identity checked in person.",
    )
    helper.refresh_from_db()
    assert not helper.totpdevice_set.exists() and not helper.has_usable_password()
    assert AuditEvent.objects.filter(
        purpose__startswith="authenticators reset", flagged=True
    ).exists()
    # An unrelated device stays.
    assert TOTPDeviceFactory(user=UserFactory()).pk
