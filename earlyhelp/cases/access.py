"""Who may see, work and allocate cases.

A case is seen and worked by its team (the members who have not left), while they hold a role
with person-level access in its municipality; the supervisors of its service see, work and
allocate it, unless it is restricted: a restricted case is its team's alone. A case's team
and chronology are read where the case is, and changed where it is. A case about an adult or a
household of adults is reached the same way and no other: never through a child (the adults it
is about are reached through it, in people/access.py).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from earlyhelp.access.engine import (
    PERSON_LEVEL_ROLES,
    Action,
    Scope,
    any_of,
    known_answers,
    register,
    remember_answers,
    scope_for,
)
from earlyhelp.cases.models import CaseMember
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
    if action == Action.ALLOCATE:
        # The team's caseload and allocation: a supervisor's.
        return scope.has(Role.SUPERVISOR)
    return False


def _case_action(action: str) -> str:
    return Action.VIEW if action == Action.VIEW else Action.CHANGE


register("cases.case", rows=_case_rows, model=_case_model)
# The case's own rows: its team, chronology, children and participants.
register(
    "cases.chronologyentry",
    "cases.casemember",
    "cases.casechild",
    "cases.caseparticipant",
    parent="case",
    parent_action=_case_action,
)


def remember_case_work(user, case) -> None:
    """Whoever may read a case may work it and close it: the same rows answer all three
    (`_case_rows`). A case fetched for reading through the policy keeps the answers for changing
    and closing it too, so that its page asks no query more for them."""
    known = known_answers(user, case) or {}
    if known.get(Action.VIEW):
        path = known[Action.VIEW]
        remember_answers(user, case, {Action.CHANGE: path, Action.CLOSE: path})


def case_services(user) -> set[int]:
    """The services in which the user may open a case: those of their social-helper,
    case-worker and supervisor memberships."""
    return _case_services(scope_for(user))


def own_case_ids(user):
    """The ids of the cases on whose team the user is (the team path of the rules, by its
    index): "my cases"."""
    return CaseMember.objects.filter(user=user, left_at__isnull=True).values("case_id")


def supervised_services(user) -> set[int]:
    """The services whose cases the user supervises (their caseload and overdue steps)."""
    return scope_for(user).ids(Role.SUPERVISOR, "service")
