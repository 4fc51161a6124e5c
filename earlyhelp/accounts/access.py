"""Who may manage accounts: the administrators of the municipality that manages the account.

Memberships elsewhere give no other municipality's administrator a hold on an account, and
superusers are out of every administrator's reach.
"""

from django.db.models import Q

from earlyhelp.access.engine import BREAK_GLASS_ROLES, Scope, register, scope_for
from earlyhelp.organisations.models import Role


def _user_rows(scope: Scope, action: str) -> Q | None:
    if scope.is_superuser:
        return Q()
    municipalities = scope.municipality_ids(Role.ADMIN)
    if not municipalities:
        return None
    return Q(municipality_id__in=municipalities, is_superuser=False)


register("accounts.user", rows=_user_rows)


def needs_two_factor(user) -> bool:
    """Everyone who can reach a child's record, directly or through break-glass."""
    scope = scope_for(user)
    return scope.is_superuser or scope.person_level or scope.has(*BREAK_GLASS_ROLES)
