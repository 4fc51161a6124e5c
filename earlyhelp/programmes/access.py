"""Who may see and run programmes, their indicators and their funder's reports.

A programme is run by its lead and by the managers of its municipality: they set it up (its
partners, documents, target groups, indicators and outcome categories), write the funder's
report and release it. Analysts of the municipality read its figures. None of them sees a
person through a programme: the programme page and the report show aggregates only, computed
from maintained figures, and an analyst reads them with small cells suppressed
(`figures_suppressed`). A report is released by a second person: a manager or the lead who did
not prepare it. Once released it is fixed.

The people who do the work (social helpers, case workers, supervisors) count their records for
the programmes of their municipality (LINK). An outcome recorded for a programme belongs to its
case and is read and changed where the case is.

Action areas are configuration of the municipality, drawn by its managers and administrators.
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, any_of, register, scope_for
from earlyhelp.organisations.models import Role

RUNNERS = (Role.MANAGER,)
READERS = (Role.MANAGER, Role.ANALYST)
LINKERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def _led(scope: Scope) -> Q | None:
    # The lead runs the programme while they hold a role in its municipality.
    municipalities = scope.municipality_ids(*Role.values)
    if scope.user_id is None or not municipalities:
        return None
    return Q(lead_id=scope.user_id, municipality_id__in=municipalities)


def _in(scope: Scope, *roles: str) -> Q | None:
    municipalities = scope.municipality_ids(*roles)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _programme_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.VIEW_STATS):
        return any_of(_led(scope), _in(scope, *READERS))
    if action in (Action.CHANGE, Action.MANAGE, Action.APPROVE):
        return any_of(_led(scope), _in(scope, *RUNNERS))
    if action == Action.LINK:
        return _in(scope, *LINKERS)
    return None


def _programme_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return scope.has(*RUNNERS)
    if action == Action.LIST:
        return scope.has(*READERS) or (scope.user_id is not None and _led_exists(scope.user_id))
    return False


def _led_exists(user_id: int) -> bool:
    from earlyhelp.programmes.models import Programme

    return Programme.objects.filter(lead_id=user_id).exists()


register("programmes.programme", rows=_programme_rows, model=_programme_model)


def _setup_action(action: str) -> str | None:
    """A programme's set-up (partners, documents, target groups, indicators, outcome
    categories) is read where the programme is and changed where it is run."""
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CHANGE, Action.CREATE, Action.MANAGE):
        return Action.CHANGE
    return None


register(
    "programmes.partner",
    "programmes.document",
    "programmes.targetgroup",
    "programmes.indicator",
    "programmes.outcomecategory",
    parent="programme",
    parent_action=_setup_action,
)


def _report_action(action: str) -> str | None:
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CHANGE, Action.APPROVE):
        return Action.CHANGE
    return None


def _report_only_if(scope: Scope, action: str) -> Q | None:
    if action == Action.CHANGE:
        # The narrative is written while the report is a draft; a released one is fixed.
        return Q(status="draft")
    if action == Action.APPROVE:
        # Released by a second person: never the one who prepared it.
        return Q(status="draft") & ~Q(prepared_by_id=scope.user_id)
    return Q()


register(
    "programmes.report",
    parent="programme",
    parent_action=_report_action,
    only_if=_report_only_if,
)

# An outcome belongs to its case: read and changed where the case is.
register("programmes.outcome", parent="case")


def _area_rows(scope: Scope, action: str) -> Q | None:
    if scope.is_superuser:
        return Q()
    if action in (Action.VIEW, Action.LIST):
        return _in(scope, Role.ADMIN, *READERS, *LINKERS)
    if action in (Action.CHANGE, Action.MANAGE):
        return _in(scope, Role.ADMIN, *RUNNERS)
    return None


def _area_model(scope: Scope, action: str) -> bool:
    if action in (Action.CREATE, Action.MANAGE):
        return scope.is_superuser or scope.has(Role.ADMIN, *RUNNERS)
    return action == Action.LIST and scope.has(Role.ADMIN, *READERS)


register("programmes.actionarea", rows=_area_rows, model=_area_model)


def figures_suppressed(user, programme) -> bool:
    """Whether the user reads the programme's figures with counts below SMALL_CELL hidden: an
    analyst does; its lead and the managers who run it read them exactly."""
    scope = scope_for(user)
    if scope.user_id is not None and programme.lead_id == scope.user_id:
        return False
    return programme.municipality_id not in scope.municipality_ids(*RUNNERS)


# --- Setting up a programme from a shipped template (views/templates.py) ---
def creatable_municipalities(user) -> set[int]:
    """The municipalities where the user may set up a new programme: where they run
    programmes."""
    return scope_for(user).municipality_ids(*RUNNERS)
