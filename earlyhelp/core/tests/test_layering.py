"""core is the ground floor: every app may build on it, and it builds on none of them.

Every module of the core package is parsed (imports inside functions included) and may import
Django, third parties and core itself, never another earlyhelp app. Its tests are left out: they
exercise core through the whole project, with its personas and factories.
"""

import ast
from pathlib import Path

import earlyhelp.core

CORE = Path(earlyhelp.core.__file__).resolve().parent


def _modules() -> list[Path]:
    return sorted(
        path for path in CORE.rglob("*.py") if "tests" not in path.relative_to(CORE).parts
    )


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # `from earlyhelp import people` names an app, too
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "earlyhelp" or len(parts) < 2:
        return None
    return parts[1]


def test_core_imports_no_other_earlyhelp_app():
    offences = []
    for path in _modules():
        tree = ast.parse(path.read_text(), filename=str(path))
        for module in sorted(_imported(tree)):
            app = _app_of(module)
            if app is not None and app != "core":
                offences.append(f"{path.relative_to(CORE.parent.parent)}: {module}")
    assert offences == [], "core must not import these:\n" + "\n".join(offences)


def test_the_check_sees_core_modules_and_catches_an_app_import():
    assert CORE / "pdf.py" in _modules()
    tree = ast.parse("def f():\n    from earlyhelp.cases.models import Case\n")
    assert {_app_of(m) for m in _imported(tree)} == {"cases"}
