"""The periodic jobs: one schedule declares them all, each runs the service its command runs,
a job runs once at a time, and the operators' table lists every job."""

import re
from datetime import timedelta
from importlib import import_module
from io import StringIO
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from django.core.management import call_command, get_commands
from django.utils import timezone
from django.utils.module_loading import import_string

from earlyhelp.core import jobs
from earlyhelp.core.management.commands.run_scheduler import job_enqueue, scheduler_build
from earlyhelp.core.models import JobRun
from earlyhelp.core.tasks import run_scheduled_job

pytestmark = pytest.mark.django_db

# The periodic jobs docs/operations.md asked operators to schedule by hand.
EXPECTED = {
    "rebuild_figures": "*/5 * * * *",
    "send_notifications": "*/5 * * * *",
    "send_webhooks": "*/5 * * * *",
    "audit_anchor": "*/5 * * * *",
    "rebuild_programme_figures": "*/15 * * * *",
    "audit_partitions": "15 0 * * *",
    "close_screening_rounds": "30 0 * * *",
    "rebuild_coverage": None,  # nightly
    "rebuild_method_outcomes": "0 2 * * *",
    "clearsessions": None,  # daily
    "imports_forget": "50 3 * * *",
    "retention_propose": "0 4 * * *",
    "concern_reminders": None,
    "concern_receivers_check": None,
    "fostercare_alerts": None,
    "supervision_reminders": None,
    "prune_db_task_results": None,  # django-tasks-db's, with the database backend
    "rebuild_duties": "45 1 * * *",
}
OPERATIONS = Path(__file__).resolve().parents[3] / "docs" / "operations.md"


def _enabled():
    return [job for job in jobs.schedule() if job.enabled()]


def test_the_schedule_declares_every_periodic_job_once():
    names = [job.name for job in jobs.schedule()]
    assert sorted(names) == sorted(EXPECTED)
    for job in jobs.schedule():
        if EXPECTED[job.name]:
            assert job.cron == EXPECTED[job.name], job.name
        hour = job.cron.split()[1]
        assert hour == "*" or 0 <= int(hour) <= 7, f"{job.name} runs by day"


def test_each_job_calls_the_service_its_command_calls():
    commands = get_commands()
    for job in _enabled():
        assert job.name in commands, f"{job.name} has no management command"
        if job.name == "clearsessions" or job.command:  # a library's command, or run as one
            continue
        command = import_module(f"{commands[job.name]}.management.commands.{job.name}")
        service = import_string(job.service)
        assert service in vars(command).values(), f"{job.name}: not the command's service"


def test_rebuild_duties_runs_the_duties_service(monkeypatch):
    duties = jobs.job_named("rebuild_duties")
    assert duties.service == "earlyhelp.duties.services.rebuild" and duties.enabled()
    calls = []
    monkeypatch.setattr("earlyhelp.duties.services.rebuild", lambda: calls.append(1) or {})
    assert run_scheduled_job.enqueue("rebuild_duties").return_value["ran"] is True
    assert calls == [1]


def test_the_audit_anchor_runs_only_with_an_audit_key(settings):
    settings.EARLYHELP_AUDIT_KEYS = []
    assert not jobs.job_named("audit_anchor").enabled()
    settings.EARLYHELP_AUDIT_KEYS = ["2026a:" + "k" * 40]
    assert jobs.job_named("audit_anchor").enabled()


def test_the_task_rows_are_pruned_only_where_tasks_are_rows(settings):
    settings.TASKS_BACKEND = "immediate"
    assert not jobs.job_named("prune_db_task_results").enabled()
    settings.TASKS_BACKEND = "database"
    assert jobs.job_named("prune_db_task_results").enabled()


@pytest.mark.parametrize("name", [job.name for job in jobs.schedule() if job.service])
def test_the_task_runs_the_jobs_service(name, monkeypatch):
    job = jobs.job_named(name)
    module, _, function = job.service.rpartition(".")
    calls = []
    monkeypatch.setattr(import_module(module), function, lambda: calls.append(name) or 7)
    result = run_scheduled_job.enqueue(name)
    assert calls == [name]
    assert result.return_value == {"job": name, "ran": True, "result": 7}


def test_the_figures_job_recounts_the_figures(world):
    from earlyhelp.concerns.models import Concern, InstitutionFigures
    from earlyhelp.organisations.models import Role

    Concern.objects.create(
        municipality=world.school_a1.municipality,
        institution=world.school_a1,
        reporter=world.users[Role.EDUCATOR],
        status=Concern.Status.SUBMITTED,
        received_at=timezone.now(),
    )
    result = run_scheduled_job.enqueue("rebuild_figures")
    assert result.return_value["ran"] is True
    assert InstitutionFigures.objects.get(institution=world.school_a1).submitted == 1
    run = JobRun.objects.get(name="rebuild_figures")
    assert run.succeeded is True and run.held_until is None and run.finished_at is not None


def test_the_anchor_job_writes_an_anchor(world, settings, tmp_path):
    from earlyhelp.audit.services import audit_record

    settings.EARLYHELP_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.jsonl")
    audit_record(actor=None, action="change", obj=world.school_a1, role="system", purpose="test")
    assert run_scheduled_job.enqueue("audit_anchor").return_value["ran"] is True
    assert len((tmp_path / "anchors.jsonl").read_text().splitlines()) == 1


# --- once at a time ---------------------------------------------------------------------------


def test_a_second_run_while_the_first_holds_the_job_is_skipped(monkeypatch):
    """Two runs at once: the second starts inside the first (as a second worker would)."""
    inner = []

    def service():
        inner.append(jobs.job_run("rebuild_figures"))
        return 1

    monkeypatch.setattr("earlyhelp.concerns.figures.rebuild_figures", service)
    outer = jobs.job_run("rebuild_figures")
    assert outer == {"job": "rebuild_figures", "ran": True, "result": 1}
    assert inner == [{"job": "rebuild_figures", "ran": False, "why": "running elsewhere"}]
    # Released: the next run runs.
    monkeypatch.setattr("earlyhelp.concerns.figures.rebuild_figures", lambda: 2)
    assert jobs.job_run("rebuild_figures")["result"] == 2


def test_the_claim_is_one_conditional_update():
    lease = timedelta(minutes=5)
    first = jobs._claim("rebuild_coverage", lease)
    assert first is not None
    assert jobs._claim("rebuild_coverage", lease) is None
    assert JobRun.objects.get(name="rebuild_coverage").held_until == first


def test_a_run_killed_mid_way_blocks_the_job_only_until_its_lease_ends(monkeypatch):
    JobRun.objects.create(name="rebuild_figures", held_until=timezone.now() - timedelta(seconds=1))
    monkeypatch.setattr("earlyhelp.concerns.figures.rebuild_figures", lambda: 3)
    assert jobs.job_run("rebuild_figures")["ran"] is True
    JobRun.objects.filter(name="rebuild_figures").update(
        held_until=timezone.now() + timedelta(minutes=1)
    )
    assert jobs.job_run("rebuild_figures")["ran"] is False


def test_a_failing_run_releases_the_job_and_says_it_failed(monkeypatch):
    def broken():
        raise RuntimeError("the database went away")

    monkeypatch.setattr("earlyhelp.concerns.figures.rebuild_figures", broken)
    with pytest.raises(RuntimeError):
        jobs.job_run("rebuild_figures")
    run = JobRun.objects.get(name="rebuild_figures")
    assert run.held_until is None and run.succeeded is False


def test_a_run_past_its_lease_does_not_release_the_next_runs_hold():
    with jobs.job_exclusive("rebuild_coverage", timedelta(minutes=5)) as held:
        assert held
        # The lease ran out and another run took the job meanwhile.
        later = timezone.now() + timedelta(hours=1)
        JobRun.objects.filter(name="rebuild_coverage").update(held_until=later)
    assert JobRun.objects.get(name="rebuild_coverage").held_until == later


def test_a_backlog_of_the_same_job_runs_once(monkeypatch):
    """The worker was stopped: one task per missed time waits. The first run does the work;
    the others, enqueued before it started, are skipped."""
    calls = []
    monkeypatch.setattr("earlyhelp.concerns.figures.rebuild_figures", lambda: calls.append(1))
    asked = [timezone.now() - timedelta(minutes=m) for m in (15, 10, 5)]
    results = [jobs.job_run("rebuild_figures", at) for at in asked]
    assert calls == [1]
    assert [r["ran"] for r in results] == [True, False, False]
    assert results[1]["why"] == "ran since it was asked for"
    assert jobs.job_run("rebuild_figures", timezone.now())["ran"] is True


def test_the_sweep_runs_without_the_guard(monkeypatch):
    """The outbox's claims keep two passes apart; a pass is never skipped."""
    assert jobs.job_named("send_notifications").lease is None
    JobRun.objects.create(name="send_notifications", held_until=timezone.now() + timedelta(1))
    monkeypatch.setattr("earlyhelp.notifications.services.send_outbox", lambda: 0)
    assert jobs.job_run("send_notifications")["ran"] is True


# --- the scheduler ----------------------------------------------------------------------------


def test_the_scheduler_takes_every_enabled_job_at_its_times(settings):
    scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
    names = scheduler_build(scheduler)
    assert names == [job.name for job in _enabled()]
    trigger = scheduler.get_job("close_screening_rounds").trigger
    assert "hour='0'" in str(trigger) and "minute='30'" in str(trigger)
    assert scheduler.get_job("rebuild_duties") is not None


def test_the_scheduler_enqueues_the_task(monkeypatch):
    # The scheduler's process drops stale connections around each enqueue; inside a test's
    # transaction on PostgreSQL that would close the test's own connection (and let later
    # writes escape the rollback), so it is left out here.
    monkeypatch.setattr(
        "earlyhelp.core.management.commands.run_scheduler.close_old_connections", lambda: None
    )
    calls = []
    monkeypatch.setattr(
        "earlyhelp.screening.services.rounds_close_due", lambda: calls.append(1) or 0
    )
    job_enqueue("close_screening_rounds")  # the immediate backend runs it at once
    assert calls == [1]
    assert JobRun.objects.get(name="close_screening_rounds").succeeded is True


def test_the_scheduler_lists_its_jobs():
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(EXPECTED)
    assert any("rebuild_duties" in line and "not enabled here" not in line for line in lines)


def test_the_operations_guide_lists_every_scheduled_job_with_its_schedule():
    text = OPERATIONS.read_text()
    section = text[text.index("## Scheduled jobs") :]
    section = section[: section.index("\n## ", 1)]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \|", section, flags=re.M))
    assert rows == {job.name: job.cron for job in jobs.schedule()}
