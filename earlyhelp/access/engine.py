"""The access engine: the registry of rules, and the questions asked of it.

The engine knows no capability. Each capability declares who may do what with its models in
its own `<app>/access.py`, registered here by model label (`register`); the engine finds
those modules when Django starts (`AccessConfig.ready`). It answers:

  * `visible(user, queryset, action)`: the rows of the queryset the user may act on;
  * `can(user, action, target)`: whether the user may do the action on an object, or on a
    model (list, create, ...);
  * `granting_path(user, action, obj)`: the role (or "team", "break_glass") through which the
    user does it, which the audit log records.

The vocabulary the rules share (actions, the user's scope read once per request, the places on
a child's team that open restricted records, the team a supervisor supervises, configuration an
administrator manages) is in `scopes.py`, re-exported here. Code outside `access/` asks through
`earlyhelp.access.policy`; the rule modules build on this one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.db.models import Exists, Model, OuterRef, Prefetch, Q, QuerySet

from earlyhelp.access.scopes import (
    AGGREGATE_ROLES,
    BREAK_GLASS,
    BREAK_GLASS_ROLES,
    PERSON_LEVEL_ROLES,
    SMALL_CELL,
    TEAM,
    Action,
    Scope,
    any_of,
    configuration,
    forget_scope,
    helped_institutions,
    on_childs_team,
    scope_for,
    supervised_institutions,
    supervised_members,
    uncached,
)
from earlyhelp.organisations.models import Role

__all__ = [
    "TEAM",
    "BREAK_GLASS",
    "PERSON_LEVEL_ROLES",
    "BREAK_GLASS_ROLES",
    "AGGREGATE_ROLES",
    "SMALL_CELL",
    "Action",
    "Scope",
    "uncached",
    "scope_for",
    "forget_scope",
    "any_of",
    "supervised_members",
    "supervised_institutions",
    "helped_institutions",
    "on_childs_team",
    "configuration",
    "Rules",
    "register",
    "rules_for",
    "registered",
    "visible",
    "narrow",
    "can",
    "fetch",
    "visible_of",
    "visible_prefetch",
    "granting_path",
    "primary_role",
    "remember_answers",
    "known_answers",
]


# --- The registry -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    """Who may do what with one model, as its capability declares it.

    rows(scope, action) -> Q | None: the condition on the model's rows (None: nobody).
    model(scope, action) -> bool: actions on the model itself (list, create, ...).
    obj(scope, action, obj) -> bool | None: an answer decided on the object without a query;
        None lets `rows` decide.
    path(scope, action, obj) -> str: the path written to audit (default: the primary role).
    fetch(user, queryset) -> obj | None: how one record is opened, when its answers can be
        read with it in one query (a child and the path of every action).
    parent: for a row that belongs to another record (a case's team, an activity's
        participants), the foreign key to that record: the row is reached where its parent is,
        for the parent's action `parent_action(action)`, and then only under `only_if`.
    distinct: the condition joins to many rows, so the answer needs DISTINCT.
    configuration: the model is configuration an administrator manages (not a person's data).
    """

    rows: Callable[[Scope, str], Q | None] | None = None
    model: Callable[[Scope, str], bool] | None = None
    obj: Callable[[Scope, str, Model], bool | None] | None = None
    path: Callable[[Scope, str, Model], str] | None = None
    fetch: Callable[[object, QuerySet], Model | None] | None = None
    parent: str | None = None
    parent_action: Callable[[str], str | None] = lambda action: action
    only_if: Callable[[Scope, str], Q | None] | None = None
    distinct: bool = False
    configuration: bool = False


_REGISTRY: dict[str, Rules] = {}


def register(*labels: str, **rules) -> None:
    """Declare the rules of the models `labels` ("app.model"). Each model has one set."""
    for label in labels:
        if label in _REGISTRY:
            raise ValueError(f"The access rules of {label} are declared twice.")
        declared = Rules(**rules)
        if declared.parent is not None and declared.rows is None:
            declared = replace(declared, rows=_rows_of_parent(label, declared))
        _REGISTRY[label] = declared


def _rows_of_parent(label: str, rules: Rules):
    def rows(scope: Scope, action: str) -> Q | None:
        from django.apps import apps

        field = apps.get_model(label)._meta.get_field(rules.parent)
        parent_action = rules.parent_action(action)
        parent = _rules_of(field.related_model)
        q = parent.rows(scope, parent_action) if parent_action and parent.rows else None
        if q is None:
            return None
        parents = field.related_model._default_manager.filter(q, pk=OuterRef(field.attname))
        condition = _only_if(rules, scope, action)
        return None if condition is None else Q(Exists(parents)) & condition

    return rows


def _only_if(rules: Rules, scope: Scope, action: str) -> Q | None:
    """A row's own condition beyond its parent's answer (everything, if it declares none)."""
    return rules.only_if(scope, action) if rules.only_if else Q()


def _rules_of(model: type[Model]) -> Rules:
    return _REGISTRY.get(model._meta.label_lower) or Rules()


def rules_for(model: type[Model]) -> Rules | None:
    return _REGISTRY.get(model._meta.label_lower)


def registered() -> dict[str, Rules]:
    """Every model with rules, by label (for the docs, the golden test and the checks)."""
    return dict(_REGISTRY)


# --- The questions ------------------------------------------------------------------------------


def visible(user, queryset: QuerySet, action: str = Action.VIEW) -> QuerySet:
    """The rows of `queryset` on which `user` may do `action`; none if the policy is silent."""
    return narrow(scope_for(user), queryset, action)


def narrow(scope: Scope, queryset: QuerySet, action: str = Action.VIEW) -> QuerySet:
    """`visible` for a scope at hand (a rule that asks another model's rules)."""
    rules = rules_for(queryset.model)
    if rules is None or rules.rows is None:
        return queryset.none()
    q = rules.rows(scope, action)
    if q is None:
        return queryset.none()
    narrowed = queryset.filter(q)
    return narrowed.distinct() if rules.distinct else narrowed


def can(user, action: str, target) -> bool:
    """May `user` do `action` on `target` (an object, or a model class for list/create)?"""
    scope = scope_for(user)
    if isinstance(target, type):
        rules = rules_for(target)
        return bool(rules and rules.model and rules.model(scope, action))
    known = known_answers(user, target)
    if known is not None and action in known:
        return bool(known[action])
    rules = rules_for(type(target))
    if rules is not None and rules.obj is not None:
        answer = rules.obj(scope, action, target)
        if answer is not None:
            return answer
    model = type(target)
    return visible(user, model._default_manager.filter(pk=target.pk), action).exists()


def fetch(user, queryset: QuerySet, action: str = Action.VIEW, **lookup) -> Model | None:
    """The one row of `queryset` matching `lookup` that `user` may see, or None; whether they
    may also do `action` on it is kept with it (see `remember_answers`), so that the page's
    later questions about it need no query."""
    rules = rules_for(queryset.model) or Rules()
    if rules.fetch is not None:
        obj = rules.fetch(user, queryset.filter(**lookup))
        return obj if obj is not None and can(user, Action.VIEW, obj) else None
    obj = visible(user, queryset, Action.VIEW).filter(**lookup).first()
    if obj is not None and rules.path is None:
        answers = {Action.VIEW: primary_role(user)}
        if action != Action.VIEW:
            answers[action] = primary_role(user) if can(user, action, obj) else ""
        remember_answers(user, obj, answers)
    return obj


def visible_of(user, parent, queryset: QuerySet, action: str = Action.VIEW) -> QuerySet:
    """The rows of `queryset` that belong to `parent` (a case's team, an activity's
    participants, a child's consents) on which `user` may do `action`. Decided on the parent,
    whose answer an object fetched through the policy already carries, so that no subquery over
    the parent's scope is added to every row."""
    rules = rules_for(queryset.model)
    if rules is None or rules.parent is None:
        return visible(user, queryset, action)
    field = queryset.model._meta.get_field(rules.parent)
    rows = queryset.filter(**{field.attname: parent.pk})
    parent_action = rules.parent_action(action)
    if not parent_action or not can(user, parent_action, parent):
        return rows.none()
    condition = _only_if(rules, scope_for(user), action)
    return rows.none() if condition is None else rows.filter(condition)


def visible_prefetch(
    user, lookup: str, queryset: QuerySet, action: str = Action.VIEW, to_attr: str | None = None
) -> Prefetch:
    """A `Prefetch` of the rows of parents that were themselves read through the policy for
    the parent's action (a page of children and their classes): each row is kept under its
    own condition (`only_if`), and the parents are not asked again."""
    rules = rules_for(queryset.model)
    if rules is None or rules.parent is None or not rules.parent_action(action):
        return Prefetch(lookup, queryset=queryset.none(), to_attr=to_attr)
    condition = _only_if(rules, scope_for(user), action)
    rows = queryset.none() if condition is None else queryset.filter(condition)
    return Prefetch(lookup, queryset=rows, to_attr=to_attr)


def granting_path(user, action: str, obj) -> str:
    """The role (or "team", "break_glass") through which `user` may do `action` on `obj`;
    "" if none. This is what the audit log records as the reader's role."""
    known = known_answers(user, obj)
    if known is not None and action in known:
        return known[action]
    rules = rules_for(type(obj))
    if rules is not None and rules.path is not None:
        return rules.path(scope_for(user), action, obj)
    return primary_role(user)


def primary_role(user) -> str:
    """The role shown in the navigation and written to audit rows that concern no person."""
    scope = scope_for(user)
    for role in Role:
        if role in scope.roles:
            return role.value
    return "superuser" if scope.is_superuser else ""


# An object fetched for a user may carry, for that user only, the path that grants each action
# (a child fetched with its paths in one query): `can` and `granting_path` then answer from it.
_ANSWERS_ATTR = "_earlyhelp_paths"


def remember_answers(user, obj, paths: dict[str, str]) -> None:
    """Keep, for this user only, the path of each action decided on `obj` ("" for none)."""
    known = known_answers(user, obj) or {}
    setattr(obj, _ANSWERS_ATTR, (getattr(user, "pk", None), {**known, **paths}))


def known_answers(user, obj) -> dict[str, str] | None:
    known = getattr(obj, _ANSWERS_ATTR, None)
    if known is None or known[0] != getattr(user, "pk", None):
        return None
    return known[1]
