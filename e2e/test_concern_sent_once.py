"""A report is sent once in a real browser: Send, Back (Chromium shows the form again with
what was typed), then Send again is told "already sent" and leads to the one concern; and the
form offers only institutions whose concerns someone receives (the demo educator also works
with a health-visiting service where nobody triages)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.test_concerns import EDUCATOR, HUNGARY, SCHOOL, fill_report, send_report

WHAT_HAPPENED = "Ma reggel is éhesen jött; azt mondta, otthon nem volt reggeli."


def test_send_back_and_send_again_sends_one_concern(open_page):
    page = open_page(EDUCATOR)
    page.goto("/concerns/mine/")
    drafts = page.locator("main tbody a[href$='/edit/']").count()
    page.goto("/concerns/new/")
    fill_report(page, child_index=2, what_happened=WHAT_HAPPENED)
    pk = send_report(page)

    page.go_back()
    expect(page).to_have_url(re.compile(r"/concerns/new/$"))
    # The browser puts back what was typed.
    expect(page.locator("#id_what_happened")).to_have_value(WHAT_HAPPENED)
    page.locator("#concern-form button[name='send']").click()

    expect(page.locator("main h1")).to_contain_text("already sent")
    link = page.locator(f"main a[href='/concerns/{pk}/']")
    expect(link).to_have_count(1)
    link.click()
    expect(page).to_have_url(re.compile(rf"/concerns/{pk}/$"))

    # No draft of the second Send is left behind either.
    page.goto("/concerns/mine/")
    expect(page.locator("main tbody a[href$='/edit/']")).to_have_count(drafts)


def test_the_form_offers_only_institutions_that_receive_concerns(open_page):
    page = open_page(EDUCATOR)
    page.goto("/concerns/new/")
    options = page.locator("#id_institution option")
    expect(options).to_have_count(1)
    expect(options).to_have_text(SCHOOL)
    expect(page.locator("#id_institution")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("main")).to_contain_text(
        f"Nobody receives concerns for {HUNGARY.health_visiting}"
    )
