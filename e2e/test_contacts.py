"""Assisted contact as the Czech pilot's case worker lives it: she plans a series in which one
meeting clashes with one already planned, reads why, and plans only the free one; then, on a
phone, she writes up the meeting that took place. Every page passes axe-core."""

from __future__ import annotations

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page

CASE_WORKER = "cz.case_worker"
CHILD_WORDS = "„Příště chci zase stavět hrad.“"


def _saturday_in_weeks(weeks: int) -> date:
    day = date.today() + timedelta(weeks=weeks)
    return day + timedelta(days=(5 - day.weekday()) % 7)


def test_a_series_with_a_clash_is_explained_and_only_the_free_meeting_planned(open_page):
    worker = open_page(CASE_WORKER, DESKTOP)
    worker.goto("/contacts/")
    check_page(worker, CASE_WORKER, "contacts")
    worker.locator("main table a").first.click()
    expect(worker).to_have_url(re.compile(r"/contacts/\d+/$"))
    arrangement = int(re.search(r"/contacts/(\d+)/$", worker.url).group(1))
    check_page(worker, CASE_WORKER, "contact-arrangement")

    saturday = _saturday_in_weeks(3)
    worker.goto(f"/contacts/{arrangement}/plan/")
    check_page(worker, CASE_WORKER, "contact-plan")
    worker.locator("#id_first_day").fill(saturday.isoformat())
    worker.locator("#id_start").fill("10:00")
    worker.locator("#id_minutes").fill("60")
    worker.locator("#id_count").fill("1")
    worker.locator("#id_step_days").fill("7")
    worker.locator("main button[value='check']").click()
    expect(worker.locator("#check-heading")).to_contain_text("1 of 1")
    worker.locator("main button[value='plan']").click()
    expect(worker).to_have_url(re.compile(rf"/contacts/{arrangement}/#upcoming-heading$"))

    # The same Saturday again, and the one after: the first clashes with what was just planned.
    worker.goto(f"/contacts/{arrangement}/plan/")
    worker.locator("#id_first_day").fill(saturday.isoformat())
    worker.locator("#id_start").fill("10:30")
    worker.locator("#id_minutes").fill("60")
    worker.locator("#id_count").fill("2")
    worker.locator("#id_step_days").fill("7")
    worker.locator("main button[value='check']").click()
    expect(worker.locator("#check-heading")).to_contain_text("1 of 2")
    clash = worker.locator("li.slot--clash")
    expect(clash).to_have_count(1)
    expect(clash).to_contain_text("This contact already has a meeting")
    expect(worker.locator("main button[value='plan']")).to_have_count(0)
    check_page(worker, CASE_WORKER, "contact-plan-clash")
    worker.locator("main button[value='plan_free']").click()
    expect(worker.locator(".message--success")).to_contain_text("1 meeting was planned")
    upcoming = worker.locator("section[aria-labelledby='upcoming-heading'] li")
    expect(upcoming.filter(has_text="10:30")).to_have_count(1)


def test_a_meeting_is_written_up_on_a_phone(open_page):
    phone = open_page(CASE_WORKER, PHONE)
    phone.goto("/contacts/?show=mine")
    links = [
        phone.locator("main table tbody tr a").nth(n).get_attribute("href")
        for n in range(phone.locator("main table tbody tr a").count())
    ]
    # The demo leaves one meeting to write up; find its arrangement.
    for link in links:
        phone.goto(link)
        pending = phone.locator("section[aria-labelledby='past-heading'] tr", has_text="To record")
        if pending.count():
            break
    else:
        raise AssertionError("The demo has no meeting to write up.")
    pending.first.locator("a").first.click()
    expect(phone).to_have_url(re.compile(r"/contacts/\d+/meetings/\d+/$"))
    check_page(phone, CASE_WORKER, "contact-meeting")
    phone.locator("#id_handover_at").fill("16:05")
    phone.locator("#id_ended_at").fill("16:00")  # before the handover: refused, input kept
    phone.locator("#id_child_words").fill(CHILD_WORDS)
    phone.locator("main form").first.locator("button[type='submit']").click()
    expect(phone.locator("main .alert--error")).to_contain_text("handed over")
    expect(phone.locator("#id_child_words")).to_have_value(CHILD_WORDS)
    phone.locator("#id_ended_at").fill("17:20")
    phone.locator("main form").first.locator("button[type='submit']").click()
    expect(phone).to_have_url(re.compile(r"/contacts/\d+/#past-heading$"))
    done = phone.locator("section[aria-labelledby='past-heading'] tr", has_text="To record")
    expect(done).to_have_count(0)
    check_page(phone, CASE_WORKER, "contact-after-record")


def test_the_supervisor_releases_a_report_and_the_calendar_shows_the_week(open_page):
    supervisor = open_page("cz.supervisor", DESKTOP)
    supervisor.goto("/contacts/calendar/")
    check_page(supervisor, "cz.supervisor", "contact-calendar")
    supervisor.goto("/contacts/?show=all")
    links = [
        supervisor.locator("main table tbody tr a").nth(n).get_attribute("href")
        for n in range(supervisor.locator("main table tbody tr a").count())
    ]
    for link in links:
        supervisor.goto(link)
        waiting = supervisor.locator(
            "section[aria-labelledby='reports-heading'] li", has_text="Waiting for review"
        )
        if waiting.count():
            break
    else:
        raise AssertionError("The demo has no report waiting for review.")
    waiting.first.locator("a").click()
    expect(supervisor).to_have_url(re.compile(r"/contacts/\d+/reports/\d+/$"))
    check_page(supervisor, "cz.supervisor", "contact-report-review")
    supervisor.locator("input[name='decision'][value='release']").check()
    supervisor.locator("form[action$='/review/'] button[type='submit']").click()
    expect(supervisor.locator(".message--success")).to_be_visible()
    expect(supervisor.locator("main h1 + p .pill")).to_have_text("Released")
    with supervisor.expect_download() as download:
        supervisor.locator("main a", has_text="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    check_page(supervisor, "cz.supervisor", "contact-report-released")
