import pytest


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    """Each test anchors to its own file, never to the installation's."""
    settings.EARLYHELP_AUDIT_ANCHOR_FILE = tmp_path / "audit-anchors.jsonl"
    return settings.EARLYHELP_AUDIT_ANCHOR_FILE
