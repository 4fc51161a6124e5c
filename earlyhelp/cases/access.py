"""Who may see, work and allocate cases.

A case is seen and worked by its team (the members who have not left), while they hold a role
with person-level access in its municipality; the supervisors of its service see, work and
allocate it, unless it is restricted: a restricted case is its team's alone. A case's team
and chronology are read where the case is, and changed where it is.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from earlyhelp.access.engine import PERSON_LEVEL_ROLES, Action, Scope, any_of, register, scope_for
from earlyhelp.cases.models import Case, CaseMember
from earlyhelp.organisations.models import Role

CASE_OPENERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def _case_team(scope: Scope) -> Q | None:
    municipalities = scope.municipality_ids(*PERSON_LEVEL_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    on_team = CaseMember.objects.filter(
        case_id=OuterRef("pk"), user_id=scope.user_id, left_at__isnull=True
    )
    return Q(Exists(on_team), municipality_id__in=municipalities)


def _case_supervisor(scope: Scope) -> Q | None:
    services = scope.ids(Role.SUPERVISOR, "service")
    return Q(service_id__in=services, restricted=False) if services else None


def _case_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.CHANGE, Action.CLOSE):
        return any_of(_case_team(scope), _case_supervisor(scope))
    if action == Action.ALLOCATE:
        return _case_supervisor(scope)
    return None


def _case_services(scope: Scope) -> set[int]:
    return scope.ids_of(CASE_OPENERS, "service")


def _case_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(_case_services(scope))
    if action == Action.LIST:
        return scope.has(*CASE_OPENERS)
    return False


def _case_child_rows(scope: Scope, action: str) -> Q | None:
    case = _case_rows(scope, Action.VIEW if action == Action.VIEW else Action.CHANGE)
    if case is None:
        return None
    return Q(Exists(Case.objects.filter(case, pk=OuterRef("case_id"))))


register("cases.case", rows=_case_rows, model=_case_model)
register("cases.chronologyentry", "cases.casemember", rows=_case_child_rows)


def case_services(user) -> set[int]:
    """The services in which the user may open a case: those of their social-helper,
    case-worker and supervisor memberships."""
    return _case_services(scope_for(user))
