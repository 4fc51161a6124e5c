"""The audit log in a real browser on a 360-px phone: the municipality's administrator (the
demo's data-protection officer once it has one) reads the log, filters it to sign-ins,
exports the rows as CSV and verifies the newest rows of the chain. Every page visited passes
axe-core and scrolls no sideways."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.support import PHONE, check_page, main_nav

# The demo has no data-protection officer yet (role `dpo`): its administrator reads the log.
READER = "hu.admin"


def test_the_administrator_reads_filters_exports_and_verifies_the_audit_log(open_page):
    page = open_page(READER, PHONE)
    page.goto("/")
    main_nav(page).get_by_role("link", name="Audit log", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    rows = page.locator(".audit-rows > li")
    expect(rows.first).to_be_visible()
    check_page(page, READER, "audit-log")

    page.get_by_label("Action").select_option(label="signed in")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page).to_have_url(re.compile(r"action=login"))
    expect(rows.first).to_contain_text("signed in")
    # Dates in the reader's format (d/m/Y H:i), never the stored ISO text.
    expect(rows.first.locator("time")).to_have_text(re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$"))
    check_page(page, READER, "audit-log-filtered")

    page.get_by_label("Record number").fill("12ab")
    page.get_by_role("button", name="Filter", exact=True).click()
    expect(page.locator(".field--error")).to_contain_text("in digits")
    check_page(page, READER, "audit-log-refused-filter")

    page.get_by_label("Record number").fill("")
    page.get_by_role("button", name="Filter", exact=True).click()
    page.get_by_role("button", name="Export these rows").click()
    download_link = page.get_by_role("link", name=re.compile(r"Download the CSV"))
    expect(download_link).to_be_visible(timeout=20_000)
    check_page(page, READER, "audit-log-exported")
    with page.expect_download() as waiting:
        download_link.click()
    assert waiting.value.suggested_filename.endswith(".csv")

    page.get_by_role("button", name="Verify the newest rows now").click()
    expect(page.locator("main")).to_contain_text("chain intact")
    check_page(page, READER, "audit-log-verified")
