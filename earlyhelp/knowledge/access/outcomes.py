"""Who sees the outcomes per method.

The outcome figures of a method are aggregates of the municipality's records, with every count
from 1 to 4 shown as "<5" (they leave the team): everyone with a role in the method's
municipality sees them, as they see its catalogue. Nobody changes them: the daily rebuild
writes them from the records.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.access.engine import Action, Scope, register, scope_for
from earlyhelp.organisations.models import Role


def _outcome_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.LIST):
        return None
    if scope.is_superuser:
        return Q()
    municipalities = scope.municipality_ids(*Role.values)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _outcome_model(scope: Scope, action: str) -> bool:
    return action == Action.LIST and (scope.is_superuser or bool(scope.roles))


register("knowledge.methodoutcome", rows=_outcome_rows, model=_outcome_model)


def outcome_municipalities(user) -> QuerySet:
    """The municipalities whose outcomes per method the user sees."""
    from earlyhelp.organisations.models import Municipality

    scope = scope_for(user)
    if scope.is_superuser:
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=scope.municipality_ids(*Role.values)).order_by("name")
