"""Who sees and keeps the catalogue of methods.

The catalogue is the municipality's knowledge, not anybody's personal data: everyone with a
role in a municipality sees its entries and their versions. An entry is kept (changed,
renewed) by the administrators of its municipality, by its managers, by the supervisors of the
service that keeps it (of any service of the municipality when the entry is the whole
municipality's), and by the people named responsible for it. Administrators, managers and
supervisors add entries. The scale of evidence is configuration its administrators set.
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, any_of, configuration, register
from earlyhelp.organisations.models import Role

# Those who add entries to a municipality's catalogue and keep the municipality-wide ones.
AUTHORS = (Role.ADMIN, Role.MANAGER, Role.SUPERVISOR)


def _seen(scope: Scope) -> Q | None:
    if scope.is_superuser:
        return Q()
    municipalities = scope.municipality_ids(*Role.values)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _kept(scope: Scope) -> Q | None:
    if scope.is_superuser:
        return Q()
    whole = scope.municipality_ids(Role.ADMIN, Role.MANAGER)
    supervised_services = scope.ids(Role.SUPERVISOR, "service")
    supervised_places = scope.municipality_ids(Role.SUPERVISOR)
    return any_of(
        Q(municipality_id__in=whole) if whole else None,
        Q(service_id__in=supervised_services) if supervised_services else None,
        Q(service__isnull=True, municipality_id__in=supervised_places)
        if supervised_places
        else None,
        Q(responsible__id=scope.user_id) if scope.user_id is not None else None,
    )


def _method_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return scope.memo(_seen)
    if action in (Action.CHANGE, Action.MANAGE):
        return scope.memo(_kept)
    return None


def _method_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return scope.is_superuser or bool(scope.roles)
    if action == Action.CREATE:
        return scope.is_superuser or scope.has(*AUTHORS)
    return False


register("knowledge.method", rows=_method_rows, model=_method_model, distinct=True)


def _version_action(action: str) -> str | None:
    return Action.VIEW if action in (Action.VIEW, Action.LIST) else None


register("knowledge.methodversion", parent="method", parent_action=_version_action)
register("knowledge.evidencelevel", **configuration("municipality_id"))


def authoring_municipalities(user):
    """The municipalities in whose catalogue the user may add entries."""
    from earlyhelp.access.engine import scope_for
    from earlyhelp.organisations.models import Municipality

    scope = scope_for(user)
    if scope.is_superuser:
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=scope.municipality_ids(*AUTHORS)).order_by("name")
