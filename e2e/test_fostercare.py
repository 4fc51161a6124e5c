"""Foster-carer support as the Czech pilot's key worker lives it: her list puts the families
approaching a missed requirement first, marked as due soon; on the family's page she sees which
requirement falls due and when, records the visit on a phone, and the family is no longer due
for it. Every page passes axe-core."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page

KEY_WORKER = "cz.case_worker"
SUPERVISOR = "cz.supervisor"
MANAGER = "cz.manager"


def test_a_family_approaching_a_missed_visit_is_due_soon_and_the_visit_clears_it(open_page):
    worker = open_page(KEY_WORKER, DESKTOP)
    worker.goto("/fostercare/")
    check_page(worker, KEY_WORKER, "fostercare")
    rows = worker.locator("main table tbody tr")
    expect(rows).to_have_count(20)
    due = rows.filter(has_text="Contact with the key worker: Due soon")
    expect(due.first).to_be_visible()
    expect(due.first.locator(".pill")).to_have_text("Due soon")
    household = due.first.get_attribute("data-household")

    phone = open_page(KEY_WORKER, PHONE)
    phone.goto(f"/fostercare/{household}/")
    check_page(phone, KEY_WORKER, "fostercare-household")
    requirement = phone.locator("tr[data-requirement='key_worker_contact']")
    expect(requirement.locator(".pill")).to_have_text("Due soon")
    expect(phone.locator("#requirements-heading")).to_be_visible()

    phone.locator("section[aria-labelledby='visits-heading'] summary").click()
    phone.locator("#id_visit-kind").select_option("key_worker_contact")
    phone.locator("#id_visit-on").fill(date.today().isoformat())
    phone.locator("#id_visit-note").fill("Návštěva v rodině, vše v pořádku.")
    phone.locator("section[aria-labelledby='visits-heading'] button[type='submit']").click()
    expect(phone).to_have_url(re.compile(rf"/fostercare/{household}/#visits-heading$"))
    expect(phone.locator(".message--success")).to_contain_text("The contact was recorded.")
    requirement = phone.locator("tr[data-requirement='key_worker_contact']")
    expect(requirement.locator(".pill")).to_have_text("Met")
    check_page(phone, KEY_WORKER, "fostercare-household-visited")


def test_the_service_overview_and_the_figures_for_the_manager(open_page):
    supervisor = open_page(SUPERVISOR, DESKTOP)
    supervisor.goto("/fostercare/overview/")
    check_page(supervisor, SUPERVISOR, "fostercare-overview")
    expect(supervisor.locator("main")).to_contain_text("Supported households: 20")

    manager = open_page(MANAGER, PHONE)
    manager.goto("/fostercare/overview/")
    check_page(manager, MANAGER, "fostercare-overview")
    expect(manager.locator("main")).to_contain_text("Counts below 5 are shown as “hidden”")
    # Small counts are hidden from the manager, never shown exactly.
    expect(manager.locator("main table").first).to_contain_text("hidden")
    # The manager reaches no family.
    assert manager.goto("/fostercare/").status == 403
