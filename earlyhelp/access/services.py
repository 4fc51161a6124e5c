"""Break-glass: a manager or administrator opens one child's record for at most 60 minutes.
An attempt that is refused is kept too, for the supervisors to review with the openings."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from earlyhelp.access.engine import BREAK_GLASS_ROLES, scope_for
from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, forget_scope
from earlyhelp.audit.services import audit_record
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.people.models import Child


@transaction.atomic
def break_glass_open(
    *, user, child, reason: str, minutes: int, request_id: str = ""
) -> BreakGlassGrant:
    scope = scope_for(user)
    if not can(user, Action.BREAK_GLASS, type(child)):
        raise PermissionDenied
    roles = [
        m
        for role in sorted(BREAK_GLASS_ROLES)
        for m in scope.roles.get(role, [])
        if m.municipality_id == child.municipality_id
    ]
    if not roles or child.restricted:
        # Restricted records are for their named team alone, emergencies included.
        raise PermissionDenied
    reason = reason.strip()
    if len(reason) < 20:
        raise ValidationError(_("Write the reason in at least 20 characters."))
    limit = settings.EARLYHELP_BREAK_GLASS_MAX_MINUTES
    if not 1 <= minutes <= limit:
        raise ValidationError(
            ngettext(
                "Access can last at most %(limit)s minute.",
                "Access can last at most %(limit)s minutes.",
                limit,
            )
            % {"limit": limit}
        )
    now = timezone.now()
    grant = BreakGlassGrant.objects.create(
        user=user,
        role=roles[0].role,
        municipality_id=child.municipality_id,
        child=child,
        reason=reason,
        started_at=now,
        expires_at=now + timedelta(minutes=minutes),
    )
    refresh_duties(grant)
    audit_record(
        actor=user,
        action="break_glass",
        obj=child,
        role=roles[0].role,
        purpose=reason,
        request_id=request_id,
        flagged=True,
        changes={"minutes": minutes, "grant": grant.pk},
    )
    forget_scope(user)
    return grant


@transaction.atomic
def break_glass_refuse(
    *, user, record: str, reason: str, request_id: str = ""
) -> list[BreakGlassGrant]:
    """Record an attempt that named no record break-glass may open (no such number in the
    user's municipalities, or a restricted record): one refused row for each municipality where
    the user may use break-glass, so that its supervisors see it, and one flagged audit row.
    Which child, if any, has the number is recorded nowhere, as the refusal did not say."""
    if not can(user, Action.BREAK_GLASS, Child):
        raise PermissionDenied
    scope = scope_for(user)
    now = timezone.now()
    refusals = [
        BreakGlassGrant.objects.create(
            user=user,
            role=role,
            municipality_id=municipality_id,
            child=None,
            record_tried=record,
            refused=True,
            reason=reason.strip(),
            started_at=now,
            expires_at=now,
            ended_at=now,
        )
        for municipality_id, role in sorted(
            {
                m.municipality_id: m.role
                for role in sorted(BREAK_GLASS_ROLES, reverse=True)
                for m in scope.roles.get(role, [])
            }.items()
        )
    ]
    audit_record(
        actor=user,
        action="break_glass",
        object_type="people.child",
        role=refusals[0].role if refusals else "",
        purpose=f"refused: {reason.strip()}",
        request_id=request_id,
        flagged=True,
        changes={"record_tried": record, "refused": [r.pk for r in refusals]},
    )
    return refusals


@transaction.atomic
def break_glass_end(*, user, grant: BreakGlassGrant, request_id: str = "") -> BreakGlassGrant:
    """Close one's own break-glass access before it expires."""
    if not can(user, Action.END_BREAK_GLASS, grant):
        raise PermissionDenied
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    audit_record(
        actor=user,
        action="change",
        obj=grant,
        subject=f"people.child:{grant.child_id}",
        role=grant.role,
        purpose="break-glass ended",
        request_id=request_id,
        changes={"ended_at": [None, grant.ended_at]},
    )
    forget_scope(user)
    return grant


@transaction.atomic
def break_glass_review(*, user, grant: BreakGlassGrant, request_id: str = "") -> BreakGlassGrant:
    if not can(user, Action.REVIEW_BREAK_GLASS, grant):
        raise PermissionDenied
    if grant.reviewed_at is not None:
        raise ValidationError(_("This opening was already reviewed."))
    grant.reviewed_by = user
    grant.reviewed_at = timezone.now()
    grant.save(update_fields=["reviewed_by", "reviewed_at"])
    refresh_duties(grant)
    audit_record(
        actor=user,
        action="change",
        obj=grant,
        subject=f"people.child:{grant.child_id}" if grant.child_id else "",
        role="supervisor",
        purpose="break-glass reviewed",
        request_id=request_id,
        changes={"reviewed_at": [None, grant.reviewed_at]},
    )
    return grant
