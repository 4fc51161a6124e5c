"""Finds reads of person-level data that do not go through the access policy.

The modules that show data to a person (views, forms, API handlers, selectors, template tags,
exports, PDFs and the administration) must not build a queryset of a person-level model by
hand: every such queryset starts from `visible(...)` (or one of the policy's entry points that
call it), so that the policy, and nothing else, decides what a page shows. Two shapes are
found:

  * a manager of a person-level model (`Adult.objects...`, `Child._default_manager...`) that is
    not an argument of a policy entry point;
  * a related manager that leads to a person-level model (`child.relationships.all()`,
    `activity.participants.filter(...)`) outside such an argument, in Python and in templates
    (`{% for p in activity.participants.all %}`).

`earlyhelp/access/tests/test_no_bypass.py` runs it over the code base; the engine's own
internals are checked there too.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps

# The person-level models: a person's record, or a row that names or describes one.
PERSON_LEVEL = (
    "people.child",
    "people.adult",
    "people.relationship",
    "people.enrolment",
    "people.consent",
    "people.childteammember",
    "concerns.concern",
    "concerns.concernchild",
    "cases.case",
    "cases.casechild",
    "cases.casemember",
    "cases.chronologyentry",
    "cases.caseparticipant",
    "activities.activity",
    "activities.participant",
    "activities.session",
    "contacts.arrangement",
    "contacts.meeting",
    "contacts.report",
    "fostercare.household",
    "fostercare.carer",
    "fostercare.placement",
    "screening.rating",
    "absences.absence",
    "workforce.staffprofile",
    "workforce.qualification",
    "workforce.employment",
    "workforce.attendance",
    "workforce.supervisionsession",
    "workforce.supervisionnote",
    "workforce.teamdiscussion",
    "workforce.discusseditem",
    "workforce.discussionlearning",
    "workforce.implementationsupport",
    "workforce.supportsession",
)

# The calls whose arguments are handed to the policy.
POLICY_CALLS = frozenset(
    {
        "visible",
        "visible_of",
        "visible_prefetch",
        "visible_children",
        "get_object_or_deny",
        "open_record",
        "with_child_paths",
        "figures_for",
        "screening_figures_for",
        "fostercare_figures_for",
    }
)

QUERYSET_METHODS = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "get",
        "first",
        "last",
        "count",
        "exists",
        "values",
        "values_list",
        "order_by",
        "select_related",
        "prefetch_related",
        "annotate",
        "aggregate",
        "in_bulk",
        "iterator",
        "distinct",
        "only",
        "defer",
        "none",
        "union",
    }
)

ROOT = Path(__file__).resolve().parents[3]


def _is_shown_module(path: Path) -> bool:
    """The modules that show data to a person."""
    name = path.name
    if "tests" in path.parts or "migrations" in path.parts or "management" in path.parts:
        return False
    return (
        name.startswith("views")
        or name in {"forms.py", "api.py", "admin.py", "selectors.py", "exports.py"}
        or "pdf" in name
        or name == "official_form.py"
        or path.parent.name == "templatetags"
        # The API's resources, one module each (api/people.py, ...).
        or path.parent.name == "api"
    )


def person_models() -> dict[str, type]:
    return {label: apps.get_model(label) for label in PERSON_LEVEL}


def person_accessors() -> set[str]:
    """The names of related managers that lead to a person-level model."""
    targets = set(person_models().values())
    names = set()
    for model in apps.get_models():
        if not model.__module__.startswith("earlyhelp."):
            continue
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            if related not in targets:
                continue
            if field.one_to_many or (field.many_to_many and field.auto_created):
                names.add(field.get_accessor_name())
            elif field.many_to_many:
                names.add(field.name)
    return names


@dataclass(frozen=True)
class Bypass:
    path: str
    line: int
    code: str
    # A read inside a base-queryset builder (a function named `*_queryset`), forgiven when
    # every call of the builder hands its result to the policy.
    builder: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code}"


@dataclass
class Found:
    bypasses: list[Bypass]
    # Calls of base-queryset builders: (name, handed to the policy, where).
    builder_calls: list[tuple[str, bool, Bypass]]


def _imported_models(tree: ast.AST) -> dict[str, type]:
    """The names under which a module imports person-level models."""
    by_name = {}
    for model in person_models().values():
        by_name[(model.__module__, model.__name__)] = model
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                model = by_name.get((node.module, alias.name))
                if model is not None:
                    found[alias.asname or alias.name] = model
    return found


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _handed_to_policy(node: ast.AST, parents: dict) -> bool:
    """Whether `node` sits inside an argument of a policy call (or is the receiver of a chain
    that a policy call started)."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if (
            isinstance(parent, ast.Call)
            and _call_name(parent) in POLICY_CALLS
            and child is not parent.func
        ):
            return True
        child, parent = parent, parents.get(parent)
    return False


def check_source(source: str, path: str, accessors: set[str]) -> list[Bypass]:
    """The bypasses of one module (base-queryset builders judged within the module alone)."""
    return _judge([_scan(source, path, accessors)])


def _scan(source: str, path: str, accessors: set[str]) -> Found:
    tree = ast.parse(source)
    models = _imported_models(tree)
    parents = _parents(tree)
    lines = source.splitlines()
    found = Found([], [])
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node).endswith("_queryset"):
            where = Bypass(path, node.lineno, lines[node.lineno - 1].strip())
            found.builder_calls.append((_call_name(node), _handed_to_policy(node, parents), where))
        if not isinstance(node, ast.Attribute):
            continue
        manager = (
            node.attr in {"objects", "_default_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        )
        related = node.attr in accessors and _queried(node, parents)
        if not (manager or related) or _handed_to_policy(node, parents):
            continue
        if "none" in _chain_calls(node, parents) or _correlated(node, parents):
            continue
        if _assigned_then_handed(node, parents):
            continue
        found.bypasses.append(
            Bypass(path, node.lineno, lines[node.lineno - 1].strip(), _builder(node, parents))
        )
    return found


def _builder(node: ast.AST, parents: dict) -> str:
    """The base-queryset builder whose returned value `node` is part of, if any."""
    parent = parents.get(node)
    while parent is not None and not isinstance(parent, ast.FunctionDef):
        parent = parents.get(parent)
    if parent is None or not parent.name.endswith("_queryset"):
        return ""
    returned = any(isinstance(n, ast.Return) and node in set(ast.walk(n)) for n in parent.body)
    return parent.name if returned else ""


def _judge(found: list[Found]) -> list[Bypass]:
    """A builder is forgiven when it is called, and every call hands its result to the policy;
    otherwise its reads and its unhanded calls are bypasses."""
    calls: dict[str, list[tuple[bool, Bypass]]] = {}
    for module in found:
        for name, handed, where in module.builder_calls:
            calls.setdefault(name, []).append((handed, where))
    result = []
    for module in found:
        for bypass in module.bypasses:
            uses = calls.get(bypass.builder, [])
            if not bypass.builder or not uses or not all(handed for handed, _ in uses):
                result.append(bypass)
    defined = {b.builder for module in found for b in module.bypasses if b.builder}
    for name in sorted(defined):
        result += [where for handed, where in calls.get(name, []) if not handed]
    return result


def _assigned_then_handed(node: ast.AST, parents: dict) -> bool:
    """`rows = Model.objects.filter(...)` followed, in the same function, by `visible(user,
    rows, ...)` (or another policy call taking `rows`): the name is handed to the policy."""
    top = node
    while isinstance(parents.get(top), ast.Attribute | ast.Call):
        top = parents[top]
    assign = parents.get(top)
    if not (
        isinstance(assign, ast.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0], ast.Name)
    ):
        return False
    name = assign.targets[0].id
    scope = assign
    while scope is not None and not isinstance(scope, ast.FunctionDef | ast.Module):
        scope = parents.get(scope)
    uses = [
        n
        for n in ast.walk(scope)
        if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
    ]
    return bool(uses) and all(_handed_to_policy(n, parents) for n in uses)


def _chain_calls(node: ast.AST, parents: dict) -> set[str]:
    """The queryset methods called along the chain that starts at `node`."""
    called = set()
    parent = parents.get(node)
    while isinstance(parent, ast.Attribute | ast.Call):
        if isinstance(parent, ast.Attribute):
            called.add(parent.attr)
        parent = parents.get(parent)
    return called


def _correlated(node: ast.AST, parents: dict) -> bool:
    """A subquery correlated to the outer row (`OuterRef`) reads only rows of that row, which
    the outer query, through the policy, decides."""
    top = node
    while isinstance(parents.get(top), ast.Attribute | ast.Call):
        top = parents[top]
    return any(
        isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "OuterRef"
        for n in ast.walk(top)
    )


def _queried(node: ast.Attribute, parents: dict) -> bool:
    """`x.accessor.<queryset method>(...)`: the related manager is read."""
    parent = parents.get(node)
    return isinstance(parent, ast.Attribute) and parent.attr in QUERYSET_METHODS


def _template_pattern(accessors: set[str]) -> re.Pattern:
    names = "|".join(sorted(accessors))
    return re.compile(rf"\.({names})\.(all|count|exists|first|last)\b")


def check_template(text: str, path: str, accessors: set[str]) -> list[Bypass]:
    pattern = _template_pattern(accessors)
    return [
        Bypass(path, number, line.strip())
        for number, line in enumerate(text.splitlines(), 1)
        if pattern.search(line)
    ]


def find_bypasses() -> list[Bypass]:
    accessors = person_accessors()
    modules = [
        _scan(path.read_text(), str(path.relative_to(ROOT)), accessors)
        for path in sorted((ROOT / "earlyhelp").rglob("*.py"))
        if _is_shown_module(path)
    ]
    found = _judge(modules)
    for path in sorted((ROOT / "earlyhelp").rglob("templates/**/*.html")):
        found += check_template(path.read_text(), str(path.relative_to(ROOT)), accessors)
    return found
