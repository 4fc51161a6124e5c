"""Who may see, end and review break-glass openings (the access app's own records).

Supervisors review the openings in their municipality (never their own); managers and
administrators see their own openings, and end one of their own early while it is open.
"""

from django.db.models import Q

from earlyhelp.access.engine import (
    BREAK_GLASS_ROLES,
    Action,
    Scope,
    any_of,
    register,
)
from earlyhelp.organisations.models import Role


def _grant_rows(scope: Scope, action: str) -> Q | None:
    supervised = scope.municipality_ids(Role.SUPERVISOR)
    review = Q(municipality_id__in=supervised) & ~Q(user_id=scope.user_id) if supervised else None
    if action == Action.REVIEW_BREAK_GLASS:
        return review
    if action == Action.VIEW and scope.user_id and scope.has(*BREAK_GLASS_ROLES):
        return any_of(review, Q(user_id=scope.user_id))
    return review


def _grant_model(scope: Scope, action: str) -> bool:
    return action == Action.LIST and scope.has(Role.SUPERVISOR, *BREAK_GLASS_ROLES)


def _grant_obj(scope: Scope, action: str, grant) -> bool | None:
    if action == Action.END_BREAK_GLASS:
        return grant.user_id == scope.user_id and grant.is_active
    if action == Action.REVIEW_BREAK_GLASS:
        return grant.user_id != scope.user_id and grant.municipality_id in scope.municipality_ids(
            Role.SUPERVISOR
        )
    return None


register("access.breakglassgrant", rows=_grant_rows, model=_grant_model, obj=_grant_obj)
