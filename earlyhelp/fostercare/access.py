"""Who may see and work foster households, their carers, placements and records.

A household is seen and worked by the key worker of its current support agreement (while they
hold a role that works with families in its municipality) and by the case workers and
supervisors of its service. Managers and analysts read only the service's figures, small cells
suppressed (`fostercare_figures_for`). Nobody else sees a household, its carers or the
children placed with it. The carers' address (VIEW_DETAILS) is shown only on that same foster
side: a worker of the birth family's contact arrangement who does not support the foster
family never sees it. A placement of a restricted child is for the child's team alone.
Requirement rules are configuration.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.access.engine import (
    AGGREGATE_ROLES,
    Action,
    Scope,
    any_of,
    configuration,
    on_childs_team,
    register,
    scope_for,
)
from earlyhelp.fostercare.models import SupportAgreement
from earlyhelp.organisations.models import Role

FOSTER_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)
# The household's own rows: read and changed where the household is.
FOSTER_ROWS = (
    "fostercare.carer",
    "fostercare.supportagreement",
    "fostercare.visit",
    "fostercare.training",
    "fostercare.respite",
    "fostercare.developmentitem",
    "fostercare.checkliststep",
)


def _key_worker(scope: Scope) -> Q | None:
    municipalities = scope.municipality_ids(*FOSTER_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    # Only the key worker of a current agreement: an ended or replaced one gives no access.
    today = date.today()
    agreements = SupportAgreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        household_id=OuterRef("pk"),
        key_worker_id=scope.user_id,
        signed_on__lte=today,
    )
    return Q(Exists(agreements)) & Q(municipality_id__in=municipalities)


def _household_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.VIEW_DETAILS, Action.CHANGE):
        return None
    services = scope.ids_of(FOSTER_ROLES, "service")
    return any_of(scope.memo(_key_worker), Q(service_id__in=services) if services else None)


def _household_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(scope.ids_of(FOSTER_ROLES, "service"))
    if action == Action.LIST:
        return scope.has(*FOSTER_ROLES)
    if action == Action.VIEW_STATS:
        return scope.has(*FOSTER_ROLES, *AGGREGATE_ROLES)
    return False


def _household_action(action: str) -> str:
    return Action.CHANGE if action == Action.CHANGE else Action.VIEW


register("fostercare.household", rows=_household_rows, model=_household_model)
register(*FOSTER_ROWS, parent="household", parent_action=_household_action)
register(
    "fostercare.placement",
    parent="household",
    parent_action=_household_action,
    only_if=lambda scope, action: on_childs_team(scope, "child_id"),
)
register("fostercare.requirementrule", **configuration("municipality_id"))


def fostercare_services(user) -> set[int]:
    """The services whose foster households the user supports (and where they may record a
    new one): those of their case-worker and supervisor memberships."""
    return scope_for(user).ids_of(FOSTER_ROLES, "service")


def fostercare_figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """Households whose compliance figures the user may read, and whether small cells must be
    suppressed: exact for the service's case workers and supervisors; for a manager or analyst
    their municipality, counts below 5 hidden."""
    scope = scope_for(user)
    services = scope.ids_of(FOSTER_ROLES, "service")
    if services:
        return queryset.filter(service_id__in=services), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True
