"""Issuing and revoking API tokens, audited like every other change of access."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from earlyhelp.api.models import ApiToken
from earlyhelp.audit.services import audit_record


@transaction.atomic
def api_token_issue(
    *,
    user,
    name: str,
    days: int | None = None,
    scopes: list[str] | None = None,
    actor=None,
    purpose: str = "API token issued",
) -> tuple[ApiToken, str]:
    """A new token acting as `user`, valid for `days` (EARLYHELP_API_TOKEN_DAYS by default),
    with `scopes` (read and write by default). `actor` is who issued it (None: an operator at
    the server's command line)."""
    token, raw = ApiToken.issue(user=user, name=name, days=days, scopes=scopes)
    audit_record(
        actor=actor,
        action="create",
        obj=token,
        purpose=purpose,
        changes={
            "user": user.pk,
            "name": name,
            "prefix": token.prefix,
            "expires": token.expires_at,
            "scopes": token.scopes,
        },
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, prefix: str, actor=None) -> int:
    """Revoke `user`'s active tokens that start with `prefix`; returns how many."""
    now = timezone.now()
    tokens = list(
        ApiToken.objects.active().select_for_update().filter(user=user, prefix__startswith=prefix)
    )
    for token in tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="change",
            obj=token,
            purpose="API token revoked",
            changes={"user": user.pk, "name": token.name, "prefix": token.prefix},
        )
    return len(tokens)
