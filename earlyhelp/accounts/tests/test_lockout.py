"""Lockout behind proxies: whose failures count, against which user name and which address."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from earlyhelp.accounts.client_address import UNKNOWN_ADDRESS, client_address
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
PROXY = "10.0.0.2"


@pytest.fixture
def one_proxy(settings):
    settings.EARLYHELP_PROXY_COUNT = 1


def _sign_in(client, username, password, forwarded=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **headers
    )


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        # No proxy: the header is the client's own text and is ignored.
        (0, "198.51.100.7", "203.0.113.9", "203.0.113.9"),
        # One proxy, which wrote the one entry.
        (1, "198.51.100.7", PROXY, "198.51.100.7"),
        # The left-hand entry is whatever the client sent; our proxy wrote the right-hand one.
        (1, "192.0.2.66, 198.51.100.7", PROXY, "198.51.100.7"),
        (1, "192.0.2.66,198.51.100.7:51234", PROXY, "198.51.100.7"),
        # Two proxies: the outer wrote the client, the inner wrote the outer.
        (2, "192.0.2.66, 198.51.100.7, 10.0.0.1", PROXY, "198.51.100.7"),
        (1, "[2001:db8::7]:443", PROXY, "2001:db8::7"),
        # Missing, too short or garbage: the address that reached us.
        (1, None, PROXY, PROXY),
        (1, "", PROXY, PROXY),
        (2, "198.51.100.7", PROXY, PROXY),
        (1, "unknown", PROXY, PROXY),
        # Never empty.
        (1, None, "", UNKNOWN_ADDRESS),
    ],
)
def test_the_client_address_is_what_the_outermost_trusted_proxy_saw(
    rf, settings, proxies, forwarded, remote, expected
):
    settings.EARLYHELP_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_address(rf.get("/", **meta)) == expected


def test_failures_of_different_people_do_not_lock_out_a_third(client, one_proxy):
    """The finding: six wrong passwords for six users, each from their own address, with one
    address (or none) in X-Forwarded-For, locked out a seventh user with the right password."""
    for number in range(6):
        _sign_in(client, f"someone{number}", "wrong", forwarded=f"198.51.100.{number + 1}")
    _sign_in(client, "someone6", "wrong")  # no header at all
    user = f.UserFactory()
    response = _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.50")
    assert response.status_code == 302
    assert AccessAttempt.objects.filter(ip_address__isnull=True).count() == 0


def test_the_address_the_client_chose_is_not_counted(client, one_proxy):
    _sign_in(client, "someone", "wrong", forwarded="192.0.2.66, 198.51.100.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.7"]


def test_five_failures_from_elsewhere_do_not_lock_the_owner_out(client, one_proxy):
    """The finding: five wrong passwords from anywhere locked the on-call supervisor out."""
    user = f.UserFactory()
    for _ in range(5):
        _sign_in(client, user.username, "wrong", forwarded="203.0.113.66")
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.9").status_code == 302


def test_five_failures_from_one_address_lock_the_user_name_there(client, one_proxy):
    user = f.UserFactory()
    for _ in range(5):
        _sign_in(client, user.username, "wrong", forwarded="198.51.100.7")
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.7").status_code == 429
    # Someone else, from the address that guessed, still signs in.
    other = f.UserFactory()
    assert _sign_in(client, other.username, PASSWORD, forwarded="198.51.100.7").status_code == 302


def test_thirty_failures_from_anywhere_lock_the_user_name_everywhere(client, one_proxy):
    """Guessing spread over many addresses is still stopped."""
    user = f.UserFactory()
    for number in range(29):
        _sign_in(client, user.username, "wrong", forwarded=f"203.0.113.{number + 1}")
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.9").status_code == 302
    client.logout()
    for number in range(30):
        _sign_in(client, user.username, "wrong", forwarded=f"203.0.113.{number + 1}")
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.9").status_code == 429


def test_a_failure_during_a_lockout_does_not_extend_it(client, one_proxy):
    """The finding: each failure during a lockout restarted the 15 minutes, so one wrong
    password every quarter of an hour kept an account locked for ever."""
    user = f.UserFactory()
    for _ in range(5):
        _sign_in(client, user.username, "wrong", forwarded="198.51.100.7")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert _sign_in(client, user.username, "wrong", forwarded="198.51.100.7").status_code == 429
    # Two minutes on, the lock taken 16 minutes ago is over.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - dt.timedelta(minutes=2))
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.7").status_code == 302


def test_an_address_is_locked_after_twenty_failures_on_any_names(client, one_proxy):
    for number in range(19):
        _sign_in(client, f"guess{number}", "wrong", forwarded="198.51.100.7")
    user = f.UserFactory()
    # Nineteen typing mistakes of a school's staff do not stop a colleague...
    assert _sign_in(client, user.username, PASSWORD, forwarded="198.51.100.7").status_code == 302
    client.logout()
    _sign_in(client, "guess19", "wrong", forwarded="198.51.100.7")
    # ...the twentieth stops every name from that address, and no other address.
    other = f.UserFactory()
    assert _sign_in(client, other.username, PASSWORD, forwarded="198.51.100.7").status_code == 429
    assert _sign_in(client, other.username, PASSWORD, forwarded="198.51.100.8").status_code == 302


def test_signing_in_to_ones_own_account_keeps_the_count_against_another(client, one_proxy):
    """A successful sign-in clears its own user name's failures, never the address's: else
    anyone with an account could guess at a colleague's password without end."""
    own, target = f.UserFactory(), f.UserFactory()
    for _ in range(4):
        _sign_in(client, target.username, "wrong", forwarded="198.51.100.7")
    assert _sign_in(client, own.username, PASSWORD, forwarded="198.51.100.7").status_code == 302
    client.logout()
    _sign_in(client, target.username, "wrong", forwarded="198.51.100.7")
    assert _sign_in(client, target.username, PASSWORD, forwarded="198.51.100.7").status_code == 429
