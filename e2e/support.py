"""What the browser tests share: viewports, the accessibility check with its screenshot, name
folding for accent-free searches, the translation catalogues and the two-factor code."""

from __future__ import annotations

import ast
import gettext
import re
import time
import unicodedata
import weakref
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import hotp
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "e2e" / "screenshots"
LOCALE = ROOT / "earlyhelp" / "locale"

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
VIEWPORTS = {"phone": PHONE, "desktop": DESKTOP}

BLOCKING_IMPACTS = ("serious", "critical")
# Requests of a page that must succeed; the document itself may be a 403 on purpose.
SUBRESOURCES = {"stylesheet", "script", "image", "font", "xhr", "fetch"}
# Requests a navigation may cancel midway (htmx sections still loading): not a fault of the page.
CANCELLABLE = {"xhr", "fetch"}
TOTP_STEP = 30

_axe = Axe()
# Every axe-core violation of any impact, page by page, written to axe-violations.json next to
# the screenshots at the end of the run, one file a worker in a parallel run (the moderate and
# minor ones are worth reading too).
AXE_FINDINGS: list[dict] = []
_console_errors: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


# --- Pages: console errors, accessibility, screenshots ------------------------------------------


def watch(page: Page) -> Page:
    """Remember the page's uncaught exceptions, console errors (CSP refusals among them) and
    stylesheets, scripts, images, fonts or htmx requests that did not load."""
    errors: list[str] = []
    _console_errors[page] = errors

    def on_console(message) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    answered_with_error: set[str] = set()

    def on_response(response) -> None:
        kind = response.request.resource_type
        if response.status >= 400 and kind in SUBRESOURCES:
            answered_with_error.add(response.url)
            errors.append(f"HTTP {response.status}: {kind} {response.url}")

    def on_request_failed(request) -> None:
        # An htmx request the browser cancelled because the test went on to the next page (a
        # section still loading when a form was sent) is no fault of the page: on a fast
        # machine the next click comes before the sections of the last page have loaded.
        cancelled = request.failure == "net::ERR_ABORTED" and request.resource_type in CANCELLABLE
        if (
            request.resource_type in SUBRESOURCES
            and request.url not in answered_with_error
            and not cancelled
        ):
            errors.append(f"failed: {request.resource_type} {request.url} ({request.failure})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    return page


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:10]:
            target = ", ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"      {summary[:400]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


def open_menu(page: Page) -> None:
    """On a phone the main menu and the top bar's tools fold behind "Menu" (menu.js): open
    them; on a wide screen there is nothing to open."""
    toggle = page.locator("button.menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def main_nav(page: Page):
    """The main menu, opened first where it is folded."""
    open_menu(page)
    return page.get_by_role("navigation", name="Main")


def check_page(page: Page, who: str, name: str) -> None:
    """Keep a full-page screenshot named by who, page and width, then require no serious or
    critical axe-core violation, no script error, no resource that failed to load and no
    sideways scrolling of the whole page."""
    page.wait_for_load_state("load")
    width = page.viewport_size["width"] if page.viewport_size else 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # caret="initial": hiding the caret leaves style="" on every field, which htmx then copies
    # onto swapped-in elements of the same id, where the CSP (style-src 'self') refuses it.
    page.screenshot(
        path=SCREENSHOTS / f"{who}--{name}--{width}.png", full_page=True, caret="initial"
    )

    results = _axe.run(page)
    if results.response["violations"]:
        AXE_FINDINGS.append(
            {
                "url": page.url,
                "who": who,
                "page": name,
                "width": width,
                "violations": [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "targets": [node["target"] for node in v["nodes"]],
                    }
                    for v in results.response["violations"]
                ],
            }
        )
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    errors = _console_errors.get(page, [])
    found, errors[:] = list(errors), []

    problems = []
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow > 0:
        problems.append(f"The page scrolls sideways by {overflow} px at {width} px wide.")
    if found:
        problems.append("Errors in the page:\n" + "\n".join(f"- {error}" for error in found))
    if blocking:
        problems.append(
            f"axe-core found {len(blocking)} serious or critical violation(s):\n"
            + format_violations(blocking)
        )
    assert not problems, f"{page.url} ({who}, {name}, {width} px)\n" + "\n".join(problems)


# --- Names ----------------------------------------------------------------------------------

# Letters Unicode does not decompose into a base letter and a combining mark.
_SPECIAL = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "ß": "ss", "ł": "l", "Ł": "L"})


def strip_accents(text: str) -> str:
    """What someone types on a keyboard without the accents: "Szőke" → "Szoke"."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    return " ".join(strip_accents(text).casefold().split())


def accent_free_search_term(names: list[str]) -> tuple[str, str]:
    """A name from the list with a word carrying accents, and that word typed without them.
    Falls back to a lower-cased word when no visible name has accents."""
    for name in names:
        for word in name.split():
            plain = strip_accents(word)
            if plain != word and len(plain) >= 3:
                return name, plain
    name = names[0]
    word = max(name.split(), key=len)
    return name, word.lower()


# --- Translation catalogues -----------------------------------------------------------------

_PO_STRING = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def _po_catalogue(language: str) -> dict[str, str]:
    """msgid → msgstr of the non-fuzzy, singular, context-free entries of a django.po."""
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return {}
    catalogue: dict[str, str] = {}
    entry: dict[str, str] = {}
    fuzzy = False
    key = None

    def flush() -> None:
        if (
            not fuzzy
            and "msgctxt" not in entry
            and "msgid_plural" not in entry
            and entry.get("msgid")
        ):
            catalogue[entry["msgid"]] = entry.get("msgstr", "")

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            entry, fuzzy, key = {}, False, None
        elif line.startswith("#,"):
            fuzzy = fuzzy or "fuzzy" in line
        elif line.startswith("#"):
            continue
        elif match := _PO_STRING.match(line):
            if match.group(1) == "msgid" and "msgid" in entry:
                flush()
                entry, fuzzy = {}, False
            key = match.group(1)
            entry[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            entry[key] += ast.literal_eval(line)
    flush()
    return catalogue


def served_translation(language: str, msgid: str) -> str | None:
    """The translation the server will show for msgid: only when django.po has a non-empty
    msgstr and the compiled django.mo carries the same text (the server reads the .mo)."""
    po_text = _po_catalogue(language).get(msgid)
    if not po_text:
        return None
    mo_path = LOCALE / language / "LC_MESSAGES" / "django.mo"
    if not mo_path.exists():
        return None
    with mo_path.open("rb") as handle:
        mo_text = gettext.GNUTranslations(handle).gettext(msgid)
    return po_text if mo_text == po_text else None


# --- Two-factor codes -----------------------------------------------------------------------

_last_step: dict[str, int] = {}


def fresh_totp(username: str, key_hex: str) -> str:
    """The current TOTP code, waiting for the next 30-second window if this user already used
    this window's code (django-otp rejects a code it has accepted before)."""
    while True:
        now = time.time()
        step = int(now // TOTP_STEP)
        if step > _last_step.get(username, -1):
            break
        time.sleep(TOTP_STEP - now % TOTP_STEP + 0.2)
    _last_step[username] = step
    return f"{hotp(bytes.fromhex(key_hex), step):06d}"
