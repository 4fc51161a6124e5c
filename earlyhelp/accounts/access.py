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
    """Everyone who can reach a child's record, directly or through break-glass, and the
    data-protection officers, who read the audit log."""
    scope = scope_for(user)
    return (
        scope.is_superuser
        or scope.person_level
        or scope.has(*BREAK_GLASS_ROLES)
        or scope.has(Role.DPO)
    )


def may_ask_reset(person, user) -> bool:
    """Who may ask for a lost authenticator to be reset: an administrator of the municipality
    that manages the account."""
    return user.municipality_id in scope_for(person).municipality_ids(Role.ADMIN)


def may_confirm_reset(person, user) -> bool:
    """Who confirms the reset as the second person: an administrator of the municipality
    managing `user`, or a supervisor of a service in which `user` holds a membership."""
    from earlyhelp.organisations.models import Membership

    scope = scope_for(person)
    if user.municipality_id in scope.municipality_ids(Role.ADMIN):
        return True
    services = scope.ids(Role.SUPERVISOR, "service")
    return Membership.objects.filter(user=user, service_id__in=services).exists()
