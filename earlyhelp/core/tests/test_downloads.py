"""Every private download answers the same way, and no view builds a file response around the
one helper that does (`core/downloads.py`)."""

import ast
from pathlib import Path

import pytest
from django.db import transaction

import earlyhelp
from earlyhelp.access.tests.test_matrix import EXPECTATIONS
from earlyhelp.tests.matrix import ANON
from earlyhelp.tests.personas import build_world, sign_in

ROOT = Path(earlyhelp.__file__).resolve().parent
# Not cached, not sniffed into a page, and sandboxed (no script, no same origin) if rendered.
PRIVATE = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}
# The answers that are pages or data, not files a person takes away.
NOT_DOWNLOADS = ("text/html", "application/json")
# Plain answers that hold nobody's data: the health check, the admin's translations script.
PUBLIC_FILES = {"health", "admin:jsi18n"}
# Where a file response may be built: the helper itself, and the tables built on it.
FILE_RESPONSES = {"FileResponse", "StreamingHttpResponse"}
MAY_BUILD = {ROOT / "core" / "downloads.py", ROOT / "core" / "exports.py"}


def _downloads(response) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return "Content-Disposition" in response or content_type not in NOT_DOWNLOADS


@pytest.mark.django_db
def test_every_download_of_the_access_matrix_is_private(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    seen, failures = [], []
    for name, expect in sorted(EXPECTATIONS.items()):
        allowed = [role for role, status in expect.inside.items() if status == 200]
        if expect.method != "get" or not allowed or name in PUBLIC_FILES:
            continue
        role = allowed[0]
        with transaction.atomic():
            client.logout()
            user = None if role == ANON else world.users[role]
            if user is not None and expect.headers is None:
                sign_in(client, user)
            response = expect.send(client, expect.url(world, True), world, True, user)
            if response.status_code == 200 and _downloads(response):
                seen.append(name)
                wrong = {
                    header: response.get(header)
                    for header, value in PRIVATE.items()
                    if response.get(header) != value
                }
                if not response.get("Content-Disposition", "").startswith("attachment"):
                    wrong["Content-Disposition"] = response.get("Content-Disposition")
                if wrong:
                    failures.append(f"{name}: {wrong}")
            transaction.set_rollback(True)
    assert not failures, "\n".join(failures)
    # The walk reached the downloads there are: a file of each kind, PDFs made now, tables.
    assert {
        "concerns:attachment",
        "concerns:official_form",
        "cases:document",
        "cases:chronology_pdf",
        "safety:drawing",
        "contacts:report_pdf",
        "activities:export",
    } <= set(seen)


def test_no_view_builds_a_file_response_itself():
    offences = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.relative_to(ROOT).parts or path in MAY_BUILD:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            named = (
                node.id
                if isinstance(node, ast.Name)
                else node.attr
                if isinstance(node, ast.Attribute)
                else None
            )
            if named in FILE_RESPONSES:
                offences.append(f"{path.relative_to(ROOT.parent)}:{node.lineno} {named}")
    assert offences == [], "Answer with core.downloads.private_download:\n" + "\n".join(offences)
