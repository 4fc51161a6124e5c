"""Who may open, rate and read screening rounds.

A round is the institution's: its social helpers (and their supervisors) open it, see who is
flagged and end each flag; its educators rate the children of their own classes in it (all of
the round's classes, for an educator of the whole institution); its lead follows the progress
and the share of flagged children. Managers and analysts read figures of their municipality
only, small cells suppressed (`screening_figures_for`). Instruments are configuration.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.access.engine import (
    AGGREGATE_ROLES,
    Action,
    Scope,
    any_of,
    can,
    configuration,
    helped_institutions,
    register,
    scope_for,
)
from earlyhelp.organisations.models import Role
from earlyhelp.screening.models import RoundGroup


def _round_rows(scope: Scope, action: str) -> Q | None:
    helped = helped_institutions(scope)
    helpers = Q(institution_id__in=helped) if helped else None
    groups = scope.ids(Role.EDUCATOR, "group")
    whole = scope.whole_institutions(Role.EDUCATOR)
    rated = RoundGroup.objects.filter(round_id=OuterRef("pk"), group_id__in=groups)
    educators = any_of(
        Q(Exists(rated)) if groups else None,
        Q(institution_id__in=whole) if whole else None,
    )
    if action in (Action.VIEW_DETAILS, Action.CHANGE):
        return helpers
    if action == Action.RECORD:
        return educators
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        return any_of(helpers, educators, Q(institution_id__in=leads) if leads else None)
    return None


def _round_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(helped_institutions(scope))
    if action == Action.LIST:
        return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD, Role.EDUCATOR)
    if action == Action.VIEW_STATS:
        return scope.has(
            Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR, *AGGREGATE_ROLES
        )
    return False


register("screening.round", rows=_round_rows, model=_round_model)
register("screening.instrument", **configuration("municipality_id"))
register("screening.item", **configuration("instrument__municipality_id"))


def screening_institutions(user) -> set[int]:
    """The institutions where the user may open a screening round."""
    return helped_institutions(scope_for(user))


def rating_groups(user, round_) -> set[int]:
    """The classes of `round_` whose children the user rates: their own classes, or all of the
    round's classes for an educator of the whole institution."""
    scope = scope_for(user)
    if not can(user, Action.RECORD, round_):
        return set()
    round_groups = set(round_.round_groups.values_list("group_id", flat=True))
    if round_.institution_id in scope.whole_institutions(Role.EDUCATOR):
        return round_groups
    return round_groups & scope.ids(Role.EDUCATOR, "group")


def screening_figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """Rounds whose figures (share of flagged children per class and institution) the user may
    read, and whether small cells must be suppressed: exact for the institution's lead, social
    helpers and supervisors; for a manager or analyst their municipality, counts below 5
    hidden."""
    scope = scope_for(user)
    exact = scope.ids(Role.INSTITUTION_LEAD, "institution") | helped_institutions(scope)
    if exact:
        return queryset.filter(institution_id__in=exact), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True
