"""Reads of person-level data are audited only through `earlyhelp.access.shortcuts`
(`open_record`, `audit_read`, `audit_list`, `audit_export`), which write the role the policy
names. A read written to the log by hand, with a role the view chose, fails here."""

import ast
from pathlib import Path

from earlyhelp.access.tests.bypass import ROOT

AUDIT_WRITERS = frozenset({"audit_request", "audit_record"})
READ_ACTIONS = frozenset({"view", "list", "export"})
# The entry points themselves, and the log they write to.
EXEMPT = (("earlyhelp", "access"), ("earlyhelp", "audit"))


def _is_checked(relative: Path) -> bool:
    if relative.parts[:2] in EXEMPT:
        return False
    return not ({"tests", "migrations"} & set(relative.parts) or relative.name.startswith("test_"))


def _read_action(call: ast.Call) -> str:
    """The read action a call to an audit writer passes as a constant, or ""."""
    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
    if name not in AUDIT_WRITERS:
        return ""
    for keyword in call.keywords:
        if keyword.arg != "action":
            continue
        value = keyword.value
        if isinstance(value, ast.Constant) and value.value in READ_ACTIONS:
            return value.value
        # Action.VIEW and Action.LIST are the same strings.
        if isinstance(value, ast.Attribute) and value.attr.lower() in READ_ACTIONS:
            return value.attr.lower()
    return ""


def reads_audited_by_hand(source: str, path: str) -> list[str]:
    """The "path:line" of every call in `source` that writes a read to the log by hand."""
    return [
        f"{path}:{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and _read_action(node)
    ]


def find_reads_audited_by_hand() -> list[str]:
    found = []
    for path in sorted((ROOT / "earlyhelp").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if _is_checked(relative):
            found += reads_audited_by_hand(path.read_text(), str(relative))
    return found


def test_reads_are_audited_only_through_the_entry_points():
    assert find_reads_audited_by_hand() == []


HAND_WRITTEN = """
from earlyhelp.access.policy import primary_role
from earlyhelp.audit import services
from earlyhelp.audit.services import audit_request


def page(request, child):
    audit_request(request, action="view", obj=child, role=primary_role(request.user))
    services.audit_record(actor=request.user, action="export", obj=child)
    audit_request(request, action=Action.LIST, object_type="people.child")
    audit_request(request, action="change", obj=child)
"""


def test_the_check_finds_reads_written_to_the_log_by_hand():
    assert reads_audited_by_hand(HAND_WRITTEN, "views.py") == [
        "views.py:8",
        "views.py:9",
        "views.py:10",
    ]


def test_the_check_lets_the_entry_points_and_other_actions_pass():
    source = (
        "def page(request, child):\n"
        '    audit_read(request, child, purpose="child")\n'
        '    audit_request(request, action="logout")\n'
    )
    assert reads_audited_by_hand(source, "views.py") == []


def test_the_entry_points_and_the_log_are_not_checked():
    assert not _is_checked(Path("earlyhelp/access/shortcuts.py"))
    assert not _is_checked(Path("earlyhelp/audit/services.py"))
    assert not _is_checked(Path("earlyhelp/people/tests/test_views.py"))
    assert _is_checked(Path("earlyhelp/people/views.py"))
