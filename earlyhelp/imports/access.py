"""Who may import rosters: the administrators of a municipality, for that municipality
(superusers for every one). An import reads and writes children, parents and enrolments, but
only those its file names, and only basic roster data: an administrator who imports a roster
sees, of the records it matches, whether a row is a new child, changes one or leaves it as it
is, never the record itself; of the children it cannot tell apart, the name, date of birth
and classes of each candidate, and that read is audited (docs/import.md).

Column mappings are the municipality's configuration, managed by its administrators."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, configuration, register, scope_for
from earlyhelp.organisations.models import Municipality, Role

ON_AN_IMPORT = (Action.VIEW, Action.CHANGE)


def _municipalities(scope: Scope) -> set[int]:
    return scope.municipality_ids(Role.ADMIN)


def _rows(scope: Scope, action: str) -> Q | None:
    if action not in ON_AN_IMPORT:
        return None
    if scope.is_superuser:
        return Q()
    municipalities = _municipalities(scope)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _model(scope: Scope, action: str) -> bool:
    return action in (Action.LIST, Action.CREATE) and (
        scope.is_superuser or bool(_municipalities(scope))
    )


def _obj(scope: Scope, action: str, roster) -> bool | None:
    """A new import (not saved yet) is created for a municipality the user administers."""
    if roster.pk is not None:
        return None
    if action != Action.CREATE:
        return False
    return scope.is_superuser or roster.municipality_id in _municipalities(scope)


def import_municipalities(user):
    """The municipalities `user` may import rosters for."""
    scope = scope_for(user)
    if scope.is_superuser:
        return Municipality.objects.all()
    return Municipality.objects.filter(pk__in=_municipalities(scope))


register("imports.rosterimport", rows=_rows, model=_model, obj=_obj)
register("imports.rosterrow", parent="roster_import")
register("imports.columnmapping", **configuration("municipality_id"))
