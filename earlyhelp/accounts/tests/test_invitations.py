"""An administrator never knows a working password: a new account gets none, and its owner
chooses one through a link that works once and expires."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse

from earlyhelp.accounts.invitations import invitation_tokens
from earlyhelp.accounts.models import User
from earlyhelp.audit.models import AuditEvent
from earlyhelp.notifications.services import send_outbox
from earlyhelp.organisations.models import Role
from earlyhelp.tests.personas import sign_in

pytestmark = pytest.mark.django_db


def _create_account(client, world):
    sign_in(client, world.users[Role.ADMIN])
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new.helper",
            "email": "new.helper@example.org",
            "municipality": world.municipality_a.pk,
            # Ignored: the administrator's form has no password.
            "password1": "chosen-by-the-admin-2026",
            "password2": "chosen-by-the-admin-2026",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    client.logout()
    return User.objects.get(username="new.helper")


def _link_from_mail() -> str:
    send_outbox()
    body = mail.outbox[-1].body
    return next(line for line in body.splitlines() if "/accounts/welcome/" in line)


def test_the_new_owner_chooses_their_password_through_a_link_that_works_once(world, client):
    user = _create_account(client, world)
    assert not user.has_usable_password()
    assert not user.check_password("chosen-by-the-admin-2026")
    link = _link_from_mail()
    assert mail.outbox[-1].to == ["new.helper@example.org"]
    path = link.split("127.0.0.1:8000", 1)[-1]

    page = client.get(path)
    assert page.status_code == 200 and page.context["validlink"]
    response = client.post(
        path, {"new_password1": "my-own-secret-2026!", "new_password2": "my-own-secret-2026!"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("my-own-secret-2026!")

    # Used once: the link no longer works.
    again = client.get(path)
    assert again.status_code == 200 and not again.context["validlink"]

    purposes = set(
        AuditEvent.objects.filter(object_type="accounts.user", object_id=str(user.pk)).values_list(
            "purpose", flat=True
        )
    )
    assert {"invitation sent", "password set from invitation"} <= purposes


def test_the_link_expires(world, client, settings):
    settings.EARLYHELP_INVITATION_HOURS = 72
    user = _create_account(client, world)
    token = invitation_tokens.make_token(user)
    assert invitation_tokens.check_token(user, token)
    later = invitation_tokens._now() + timedelta(hours=73)
    with mock.patch.object(invitation_tokens, "_now", return_value=later):
        assert not invitation_tokens.check_token(user, token)


def test_an_administrator_cannot_set_a_password(world, client):
    sign_in(client, world.users[Role.ADMIN])
    educator = world.users[Role.EDUCATOR]
    url = reverse("admin:auth_user_password_change", args=[educator.pk])
    assert client.get(url).status_code == 403
    response = client.post(url, {"password1": "taken-over-2026!", "password2": "taken-over-2026!"})
    assert response.status_code == 403
    educator.refresh_from_db()
    assert not educator.check_password("taken-over-2026!")
    change = client.get(reverse("admin:accounts_user_change", args=[educator.pk]))
    assert b"/password/" not in change.content


def test_a_superuser_keeps_djangos_tools(world, client):
    from earlyhelp.tests.factories import TOTPDeviceFactory, UserFactory

    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    TOTPDeviceFactory(user=root)
    sign_in(client, root)
    url = reverse("admin:auth_user_password_change", args=[world.users[Role.EDUCATOR].pk])
    assert client.get(url).status_code == 200
