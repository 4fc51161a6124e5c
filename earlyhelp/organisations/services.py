"""Changing memberships: saving one (which asks for approval when it grants more), approving
and refusing. Each in one transaction, each audited."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import forget_scope, primary_role
from earlyhelp.audit.services import audit_record
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.organisations.access import may_approve, needs_approval
from earlyhelp.organisations.models import Approval, Membership


def _summary(membership: Membership) -> dict:
    return {
        "user": membership.user_id,
        "role": membership.role,
        "municipality": membership.municipality_id,
        "service": membership.service_id,
        "institution": membership.institution_id,
        "group": membership.group_id,
        "starts_on": membership.starts_on,
        "ends_on": membership.ends_on,
    }


@transaction.atomic
def membership_save(*, membership: Membership, actor, request_id: str = "") -> Membership:
    """Save a membership created or changed by `actor`. If it grants more than was approved
    (`organisations.access.needs_approval`), it awaits a second person's approval and grants
    nothing until then. A superuser's own change takes effect at once: a superuser can change
    anything from the server anyway, and someone must set up a municipality's first
    administrator."""
    before = (
        Membership.objects.select_for_update().filter(pk=membership.pk).first()
        if membership.pk
        else None
    )
    now = timezone.now()
    asks = needs_approval(before, membership) or (
        # A request changed while it waits is asked anew, so that the approver decides on
        # what it is now (the approval page posts the time it was asked).
        before is not None
        and before.approval == Approval.PENDING
        and _summary(before) != _summary(membership)
    )
    if asks and actor.is_superuser:
        membership.approval = Approval.APPROVED
        membership.requested_by, membership.requested_at = actor, now
        membership.decided_by, membership.decided_at = actor, now
        asks = False
    elif asks:
        membership.approval = Approval.PENDING
        membership.requested_by, membership.requested_at = actor, now
        membership.decided_by, membership.decided_at = None, None
    elif before is None:
        membership.approval = Approval.APPROVED
    membership.save()
    refresh_duties(membership)
    forget_scope(membership.user)
    if asks:
        audit_record(
            actor=actor,
            action="change",
            obj=membership,
            role=primary_role(actor),
            purpose="membership approval requested",
            request_id=request_id,
            changes=_summary(membership),
        )
    return membership


def _decide(
    *,
    membership: Membership,
    user,
    approval: str,
    purpose: str,
    requested_at: datetime | None,
    request_id: str,
) -> Membership:
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.approval != Approval.PENDING:
        raise ValidationError(_("This membership no longer awaits approval."))
    if requested_at is not None and locked.requested_at != requested_at:
        # The request was changed after the page was opened: decide on what it is now.
        raise ValidationError(
            _("This request was changed after you opened the page. Look at it again.")
        )
    if not may_approve(user, locked):
        raise PermissionDenied
    locked.approval = approval
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["approval", "decided_by", "decided_at", "updated_at"])
    refresh_duties(locked)
    forget_scope(locked.user)
    audit_record(
        actor=user,
        action="change",
        obj=locked,
        role=primary_role(user),
        purpose=purpose,
        request_id=request_id,
        changes={
            "approval": [Approval.PENDING, approval],
            "requested_by": locked.requested_by_id,
            **_summary(locked),
        },
    )
    return locked


@transaction.atomic
def membership_approve(
    *,
    membership: Membership,
    user,
    requested_at: datetime | None = None,
    request_id: str = "",
) -> Membership:
    """`user` approves a pending membership: from now on it grants its role."""
    return _decide(
        membership=membership,
        user=user,
        approval=Approval.APPROVED,
        purpose="membership approved",
        requested_at=requested_at,
        request_id=request_id,
    )


@transaction.atomic
def membership_refuse(
    *,
    membership: Membership,
    user,
    requested_at: datetime | None = None,
    request_id: str = "",
) -> Membership:
    """`user` refuses a pending membership: it stays on record and grants nothing."""
    return _decide(
        membership=membership,
        user=user,
        approval=Approval.REFUSED,
        purpose="membership refused",
        requested_at=requested_at,
        request_id=request_id,
    )
