"""The application under test and the browser: a fresh SQLite database with generated demo data,
`manage.py runserver` on a free loopback port, and Debian's Chromium driven by Playwright (which
never downloads a browser of its own)."""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from e2e.support import (
    AXE_FINDINGS,
    DESKTOP,
    ROOT,
    SCREENSHOTS,
    check_page,
    fresh_totp,
    watch,
)
from earlyhelp.sampledata.demo.organisations import (  # pytest-django sets Django up
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
)

os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")

DB_DIR = ROOT / "e2e" / ".db"
HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
BROWSER_LOCALE = "en-GB"
SERVER_START_SECONDS = 60

expect.set_options(timeout=5_000)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        pytest.fail(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


def _answers(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _remove_database(path: Path) -> None:
    """An SQLite database and the files SQLite keeps beside it."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def served_database() -> Path:
    """The database this process's server serves: its own copy of the demo (one a worker)."""
    return DB_DIR / f"e2e-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sqlite3"


def _demo_database(env: dict[str, str]) -> Path:
    """The migrated database with the demo data, built once a run. In a parallel run (`make
    e2e` runs two workers) the first worker to take the lock builds it and the others wait for
    it; each then serves its own copy, so that no test sees another worker's writes."""
    template = DB_DIR / "demo.sqlite3"
    marker = DB_DIR / "demo.run"
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
    with (DB_DIR / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = marker.read_text() if marker.exists() else ""
        if built == f"failed {run}":
            pytest.fail("building the demo database failed in another worker", pytrace=False)
        if built != run:
            marker.write_text(f"failed {run}")
            _remove_database(template)
            build_env = {**env, "DATABASE_URL": f"sqlite:///{template}"}
            _manage("migrate", "--noinput", "-v", "0", env=build_env)
            _manage("demo_data", "--children-per-group", "6", env=build_env)
            marker.write_text(run)
    return template


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    """earlyhelp on a fresh copy of the demo database, served by runserver on 127.0.0.1 for
    the whole session (one server a worker)."""
    DB_DIR.mkdir(exist_ok=True)
    database = served_database()
    _remove_database(database)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "EARLYHELP_ENV": "development",
        "DJANGO_DEBUG": "1",
        "DJANGO_ALLOWED_HOSTS": HOST,
        "EARLYHELP_HTTPS": "0",
        "EARLYHELP_SSL_REDIRECT": "0",
        "PYTHONUNBUFFERED": "1",
    }
    template = _demo_database(env)
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(database)) as copy:
        source.backup(copy)

    port = _free_port()
    url = f"http://{HOST}:{port}"
    log_path = database.with_suffix(".log")
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, "manage.py", "runserver", f"{HOST}:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + SERVER_START_SECONDS
            # Answered while its own process still runs (not another worker's on that port).
            while not _answers(f"{url}/health/") or server.poll() is not None:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"runserver did not answer on {url}/health/ "
                        f"(exit code {server.poll()}):\n{log_path.read_text()}",
                        pytrace=False,
                    )
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def pytest_sessionstart(session: pytest.Session) -> None:
    """The run starts with an empty e2e/screenshots/: emptied once, by the process that runs
    the workers (or by the only process), before any worker writes to it."""
    if hasattr(session.config, "workerinput"):
        return
    for old in [*SCREENSHOTS.glob("*.png"), *SCREENSHOTS.glob("*.json")]:
        old.unlink(missing_ok=True)


@pytest.fixture(scope="session", autouse=True)
def axe_report() -> Iterator[None]:
    """Ends the run with axe-violations.json (one file a worker in a parallel run)."""
    yield
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = f"axe-violations-{worker}.json" if worker else "axe-violations.json"
    (SCREENSHOTS / name).write_text(
        json.dumps(AXE_FINDINGS, indent=1, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not os.access(executable, os.X_OK):
        pytest.fail(
            f"No Chromium at {executable}: install Debian's chromium or set CHROMIUM_PATH. "
            "Playwright never downloads a browser for these tests.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class Accounts:
    """Signs each demo account in once per test session (a TOTP code is accepted only once)
    and hands out the signed-in browser state."""

    def __init__(self, browser: Browser, base_url: str) -> None:
        self.browser = browser
        self.base_url = base_url
        self.states: dict[str, dict] = {}
        self.two_factor_asked: dict[str, bool] = {}
        self.language_after_sign_in: dict[str, str | None] = {}
        self.failed: dict[str, str] = {}

    def state(self, username: str) -> dict:
        if username in self.failed:
            pytest.fail(f"signing in as {username} failed earlier:\n{self.failed[username]}")
        if username not in self.states:
            try:
                self.states[username] = self._sign_in(username)
            except Exception as error:
                self.failed[username] = str(error)
                raise
        return self.states[username]

    def _sign_in(self, username: str) -> dict:
        context = self.browser.new_context(
            base_url=self.base_url, viewport=DESKTOP, locale=BROWSER_LOCALE
        )
        try:
            page = watch(context.new_page())
            page.goto("/accounts/login/")
            check_page(page, username, "login")
            page.locator("input[name='username']").fill(username)
            page.locator("input[name='password']").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in", exact=True).click()
            expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

            asked = "/accounts/two-factor/" in page.url
            self.two_factor_asked[username] = asked
            if asked:
                check_page(page, username, "two-factor")
                page.locator("input[name='token']").fill(fresh_totp(username, DEMO_TOTP_KEY))
                page.locator("main form button[type='submit']").click()
                expect(page).not_to_have_url(re.compile(r"/accounts/"))
            expect(page).to_have_url(f"{self.base_url}/")

            # Sign-in switches to the person's own language; the tests then start in English.
            self.language_after_sign_in[username] = page.locator("html").get_attribute("lang")
            check_page(page, username, "overview-after-sign-in")
            page.locator("select#language-select").select_option("en")
            page.locator("header form.langform button[type='submit']").click()
            expect(page.locator("html")).to_have_attribute("lang", "en")
            return context.storage_state()
        finally:
            context.close()


@pytest.fixture(scope="session")
def accounts(browser: Browser, base_url: str) -> Accounts:
    return Accounts(browser, base_url)


@pytest.fixture
def open_page(browser: Browser, base_url: str, accounts: Accounts) -> Iterator[Callable[..., Page]]:
    """open_page(username or None, viewport) → a page in a new browser context, signed in as
    that demo account; every context is closed after the test."""
    contexts: list[BrowserContext] = []

    def _open(username: str | None = None, viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(
            base_url=base_url,
            viewport=viewport,
            locale=BROWSER_LOCALE,
            storage_state=accounts.state(username) if username else None,
        )
        contexts.append(context)
        return watch(context.new_page())

    yield _open
    for context in contexts:
        context.close()
