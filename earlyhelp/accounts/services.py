"""Changing accounts: invitations to choose a password, and authenticators. Each service runs
in one transaction and writes its audit row; the views only parse and render."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.policy import primary_role
from earlyhelp.accounts.invitations import invitation_path
from earlyhelp.accounts.lockout import lockout_lift
from earlyhelp.audit.services import audit_record
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify


@transaction.atomic
def invitation_send(*, user, actor, request_id: str = "") -> None:
    """Take away any password `user` has and e-mail them a link to choose their own
    (through the notification outbox). A link sent before stops working."""
    if not user.email:
        raise ValidationError(_("The account needs an e-mail address for the invitation."))
    user.set_unusable_password()
    user.save(update_fields=["password"])
    path = invitation_path(user)
    # The token part makes each invitation its own event: a new one is sent, never merged.
    notify(
        recipients=[user],
        kind=Notification.Kind.ACCOUNT_INVITATION,
        url=path,
        event=f"invitation:{path.rstrip('/').rsplit('/', 1)[-1]}",
    )
    audit_record(
        actor=actor,
        action="change",
        obj=user,
        role=primary_role(actor) if actor is not None else "",
        purpose="invitation sent",
        request_id=request_id,
    )


@transaction.atomic
def password_reset_done(*, user, request_id: str = "") -> None:
    """After a password reset through the e-mailed link (whose view saved the password): the
    lock on the account's user name ends, since a new password makes the guesses counted so
    far moot, and the change is audited."""
    lockout_lift(username=user.get_username())
    audit_record(
        actor=user,
        action="change",
        obj=user,
        role=primary_role(user),
        purpose="password reset",
        request_id=request_id,
    )


@transaction.atomic
def invitation_accept(*, user, password: str, request_id: str = "") -> None:
    """The invited person's own password, chosen through the link (which checked the token
    and the password rules)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=user,
        action="change",
        obj=user,
        role=primary_role(user),
        purpose="password set from invitation",
        request_id=request_id,
    )


def _audit_device(user, device: TOTPDevice, action: str, purpose: str, request_id: str) -> None:
    audit_record(
        actor=user,
        action=action,
        object_type="otp_totp.totpdevice",
        object_id=str(device.pk),
        role=primary_role(user),
        purpose=purpose,
        request_id=request_id,
        changes={"user": user.pk, "name": device.name},
    )


def _confirmed(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


@transaction.atomic
def device_confirm_first(*, user, device: TOTPDevice, request_id: str = "") -> TOTPDevice:
    """The first authenticator of an account that has none (at first sign-in); the view
    checked the code it shows."""
    if _confirmed(user).exists():
        raise ValidationError(_("This account already has an authenticator."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _audit_device(user, device, "create", "authenticator set up at first sign-in", request_id)
    return device


def _check_identity(user, *, password: str, code: str) -> dict[str, str]:
    """The account's password and a current code of one of its authenticators: proof that
    the person at the keyboard is the account's owner, not someone at an open session."""
    errors = {}
    if not user.check_password(password):
        errors["password"] = _("This is not your password.")
    if match_token(user, code) is None:
        errors["code"] = _(
            "This code is not right or has expired. Enter the code one of your "
            "authenticators shows now."
        )
    return errors


def device_add(
    *, user, device: TOTPDevice, password: str, code: str, new_code: str, request_id: str = ""
) -> TOTPDevice:
    """Confirm another authenticator for an account that has one: needs the password, a
    current code of an existing authenticator and the new one's code."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("This authenticator cannot be added."))
    errors = _check_identity(user, password=password, code=code)
    if not errors and not device.verify_token(new_code):
        errors["new_code"] = _(
            "This code is not right or has expired. Enter the code the new app shows now."
        )
    if errors:
        # Raised outside a transaction: django-otp's count of wrong codes must stay.
        raise ValidationError(errors)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        _audit_device(user, device, "create", "authenticator added", request_id)
    return device


def device_remove(
    *, user, device: TOTPDevice, password: str, code: str, request_id: str = ""
) -> None:
    """Remove one of the account's authenticators: needs the password and a current code.
    The last one stays: an account that reaches children always has a second factor (a lost
    phone is recovered as docs/operations.md describes)."""
    if device.user_id != user.pk or not device.confirmed:
        raise ValidationError(_("This authenticator cannot be removed."))
    if _confirmed(user).count() < 2:
        raise ValidationError(
            _("Your only authenticator cannot be removed. Add the new one first, then remove this.")
        )
    errors = _check_identity(user, password=password, code=code)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        _audit_device(user, device, "delete", "authenticator removed", request_id)
        device.delete()


@transaction.atomic
def twofactor_reset(*, user, requested_by, confirmed_by, reason: str) -> int:
    """Recovery of a lost authenticator, run by an operator for two people of the
    municipality (docs/operations.md). Returns how many authenticators were removed."""
    from earlyhelp.accounts.access import may_ask_reset, may_confirm_reset

    if len({user.pk, requested_by.pk, confirmed_by.pk}) < 3:
        raise ValueError("The owner, the one who asks and the one who confirms are three people.")
    if not may_ask_reset(requested_by, user):
        raise ValueError("--requested-by must be an administrator of the account's municipality.")
    if not may_confirm_reset(confirmed_by, user):
        raise ValueError(
            "--confirmed-by must be another administrator of the account's municipality or a "
            "supervisor of one of the owner's services."
        )
    if len(reason.strip()) < 20:
        raise ValueError("--reason needs at least 20 characters.")
    if not user.email:
        raise ValueError("The account has no e-mail address for the new invitation.")
    devices = TOTPDevice.objects.filter(user=user)
    removed = devices.count()
    audit_record(
        actor=None,
        action="delete",
        object_type="otp_totp.totpdevice",
        purpose=f"authenticators reset: {reason.strip()}"[:500],
        flagged=True,
        changes={
            "user": user.pk,
            "authenticators": list(devices.values_list("pk", flat=True)),
            "requested_by": requested_by.get_username(),
            "confirmed_by": confirmed_by.get_username(),
        },
    )
    devices.delete()
    invitation_send(user=user, actor=None)
    return removed
