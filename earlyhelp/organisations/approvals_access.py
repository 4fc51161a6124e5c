"""Who decides on a membership that awaits approval, and who sees it.

Pure decisions over the user's scope (`access.policy.scope_for`): no request, no rendering,
so that the policy engine can register them as rules. A membership whose role reaches
children (or break-glass, or the power to approve) takes effect only once a second person
approved it: another administrator of its municipality, or a supervisor of its service. The
one who asked, and the one who would hold it, never decide on it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from earlyhelp.access.policy import BREAK_GLASS_ROLES, PERSON_LEVEL_ROLES, scope_for
from earlyhelp.organisations.models import Approval, Membership, Role

# Person-level roles reach children; a manager or an administrator reaches them through
# break-glass, and an administrator approves others' memberships: an account one
# administrator set up must not be the "second person" of their own requests.
APPROVAL_ROLES = PERSON_LEVEL_ROLES | BREAK_GLASS_ROLES
UNIT_FIELDS = ("municipality_id", "service_id", "institution_id", "group_id")


def needs_approval(before: Membership | None, after: Membership) -> bool:
    """Whether saving `after` (over `before`, None for a new membership) grants more than
    was approved: a new membership with such a role, a change to such a role, another unit,
    a whole institution instead of one class, or an ended membership opened again."""
    if after.role not in APPROVAL_ROLES:
        return False
    if before is None or before.role != after.role:
        return True
    if before.approval != Approval.APPROVED:
        # A refused request asked again; a pending one stays pending (see the service).
        return before.approval == Approval.REFUSED
    for name in ("municipality_id", "service_id", "institution_id"):
        if getattr(before, name) != getattr(after, name):
            return True
    if before.group_id is not None and before.group_id != after.group_id:
        # Another class, or the whole institution instead of one class.
        return True
    today = date.today()
    had_ended = before.ends_on is not None and before.ends_on < today
    runs_on = after.ends_on is None or after.ends_on >= today
    return had_ended and runs_on


def _deciders_q(user) -> Q | None:
    """The pending memberships on which `user` holds a deciding role, before the rule that
    nobody decides on their own request or their own membership."""
    scope = scope_for(user)
    if scope.user_id is None:
        return None
    if scope.is_superuser:
        return Q()
    parts = []
    municipalities = scope.municipality_ids(Role.ADMIN)
    if municipalities:
        parts.append(Q(municipality_id__in=municipalities))
    services = scope.ids(Role.SUPERVISOR, "service")
    if services:
        # A supervisor approves for their own service only, never an administrator's or
        # manager's membership (those have no service).
        parts.append(Q(service_id__in=services))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def approvable_q(user) -> Q | None:
    """The condition on pending memberships that `user` may approve or refuse."""
    deciders = _deciders_q(user)
    if deciders is None:
        return None
    user_id = scope_for(user).user_id
    return deciders & ~Q(requested_by_id=user_id) & ~Q(user_id=user_id)


def may_list_approvals(user) -> bool:
    """The page of pending approvals: for those who ask (administrators, superusers) and
    those who decide (administrators, supervisors)."""
    scope = scope_for(user)
    return scope.is_superuser or scope.has(Role.ADMIN, Role.SUPERVISOR)


def pending_visible_to(user) -> QuerySet:
    """The pending memberships `user` sees: those they asked for and those they may decide."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Membership.objects.none()
    q = Q(requested_by_id=scope.user_id)
    deciders = approvable_q(user)
    if deciders is not None:
        q |= deciders
    return Membership.objects.pending().filter(q)


def may_see(user, membership: Membership) -> bool:
    return pending_visible_to(user).filter(pk=membership.pk).exists()


def may_approve(user, membership: Membership) -> bool:
    """May `user` approve (or refuse) this pending membership?"""
    scope = scope_for(user)
    if scope.user_id is None or membership.approval != Approval.PENDING:
        return False
    if scope.user_id in (membership.requested_by_id, membership.user_id):
        return False
    if scope.is_superuser:
        return True
    if membership.municipality_id in scope.municipality_ids(Role.ADMIN):
        return True
    return membership.service_id is not None and membership.service_id in scope.ids(
        Role.SUPERVISOR, "service"
    )
