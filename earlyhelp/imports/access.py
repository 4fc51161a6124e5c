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


def import_candidates(user, roster, rows) -> dict[int, list]:
    """For each unsure row of `rows` (of an import the user may change), the children it could
    be, with their current classes: what the administrator needs to decide, and no more. The
    page audits the read."""
    from earlyhelp.access.engine import can
    from earlyhelp.people.models import Child, Enrolment

    wanted = {r.line: r.candidates for r in rows if r.outcome == "unsure" and r.candidates}
    if not wanted or not can(user, Action.CHANGE, roster):
        return {}
    ids = {pk for found in wanted.values() for pk in found}
    children = {
        c.pk: c
        for c in Child.objects.filter(
            pk__in=ids, municipality_id=roster.municipality_id, erased_at__isnull=True
        ).select_related("municipality__jurisdiction")
    }
    classes: dict[int, list[str]] = {}
    current = Enrolment.objects.current(roster.starts_on).filter(child_id__in=children)
    for child_id, group, institution in current.values_list(
        "child_id", "group__name", "group__institution__name"
    ):
        classes.setdefault(child_id, []).append(f"{group} ({institution})")
    for child in children.values():
        child.classes = classes.get(child.pk, [])
    return {
        line: [children[pk] for pk in found if pk in children] for line, found in wanted.items()
    }


def import_missing(user, roster, limit: int) -> list:
    """The first `limit` enrolments a full roster would end, with the child's name and class,
    for the administrator to confirm."""
    from earlyhelp.access.engine import can
    from earlyhelp.people.models import Enrolment

    if not roster.missing or not can(user, Action.CHANGE, roster):
        return []
    shown = roster.missing[:limit]
    return list(
        Enrolment.objects.filter(pk__in=shown, child__municipality_id=roster.municipality_id)
        .select_related("child__municipality__jurisdiction", "group__institution")
        .order_by("group__institution__name", "group__name", "child__search_name")
    )
