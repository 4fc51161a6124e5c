"""Failed sign-ins go to the audit log: a pattern of them is a security event to review."""

from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from earlyhelp.audit.services import audit_record


@receiver(user_login_failed)
def audit_failed_sign_in(sender, credentials, request=None, **kwargs):
    audit_record(
        actor=None,
        action="login_failed",
        object_type="accounts.user",
        purpose=f"user name: {credentials.get('username', '')}"[:500],
        request_id=getattr(request, "request_id", ""),
    )
