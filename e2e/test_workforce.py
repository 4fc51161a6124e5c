"""Staff training in a real browser on a 360-px phone: the supervisor sees who is behind the
municipality's training norm, records a training event and who attended it, and the worker
who was behind has caught up. Every page visited passes axe-core."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from e2e.support import PHONE, check_page, main_nav

SUPERVISOR = "hu.supervisor"


def test_a_supervisor_records_a_training_and_a_worker_catches_up_with_the_norm(open_page):
    page = open_page(SUPERVISOR, PHONE)
    page.goto("/")
    main_nav(page).get_by_role("link", name="Staff and training", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    check_page(page, SUPERVISOR, "workforce-staff")

    page.get_by_role("link", name="Training against the norm").click()
    # The demo's case worker has 8 of the earlyhelp default's 24 hours this year.
    behind = page.locator("tbody tr", has_text=re.compile(r"Behind: 8 of 24 hours"))
    expect(behind).to_have_count(1)
    worker = behind.get_by_role("link").inner_text()
    check_page(page, SUPERVISOR, "workforce-norm-check")

    page.goto("/workforce/training/")
    page.get_by_role("link", name="New training event").click()
    today = date.today().isoformat()
    page.get_by_label("Title").fill("Motivációs interjú – alapok")
    page.get_by_label("Topic").fill("Motivációs interjú")
    page.get_by_label("Starts on").fill(today)
    page.get_by_label("Ends on").fill(today)
    page.locator("#id_hours").fill("16")
    check_page(page, SUPERVISOR, "workforce-training-new")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(re.compile(r"/workforce/training/\d+/$"))

    page.get_by_label("Staff member").select_option(label=worker)
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator("main")).to_contain_text(worker)
    check_page(page, SUPERVISOR, "workforce-training")

    page.goto("/workforce/norms/")
    row = page.locator("tbody tr", has_text=worker)
    expect(row).to_contain_text("Met: 24 of 24 hours")


CASE_WORKER = "hu.case_worker"
NOTE = "Kiégés jelei a téli időszakban; megállapodtunk a heti egy szabad délutánban."


def test_a_group_supervision_keeps_its_notes_from_the_line_supervisor(open_page):
    supervisor = open_page(SUPERVISOR, PHONE)
    supervisor.goto("/workforce/supervision/norms/")
    # The demo's case worker has had one individual session this year: behind.
    behind = supervisor.locator("tbody tr", has_text="Behind")
    expect(behind.first).to_be_visible()
    worker = behind.first.get_by_role("link").inner_text()
    check_page(supervisor, SUPERVISOR, "supervision-norms")

    supervisor.goto("/workforce/supervision/new/")
    supervisor.locator("#id_kind").select_option("group")
    supervisor.locator("#id_held_on").fill(date.today().isoformat())
    supervisor.locator("#id_duration_minutes").fill("90")
    supervisor.locator("#id_supervisor_name").fill("Dr. Szabó Eszter")
    supervisor.locator("#id_supervisor_organisation").fill("Külső szupervizor")
    supervisor.get_by_label(worker).check()
    check_page(supervisor, SUPERVISOR, "supervision-new")
    supervisor.locator("main form button[type='submit']").click()
    expect(supervisor).to_have_url(re.compile(r"/workforce/supervision/\d+/$"))
    session = supervisor.url
    # The line supervisor did not take part: the content is not theirs to read.
    expect(supervisor.locator("main")).to_contain_text("confidential to its participants")
    expect(supervisor.locator("#id_text")).to_have_count(0)
    check_page(supervisor, SUPERVISOR, "supervision-session")

    participant = open_page(CASE_WORKER, PHONE)
    participant.goto(session)
    participant.locator("#id_text").fill(NOTE)
    participant.get_by_role("button", name="Save the notes").click()
    expect(participant.locator("#id_text")).to_have_value(NOTE)
    check_page(participant, CASE_WORKER, "supervision-notes")

    supervisor.reload()
    expect(supervisor.locator("main")).not_to_contain_text(NOTE)


MANAGER = "hu.manager"
SITUATION = "Egy tanuló, aki a szünetekben elbújik és senkivel sem beszél."


def test_a_team_discussion_the_caseload_and_the_coverage(open_page):
    supervisor = open_page(SUPERVISOR, PHONE)
    supervisor.goto("/workforce/")
    supervisor.get_by_role("link", name="Team case discussions").click()
    supervisor.get_by_role("link", name="Record a team case discussion").click()
    supervisor.locator("#id_held_on").fill(date.today().isoformat())
    supervisor.locator("#id_duration_minutes").fill("60")
    supervisor.locator("#id_facilitator").fill("Csoportvezető")
    supervisor.locator("#id_participants input[type='checkbox']").first.check()
    supervisor.locator("#id_situations").fill(SITUATION)
    check_page(supervisor, SUPERVISOR, "discussion-new")
    supervisor.locator("main form button[type='submit']").click()
    expect(supervisor).to_have_url(re.compile(r"/workforce/discussions/\d+/$"))
    expect(supervisor.locator("main")).to_contain_text(SITUATION)
    check_page(supervisor, SUPERVISOR, "discussion")

    supervisor.goto("/workforce/caseload/")
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("Caseload")
    check_page(supervisor, SUPERVISOR, "caseload")

    manager = open_page(MANAGER, PHONE)
    manager.goto("/")
    main_nav(manager).get_by_role("link", name="Coverage of institutions").click()
    expect(manager.locator("main table tbody tr").first).to_be_visible()
    expect(manager.locator("main")).to_contain_text("earlyhelp default")
    check_page(manager, MANAGER, "coverage")
