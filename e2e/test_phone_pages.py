"""Every page of earlyhelp on a 360-px phone: no sideways scrolling, and every tap target at
least 44 × 44 CSS px (WCAG 2.5.5), for each demo persona of test_pages.py.

The pages are found, not listed: each persona follows the links from its overview, opening at
most one page of each URL pattern (view name). The first page of a pattern that answers 200 with
HTML is opened in the browser, checked, and its links followed; a page of a pattern checked
already is only fetched (a plain HTTP request with the signed-in cookies, no rendering) for its
links, which lead on to what this persona's role may do. A persona of a role crawled already
(the Czech and Danish social helpers) checks its overview and new patterns but does not follow
links to records of patterns checked already. A pattern that no persona reaches by a link (a
form's POST-only action, a download) is not a page. A small set of pages (SHOWCASE) is kept in
each of the four languages under e2e/screenshots/phone/: small JPEGs of the top SHOT_HEIGHT px,
committed with the code.

The exceptions a target may have are WCAG's: a link inside a sentence or block of text (its
block holds more text than the link), and a checkbox or radio button whose label is the target
(the label is measured instead). A failure is fixed with a rule for the kind of element in
earlyhelp.css, never per page. One browser context per persona; about 160 pages checked and
500 opened or fetched. Measured on the shared 2-core machine at a load average of 5 to 6: 1 min
26 s for this file's tests, of which about 25 s sign the ten personas in (done once per session
when other browser tests run first), plus 41 s for the session's demo database when the file
runs alone."""

from __future__ import annotations

import time
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import APIResponse, Page, Response
from playwright.sync_api import Error as PlaywrightError

from e2e.support import PHONE, ROOT
from e2e.test_pages import HU_ACCOUNTS, OTHER_COUNTRIES

PERSONAS = HU_ACCOUNTS + OTHER_COUNTRIES
LANGUAGES = ("en", "hu", "cs", "da")
SHOTS = ROOT / "e2e" / "screenshots" / "phone"
MIN_TARGET = 44
# Not pages of earlyhelp's own: Django's admin and the API have their own look.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/i18n/", "/accounts/logout/")
MAX_FETCHES_PER_PERSONA = 200
# Kept in four languages (the top SHOT_HEIGHT px of each), as the persona named, or as the
# first persona who reached the page if that one did not: pages a reporter, a helper, a case
# worker, a contact worker and a manager use.
SHOWCASE = {
    "home": "hu.social_helper",
    "concerns:report": "hu.educator",
    "concerns:mine": "hu.educator",
    "concerns:queue": "hu.social_helper",
    "concerns:detail": "hu.social_helper",
    "people:child_list": "hu.social_helper",
    "people:child_detail": "hu.social_helper",
    "cases:detail": "hu.case_worker",
    "activities:week": "hu.social_helper",
    "screening:rate": "hu.educator",
    "contacts:detail": "cz.social_helper",
    "programmes:detail": "hu.manager",
}
SHOT_HEIGHT = 3600

# Found pages, shared by the personas in order: a view name checked once is not checked again.
FOUND: dict[str, tuple[str, str]] = {}  # view name -> (persona, path)
ROLES_CRAWLED: set[str] = set()
# The pages each persona opened or fetched: persona -> view name -> path.
REACHED: dict[str, dict[str, str]] = {}

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


def _pattern(path: str) -> tuple[str, bool] | None:
    """The view name of one of earlyhelp's own pages, and whether the path names a record."""
    if path.startswith(SKIPPED_PREFIXES):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, bool(match.kwargs)


def _paths(hrefs: list[str], base_url: str) -> list[str]:
    """The paths of the links that stay on earlyhelp, in order."""
    paths = []
    for href in hrefs:
        url = urlsplit(urldefrag(href)[0])
        if url.scheme not in ("", "http") or (url.netloc and url.netloc not in base_url):
            continue
        paths.append(url.path or "/")
    return paths


def _html(response: APIResponse | Response | None) -> bool:
    return (
        response is not None
        and response.status == 200
        and "text/html" in response.headers.get("content-type", "")
    )


def _check(page: Page, path: str, name: str) -> tuple[list[str], list[str]] | None:
    """Opens the page: what is wrong with it on a phone (an empty list: nothing) and its links;
    None if it is not a page (a redirect, a refusal, a download)."""
    try:
        response = page.goto(path, wait_until="domcontentloaded")
    except PlaywrightError:  # a download: no page
        return None
    if not _html(response) or response.request.redirected_from is not None:
        return None
    measured = page.evaluate(MEASURE, MIN_TARGET)
    if name == "home":
        # The folded menu, opened: its links and tools are tap targets too.
        page.locator("button.menu-toggle").click()
        opened = page.evaluate(MEASURE, MIN_TARGET)
        measured["small"] += [f"(menu open) {t}" for t in opened["small"]]
    failures = []
    if measured["overflow"] > 0:
        failures.append(f"{path} ({name}): scrolls sideways by {measured['overflow']} px")
    small = measured["small"]
    if small:
        more = f" … and {len(small) - 8} more" if len(small) > 8 else ""
        failures.append(
            f"{path} ({name}): tap targets under {MIN_TARGET} px: " + "; ".join(small[:8]) + more
        )
    return failures, measured["links"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_fits_a_phone(browser, base_url, accounts, persona):
    context = browser.new_context(
        base_url=base_url, viewport=PHONE, storage_state=accounts.state(persona)
    )
    started = time.monotonic()
    try:
        page = context.new_page()
        failures: list[str] = []
        checked = fetched = 0
        # Each persona opens at most one page of each view name: a new one in the browser, to
        # check it; one checked already (by an earlier persona) by a plain request, for its
        # links only, which lead on to what this persona's role may do. A persona of a role
        # crawled already (the Czech and Danish social helpers) follows no links to records
        # of a kind checked already: their pages differ by country, not by what they lead to.
        role = persona.split(".", 1)[1]
        reached = REACHED.setdefault(persona, {})
        names = {"home"}
        queue = deque([("/", "home")])
        while queue and fetched < MAX_FETCHES_PER_PERSONA:
            path, name = queue.popleft()
            fetched += 1
            if name == "home" or name not in FOUND:
                result = _check(page, path, name)
                if result is None:
                    continue
                reached[name] = path
                FOUND.setdefault(name, (persona, path))
                checked += 1
                failures += result[0]
                hrefs = result[1]
            else:
                response = context.request.get(path, max_redirects=0)
                if not _html(response):
                    continue
                reached[name] = path
                parser = _Links()
                parser.feed(response.text())
                hrefs = parser.hrefs
            for link in _paths(hrefs, base_url):
                pattern = _pattern(link)
                if pattern is None or pattern[0] in names:
                    continue
                target, record = pattern
                if record and target in FOUND and role in ROLES_CRAWLED:
                    continue
                names.add(target)
                queue.append((link, target))
        ROLES_CRAWLED.add(role)
        print(
            f"\n{persona}: {checked} pages checked at {PHONE['width']} px "
            f"({fetched} opened or fetched) in {time.monotonic() - started:.1f} s"
        )
        assert not failures, f"{persona} at {PHONE['width']} px:\n" + "\n".join(failures)
    finally:
        context.close()


def test_screenshots_of_the_showcase_in_four_languages(browser, base_url, accounts):
    """Needs the pages found above: run with the whole file."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    host = urlsplit(base_url).hostname
    missing = [name for name in SHOWCASE if name not in FOUND]
    by_persona: dict[str, dict[str, str]] = {}
    for name, persona in SHOWCASE.items():
        if name in REACHED.get(persona, {}):
            by_persona.setdefault(persona, {})[name] = REACHED[persona][name]
        elif name in FOUND:
            first, path = FOUND[name]
            by_persona.setdefault(first, {})[name] = path
    for persona, paths in by_persona.items():
        context = browser.new_context(
            base_url=base_url, viewport=PHONE, storage_state=accounts.state(persona)
        )
        try:
            page = context.new_page()
            for language in LANGUAGES:
                context.add_cookies(
                    [{"name": "django_language", "value": language, "domain": host, "path": "/"}]
                )
                for name, path in paths.items():
                    page.goto(path)
                    height = page.evaluate("document.documentElement.scrollHeight")
                    page.screenshot(
                        path=SHOTS / f"{name.replace(':', '-')}--{language}.jpg",
                        full_page=True,
                        clip={
                            "x": 0,
                            "y": 0,
                            "width": PHONE["width"],
                            "height": min(height, SHOT_HEIGHT),
                        },
                        type="jpeg",
                        quality=35,
                        caret="initial",
                    )
        finally:
            context.close()
    assert not missing, f"showcase pages no persona reached: {missing}"
