"""The start page, "what needs you", in a real browser on a 360-px phone: the demo's social
helper sees what is overdue, the navigation counts it, and an item leads to the page where it is
done; the supervisor finds a report waiting for review. Every page visited passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.support import PHONE, check_page, main_nav

HELPER = "cz.social_helper"
# The Hungarian supervisor: the Czech demo report is released by e2e/test_contacts.py.
SUPERVISOR = "hu.supervisor"


def test_a_social_helper_sees_what_is_overdue_and_follows_it(open_page):
    page = open_page(HELPER, PHONE)
    page.goto("/")
    expect(page.get_by_role("heading", name="What needs you", level=2)).to_be_visible()
    overdue = page.locator("section.duties--overdue")
    expect(overdue.get_by_role("heading", level=3)).to_contain_text("Overdue")
    items = overdue.locator("li.duty")
    expect(items.first).to_be_visible()
    # The navigation's first item counts what is due now or overdue.
    count = main_nav(page).locator(".pill").first
    expect(count).to_have_text(re.compile(r"^\d+ due"))
    assert int(count.inner_text().split()[0]) >= items.count()
    check_page(page, HELPER, "start-page")

    link = items.first.get_by_role("link")
    href = link.get_attribute("href")
    assert href and href.startswith("/")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(href.split("#")[0])))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_page(page, HELPER, "start-page-followed")


def test_a_supervisor_finds_a_contact_report_to_review(open_page):
    page = open_page(SUPERVISOR, PHONE)
    page.goto("/")
    item = page.locator("li.duty", has_text="Review a contact report")
    expect(item.first).to_be_visible()
    check_page(page, SUPERVISOR, "start-page-supervisor")
    item.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/contacts/\d+/reports/\d+/$"))
    expect(page.locator("main")).to_contain_text("Waiting for review")
    check_page(page, SUPERVISOR, "start-page-report")
