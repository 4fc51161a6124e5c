"""No file of the project keeps a merge's conflict markers (a document once did, unnoticed)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SKIPPED = {".git", ".venv", "node_modules", "__pycache__", ".state", "media"}
SUFFIXES = {".py", ".md", ".html", ".txt", ".toml", ".json", ".js", ".css", ".po", ".yml", ".cfg"}
MARKERS = ("<<<<<<< ", ">>>>>>> ")


def _files():
    for path in ROOT.rglob("*"):
        if any(part in SKIPPED for part in path.relative_to(ROOT).parts):
            continue
        if path.is_file() and (path.suffix in SUFFIXES or path.name in {"Makefile", "run"}):
            yield path


def test_no_file_keeps_conflict_markers():
    found = []
    for path in _files():
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if line.startswith(MARKERS):
                found.append(f"{path.relative_to(ROOT)}:{number}")
    assert not found, f"merge conflict markers left in: {', '.join(found)}"
