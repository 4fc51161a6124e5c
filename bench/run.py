"""The benchmark: serves earlyhelp as in production (gunicorn, DEBUG off) against a database
that `manage.py bench_data` filled, drives it with Locust as concurrent signed-in users, one
scenario of DESIGN.md section 6 at a time, then checks each page in-process: SQL queries per
request, the same SELECTs timed alone through the driver, and their query plans.

    python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/bench_m
    python bench/run.py --smoke ...      # briefly, 2 users: fails on an error or a bad plan

Results go to bench/results/ (JSON and Markdown) and the latest table into bench/README.md.
See bench/README.md."""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
STATE = BENCH / ".state"
RESULTS = BENCH / "results"
PYTHON = sys.executable


# (key, Locust class, label, bar as text, check(result, results) -> bool | None)
def _p95_at_most(ms):
    return lambda r, _all: r["p95_ms"] <= ms


def _deep_page(r, results):
    first = results.get("child_list_first")
    return None if not first else r["p50_ms"] <= 1.2 * first["p50_ms"]


def _submission(r, _all):
    return r["p95_ms"] <= 300 and r["errors"] == 0 and r["rps"] >= 19.5


SCENARIOS = [
    ("my_concerns", "MyConcerns", "my concerns (reporter)", "p95 ≤ 100 ms", _p95_at_most(100)),
    ("triage_queue", "TriageQueue", "triage queue", "p95 ≤ 100 ms", _p95_at_most(100)),
    ("child_list_first", "ChildListFirst", "child list, first page", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("child_list_deep", "ChildListDeep", "child list, deep page", "p50 ≤ 1.2 × first page",
     _deep_page),
    ("name_search", "NameSearch", "name search", "p95 ≤ 150 ms", _p95_at_most(150)),
    ("open_record", "OpenRecord", "open a record by id, audited", "p95 ≤ 20 ms",
     _p95_at_most(20)),
    ("open_record_alone", "OpenRecord", "open a record by id, audited, one user at a time",
     "p95 ≤ 20 ms", _p95_at_most(20)),
    ("case_list", "CaseList", "my case list (case worker)", "p95 ≤ 100 ms", _p95_at_most(100)),
    ("case_detail", "CaseDetail", "case page", "p95 ≤ 50 ms", _p95_at_most(50)),
    ("activity_list", "ActivityList", "activity list, all I may see (social helper)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    # Sections of a record loaded on demand (htmx), each a request of its own.
    ("record_history", "RecordHistory", "a record's history, on demand (htmx)", "p95 ≤ 50 ms",
     _p95_at_most(50)),
    ("record_readers", "RecordReaders", "who has seen a record, on demand (htmx)",
     "p95 ≤ 20 ms", _p95_at_most(20)),
    ("record_readers_alone", "RecordReaders",
     "who has seen a record, on demand (htmx), one user at a time", "p95 ≤ 20 ms",
     _p95_at_most(20)),
    ("audit_log_person", "AuditLogPerson", "audit-log page, one child's year (admin)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    ("audit_log_account", "AuditLogAccount", "audit-log page, one account's year (admin)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    ("case_chronology", "CaseChronology", "a case's chronology, on demand (htmx)",
     "p95 ≤ 50 ms", _p95_at_most(50)),
    ("record_family", "RecordFamily", "a record's family and consents, on demand (htmx)",
     "p95 ≤ 50 ms", _p95_at_most(50)),
    ("record_help", "RecordHelp", "a record's help and contact, on demand (htmx)",
     "p95 ≤ 50 ms", _p95_at_most(50)),
    ("case_map", "CaseMap", "a case's problem map, on demand (htmx)", "p95 ≤ 50 ms",
     _p95_at_most(50)),
    ("case_outcomes", "CaseOutcomes", "a case's programmes and outcomes, on demand (htmx)",
     "p95 ≤ 50 ms", _p95_at_most(50)),
    ("case_work", "CaseWork", "a case's discussions, documents and referrals, on demand (htmx)",
     "p95 ≤ 50 ms", _p95_at_most(50)),
    ("week_view", "WeekView", "week view (social helper)", "p95 ≤ 100 ms", _p95_at_most(100)),
    ("export_csv", "ExportCsv", "monthly export, CSV (one social helper's month)",
     "p95 ≤ 100 ms (as a page)", _p95_at_most(100)),
    ("export_xlsx", "ExportXlsx", "monthly export, XLSX (one social helper's month)",
     "p95 ≤ 100 ms (as a page)", _p95_at_most(100)),
    ("figures", "Figures", "figures on concerns (manager)", "p95 ≤ 100 ms", _p95_at_most(100)),
    ("programme", "ProgrammePage", "programme page (manager)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("programme_report", "ProgrammeReport", "funder's report, draft (manager)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    ("coverage", "CoveragePage", "coverage of institutions (manager)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("method_outcomes_overview", "MethodOutcomesOverview", "outcomes per method (manager)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    ("method_outcomes", "MethodOutcomes", "a method's outcomes (manager)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("start_page", "StartPage", "start page, what needs you (social helper)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("start_page_supervisor", "StartPageSupervisor", "start page, what needs you (supervisor)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    # Issue 21: the API's lists reach the bars of their pages.
    ("api_children", "ApiChildren", "API: children, first page (social helper)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("api_concerns", "ApiConcerns", "API: concerns, first page (social helper)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("api_cases", "ApiCases", "API: cases, first page (case worker)", "p95 ≤ 100 ms",
     _p95_at_most(100)),
    ("api_activities", "ApiActivities", "API: activities, first page (social helper)",
     "p95 ≤ 100 ms", _p95_at_most(100)),
    ("submit_concern", "SubmitConcern", "concern submission (API)",
     "20/s, p95 ≤ 300 ms, 0 errors", _submission),
    # Issue 20: 50 writers at once, each write audited under the chain's lock. Measured, with
    # the lock's share of the time in the report (`audit_lock_ms`), rather than held to a bar.
    ("submit_concern_50", "SubmitConcern", "concern submission (API), 50 writers at once",
     "measured: 0 errors", lambda r, _all: r["errors"] == 0),
]  # fmt: skip
# The roster import (issue 21): a first load of --import-children children and the same file
# again, each checked and applied, within these seconds.
IMPORT_FIRST_S = 600
IMPORT_AGAIN_S = 300
# Scenarios measured at a set number of users instead of --users: the latency of one request
# on an otherwise idle server, beside the same request under the load of 20 users.
FIXED_USERS = {"open_record_alone": 1, "record_readers_alone": 1, "submit_concern_50": 50}
# Scenarios during which PostgreSQL is asked, every 20 ms, how many requests wait for the audit
# chain's lock (an advisory lock): the share of samples with a waiter and the mean waiters.
LOCK_SAMPLED = {"submit_concern", "submit_concern_50"}
LISTS = {
    "my_concerns", "triage_queue", "child_list_first", "child_list_deep", "name_search",
    "case_list", "week_view", "activity_list", "api_children", "api_concerns", "api_cases",
    "api_activities",
}  # fmt: skip


def _environment(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        EARLYHELP_ENV="production",
        DJANGO_SECRET_KEY="bench-only-" + "x" * 50,
        EARLYHELP_AUDIT_KEYS="bench:" + "y" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        EARLYHELP_HTTPS="0",
        EARLYHELP_STATIC_ROOT=str(STATE / "static"),
        EARLYHELP_MEDIA_ROOT=str(STATE / "media"),
        EARLYHELP_TASKS_BACKEND="database",
        EARLYHELP_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        EARLYHELP_LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="earlyhelp.settings",
        DATABASE_CONN_MAX_AGE="600",
    )
    return env


def _manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _fresh_database(url: str) -> None:
    """Drop and create the benchmark database (PostgreSQL), or remove its file (SQLite)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if "sqlite" in config["ENGINE"]:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{config['NAME']}{suffix}").unlink(missing_ok=True)
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg

    name = config["NAME"]
    if not re.fullmatch(r"bench\w*", name):
        raise SystemExit(
            f"Refusing to recreate {name!r}: a benchmark database's name starts with bench."
        )
    maintenance = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with maintenance:
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The server did not answer at {url}.")


def _warm(host: str, state: dict, workers: int) -> None:
    """A few unmeasured requests of every page first, so that each server process has loaded
    its templates, translations and calendars before the clock runs (the first request of a
    fresh process is not what people wait for)."""
    for key, *_ in SCENARIOS:
        method, url, session, headers, _body = _probe_inputs(key, state)
        if method != "get":
            continue
        for _ in range(workers * 3):
            request = urllib.request.Request(
                f"{host}{url}", headers={"Cookie": f"sessionid={session}", **(headers or {})}
            )
            with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=30):
                pass


def _locust(env, host, cls, key, users, seconds) -> dict:
    """One scenario's run. On a loaded machine Locust sometimes writes its CSV before the
    requests of a short run are counted (the summary in the log shows them, the CSV has only
    an empty "Aggregated" row): such a run is repeated, twice at most."""
    for attempt in range(3):
        found = _locust_once(env, host, cls, key, users, seconds)
        if found is not None:
            return found
        print(f"  no requests counted in the CSV of {key}, run again ({attempt + 1})", flush=True)
    raise SystemExit(f"{key}: Locust counted no request in three runs; see {STATE / key}.log")


def _locust_once(env, host, cls, key, users, seconds) -> dict | None:
    prefix = STATE / key
    subprocess.run(
        [PYTHON, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
         "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING", cls],
        cwd=ROOT, env={**env, "BENCH_STATE": str(STATE / "state.json")}, check=False,
        stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        rows = [row for row in csv.DictReader(f) if row["Name"] != "Aggregated"]
    if not rows:
        return None
    row = rows[0]
    return {
        "requests": int(row["Request Count"]),
        "errors": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
    }


def _probe_inputs(key: str, state: dict):
    """The request each scenario makes, for the first account of its role."""
    accounts = state["accounts"]
    helper = accounts["social_helper"][0]
    educator = accounts["educator"][0]
    worker = accounts["case_worker"][0]
    admin = (accounts.get("admin") or [helper])[0]
    if key in ("submit_concern", "submit_concern_50"):
        body = {
            "institution_id": educator["institution_id"],
            "children": [{"child_id": educator["report_child_ids"][0]}],
            "what_happened": "Came to school hungry again.",
            "categories": ["neglect"],
            "parents_know": "no",
            "parents_not_told_why": "Could not reach them.",
        }
        headers = {
            "Authorization": f"Bearer {educator['token']}",
            "Idempotency-Key": uuid.uuid4().hex,
        }
        return "post", "/api/v1/concerns", educator["session"], headers, body
    api_lists = {
        "api_children": ("/api/v1/children?limit=50", helper),
        "api_concerns": ("/api/v1/concerns?limit=50", helper),
        "api_cases": ("/api/v1/cases?limit=50", worker),
        "api_activities": ("/api/v1/activities?limit=50", helper),
    }
    if key in api_lists:
        path, account = api_lists[key]
        return "get", path, "", {"Authorization": f"Bearer {account['token']}"}, None
    url = {
        "my_concerns": ("/concerns/mine/", educator),
        "triage_queue": ("/concerns/queue/", helper),
        "child_list_first": ("/children/", helper),
        "child_list_deep": (f"/children/?after={helper['deep_cursor'] or ''}", helper),
        "name_search": (f"/children/?q={(helper['terms'] or ['szoke'])[0]}", helper),
        "open_record": (f"/children/{helper['child_ids'][0]}/", helper),
        "open_record_alone": (f"/children/{helper['child_ids'][0]}/", helper),
        "case_list": ("/cases/", worker),
        "activity_list": ("/activities/?show=all", helper),
        "start_page": ("/", helper),
        "start_page_supervisor": ("/", (accounts.get("supervisor") or [helper])[0]),
        "case_detail": (f"/cases/{(worker.get('case_ids') or [0])[0]}/", worker),
        "record_history": (f"/children/{helper['child_ids'][0]}/history/", helper),
        "record_readers": (f"/children/{helper['child_ids'][0]}/readers/", helper),
        "record_readers_alone": (f"/children/{helper['child_ids'][0]}/readers/", helper),
        "audit_log_person": (
            f"/audit/?kind=people.child&record={(admin.get('audit_child_ids') or [0])[0]}"
            f"&since={admin.get('year_ago', '')}",
            admin,
        ),
        "audit_log_account": (
            f"/audit/?account={(admin.get('audit_accounts') or ['nobody'])[0]}"
            f"&since={admin.get('year_ago', '')}",
            admin,
        ),
        "case_chronology": (f"/cases/{(worker.get('case_ids') or [0])[0]}/chronology/", worker),
        "record_family": (f"/children/{helper['child_ids'][0]}/family/", helper),
        "record_help": (f"/children/{helper['child_ids'][0]}/help/", helper),
        "case_map": (f"/cases/{(worker.get('case_ids') or [0])[0]}/map/", worker),
        "case_outcomes": (
            f"/cases/{(worker.get('case_ids') or [0])[0]}/programmes-and-outcomes/",
            worker,
        ),
        "case_work": (f"/cases/{(worker.get('case_ids') or [0])[0]}/work/", worker),
        "week_view": (f"/activities/week/?week={helper.get('week') or ''}", helper),
        "export_csv": (f"/activities/export/?month={helper.get('month')}&format=csv", helper),
        "export_xlsx": (f"/activities/export/?month={helper.get('month')}&format=xlsx", helper),
        "figures": ("/concerns/figures/", accounts["manager"][0]),
        "programme": (
            f"/programmes/{(accounts['manager'][0].get('programme_ids') or [0])[0]}/",
            accounts["manager"][0],
        ),
        "coverage": ("/workforce/coverage/", accounts["manager"][0]),
        "programme_report": (
            f"/programmes/reports/{(accounts['manager'][0].get('report_ids') or [0])[0]}/",
            accounts["manager"][0],
        ),
        "method_outcomes_overview": ("/knowledge/outcomes/", accounts["manager"][0]),
        "method_outcomes": (
            f"/knowledge/methods/{(accounts['manager'][0].get('method_ids') or [0])[0]}/outcomes/",
            accounts["manager"][0],
        ),
    }[key]
    return "get", url[0], url[1]["session"], None, None


def _machine() -> dict:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "python": platform.python_version(),
    }


def _counts() -> dict:
    from django.apps import apps

    labels = ["people.Child", "people.Adult", "organisations.Institution", "accounts.User",
              "concerns.Concern", "concerns.ConcernDeadline", "activities.Session",
              "activities.Attendance", "audit.AuditEvent", "programmes.Programme",
              "activities.Activity_programmes"]  # fmt: skip
    return {label: apps.get_model(label).objects.count() for label in labels}


@contextlib.contextmanager
def _lock_sampler(database_url: str, wanted: bool):
    """Sample the requests waiting for the audit chain's lock while the block runs
    (PostgreSQL only); yields the dict the figures are put in when the block ends."""
    found: dict = {}
    if not wanted or not database_url.startswith("postgres"):
        yield found
        return
    import threading

    import psycopg

    stop = threading.Event()
    samples = [0, 0, 0]  # samples, samples with a waiter, waiters summed

    def sample():
        url = database_url.replace("postgres://", "postgresql://", 1)
        with psycopg.connect(url, autocommit=True) as conn:
            while not stop.is_set():
                waiting = conn.execute(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'"
                ).fetchone()[0]
                samples[0] += 1
                samples[1] += waiting > 0
                samples[2] += waiting
                stop.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join(timeout=5)
        if samples[0]:
            found["lock_waiting_share"] = round(samples[1] / samples[0], 3)
            found["lock_waiters_mean"] = round(samples[2] / samples[0], 2)


def _markdown(report: dict) -> str:
    lines = [
        f"### {report['date']} · scale {report['scale']} · {report['database']}",
        "",
        f"Commit `{report['commit'][:10]}`; {report['machine']['cpus']} cores "
        f"({report['machine']['cpu']}), {report['machine']['memory']}; "
        f"{report['users']} concurrent users (unless a scenario says otherwise), "
        f"{report['seconds']} s per scenario; "
        + ", ".join(f"{k.split('.')[1]} {v:,}" for k, v in report["counts"].items()),
        "",
        "| scenario | p50 ms | p95 ms | p99 ms | req/s | errors | SQL/req | raw SQL ms | "
        "app ÷ SQL | plans | bar | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in report["scenarios"]:
        ratio = f"{r['ratio']:.1f}" if r.get("ratio") else "—"
        plans = "ok" if not r["violations"] else "; ".join(r["violations"])
        met = {True: "yes", False: "**no**", None: "—"}[r["met"]]
        lines.append(
            f"| {r['label']} | {r['p50_ms']:.0f} | {r['p95_ms']:.0f} | {r['p99_ms']:.0f} | "
            f"{r['rps']} | {r['errors']} | {r['queries']} | {r['raw_sql_ms']:.1f} | {ratio} | "
            f"{plans} | {r['bar']} | {met} |"
        )
    found = report.get("imports")
    if found:
        first, again = found["first"], found["again"]
        lines += [
            "",
            f"Roster import of {found['children']:,} children with their parents, classes and "
            f"schools ({found['file_mb']} MB of CSV), into a municipality of its own; then the "
            "same file again:",
            "",
            "| import | check s | apply s | total s | bar | met |",
            "|---|---|---|---|---|---|",
            f"| first load | {first['check_s']} | {first['apply_s']} | {first['total_s']} | "
            f"≤ {IMPORT_FIRST_S} s | {'yes' if first['total_s'] <= IMPORT_FIRST_S else '**no**'} |",
            f"| the same file again | {again['check_s']} | {again['apply_s']} | "
            f"{again['total_s']} | ≤ {IMPORT_AGAIN_S} s | "
            f"{'yes' if again['total_s'] <= IMPORT_AGAIN_S else '**no**'} |",
            "",
            "First load wrote: "
            + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in first["written"].items())
            + ". Again: "
            + (", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in again["written"].items())
               or "nothing")
            + ".",
        ]  # fmt: skip
    for r in report["scenarios"]:
        if "lock_waiting_share" in r:
            lines.append(
                f"\n{r['label']}: a request waited for the audit chain's lock in "
                f"{r['lock_waiting_share']:.1%} of the samples (every 20 ms), "
                f"{r['lock_waiters_mean']:.2f} waiting on average."
            )
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--scale", default="?", help="The bench_data scale, for the report.")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--only", default="", help="Comma-separated scenario keys.")
    parser.add_argument("--smoke", action="store_true", help="Brief: 2 users, 3 s a scenario.")
    parser.add_argument(
        "--drill", action="store_true",
        help="After the scenarios, rehearse a restore of the database (always with --smoke).",
    )  # fmt: skip
    parser.add_argument(
        "--generate",
        choices=["S", "M", "L"],
        help="First recreate the database and fill it with bench_data at this scale.",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--import-children", type=int, default=100_000,
        help="Children in the roster the import scenario loads (roster_import).",
    )  # fmt: skip
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("Give --database-url (or DATABASE_URL): a database bench_data filled.")
    if args.smoke:
        args.users, args.seconds = 2, 3
    STATE.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = _environment(args.database_url)
    os.environ.update(env)
    if args.generate:
        args.scale = args.generate
        _fresh_database(args.database_url)
        # The generator refuses production settings: it runs as development would.
        generating = {**env, "EARLYHELP_ENV": "development", "DJANGO_DEBUG": "0"}
        _manage(generating, "migrate", "--noinput", "-v0")
        _manage(generating, "bench_data", "--scale", args.generate, "--seed", str(args.seed))
        _manage(generating, "bench_audit", "--scale", args.generate, "--seed", str(args.seed))
        if args.only == "none":
            return 0
    else:
        # A database generated by an earlier commit gets the migrations since, as a production
        # database would: the code measured must find the schema it expects.
        _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "collectstatic", "--noinput", "-v0")
    _manage(env, "bench_sessions", "--output", str(STATE / "state.json"),
            "--allow-production-settings", "--accounts", str(max(args.users, 2)))  # fmt: skip
    state = json.loads((STATE / "state.json").read_text())
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "earlyhelp.wsgi", "-w", str(args.workers), "-b",
         f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    chosen = [s for s in SCENARIOS if not args.only or s[0] in args.only.split(",")]
    results: dict[str, dict] = {}
    try:
        _wait(f"{host}/health/")
        _warm(host, state, args.workers)
        for key, cls, label, bar, _check in chosen:
            users = FIXED_USERS.get(key, args.users)
            if args.smoke:  # checks that every scenario answers, not how it scales
                users = min(users, args.users)
            print(f"· {label}: {users} users, {args.seconds} s", flush=True)
            results[key] = {"key": key, "label": label, "bar": bar, "users": users}
            with _lock_sampler(args.database_url, key in LOCK_SAMPLED) as waits:
                results[key].update(_locust(env, host, cls, key, users, args.seconds))
            results[key].update(waits)
    finally:
        server.terminate()
        server.wait(timeout=30)

    import django

    django.setup()
    from bench.probe import probe

    for key, _cls, _label, _bar, check in chosen:
        method, url, session, headers, body = _probe_inputs(key, state)
        found = probe(method, url, cookies={"sessionid": session}, headers=headers, body=body)
        r = results[key]
        r.update(
            url=url,
            probe_status=found.status,
            queries=found.queries,
            raw_sql_ms=round(found.raw_sql_ms, 2),
            ratio=round(r["p50_ms"] / found.raw_sql_ms, 1)
            if key in LISTS and found.raw_sql_ms
            else None,
            violations=found.violations,
        )
        r["met"] = check(r, results)

    imports = None
    if not args.only or "roster_import" in args.only.split(","):
        children = 1000 if args.smoke else args.import_children
        print(f"· roster import: {children:,} children, then the same file again", flush=True)
        output = STATE / "import.json"
        _manage(env, "bench_import", "--children", str(children), "--output", str(output),
                "--allow-production-settings")  # fmt: skip
        imports = json.loads(output.read_text())
        imports["met"] = imports["first"]["total_s"] <= IMPORT_FIRST_S and (
            imports["again"]["total_s"] <= IMPORT_AGAIN_S
        )

    from django.db import connection

    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    with connection.cursor() as cursor:
        version = connection.vendor
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            version = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            version = f"SQLite {cursor.fetchone()[0]}"
    report = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "scale": args.scale,
        "database": version,
        "commit": commit,
        "machine": _machine(),
        "users": args.users,
        "seconds": args.seconds,
        "smoke": args.smoke,
        "counts": _counts(),
        "scenarios": [results[key] for key, *_ in chosen],
        "imports": imports,
    }
    markdown = _markdown(report)
    print(markdown)
    problems = (
        [f"{r['label']}: {r['errors']} errors" for r in report["scenarios"] if r["errors"]]
        + [f"{r['label']}: {v}" for r in report["scenarios"] for v in r["violations"]]
        + [
            f"{r['label']}: in-process answer {r['probe_status']}"
            for r in report["scenarios"]
            if r["probe_status"] not in (200, 201)
        ]
    )
    if args.smoke or args.drill:
        held, printed = _restore_drill(env)
        print(printed, flush=True)
        if not held:
            problems.append("the restore drill failed (above)")
    if args.smoke:
        for problem in problems:
            print(f"FAILED {problem}", file=sys.stderr)
        return 1 if problems else 0
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M")
    vendor = "postgresql" if "PostgreSQL" in version else "sqlite"
    name = f"{stamp}-{args.scale}-{vendor}"
    (RESULTS / f"{name}.json").write_text(json.dumps(report, indent=1, ensure_ascii=False))
    (RESULTS / f"{name}.md").write_text(markdown)
    if not args.only:  # a partial run never replaces the full table in the README
        _update_readme(markdown, vendor, args.scale)
    return 0


def _restore_drill(env: dict) -> tuple[bool, str]:
    """`manage.py restore_drill` on the benchmark's database (docs/operations.md), the chain's
    head anchored first in a file of the run's own."""
    anchors = STATE / "audit-anchors.jsonl"
    anchors.unlink(missing_ok=True)
    drilling = {**env, "EARLYHELP_AUDIT_ANCHOR_FILE": str(anchors)}
    _manage(drilling, "audit_anchor")
    done = subprocess.run(
        [PYTHON, "manage.py", "restore_drill"], cwd=ROOT, env=drilling, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    return done.returncode == 0, done.stdout + done.stderr


def _update_readme(markdown: str, vendor: str, scale: str) -> None:
    """Keep the newest table per database and scale between markers in bench/README.md."""
    readme = BENCH / "README.md"
    text = readme.read_text() if readme.exists() else "# Benchmarks\n"
    marker = f"latest {vendor} {scale}"
    block = f"<!-- {marker} -->\n{markdown}<!-- end {marker} -->"
    pattern = re.compile(rf"<!-- {re.escape(marker)} -->.*?<!-- end {re.escape(marker)} -->", re.S)
    text = pattern.sub(block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    readme.write_text(text.rstrip() + "\n")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
