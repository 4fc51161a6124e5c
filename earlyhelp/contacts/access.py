"""Who may see and work contact arrangements, their meetings and reports.

An arrangement is worked by its worker and other workers (while they hold a role that works
with families in its municipality), and by the supervisors of its service. The service's case
workers read its arrangements (their contact calendar), except those of children on
restricted records; a restricted child's arrangement is for the workers named on the child's
team. Meetings and reports are read and changed where their arrangement is; a report is
changed (and sent for review) only by its writer, and released by a supervisor of the service
who did not write it: a report is always released by a second person. Rooms are configuration.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from earlyhelp.access.engine import (
    Action,
    Scope,
    any_of,
    configuration,
    on_childs_team,
    register,
    scope_for,
)
from earlyhelp.contacts.models import Arrangement
from earlyhelp.organisations.models import Role

CONTACT_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.SOCIAL_HELPER)
CONTACT_OPENERS = (Role.CASE_WORKER, Role.SUPERVISOR)


def _contact_team(scope: Scope) -> Q | None:
    municipalities = scope.municipality_ids(*CONTACT_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    co_worker = Arrangement.workers.through.objects.filter(
        arrangement_id=OuterRef("pk"), user_id=scope.user_id
    )
    return (
        (Q(lead_id=scope.user_id) | Q(Exists(co_worker)))
        & Q(municipality_id__in=municipalities)
        & on_childs_team(scope, "child_id")
    )


def _arrangement_rows(scope: Scope, action: str) -> Q | None:
    team = scope.memo(_contact_team)
    supervised = scope.ids(Role.SUPERVISOR, "service")
    if action == Action.VIEW:
        readers = supervised | scope.ids(Role.CASE_WORKER, "service")
        service = Q(service_id__in=readers, child__restricted=False) if readers else None
        return any_of(team, service)
    if action == Action.CHANGE:
        service = Q(service_id__in=supervised, child__restricted=False) if supervised else None
        return any_of(team, service)
    return None


def _arrangement_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(scope.ids_of(CONTACT_OPENERS, "service"))
    if action == Action.LIST:
        return scope.has(*CONTACT_OPENERS)
    return False


def _report_rows(scope: Scope, action: str) -> Q | None:
    if action == Action.APPROVE:
        supervised = scope.ids(Role.SUPERVISOR, "service")
        if not supervised or scope.user_id is None:
            return None
        return (
            Q(arrangement__service_id__in=supervised)
            & on_childs_team(scope, "arrangement__child_id")
            & ~Q(written_by_id=scope.user_id)
        )
    arrangement = _arrangement_rows(
        scope, Action.CHANGE if action == Action.CHANGE else Action.VIEW
    )
    if arrangement is None:
        return None
    q = Q(Exists(Arrangement.objects.filter(arrangement, pk=OuterRef("arrangement_id"))))
    if action == Action.CHANGE:
        q &= Q(written_by_id=scope.user_id)
    return q


register("contacts.arrangement", rows=_arrangement_rows, model=_arrangement_model)
register(
    "contacts.meeting",
    parent="arrangement",
    parent_action=lambda action: (
        None
        if action == Action.APPROVE
        else Action.CHANGE
        if action == Action.CHANGE
        else Action.VIEW
    ),
)
register("contacts.report", rows=_report_rows)
register("contacts.room", **configuration("municipality_id"))


def contact_services(user) -> set[int]:
    """The services in which the user may open a contact arrangement: those of their case-
    worker and supervisor memberships."""
    return scope_for(user).ids_of(CONTACT_OPENERS, "service")


def listed_services(user) -> set[int]:
    """The services a list of arrangements offers to filter by: those in which the user works
    with families (case worker, supervisor, social helper)."""
    return scope_for(user).ids_of(CONTACT_ROLES, "service")
