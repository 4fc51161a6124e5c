"""`manage.py run_all` (make run): the web server, the scheduler and the task worker start
together and stop together."""

import signal
from unittest import mock

import pytest
from django.core.management import call_command

from earlyhelp.core.management.commands import run_all


class FakeChild:
    def __init__(self, argv, **kwargs):
        self.argv = argv
        self.kwargs = kwargs
        self.pid = 1000 + len(FakeChild.started)
        self.code = None
        self.waited = False
        FakeChild.started.append(self)

    def poll(self):
        return self.code

    def wait(self, timeout=None):
        self.waited = True
        self.code = 0 if self.code is None else self.code
        return self.code


@pytest.fixture
def fakes(monkeypatch):
    FakeChild.started = []
    signalled = []
    monkeypatch.setattr(run_all.subprocess, "Popen", FakeChild)
    monkeypatch.setattr(run_all.os, "killpg", lambda pid, signum: signalled.append((pid, signum)))
    return signalled


def _names(children):
    return [child.argv[2] for child in children]


def test_it_starts_all_three_and_ctrl_c_stops_them(fakes, settings, monkeypatch):
    settings.TASKS_BACKEND = "database"
    monkeypatch.setattr(run_all.time, "sleep", mock.Mock(side_effect=KeyboardInterrupt))
    call_command("run_all", "127.0.0.1:8123", stdout=mock.Mock())
    children = FakeChild.started
    assert _names(children) == ["runserver", "run_scheduler", "db_worker"]
    assert children[0].argv[3] == "127.0.0.1:8123"
    assert all(child.kwargs == {"start_new_session": True} for child in children)
    assert fakes == [(child.pid, signal.SIGTERM) for child in children]
    assert all(child.waited for child in children)


def test_when_one_stops_the_others_are_stopped_and_its_status_is_returned(fakes, settings):
    settings.TASKS_BACKEND = "database"
    real_popen = FakeChild

    def popen(argv, **kwargs):
        child = real_popen(argv, **kwargs)
        if "run_scheduler" in argv:
            child.code = 3  # the scheduler fails at once
        return child

    with mock.patch.object(run_all.subprocess, "Popen", popen), pytest.raises(SystemExit) as end:
        call_command("run_all", stdout=mock.Mock(), stderr=mock.Mock())
    assert end.value.code == 3
    web, scheduler, worker = FakeChild.started
    assert (web.pid, signal.SIGTERM) in fakes and (worker.pid, signal.SIGTERM) in fakes
    assert (scheduler.pid, signal.SIGTERM) not in fakes


def test_a_child_that_ignores_sigterm_is_killed(fakes, monkeypatch):
    child = FakeChild(["python", "manage.py", "runserver"])
    child.wait = mock.Mock(side_effect=[run_all.subprocess.TimeoutExpired("x", 1), 0])
    run_all.children_stop({"web": child})
    assert fakes == [(child.pid, signal.SIGTERM), (child.pid, signal.SIGKILL)]


def test_no_worker_when_tasks_run_where_they_are_enqueued(settings):
    settings.TASKS_BACKEND = "immediate"
    assert [name for name, _argv in run_all.children_wanted("x")] == ["web", "scheduler"]
