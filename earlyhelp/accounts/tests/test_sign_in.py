"""Sign-in as people experience it: password, second factor, lockout, session limits."""

import datetime as dt
import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from earlyhelp.accounts.middleware import SESSION_RENEWED_KEY, SESSION_STARTED_KEY
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


def _password_sign_in(client, user):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})


def _code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def test_a_social_helper_must_enter_a_code_before_any_page(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    assert _password_sign_in(client, helper).status_code == 302
    response = client.get(reverse("people:child_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two_factor"))

    device = helper.totpdevice_set.get()
    response = client.post(
        reverse("accounts:two_factor"), {"token": _code(device), "next": "/children/"}
    )
    assert response.status_code == 302 and response["Location"] == "/children/"
    assert client.get(reverse("people:child_list")).status_code == 200
    assert AuditEvent.objects.filter(action="login", actor_id=helper.pk).exists()


def test_a_wrong_code_is_explained(world, client):
    _password_sign_in(client, world.users[Role.EDUCATOR])
    response = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    assert response.status_code == 200
    assert "not right or has expired" in response.content.decode()


def test_an_analyst_works_with_aggregates_and_needs_no_second_factor(db, client):
    analyst = f.UserFactory()
    f.MembershipFactory(user=analyst, role=Role.ANALYST)
    _password_sign_in(client, analyst)
    assert client.get(reverse("home")).status_code == 200


def test_a_new_user_sets_up_an_authenticator_first(db, client):
    educator = f.UserFactory()
    f.MembershipFactory(user=educator, role=Role.EDUCATOR, institution=f.InstitutionFactory())
    _password_sign_in(client, educator)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:two_factor_setup")
    assert "data:image/svg+xml;base64," in response.content.decode()
    device = educator.totpdevice_set.get(confirmed=False)
    response = client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client):
    helper = world.users[Role.SOCIAL_HELPER]
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": helper.username, "password": "wrong"})
    response = _password_sign_in(client, helper)
    assert response.status_code == 429
    assert "locked for 15 minutes" in response.content.decode()
    assert "a new password lifts the lock on your user name" in response.content.decode()


def test_a_failed_sign_in_keeps_the_user_name(world, client):
    response = client.post(
        reverse("accounts:login"), {"username": "someone.typed", "password": "wrong"}
    )
    assert response.status_code == 200
    assert 'value="someone.typed"' in response.content.decode()


def test_the_session_ends_ten_hours_after_sign_in(world, signed_in, settings):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_activity_renews_the_idle_expiry_at_most_once_a_minute(world, signed_in, settings):
    assert settings.SESSION_COOKIE_AGE == 15 * 60
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    first_expiry = session.expire_date

    # Within the minute, a request writes nothing.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home")).status_code == 200
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]

    # After it, the next request moves the expiry on.
    stale = client.session
    stale[SESSION_RENEWED_KEY] = time.time() - settings.SESSION_RENEW_SECONDS - 1
    stale.save()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=first_expiry - dt.timedelta(minutes=5)
    )
    assert client.get(reverse("home")).status_code == 200
    renewed = Session.objects.get(session_key=stale.session_key).expire_date
    assert renewed > first_expiry - dt.timedelta(minutes=5)
    assert renewed >= timezone.now() + dt.timedelta(minutes=14)


def test_an_idle_session_signs_out(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get(reverse("home")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_pages_carry_a_nonce_based_content_security_policy(world, signed_in):
    response = signed_in(world.users[Role.SOCIAL_HELPER]).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"]


def test_password_reset_sends_a_link(world, client, mailoutbox):
    user = world.users[Role.EDUCATOR]
    client.post(reverse("accounts:password_reset"), {"email": user.email})
    assert len(mailoutbox) == 1
    assert "/accounts/password-reset/" in mailoutbox[0].body


def test_a_failed_sign_in_is_audited(world, client):
    client.post(reverse("accounts:login"), {"username": "educator-a", "password": "nope"})
    client.post(reverse("accounts:login"), {"username": "my-secret-pass", "password": "x"})
    known, unknown = AuditEvent.objects.filter(action="login_failed").order_by("id")
    assert known.object_id == str(world.users[Role.EDUCATOR].pk)
    assert unknown.object_id == "" and "my-secret-pass" not in str(unknown.__dict__)


def test_the_interface_follows_the_users_preferred_language(world, client):
    user = world.users[Role.ANALYST]
    user.preferred_language = "da"
    user.save()
    _password_sign_in(client, user)
    assert client.cookies["django_language"].value == "da"


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_user_name_longer_than_any_account_is_refused_as_a_wrong_sign_in(client, url):
    """It reached the lockout's record (varchar(255)) and failed there on PostgreSQL."""
    response = client.post(url, {"username": "u" * 20_000, "password": "whatever"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
