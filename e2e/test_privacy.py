"""The data-protection officer's privacy pages in a real browser on a 360-px phone: the
retention periods, a data subject's request registered (a wrong record number refused and
kept), the copy of the child's data downloaded and the request answered, and a legal hold
placed and lifted. Every page visited passes axe-core and scrolls no sideways."""

from __future__ import annotations

import re
import sqlite3

from playwright.sync_api import expect

from e2e.conftest import served_database
from e2e.support import PHONE, check_page, main_nav

OFFICER = "hu.dpo"


def _a_child_number() -> str:
    """A child of the officer's municipality, by number: the officer reads no record, and
    knows the number from the request itself."""
    with sqlite3.connect(f"file:{served_database()}?mode=ro", uri=True) as db:
        (number,) = db.execute(
            "SELECT c.id FROM people_child c JOIN organisations_municipality m "
            "ON m.id = c.municipality_id JOIN organisations_jurisdiction j "
            "ON j.id = m.jurisdiction_id WHERE j.code = 'HU' ORDER BY c.id LIMIT 1"
        ).fetchone()
    return str(number)


def test_the_officer_answers_a_request_with_the_copy_and_places_a_hold(open_page):
    page = open_page(OFFICER, PHONE)
    page.goto("/")
    main_nav(page).get_by_role("link", name=re.compile(r"^Privacy")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Privacy")
    expect(page.locator("main")).to_contain_text("municipal setting, earlyhelp default")
    check_page(page, OFFICER, "privacy")

    page.get_by_role("link", name="See and register requests").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data subjects' requests")
    page.get_by_label("Right").select_option("access")
    page.get_by_label("Record number").fill("12ab")
    page.get_by_label("Who asked, and how").fill("The mother, by letter")
    page.get_by_label("What is asked").fill("Everything you hold about my son.")
    page.get_by_role("button", name="Register the request").click()
    expect(page.locator(".field--error")).to_contain_text("in digits")
    expect(page.get_by_label("What is asked")).to_have_value("Everything you hold about my son.")
    check_page(page, OFFICER, "privacy-request-refused")

    number = _a_child_number()
    page.get_by_label("Record number").fill(number)
    page.get_by_role("button", name="Register the request").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Child {number}")
    check_page(page, OFFICER, "privacy-request")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download as PDF").click()
    assert waiting.value.suggested_filename.endswith(".pdf")

    page.get_by_label("Answered").check()
    page.get_by_label("Outcome").fill("The copy was handed over in person.")
    page.get_by_role("button", name="Record the answer").click()
    expect(page.locator("main")).to_contain_text("The copy was handed over in person.")

    page.goto("/privacy/holds/")
    page.get_by_label("Kind of record").select_option("child")
    page.get_by_label("Record number").fill(number)
    page.get_by_label("Reason").fill("The family court asked for the file, case 12/2026.")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator("main")).to_contain_text(f"Child {number}")
    check_page(page, OFFICER, "privacy-holds")
    page.get_by_label(re.compile(r"^Why the hold ends")).fill("The court closed the matter.")
    page.get_by_role("button", name=re.compile(r"^Lift the hold")).click()
    expect(page.locator("main")).to_contain_text("Lifted lately")
