"""Who may record and read absences: the class register.

An educator records the absence of the children of their class (or of the whole institution,
for an educator without a class), the institution's lead of the institution's children; the
institution's social helpers read the register. Institutions without a register (health
visiting, clubs) have none.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.access.engine import Action, Scope, any_of, register, scope_for
from earlyhelp.organisations.models import Role
from earlyhelp.people.access import children_in_groups, children_in_institutions, unrestricted
from earlyhelp.people.models import Child

# Institutions that keep a class register; health visiting and clubs do not.
REGISTER_KINDS = ("school", "kindergarten", "daycare")


def _absence_recording(scope: Scope) -> dict[int, Q]:
    found: dict[int, list[Q | None]] = {}
    for m in scope.roles.get(Role.EDUCATOR, []):
        if m.institution_id is None or m.institution.kind not in REGISTER_KINDS:
            continue
        q = children_in_groups({m.group_id}) if m.group_id else None
        q = q or children_in_institutions({m.institution_id})
        found.setdefault(m.institution_id, []).append(unrestricted(q))
    for m in scope.roles.get(Role.INSTITUTION_LEAD, []):
        if m.institution_id is None or m.institution.kind not in REGISTER_KINDS:
            continue
        found.setdefault(m.institution_id, []).append(
            unrestricted(children_in_institutions({m.institution_id}))
        )
    return {institution_id: any_of(*parts) for institution_id, parts in found.items()}


def absence_recording_children(user) -> dict[int, Q]:
    """Per institution, the children whose absence the user records there."""
    return _absence_recording(scope_for(user))


def _absence_rows(scope: Scope, action: str) -> Q | None:
    parts = [
        Q(institution_id=institution_id)
        & Q(Exists(Child.objects.filter(q, pk=OuterRef("child_id"))))
        for institution_id, q in _absence_recording(scope).items()
    ]
    if action == Action.VIEW:
        helped = scope.ids(Role.SOCIAL_HELPER, "institution")
        if helped:
            parts.append(Q(institution_id__in=helped))
    return any_of(*parts)


def _absence_model(scope: Scope, action: str) -> bool:
    return action == Action.RECORD and bool(_absence_recording(scope))


register("absences.absence", rows=_absence_rows, model=_absence_model)


def recordable_children(*, user, institution) -> QuerySet:
    """The children whose absence the user records at `institution` (none if not theirs), by
    name: the choices of the class register."""
    q = absence_recording_children(user).get(institution.pk)
    if q is None:
        return Child.objects.none()
    return Child.objects.filter(q).order_by("search_name", "pk")
