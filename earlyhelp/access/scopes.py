"""The vocabulary of the access policy and the user's scope, which the engine and every
capability's rules build on: the actions, the paths that reach a person, the user's active
memberships read once per request, and the scopes several capabilities share (the team a
supervisor supervises, the institutions a social helper helps, the places on a child's team
that open restricted records, configuration an administrator manages)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.organisations.models import Membership, Role

TEAM = "team"
BREAK_GLASS = "break_glass"
PERSON_LEVEL_ROLES = frozenset(
    {Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR}
)
BREAK_GLASS_ROLES = frozenset({Role.MANAGER, Role.ADMIN})
# Roles that see figures but no person: counts below SMALL_CELL are suppressed for them.
AGGREGATE_ROLES = (Role.MANAGER, Role.ANALYST)
SMALL_CELL = 5


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    VIEW_DETAILS = "view_details"
    # An address or other contact details.
    VIEW_CONTACT = "view_contact"
    CREATE = "create"
    CHANGE = "change"
    MANAGE = "manage"
    BREAK_GLASS = "break_glass"
    REVIEW_BREAK_GLASS = "review_break_glass"
    END_BREAK_GLASS = "end_break_glass"
    REPORT = "report"
    TRIAGE = "triage"
    MESSAGE = "message"
    LIST_QUEUE = "list_queue"
    LIST_INSTITUTION = "list_institution"
    VIEW_DECISION = "view_decision"
    CLOSE = "close"
    VIEW_STATS = "view_stats"
    RECORD = "record"
    ALLOCATE = "allocate"
    REGISTER = "register"
    APPROVE = "approve"
    # Count a record of work for a programme (choose the programme on the record).
    LINK = "link"


# --- The user's scope ---------------------------------------------------------------------------


@dataclass
class Scope:
    """What a user's active memberships reach, computed once per request."""

    user_id: int | None
    is_superuser: bool = False
    roles: dict[str, list[Membership]] = field(default_factory=dict)
    # The conditions built from these memberships, kept for the rest of the request: a page
    # asks the policy a dozen times, and building the same conditions each time costs more
    # than the queries they go into.
    built: dict = field(default_factory=dict)

    def memo(self, build):
        # A condition that ends at a moment (a break-glass grant) is built afresh every time,
        # so that a user object kept longer than a request never outlives it.
        if getattr(build, "uncached", False):
            return build(self)
        if build not in self.built:
            self.built[build] = build(self)
        return self.built[build]

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def ids(self, role: str, attr: str) -> set[int]:
        return {
            getattr(m, f"{attr}_id")
            for m in self.roles.get(role, [])
            if getattr(m, f"{attr}_id") is not None
        }

    def ids_of(self, roles, attr: str) -> set[int]:
        """`ids` over several roles."""
        return set().union(*(self.ids(role, attr) for role in roles))

    def whole_institutions(self, role: str) -> set[int]:
        """The institutions of the role's memberships that name no group (an educator of the
        whole institution: a health visitor, a club worker)."""
        return {m.institution_id for m in self.roles.get(role, []) if m.group_id is None}

    def municipality_ids(self, *roles: str) -> set[int]:
        return {m.municipality_id for role in roles for m in self.roles.get(role, [])}

    @property
    def person_level(self) -> bool:
        return any(role in self.roles for role in PERSON_LEVEL_ROLES)


def uncached(build):
    """Mark a condition builder whose answer must not be kept for the request."""
    build.uncached = True
    return build


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope(user_id=None)
    cached = getattr(user, "_earlyhelp_scope", None)
    if cached is not None and cached[0] == date.today():
        return cached[1]
    scope = Scope(user_id=user.pk, is_superuser=user.is_superuser)
    memberships = Membership.objects.active().filter(user_id=user.pk).select_related("institution")
    for membership in memberships:
        scope.roles.setdefault(membership.role, []).append(membership)
    user._earlyhelp_scope = (date.today(), scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships changed."""
    if hasattr(user, "_earlyhelp_scope"):
        del user._earlyhelp_scope


def any_of(*parts: Q | None) -> Q | None:
    """The OR of the conditions that exist; None when none does (the policy is silent)."""
    present = [part for part in parts if part is not None]
    if not present:
        return None
    combined = present[0]
    for part in present[1:]:
        combined |= part
    return combined


# --- What several capabilities share ------------------------------------------------------------


def supervised_members(scope: Scope) -> QuerySet:
    """The social helpers' and case workers' memberships in the services the user supervises."""
    return Membership.objects.active().filter(
        service_id__in=scope.ids(Role.SUPERVISOR, "service"),
        role__in=[Role.SOCIAL_HELPER, Role.CASE_WORKER],
    )


def supervised_institutions(scope: Scope) -> set[int]:
    """The institutions assigned to the social helpers of the services the user supervises."""
    if not scope.ids(Role.SUPERVISOR, "service"):
        return set()
    members = supervised_members(scope)
    return set(
        members.filter(role=Role.SOCIAL_HELPER, institution__isnull=False).values_list(
            "institution_id", flat=True
        )
    )


def helped_institutions(scope: Scope) -> set[int]:
    """The institutions whose social work the user does: a social helper's assigned ones and
    those of the social helpers a supervisor supervises."""
    return scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(supervised_institutions)


def on_childs_team(scope: Scope, child_path: str) -> Q:
    """The child at `child_path` (a column holding a child's id) is not restricted, or the user
    is named on the child's team: restricted records are for their named team alone."""
    from earlyhelp.people.models import ChildTeamMember

    named = ChildTeamMember.objects.filter(child_id=OuterRef(child_path), user_id=scope.user_id)
    return Q(**{f"{child_path.removesuffix('_id')}__restricted": False}) | Q(Exists(named))


def configuration(path: str) -> dict:
    """The rules of configuration an administrator manages for their municipality (rooms,
    activity types, instruments, ...): `path` leads from the row to its municipality."""

    def rows(scope: Scope, action: str) -> Q | None:
        if scope.is_superuser:
            return Q()
        municipalities = scope.municipality_ids(Role.ADMIN)
        return Q(**{f"{path}__in": municipalities}) if municipalities else None

    def model(scope: Scope, action: str) -> bool:
        return action == Action.MANAGE and (scope.is_superuser or scope.has(Role.ADMIN))

    return {"rows": rows, "model": model, "configuration": True}
