"""Who runs, rates and reads a screening of promising interventions (a review).

A review belongs to a municipality and is nobody's personal data, but while it runs it holds
the review group's unfinished judgements. So:

- **Leads** run it (change its question and group, add criteria and candidates, move it on,
  write the recommendation, make the prototype, close it): its owner, and the administrators
  and managers of its municipality. The owner leads only while they hold a role there.
- **Raters** are the owner and the members of the review group (staff of the municipality
  named on it), while they hold a role there; each rates with their own ratings.
- **Readers:** while the review runs, its leads and raters alone see it (everyone else gets
  404). Once it is recommended, everyone with a role in the municipality reads it, as they
  read the catalogue its prototype joins.
- Administrators, managers and supervisors start reviews (the same people who add entries to
  the catalogue, which a review's prototype becomes part of); the list is open to everyone
  with a role, and shows what each may read.

Criteria, candidates and ratings are read where their review is read; criteria and candidates
are added where it is changed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.access.engine import Action, Scope, any_of, register, scope_for
from earlyhelp.knowledge.access.catalogue import AUTHORS
from earlyhelp.organisations.models import Role


def _places(scope: Scope) -> list[int]:
    return scope.municipality_ids(*Role.values)


def _own(scope: Scope) -> Q | None:
    places = _places(scope)
    if scope.user_id is None or not places:
        return None
    return Q(owner_id=scope.user_id, municipality_id__in=places)


def _group(scope: Scope) -> Q | None:
    places = _places(scope)
    if scope.user_id is None or not places:
        return None
    return Q(members__id=scope.user_id, municipality_id__in=places)


def _led(scope: Scope) -> Q | None:
    if scope.is_superuser:
        return Q()
    whole = scope.municipality_ids(Role.ADMIN, Role.MANAGER)
    return any_of(Q(municipality_id__in=whole) if whole else None, _own(scope))


def _read(scope: Scope) -> Q | None:
    if scope.is_superuser:
        return Q()
    places = _places(scope)
    published = Q(recommended_at__isnull=False, municipality_id__in=places) if places else None
    return any_of(scope.memo(_led), _group(scope), published)


def _review_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return scope.memo(_read)
    if action in (Action.CHANGE, Action.MANAGE, Action.CLOSE):
        return scope.memo(_led)
    if action == Action.RECORD:
        return any_of(_own(scope), _group(scope))
    return None


def _review_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return scope.is_superuser or bool(scope.roles)
    if action == Action.CREATE:
        return scope.is_superuser or scope.has(*AUTHORS)
    return False


register("knowledge.review", rows=_review_rows, model=_review_model, distinct=True)


def _part_action(action: str) -> str | None:
    """A criterion or candidate is read where its review is read, added where it is changed."""
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CREATE, Action.CHANGE):
        return Action.CHANGE
    return None


register("knowledge.criterion", "knowledge.candidate", parent="review", parent_action=_part_action)


def _rating_action(action: str) -> str | None:
    """A rating is read where its review is read and given where the review is rated; the
    service keeps each rater to their own ratings."""
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CREATE, Action.CHANGE, Action.RECORD):
        return Action.RECORD
    return None


register("knowledge.rating", parent="review", parent_action=_rating_action)


def review_municipalities(user) -> QuerySet:
    """The municipalities in which the user may start a review."""
    from earlyhelp.organisations.models import Municipality

    scope = scope_for(user)
    if scope.is_superuser:
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=scope.municipality_ids(*AUTHORS)).order_by("name")
