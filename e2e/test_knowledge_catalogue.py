"""The catalogue of interventions in a real browser: a supervisor adds an intervention on a
phone and renews it, the history says what changed; the social helper finds it by its setting,
picks it for an activity, and the activity's page leads back to it. Every page passes
axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page, main_nav

SUPERVISOR = "hu.supervisor"
SOCIAL_HELPER = "hu.social_helper"
NAME = "Iskolai mediáció – e2e"


def test_an_intervention_is_added_renewed_and_picked_for_an_activity(open_page):
    supervisor = open_page(SUPERVISOR, PHONE)
    supervisor.goto("/")
    main_nav(supervisor).get_by_role("link", name="Methods", exact=True).click()
    expect(supervisor.get_by_role("heading", level=1)).to_have_text("Interventions and methods")
    check_page(supervisor, SUPERVISOR, "catalogue")

    supervisor.get_by_role("link", name="Add an intervention").click()
    supervisor.locator("#id_name").fill(NAME)
    supervisor.locator("#id_target_group").fill("Felső tagozatos diákok")
    supervisor.locator("#id_age_from").fill("10")
    supervisor.locator("#id_age_to").fill("15")
    supervisor.locator("#id_setting").select_option("school")
    supervisor.locator("#id_evidence_level").select_option(label="Theory of change")
    supervisor.locator("#id_sources").fill("https://guidebook.eif.org.uk/")
    supervisor.locator("#id_note").fill("Első leírás")
    check_page(supervisor, SUPERVISOR, "catalogue-new")
    supervisor.locator("main form button[type='submit']").click()
    expect(supervisor).to_have_url(re.compile(r"/knowledge/methods/\d+/$"))
    method = supervisor.url
    expect(supervisor.locator("main a[href='https://guidebook.eif.org.uk/']")).to_be_visible()

    supervisor.get_by_role("link", name="Change the entry").click()
    supervisor.locator("#id_stage").select_option("tested")
    supervisor.locator("#id_note").fill("Kipróbáltuk két osztályban")
    supervisor.locator("main form button[type='submit']").click()
    expect(supervisor).to_have_url(method)
    history = supervisor.locator("section[aria-labelledby='history-heading']")
    expect(history).to_contain_text("Version 2")
    expect(history).to_contain_text("Kipróbáltuk két osztályban")
    expect(history).to_contain_text("Development stage: Idea → Tested")
    check_page(supervisor, SUPERVISOR, "catalogue-method")

    helper = open_page(SOCIAL_HELPER, DESKTOP)
    helper.goto("/knowledge/methods/?setting=school&age=12")
    expect(helper.locator("main table a", has_text=NAME)).to_be_visible()
    check_page(helper, SOCIAL_HELPER, "catalogue-filtered")

    helper.goto("/activities/new/?type=mediation")
    helper.locator("#id_title").fill("Mediáció – 6.b")
    helper.locator("#id_method").select_option(label=NAME)
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/activities/\d+/$"))
    helper.locator("main a", has_text=NAME).click()
    expect(helper).to_have_url(method)
