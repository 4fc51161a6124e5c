"""Who may manage the organisation tree and its memberships, and who decides on a membership
that awaits approval.

The tree (municipalities, services, districts, institutions, classes) and the memberships are
configuration that the administrators of each municipality manage for it (superusers
everywhere); institutions and classes are also read by those who work in them (`_tree_rows`),
as the pages name them and offer them in forms, and so by the API. A membership whose role
reaches children (or break-glass, or the power to approve) takes effect only once a second
person approved it: another administrator of its municipality, or a supervisor of its service.
The one who asked, and the one who would hold it, never decide on it. No administrator gives
themselves a role that reaches children.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import Q, QuerySet

from earlyhelp.access.engine import (
    BREAK_GLASS_ROLES,
    PERSON_LEVEL_ROLES,
    Action,
    Scope,
    any_of,
    configuration,
    helped_institutions,
    register,
    scope_for,
)
from earlyhelp.organisations.models import Approval, Membership, Role

register("organisations.municipality", **configuration("pk"))
register(
    "organisations.service",
    "organisations.district",
    **configuration("municipality_id"),
)

# Those who change children's records and so enrol them: the enrolment form offers them every
# group of the child's municipality (people/views.py, `enrolment_add`).
ENROLLING_ROLES = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)
READING = (Action.VIEW, Action.LIST)


def _tree_rows(path: str) -> Callable[[Scope, str], Q | None]:
    """Institutions (`path` ""), or groups (`path` "institution__"), as configuration, and
    read (view, list) also by those who work in them, as the pages name and offer them: the
    institutions of the user's own memberships (an educator's school, a lead's, a social
    helper's assigned ones, a supervisor's helpers' ones), and every institution of the
    municipalities where the user enrols children. Who only reads them never manages them."""
    managed = configuration(f"{path}municipality_id")["rows"]

    def rows(scope: Scope, action: str) -> Q | None:
        admin = managed(scope, action)
        if action not in READING:
            return admin
        own = {
            m.institution_id for held in scope.roles.values() for m in held if m.institution_id
        } | helped_institutions(scope)
        municipalities = scope.municipality_ids(*ENROLLING_ROLES)
        return any_of(
            admin,
            Q(**{f"{path}pk__in": own}) if own else None,
            Q(**{f"{path}municipality_id__in": municipalities}) if municipalities else None,
        )

    return rows


register(
    "organisations.institution",
    **{**configuration("municipality_id"), "rows": _tree_rows("")},
)
register(
    "organisations.group",
    **{**configuration("institution__municipality_id"), "rows": _tree_rows("institution__")},
)
register("organisations.districtpairing", **configuration("district__municipality_id"))

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


def _deciders_q(scope: Scope) -> Q | None:
    """The pending memberships on which the user holds a deciding role, before the rule that
    nobody decides on their own request or their own membership."""
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
    return any_of(*parts)


def _approvable_q(scope: Scope) -> Q | None:
    """The condition on pending memberships that the user may approve or refuse."""
    deciders = _deciders_q(scope)
    if deciders is None:
        return None
    return (
        deciders
        & Q(approval=Approval.PENDING)
        & ~Q(requested_by_id=scope.user_id)
        & ~Q(user_id=scope.user_id)
    )


def pending_visible_to(user) -> QuerySet:
    """The pending memberships `user` sees: those they asked for and those they may decide."""
    scope = scope_for(user)
    if scope.user_id is None:
        return Membership.objects.none()
    q = any_of(Q(requested_by_id=scope.user_id), _approvable_q(scope))
    return Membership.objects.pending().filter(q)


def approvers_for(membership: Membership) -> list[int]:
    """The accounts that may decide on this pending membership (`_may_approve` from the other
    side): the administrators of its municipality and the supervisors of its service, never the
    person who asked nor the member. For the start pages' duties."""
    if membership.approval != Approval.PENDING:
        return []
    deciders = Q(role=Role.ADMIN, municipality_id=membership.municipality_id)
    if membership.service_id is not None:
        deciders |= Q(role=Role.SUPERVISOR, service_id=membership.service_id)
    ids = set(
        Membership.objects.active()
        .filter(deciders, user__is_active=True)
        .values_list("user_id", flat=True)
    )
    return sorted(ids - {membership.requested_by_id, membership.user_id})


def may_see(user, membership: Membership) -> bool:
    return pending_visible_to(user).filter(pk=membership.pk).exists()


def may_approve(user, membership: Membership) -> bool:
    """May `user` approve (or refuse) this pending membership? (`can(user, APPROVE, m)`)"""
    return _may_approve(scope_for(user), membership)


def _may_approve(scope: Scope, membership: Membership) -> bool:
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


_MEMBERSHIP_CONFIGURATION = configuration("municipality_id")


def _membership_rows(scope: Scope, action: str) -> Q | None:
    if action == Action.APPROVE:
        return _approvable_q(scope)
    return _MEMBERSHIP_CONFIGURATION["rows"](scope, action)


def _membership_model(scope: Scope, action: str) -> bool:
    if action == Action.APPROVE:
        # The page of pending approvals: those who ask and those who decide.
        return scope.is_superuser or scope.has(Role.ADMIN, Role.SUPERVISOR)
    return _MEMBERSHIP_CONFIGURATION["model"](scope, action)


def _membership_obj(scope: Scope, action: str, membership) -> bool | None:
    return _may_approve(scope, membership) if action == Action.APPROVE else None


register(
    "organisations.membership",
    rows=_membership_rows,
    model=_membership_model,
    obj=_membership_obj,
    configuration=True,
)


def may_give_role(user, holder, role: str) -> bool:
    """Separation of duties: an administrator gives no role that reaches children to their own
    account (a superuser may)."""
    return user.is_superuser or holder != user or role not in PERSON_LEVEL_ROLES


def workers(roles, *, municipalities=None, services=None, institutions=None, exclude=None):
    """The active people who hold one of `roles` today in these municipalities, services or
    institutions: the workers a form offers (co-workers, key workers, team members, meeting
    leads, the professional behind a report received by phone). One
    selector for every such choice, so that an account's pending or ended membership never
    makes it an option."""
    from earlyhelp.accounts.models import User

    members = Membership.objects.active().filter(role__in=roles)
    if municipalities is not None:
        members = members.filter(municipality_id__in=municipalities)
    if services is not None:
        members = members.filter(service_id__in=services)
    if institutions is not None:
        members = members.filter(institution_id__in=institutions)
    people = User.objects.filter(pk__in=members.values("user_id"), is_active=True)
    if exclude:
        people = people.exclude(pk=exclude)
    return people.order_by("last_name", "first_name", "username")
