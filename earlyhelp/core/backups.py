"""Backups that are proven by restoring them (docs/operations.md, "Backups and restore").

`check_restored` looks at a restored installation from the inside: the schema matches the code
(`migrate --check`), the audit chain and its anchors hold (`audit_verify`), and every stored file
a row refers to is in the attachment store with the checksum recorded when it was stored. It is
`manage.py restore_check`, run after every real restore.

`drill` rehearses the whole thing on the running installation: a consistent backup of the
database and the attachment store, a restore of both into a scratch database and folder, the
check above run there in a process of its own (as after a real restore), and the restored
tables counted against the backup's. It is `manage.py restore_drill`; CI runs it at scale S.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from io import StringIO
from pathlib import Path
from urllib.parse import quote

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from earlyhelp.core.files import HashedFileField, sha256_of

ROOT = Path(settings.BASE_DIR)
# A restore of a national installation takes a while; a drill that hangs must still end.
STEP_TIMEOUT = 6 * 3600


@dataclass
class Step:
    name: str
    ok: bool
    detail: str
    seconds: float = 0.0


@dataclass
class Report:
    steps: list[Step] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(step.ok for step in self.steps)

    def add(self, name: str, ok: bool, detail: str, started: float | None = None) -> Step:
        seconds = time.monotonic() - started if started is not None else 0.0
        step = Step(name, ok, detail, round(seconds, 1))
        self.steps.append(step)
        return step

    def text(self, title: str) -> str:
        lines = [title, ""]
        for step in self.steps:
            mark = "ok    " if step.ok else "FAILED"
            lines.append(f"{mark}  {step.name} ({step.seconds:.1f} s)")
            lines.extend(f"        {line}" for line in step.detail.splitlines())
        lines += ["", "Result: " + ("the restore holds." if self.ok else "the restore FAILED.")]
        return "\n".join(lines)


# --- Checking a restored installation ---------------------------------------------------------


def table_counts(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the schema)
        counts[table] = cursor.fetchone()[0]
    return counts


def stored_file_fields() -> list[tuple[type, HashedFileField]]:
    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.get_fields()
        if isinstance(model_field, HashedFileField)
    ]


def file_problems(limit: int = 20) -> tuple[int, list[str]]:
    """Every stored file a row names, checked against the store: (files checked, problems).
    At most `limit` problems are described; the count of the rest is given."""
    checked, problems, more = 0, [], 0
    for model, model_field in stored_file_fields():
        rows = (
            model._default_manager.exclude(**{model_field.name: ""})
            .order_by("pk")
            .values_list("pk", model_field.name, model_field.hash_attname)
        )
        for pk, name, recorded in rows.iterator():
            checked += 1
            where = f"{model._meta.label_lower} {pk}: {name}"
            if not default_storage.exists(name):
                problem = f"{where} is missing from the attachment store"
            elif not recorded:
                problem = f"{where} has no recorded checksum"
            else:
                with default_storage.open(name, "rb") as handle:
                    actual = sha256_of(handle)
                problem = "" if actual == recorded else f"{where} differs from what was stored"
            if problem and len(problems) < limit:
                problems.append(problem)
            elif problem:
                more += 1
    if more:
        problems.append(f"and {more} more")
    return checked, problems


def check_restored(
    *, anchors: list[Path] | None = None, no_anchors: bool = False, workers: int = 1
) -> Report:
    """The checks of a restored installation, on the database and store it is configured with."""
    report = Report()
    # Counted first: verifying the audit chain records its run.
    with connection.cursor() as cursor:
        report.counts = table_counts(cursor, connection.introspection.table_names(cursor))
    started = time.monotonic()
    try:
        call_command("migrate", check=True, verbosity=0)
        report.add("the schema matches the code", True, "no migration is missing", started)
    except SystemExit:
        report.add(
            "the schema matches the code",
            False,
            "the restored database lacks migrations this code expects: restore into the "
            "version of earlyhelp the backup was taken with, then migrate",
            started,
        )
    started = time.monotonic()
    out = StringIO()
    try:
        options = {"no_anchors": True} if no_anchors else {"anchors": anchors} if anchors else {}
        call_command("audit_verify", stdout=out, workers=workers, **options)
        report.add("the audit chain and its anchors hold", True, out.getvalue().strip(), started)
    except CommandError as exc:
        report.add("the audit chain and its anchors hold", False, str(exc), started)
    started = time.monotonic()
    checked, problems = file_problems()
    detail = f"stored files checked: {checked}, each as it was stored (its recorded checksum)"
    if problems:
        detail = f"stored files checked: {checked}; problems:\n" + "\n".join(problems)
    report.add("every stored file is there, unchanged", not problems, detail, started)
    return report


# --- The drill ----------------------------------------------------------------------------------


def _postgres_url(database: dict, name: str) -> str:
    user = quote(database.get("USER") or "", safe="")
    password = quote(database.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else f"{user}@" if user else ""
    host = database.get("HOST") or "localhost"
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(name, safe='')}"


def _pg_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(
            f"{name} is not on the PATH: the drill needs PostgreSQL's client tools (pg_dump, "
            "pg_restore, createdb, dropdb) of the server's major version"
        )
    return found


def _run(args: list[str], env: dict[str, str]) -> None:
    args = [_tool(args[0]), *args[1:]]
    done = subprocess.run(  # noqa: S603 (PostgreSQL's own tools, arguments built here)
        args, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
    )
    if done.returncode != 0:
        name = Path(args[0]).name
        raise RuntimeError(f"{name} failed: {(done.stderr or done.stdout).strip()}")


def _size(path: Path) -> str:
    total = (
        path.stat().st_size
        if path.is_file()
        else sum(item.stat().st_size for item in path.rglob("*") if item.is_file())
    )
    return f"{total / 1_000_000:,.1f} MB"


def _files_in(path: Path) -> int:
    return sum(1 for item in path.rglob("*") if item.is_file()) if path.exists() else 0


def _backup_postgres(database: dict, dump: Path) -> dict[str, int]:
    """A dump of the database at one moment, and its tables counted at that same moment: the
    counting transaction exports its snapshot and pg_dump reads through it."""
    env = _pg_env(database)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = table_counts(cursor, connection.introspection.table_names(cursor))
        _run(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}",
             f"--dbname={database['NAME']}"],
            env,
        )  # fmt: skip
    return counts


def _backup_sqlite(database: dict, copy: Path) -> dict[str, int]:
    """SQLite's online backup, and the tables counted in the same read transaction."""
    source = sqlite3.connect(database["NAME"])
    try:
        source.execute("BEGIN")
        tables = [
            row[0]
            for row in source.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = table_counts(source.cursor(), tables)
        target = sqlite3.connect(copy)
        source.backup(target)
        target.close()
        source.execute("COMMIT")
    finally:
        source.close()
    return counts


def drill(*, scratch: str = "", keep: bool = False, no_anchors: bool = False) -> Report:
    """Back up the running installation, restore it apart, check the restored copy."""
    database = settings.DATABASES["default"]
    postgres = connection.vendor == "postgresql"
    scratch = scratch or (f"{database['NAME']}_restore_drill" if postgres else "")
    report = Report()
    source = str(database["NAME"])
    if scratch and (
        scratch == source or (not postgres and Path(scratch).resolve() == Path(source).resolve())
    ):
        # The scratch copy is dropped and written over: never the installation's own database.
        report.add(
            "restore into a scratch database", False, f"{scratch} is this installation's database"
        )
        return report
    work = Path(tempfile.mkdtemp(prefix="earlyhelp-drill-"))
    try:
        # The anchors first: every row they name is then in the backup that follows.
        anchors = work / "audit-anchors.jsonl"
        anchor_source = Path(settings.EARLYHELP_AUDIT_ANCHOR_FILE)
        if not no_anchors and anchor_source.exists():
            shutil.copyfile(anchor_source, anchors)

        started = time.monotonic()
        backup = work / ("database.dump" if postgres else "database.sqlite3")
        try:
            counts = (_backup_postgres if postgres else _backup_sqlite)(database, backup)
        except (RuntimeError, OSError, sqlite3.Error) as exc:
            report.add("back up the database", False, str(exc), started)
            return report
        rows = sum(counts.values())
        report.add(
            "back up the database",
            True,
            f"{'pg_dump --format=custom' if postgres else 'SQLite online backup'}: "
            f"{len(counts)} tables, {rows:,} rows, {_size(backup)}",
            started,
        )

        started = time.monotonic()
        media = Path(settings.MEDIA_ROOT)
        media_backup = work / "media"
        if media.exists():
            shutil.copytree(media, media_backup)
        else:
            media_backup.mkdir()
        report.add(
            "back up the attachment store",
            True,
            f"{media}: {_files_in(media_backup)} files, {_size(media_backup)}",
            started,
        )

        started = time.monotonic()
        restored_media = work / "restored-media"
        shutil.copytree(media_backup, restored_media)
        try:
            if postgres:
                env = _pg_env(database)
                _run(["dropdb", "--if-exists", scratch], env)
                _run(["createdb", scratch], env)
                _run(
                    ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}",
                     str(backup)],
                    env,
                )  # fmt: skip
                url = _postgres_url(database, scratch)
                where = f"database {scratch}"
            else:
                restored = Path(scratch) if scratch else work / "restored.sqlite3"
                shutil.copyfile(backup, restored)
                url = f"sqlite:///{restored}"
                where = str(restored)
        except (RuntimeError, OSError) as exc:
            report.add("restore into a scratch database", False, str(exc), started)
            return report
        report.add(
            "restore into a scratch database",
            True,
            f"{where}; the attachment store into {restored_media}",
            started,
        )

        started = time.monotonic()
        check = _check_apart(
            url, restored_media, anchors if anchors.exists() else None, no_anchors=no_anchors
        )
        if check is None:
            report.add("check the restored copy", False, "restore_check did not answer", started)
            return report
        report.steps.extend(check.steps)

        started = time.monotonic()
        differ = [
            f"{table}: {counts.get(table, 'no table')} in the backup, "
            f"{check.counts.get(table, 'no table')} restored"
            for table in sorted(set(counts) | set(check.counts))
            if counts.get(table) != check.counts.get(table)
        ]
        report.add(
            "every table came back with every row",
            not differ,
            "\n".join(differ) or f"{len(counts)} tables, {rows:,} rows, the same in both",
            started,
        )
        return report
    finally:
        if postgres and not keep:
            with contextlib.suppress(RuntimeError):
                _run(["dropdb", "--if-exists", scratch], _pg_env(database))
        if keep:
            report.steps.append(Step("kept for inspection", True, str(work)))
        else:
            shutil.rmtree(work, ignore_errors=True)


def _check_apart(url: str, media: Path, anchors: Path | None, *, no_anchors: bool) -> Report | None:
    """`restore_check` in a process of its own, configured for the restored copy. Without a
    copy of the anchors it checks the installation's anchor file, and says so if there is none
    while the log holds keyed rows."""
    env = {**os.environ, "DATABASE_URL": url, "EARLYHELP_MEDIA_ROOT": str(media)}
    # The drill verifies the chain as a restore after a failure would: with every core at once.
    workers = str(max(2, min(8, os.cpu_count() or 2)))
    args = [
        sys.executable,
        str(ROOT / "manage.py"),
        "restore_check",
        "--json",
        "--workers",
        workers,
    ]
    if no_anchors:
        args.append("--no-anchors")
    elif anchors:
        args += ["--anchors", str(anchors)]
    done = subprocess.run(  # noqa: S603 (manage.py of this installation)
        args, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT, check=False
    )
    try:
        data = json.loads(done.stdout)
    except ValueError:
        return None
    return Report(steps=[Step(**step) for step in data["steps"]], counts=data["counts"])


def report_json(report: Report) -> str:
    return json.dumps({"steps": [asdict(step) for step in report.steps], "counts": report.counts})
