"""Every page of earlyhelp on a 360-px phone: no sideways scrolling, and every tap target at
least 44 × 44 CSS px (WCAG 2.5.5), for each demo persona of test_pages.py.

The pages are found, not listed: each persona's links are followed from the overview (plain
HTTP requests with the signed-in cookies, no rendering), and the first page of each URL pattern
(its view name) that answers 200 with HTML is opened in the browser and checked. A pattern that
no persona reaches by a link (a form's POST-only action, a download) is not a page. A small
set of pages (SHOWCASE) is kept as screenshots in each of the four languages under
e2e/screenshots/phone/, small JPEGs committed with the code.

The exceptions a target may have are WCAG's: a link inside a sentence or block of text (its
block holds more text than the link), and a checkbox or radio button whose label is the target
(the label is measured instead). One browser, one context per persona; the whole file runs in
about two minutes."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import BrowserContext

from e2e.support import PHONE, ROOT
from e2e.test_pages import HU_ACCOUNTS, OTHER_COUNTRIES

PERSONAS = HU_ACCOUNTS + OTHER_COUNTRIES
LANGUAGES = ("en", "hu", "cs", "da")
SHOTS = ROOT / "e2e" / "screenshots" / "phone"
MIN_TARGET = 44
# Not pages of earlyhelp's own: Django's admin and the API have their own look.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
MAX_FETCHES_PER_PERSONA = 120
# Kept in four languages, each as the persona who reached it first: pages a reporter, a
# helper, a case worker and a manager use.
SHOWCASE = [
    "home",
    "concerns:report",
    "concerns:mine",
    "concerns:queue",
    "concerns:detail",
    "people:child_list",
    "people:child_detail",
    "cases:detail",
    "activities:week",
    "screening:rate",
    "contacts:detail",
    "programmes:detail",
]

# Found pages, shared by the personas in order: a view name checked once is not checked again.
FOUND: dict[str, tuple[str, str]] = {}  # view name -> (persona, path)

# The measuring function, without its comment lines (page.evaluate takes a bare function).
MEASURE = "\n".join(
    line
    for line in (ROOT / "e2e" / "phone_targets.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def _view_name(path: str) -> str | None:
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        return resolve(path).view_name
    except Resolver404:
        return None


def _crawl(context: BrowserContext, base_url: str) -> list[tuple[str, str]]:
    """(view name, path) of the pages of view names not found yet that the persona reaches."""
    new: list[tuple[str, str]] = [("home", "/")]  # each persona's own overview
    seen = {"/"}
    queue = deque(["/"])
    fetches = 0
    while queue and fetches < MAX_FETCHES_PER_PERSONA:
        path = queue.popleft()
        fetches += 1
        response = context.request.get(path, max_redirects=0)
        if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
            continue
        name = _view_name(path)
        if name and name not in FOUND and path != "/":
            FOUND[name] = ("", path)
            new.append((name, path))
        parser = _Links()
        parser.feed(response.text())
        for href in parser.hrefs:
            url = urlsplit(urldefrag(href)[0])
            if url.scheme not in ("", "http") or (url.netloc and url.netloc not in base_url):
                continue
            link = url.path
            target = _view_name(link)
            # An index page (no id in its path) is followed even when checked already: it leads
            # to the records this persona may open (the Czech contacts, the manager's programmes).
            if (
                link in seen
                or target is None
                or (target in FOUND and any(c.isdigit() for c in link))
            ):
                continue
            seen.add(link)
            queue.append(link)
    return new


@pytest.fixture(scope="module")
def problems() -> dict[str, list[str]]:
    return {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone(browser, base_url, accounts, problems, persona):
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, storage_state=accounts.state(persona)
    )
    try:
        found = _crawl(context, base_url)
        page = context.new_page()
        failures = []
        for name, path in found:
            FOUND.setdefault(name, (persona, path))
            if path != "/":
                FOUND[name] = (persona, path)
            page.goto(path)
            measured = page.evaluate(MEASURE, MIN_TARGET)
            if path == "/":
                # The folded menu, opened: its links and tools are tap targets too.
                page.locator("button.menu-toggle").click()
                opened = page.evaluate(MEASURE, MIN_TARGET)
                measured["small"] += [f"(menu open) {t}" for t in opened["small"]]
            if measured["overflow"] > 0:
                failures.append(f"{path} ({name}): scrolls sideways by {measured['overflow']} px")
            if measured["small"]:
                failures.append(
                    f"{path} ({name}): tap targets under {MIN_TARGET} px: "
                    + "; ".join(measured["small"][:8])
                    + (
                        f" … and {len(measured['small']) - 8} more"
                        if len(measured["small"]) > 8
                        else ""
                    )
                )
        print(f"\n{persona}: {len(found)} pages checked at {PHONE['width']} px")
        assert not failures, f"{persona} at {PHONE['width']} px:\n" + "\n".join(failures)
    finally:
        context.close()


def test_screenshots_of_the_showcase_in_four_languages(browser, base_url, accounts):
    """Needs the pages found above: run with the whole file."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    host = urlsplit(base_url).hostname
    missing = [name for name in SHOWCASE if name not in FOUND]
    by_persona: dict[str, list[str]] = {}
    for name in SHOWCASE:
        if name in FOUND:
            by_persona.setdefault(FOUND[name][0], []).append(name)
    for persona, names in by_persona.items():
        context = browser.new_context(
            base_url=base_url, viewport=PHONE, storage_state=accounts.state(persona)
        )
        try:
            page = context.new_page()
            for name in names:
                for language in LANGUAGES:
                    context.add_cookies(
                        [
                            {
                                "name": "django_language",
                                "value": language,
                                "domain": host,
                                "path": "/",
                            }
                        ]
                    )
                    page.goto(FOUND[name][1])
                    page.screenshot(
                        path=SHOTS / f"{name.replace(':', '-')}--{language}.jpg",
                        full_page=True,
                        type="jpeg",
                        quality=40,
                        caret="initial",
                    )
        finally:
            context.close()
    assert not missing, f"showcase pages no persona reached: {missing}"
