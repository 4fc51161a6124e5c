"""A report that reached the social helper by phone, the written signal the educator then owes,
the official form, and the class register, on a 360-px phone. Every page visited passes
axe-core and leaves a screenshot, as in test_pages.py."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from e2e.support import PHONE, check_page, main_nav
from e2e.test_concerns import EDUCATOR, SCHOOL, SOCIAL_HELPER

ORAL_REPORT = "Telefonon jelezte: a gyerek azt mondta, fél hazamenni, mert apa ütött."
WRITTEN_ADDITION = " Írásban: ma reggel is félt, a karján kék folt látszott."


def record_oral_signal(helper: Page) -> int:
    helper.goto("/concerns/queue/")
    helper.locator("main a[href='/concerns/record/']").click()
    expect(helper).to_have_url(re.compile(r"/concerns/record/$"))
    check_page(helper, SOCIAL_HELPER, "record-form")
    form = helper.locator("#record-form")
    form.locator("#id_immediate_danger").check()
    form.locator("#id_institution").select_option(label=SCHOOL)
    form.locator("input[name='channel'][value='oral']").check()
    form.locator("input[name='reporter_kind'][value='professional']").check()
    reporter = form.locator("#id_reporter option", has_text=f"({EDUCATOR})")
    form.locator("#id_reporter").select_option(reporter.get_attribute("value"))
    child = form.locator("select[name='children-0-child'] option:not([value=''])").first
    form.locator("select[name='children-0-child']").select_option(child.get_attribute("value"))
    form.locator("#id_what_happened").fill(ORAL_REPORT)
    form.locator("input[name='categories'][value='physical_harm']").check()
    form.locator("input[name='parents_know'][value='unsure']").check()
    form.locator("button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/concerns/\d+/$"))
    return int(re.search(r"/concerns/(\d+)/$", helper.url).group(1))


def test_an_oral_signal_is_recorded_and_the_educator_writes_it_up(open_page):
    helper = open_page(SOCIAL_HELPER, PHONE)
    oral = record_oral_signal(helper)
    main = helper.locator("main")
    expect(main).to_contain_text("Orally (by phone or in person)")
    expect(main).to_contain_text("must be followed by a written signal")
    # Physical harm: under Hungarian rules the reporter's identity is kept confidential.
    expect(main).to_contain_text("identity is confidential")
    check_page(helper, SOCIAL_HELPER, "recorded-oral-signal")

    # The official form of the country, through the policy, as a PDF download.
    link = helper.locator(f"main a[href='/concerns/{oral}/form.pdf']")
    expect(link).to_have_count(1)
    response = helper.request.get(link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    educator = open_page(EDUCATOR, PHONE)
    educator.goto("/concerns/mine/")
    waiting = educator.locator("main .alert--warn", has_text=f"#{oral}")
    expect(waiting).to_contain_text("must be followed by a written signal")
    check_page(educator, EDUCATOR, "my-concerns-written-signal-due")
    waiting.locator(f"a[href='/concerns/{oral}/written-signal/']").click()
    expect(educator).to_have_url(re.compile(rf"/concerns/new/\?follows={oral}$"))
    expect(educator.locator("#id_what_happened")).to_have_value(ORAL_REPORT)
    expect(educator.locator("#id_follows_up")).to_have_value(str(oral))
    check_page(educator, EDUCATOR, "written-signal-form")
    educator.locator("#id_what_happened").press("End")
    educator.locator("#id_what_happened").type(WRITTEN_ADDITION)
    educator.locator("#concern-form button[name='send']").click()
    expect(educator).to_have_url(re.compile(r"/concerns/\d+/sent/$"))
    written = int(re.search(r"/concerns/(\d+)/sent/$", educator.url).group(1))
    check_page(educator, EDUCATOR, "written-signal-sent")

    # The oral signal no longer waits, and each links to the other.
    helper.goto(f"/concerns/{oral}/")
    expect(helper.locator("main")).not_to_contain_text("must be followed by a written signal")
    expect(helper.locator(f"main a[href='/concerns/{written}/']")).to_have_count(1)
    check_page(helper, SOCIAL_HELPER, "oral-signal-written-up")


def test_a_professional_may_not_signal_orally_without_danger_and_nothing_typed_is_lost(
    open_page,
):
    helper = open_page(SOCIAL_HELPER, PHONE)
    helper.goto("/concerns/record/")
    form = helper.locator("#record-form")
    form.locator("#id_institution").select_option(label=SCHOOL)
    form.locator("input[name='channel'][value='oral']").check()
    reporter = form.locator("#id_reporter option", has_text=f"({EDUCATOR})")
    form.locator("#id_reporter").select_option(reporter.get_attribute("value"))
    form.locator("#id_what_happened").fill(ORAL_REPORT)
    form.locator("button[type='submit']").click()
    expect(helper.locator("main")).to_contain_text("only when the child may be in immediate danger")
    expect(helper.locator("#id_what_happened")).to_have_value(ORAL_REPORT)
    check_page(helper, SOCIAL_HELPER, "record-form-refused")


def test_the_class_register_records_an_absence(open_page):
    educator = open_page(EDUCATOR, PHONE)
    educator.goto("/")
    main_nav(educator).locator("a[href='/absences/']").click()
    expect(educator).to_have_url(re.compile(r"/absences/$"))
    check_page(educator, EDUCATOR, "absences")
    child = educator.locator("#id_child option:not([value=''])").first
    educator.locator("#id_child").select_option(child.get_attribute("value"))
    educator.locator("#id_amount").fill("2")
    educator.locator("main form button[type='submit']", has_text="Record").click()
    expect(educator.locator("main .messages")).to_contain_text("The absence is recorded.")
    check_page(educator, EDUCATOR, "absence-recorded")
