"""Who may hold and read Signs of Safety meetings about a staff worry (without a case).

A meeting is the institution's: its social helpers (and their supervisors) facilitate and
change it; its lead reads it. It names no child. The Signs of Safety work inside a case
follows the case (`earlyhelp/cases/access.py`).
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, any_of, helped_institutions, register, scope_for
from earlyhelp.organisations.models import Role


def _meeting_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.CHANGE):
        return None
    helped = helped_institutions(scope)
    leads = scope.ids(Role.INSTITUTION_LEAD, "institution") if action == Action.VIEW else set()
    return any_of(
        Q(institution_id__in=helped) if helped else None,
        Q(institution_id__in=leads) if leads else None,
    )


def _meeting_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(scope.ids(Role.SOCIAL_HELPER, "institution"))
    if action == Action.LIST:
        return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD)
    return False


register("safety.safetymeeting", rows=_meeting_rows, model=_meeting_model)


def meeting_institutions(user) -> set[int]:
    """The institutions for which the user facilitates Signs of Safety meetings."""
    return scope_for(user).ids(Role.SOCIAL_HELPER, "institution")


def meeting_service(user, institution):
    """The service whose Signs of Safety tools a meeting the user facilitates at `institution`
    follows: that of the user's social-helper membership there, else the first service of the
    institution's municipality that does Signs of Safety; None when there is none."""
    from earlyhelp.knowledge.items import SERVICE_KINDS, Kind
    from earlyhelp.organisations.models import Service

    ids = {
        m.service_id
        for m in scope_for(user).roles.get(Role.SOCIAL_HELPER, [])
        if m.institution_id == institution.pk and m.service_id is not None
    }
    services = Service.objects.filter(municipality_id=institution.municipality_id)
    return (
        services.filter(pk__in=ids).order_by("pk").first()
        or services.filter(kind__in=SERVICE_KINDS[Kind.SAFETY_TOOLS]).order_by("pk").first()
    )
