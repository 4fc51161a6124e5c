"""Who may open, rate and read screening rounds.

A round is the institution's: its social helpers (and their supervisors) open it, see who is
flagged and end each flag; its educators rate the children of their own classes in it (all of
the round's classes, for an educator of the whole institution); its lead follows the progress
and the share of flagged children. Managers and analysts read figures of their municipality
only, small cells suppressed (`screening_figures_for`). Instruments are configuration.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.access.engine import (
    AGGREGATE_ROLES,
    Action,
    Scope,
    any_of,
    can,
    configuration,
    helped_institutions,
    register,
    scope_for,
)
from earlyhelp.organisations.models import Role
from earlyhelp.screening.models import RoundGroup


def _round_rows(scope: Scope, action: str) -> Q | None:
    helped = helped_institutions(scope)
    helpers = Q(institution_id__in=helped) if helped else None
    groups = scope.ids(Role.EDUCATOR, "group")
    whole = scope.whole_institutions(Role.EDUCATOR)
    rated = RoundGroup.objects.filter(round_id=OuterRef("pk"), group_id__in=groups)
    educators = any_of(
        Q(Exists(rated)) if groups else None,
        Q(institution_id__in=whole) if whole else None,
    )
    if action in (Action.VIEW_DETAILS, Action.CHANGE):
        return helpers
    if action == Action.RECORD:
        return educators
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        return any_of(helpers, educators, Q(institution_id__in=leads) if leads else None)
    if action == Action.VIEW_STATS:
        return _figures_rows(scope)[0]
    return None


def _figures_rows(scope: Scope) -> tuple[Q | None, bool]:
    """The rounds whose figures the user reads, and whether small cells are hidden: exact for
    the institution's lead, social helpers and supervisors; for a manager or analyst their
    municipality, counts below 5 hidden."""
    exact = scope.ids(Role.INSTITUTION_LEAD, "institution") | helped_institutions(scope)
    if exact:
        return Q(institution_id__in=exact), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return Q(municipality_id__in=municipalities), True
    return None, True


def _round_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(helped_institutions(scope))
    if action == Action.LIST:
        return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD, Role.EDUCATOR)
    if action == Action.VIEW_STATS:
        return scope.has(
            Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR, *AGGREGATE_ROLES
        )
    return False


# A round's ratings are read where its details are; counted (LIST) wherever the round is seen,
# and in its figures (VIEW_STATS) wherever those are read.
_RATING_ACTIONS = {Action.VIEW: Action.VIEW_DETAILS, Action.LIST: Action.VIEW}


def _rating_only_if(scope: Scope, action: str) -> Q:
    """An educator rates (RECORD) the children of their own classes only, or of every class of
    the round for an educator of the whole institution."""
    if action != Action.RECORD:
        return Q()
    whole = scope.whole_institutions(Role.EDUCATOR)
    return Q(group_id__in=scope.ids(Role.EDUCATOR, "group")) | Q(round__institution_id__in=whole)


register("screening.round", rows=_round_rows, model=_round_model)
# A round's ratings: read and ended where its details are, rated where the round is rated.
register(
    "screening.rating",
    parent="round",
    parent_action=lambda action: _RATING_ACTIONS.get(action, action),
    only_if=_rating_only_if,
)
register("screening.instrument", **configuration("municipality_id"))
register("screening.item", **configuration("instrument__municipality_id"))


def screening_institutions(user) -> set[int]:
    """The institutions where the user may open a screening round."""
    return helped_institutions(scope_for(user))


def rating_groups(user, round_) -> set[int]:
    """The classes of `round_` whose children the user rates: their own classes, or all of the
    round's classes for an educator of the whole institution."""
    scope = scope_for(user)
    if not can(user, Action.RECORD, round_):
        return set()
    round_groups = set(round_.round_groups.values_list("group_id", flat=True))
    if round_.institution_id in scope.whole_institutions(Role.EDUCATOR):
        return round_groups
    return round_groups & scope.ids(Role.EDUCATOR, "group")


def screening_figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """Rounds whose figures (share of flagged children per class and institution) the user may
    read, and whether small cells must be suppressed: exact for the institution's lead, social
    helpers and supervisors; for a manager or analyst their municipality, counts below 5
    hidden."""
    rows, suppress = _figures_rows(scope_for(user))
    return (queryset.none() if rows is None else queryset.filter(rows)), suppress


def sees_class_figures(user, round_, group_id: int) -> bool:
    """Figures of a class are for the round's social helpers and the institution's lead; an
    educator sees those of their own classes only (a small class's figures name children)."""
    if can(user, Action.VIEW_DETAILS, round_):
        return True
    if round_.institution_id in scope_for(user).ids(Role.INSTITUTION_LEAD, "institution"):
        return True
    return group_id in rating_groups(user, round_)


def ratable_counts(group_ids) -> dict[int, list[int]]:
    """Per class, the children a round asks to rate: enrolled today and not on a restricted
    record (a restricted child is never rated in a class screening)."""
    from earlyhelp.people.models import Enrolment

    enrolled = (
        Enrolment.objects.current()
        .filter(group_id__in=group_ids, child__restricted=False)
        .values_list("group_id", "child_id")
        .distinct()
    )
    found: dict[int, list[int]] = {}
    for group_id, child_id in enrolled:
        found.setdefault(group_id, []).append(child_id)
    return found
