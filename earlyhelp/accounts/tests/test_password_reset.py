"""Password reset: it ends a lockout, it is rate-limited, and it tells nobody which addresses
belong to accounts."""

import datetime as dt

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from earlyhelp.accounts.models import PasswordResetSlot
from earlyhelp.audit.models import AuditEvent
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"
NEW_PASSWORD = "a-brand-new-password-for-spring"


def _ask(client, email, address="198.51.100.7"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def _sign_in(client, user, password):
    return client.post(reverse("accounts:login"), {"username": user.username, "password": password})


def test_a_completed_reset_ends_the_lockout(client):
    user = f.UserFactory()
    for _ in range(5):
        _sign_in(client, user, "wrong")
    assert _sign_in(client, user, PASSWORD).status_code == 429

    link = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert _sign_in(client, user, NEW_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(
        action="change", object_id=str(user.pk), purpose="password reset"
    ).exists()


def test_fifteen_requests_for_one_address_send_three_e_mails(client, mailoutbox):
    """The finding: 15 e-mails to one address in about a second."""
    user = f.UserFactory()
    answers = [_ask(client, user.email.upper()).status_code for _ in range(15)]
    assert len(mailoutbox) == 3
    assert answers == [302] * 3 + [429] * 12


def test_a_limited_request_is_told_so_in_the_users_language(client, mailoutbox):
    user = f.UserFactory()
    for _ in range(3):
        _ask(client, user.email)
    with translation.override("hu"):
        response = client.post(
            reverse("accounts:password_reset"),
            {"email": user.email},
            REMOTE_ADDR="198.51.100.7",
            HTTP_ACCEPT_LANGUAGE="hu",
        )
    page = response.content.decode()
    assert response.status_code == 429
    assert f'value="{user.email}"' in page
    with translation.override("hu"):
        expected = str(response.context["form"].non_field_errors()[0])
    assert expected in page
    assert "Új jelszó beállítása" in page  # the page itself is in Hungarian
    assert len(mailoutbox) == 3


def test_an_unknown_address_gets_the_same_answers(client, mailoutbox):
    user = f.UserFactory()
    known = [_ask(client, user.email, "198.51.100.7").status_code for _ in range(5)]
    unknown = [_ask(client, "nobody@example.org", "198.51.100.8").status_code for _ in range(5)]
    assert known == unknown
    assert len(mailoutbox) == 3


def test_one_client_may_ask_ten_times_an_hour(client, mailoutbox):
    users = [f.UserFactory() for _ in range(11)]
    answers = [_ask(client, user.email).status_code for user in users]
    assert answers == [302] * 10 + [429]
    assert len(mailoutbox) == 10
    # Another client is not held back by that one.
    assert _ask(client, users[-1].email, address="198.51.100.8").status_code == 302


def test_the_limit_is_per_hour(client, mailoutbox):
    user = f.UserFactory()
    for _ in range(4):
        _ask(client, user.email)
    assert len(mailoutbox) == 3
    PasswordResetSlot.objects.update(used_at=timezone.now() - dt.timedelta(minutes=61))
    assert _ask(client, user.email).status_code == 302
    assert len(mailoutbox) == 4


@pytest.mark.parametrize(
    ("language", "wrong_password", "bad_address", "locked"),
    [
        ("hu", "A felhasználónév és a jelszó nem egyezik.", "Írjon be egy érvényes e-mail címet.",
         "Túl sok sikertelen bejelentkezés"),
        ("cs", "Uživatelské jméno a heslo k sobě nepatří.", "Zadejte platnou e-mailovou adresu.",
         "Příliš mnoho neúspěšných přihlášení"),
        ("da", "Brugernavn og adgangskode passer ikke sammen.", "Indtast en gyldig e-mail-adresse.",
         "For mange mislykkede loginforsøg"),
    ],
)  # fmt: skip
def test_sign_in_reset_and_lockout_pages_speak_the_users_language(
    client, language, wrong_password, bad_address, locked
):
    user = f.UserFactory()
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    login = reverse("accounts:login")
    page = client.post(login, {"username": user.username, "password": "x"}, **headers)
    assert wrong_password in page.content.decode()
    page = client.post(reverse("accounts:password_reset"), {"email": "not-an-address"}, **headers)
    assert bad_address in page.content.decode()
    for _ in range(4):
        client.post(login, {"username": user.username, "password": "x"}, **headers)
    page = client.post(login, {"username": user.username, "password": PASSWORD}, **headers)
    assert page.status_code == 429 and locked in page.content.decode()
