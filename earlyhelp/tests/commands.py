"""Running manage.py in a process of its own, as an operator would, with the environment the
test names (production settings are read once, at start-up, so they cannot be overridden in the
test's own process)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, env: dict[str, str], unset: tuple[str, ...] = ()):
    """`manage.py *args` with the test's environment plus `env`, without `unset`."""
    environment = {**os.environ, **env}
    for name in unset:
        environment.pop(name, None)
    return subprocess.run(  # noqa: S603 (manage.py of this checkout, arguments from the test)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
