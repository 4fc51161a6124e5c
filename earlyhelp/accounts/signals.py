"""Failed sign-ins go to the audit log: a pattern of them is a security event to review."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from earlyhelp.access.policy import primary_role
from earlyhelp.audit.services import audit_record


@receiver(user_logged_in)
def audit_sign_in(sender, request, user, **kwargs):
    """Every sign-in with a password, on earlyhelp's page or the administration's."""
    audit_record(
        actor=user,
        action="login",
        role=primary_role(user),
        purpose="password",
        request_id=getattr(request, "request_id", ""),
    )


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    # What was typed is never stored: people type passwords into the user-name field.
    # An existing account is named by id; anything else is recorded as unknown.
    user_id = (
        get_user_model()
        .objects.filter(username=credentials.get("username", ""))
        .values_list("pk", flat=True)
        .first()
    )
    audit_record(
        actor=None,
        action="login_failed",
        object_type="accounts.user",
        object_id=str(user_id or ""),
        purpose="failed sign-in" if user_id else "failed sign-in, unknown user name",
        request_id=getattr(request, "request_id", ""),
    )
