"""Development: the web server, the scheduler and the task worker in one command (`make run`).

Each runs as a child process in a session of its own, so that Ctrl-C reaches this command
only, which then stops all three in order and waits for them. When one of them stops by
itself, the others are stopped too and this command exits with its status, so a broken
worker is never left unnoticed behind a working web server. Production runs the three as
services of their own (docs/operations.md)."""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

# How long a child has to finish after SIGTERM before it is killed.
STOP_SECONDS = 10


def children_wanted(address: str) -> list[tuple[str, list[str]]]:
    """(name, command line) of each process to run; the task worker only where tasks are
    rows of the database (with the immediate backend, each task runs where it is enqueued)."""
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    wanted = [
        ("web", [*manage, "runserver", address]),
        ("scheduler", [*manage, "run_scheduler"]),
    ]
    if settings.TASKS_BACKEND == "database":
        wanted.append(("worker", [*manage, "db_worker"]))
    return wanted


class Command(BaseCommand):
    help = (
        "Development: run the web server, the scheduler of periodic jobs and the task worker "
        "together; Ctrl-C stops all of them. If one stops, the others are stopped too."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, address: str, **options):
        children: dict[str, subprocess.Popen] = {}
        stopping = False

        def on_term(signum, frame):
            raise KeyboardInterrupt

        # Installed for SIGINT too: a shell that starts this in the background ignores it.
        previous = {
            signum: signal.signal(signum, on_term) for signum in (signal.SIGINT, signal.SIGTERM)
        }
        status = 0
        try:
            for name, argv in children_wanted(address):
                self.stdout.write(f"Starting the {name}: {' '.join(argv[1:])}")
                children[name] = subprocess.Popen(argv, start_new_session=True)  # noqa: S603
            while not stopping:
                for name, child in children.items():
                    code = child.poll()
                    if code is not None:
                        self.stderr.write(f"The {name} stopped (status {code}): stopping all.")
                        status = code or 1
                        stopping = True
                        break
                else:
                    time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the web server, the scheduler and the worker…")
        finally:
            children_stop(children)
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        if status:
            sys.exit(status)


def children_stop(children: dict[str, subprocess.Popen]) -> None:
    """SIGTERM to each child's process group (runserver's reloader runs the server as a child
    of its own), then SIGKILL to whatever is still running after STOP_SECONDS."""
    for child in children.values():
        if child.poll() is None:
            _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + STOP_SECONDS
    for child in children.values():
        try:
            child.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(child, signal.SIGKILL)
            child.wait()


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signum)
