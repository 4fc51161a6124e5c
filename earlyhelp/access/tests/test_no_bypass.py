"""Nothing goes around the access policy: no page, form, selector, template, export or API
handler reads person-level data by hand, and nothing outside the policy uses its engine."""

import ast
from pathlib import Path

from earlyhelp.access.tests.bypass import ROOT, check_source, find_bypasses, person_accessors

# The choices of the contact-arrangement form as they once were: the child's relatives without
# the policy, so that an adult on a restricted record was named to a supervisor.
THE_CONTACTS_LEAK = """
from earlyhelp.people.models import Adult


def _choices(user, services_qs, child, arrangement=None):
    adults = Adult.objects.none()
    if child is not None:
        adults = (
            Adult.objects.filter(relationships__child=child)
            .distinct()
            .order_by("family_name", "given_name")
        )
    return {"adults": adults}
"""

THROUGH_THE_POLICY = """
from earlyhelp.access.policy import Action, visible, visible_of
from earlyhelp.people.models import Adult


def _choices(user, child, activity):
    adults = visible(user, Adult.objects.filter(relationships__child=child))
    rows = activity.participants.filter(left_on__isnull=True)
    taken = visible_of(user, activity, rows, Action.LIST).count()
    return {"adults": adults, "taken": taken}
"""


def test_no_page_reads_person_level_data_around_the_policy():
    assert [str(bypass) for bypass in find_bypasses()] == []


def test_the_check_finds_the_contact_forms_old_choice_of_adults():
    found = check_source(THE_CONTACTS_LEAK, "earlyhelp/contacts/views.py", person_accessors())
    assert [bypass.line for bypass in found] == [9]


def test_the_check_lets_reads_through_the_policy_pass():
    assert check_source(THROUGH_THE_POLICY, "views.py", person_accessors()) == []


def test_a_related_manager_read_by_hand_is_found():
    source = "def page(activity):\n    return list(activity.participants.all())\n"
    assert len(check_source(source, "views.py", person_accessors())) == 1


def _engine_importers() -> list[str]:
    found = []
    for path in sorted((ROOT / "earlyhelp").rglob("*.py")):
        relative = path.relative_to(ROOT)
        # A capability's rules: its access.py, or the modules of its access package.
        in_rules = path.name == "access.py" or path.parent.name == "access"
        if relative.parts[:2] == ("earlyhelp", "access") or in_rules:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            internals = ("earlyhelp.access.engine", "earlyhelp.access.scopes")
            if any(name.startswith(internals) for name in names):
                found.append(f"{relative}:{node.lineno}")
    return found


def test_only_the_policy_and_the_capabilities_rules_use_the_engine():
    """Everyone else asks `earlyhelp.access.policy` or a capability's `access.py`."""
    assert _engine_importers() == []


def test_every_capability_declares_its_rules_in_its_own_module():
    from earlyhelp.access.engine import registered

    for label, rules in registered().items():
        app = label.split(".")[0]
        declared = {
            getattr(rules, name).__module__
            for name in ("rows", "model", "obj", "path", "only_if")
            if getattr(rules, name) is not None
        } - {"earlyhelp.access.engine", "earlyhelp.access.scopes"}
        owner = "earlyhelp.access.rules" if app == "access" else f"earlyhelp.{app}.access"
        # An app's rules live in its access module, or in the modules of its access package.
        assert all(m == owner or m.startswith(f"{owner}.") for m in declared), (label, declared)
    assert Path(ROOT / "earlyhelp" / "access" / "engine.py").exists()
