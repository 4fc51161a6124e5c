"""A screening round from opening to its last flag, in a real browser: the social helper opens a
round over the educator's class, the educator rates the class child by child on a 360-px phone
(one child with a serious worry, the rest with none) and marks it done, the social helper sees
the flagged child, closes the round and ends the flag, and the round becomes complete. The lead
and the manager read the share of flagged children. Every page visited passes axe-core.

Assertions find things by URL, name and value; the few words checked are English, which every
signed-in state starts in (see conftest.Accounts)."""

from __future__ import annotations

import re
import time

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page
from e2e.test_concerns import EDUCATOR, HUNGARY, SCHOOL, SOCIAL_HELPER

LEAD = "hu.institution_lead"
MANAGER = "hu.manager"
FIRST_CLASS = HUNGARY.class_names[0]


def test_a_screening_round_to_its_last_flag(open_page):
    title = f"Őszi szűrés {int(time.time())}"

    # The social helper opens a round over the educator's class.
    helper = open_page(SOCIAL_HELPER, DESKTOP)
    helper.goto("/screening/")
    check_page(helper, SOCIAL_HELPER, "screening-rounds")
    helper.locator("main a[href='/screening/rounds/new/']").click()
    check_page(helper, SOCIAL_HELPER, "screening-round-new")
    helper.locator("#id_title").fill(title)
    school = helper.locator("fieldset fieldset", has=helper.locator("legend", has_text=SCHOOL))
    school.get_by_label(FIRST_CLASS, exact=True).check()
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/screening/rounds/\d+/$"))
    round_url = helper.url.removeprefix(helper.url.split("/screening/")[0])
    expect(helper.locator("h1")).to_have_text(title)
    check_page(helper, SOCIAL_HELPER, "screening-round-opened")

    # The educator rates the class on a phone: a serious worry for the first child, none for
    # the others, then says the class is done.
    educator = open_page(EDUCATOR, PHONE)
    educator.goto("/screening/")
    expect(educator.locator("main")).to_contain_text(title)
    check_page(educator, EDUCATOR, "screening-rounds")
    educator.goto(round_url)
    check_page(educator, EDUCATOR, "screening-round")
    educator.locator("main a", has_text="Rate the class").first.click()
    expect(educator).to_have_url(re.compile(r"/screening/rounds/\d+/classes/\d+/$"))
    check_page(educator, EDUCATOR, "screening-rate")
    # One line per child; each child's ratings open in its line and are saved on their own.
    rows = educator.locator(".sheet__row")
    count = rows.count()
    assert count >= 2
    flagged_name = rows.first.locator(".sheet__name").inner_text()
    lines = [rows.nth(index).get_attribute("id") for index in range(count)]
    for index, line_id in enumerate(lines):
        line = educator.locator(f"#{line_id}")
        line.get_by_role("link", name=re.compile(r"^Rate")).click()
        form = educator.locator(f"#{line_id} form")
        expect(form).to_be_visible()
        if index == 0:
            form.locator("input[type='radio'][name$='-safety'][value='2']").check()
            form.locator("textarea").fill("Azt mondta, fél hazamenni.")
        form.locator("input[type='checkbox'][name^='ok']").check()
        if index == 0:
            check_page(educator, EDUCATOR, "screening-rate-child")
        form.locator("button[type='submit']").click()
        expect(educator.locator(f"#{line_id}.sheet__row")).to_contain_text("Saved.")
    expect(educator.locator(f"#{lines[0]}")).to_contain_text("flagged")
    educator.locator("button[name='finish']").click()
    expect(educator).to_have_url(re.compile(r"/screening/rounds/\d+/$"))
    expect(educator.locator(".messages")).to_contain_text("marked as done")
    progress = educator.locator("section[aria-labelledby='progress-heading']")
    expect(progress).to_contain_text(f"{count} of {count}")
    check_page(educator, EDUCATOR, "screening-round-rated")
    # The educator sees no names of flagged children on the round's page.
    expect(educator.locator("#flags-heading")).to_have_count(0)

    # The social helper sees the flag, closes the round and ends the flag on its page.
    helper.goto(round_url)
    flags = helper.locator("section[aria-labelledby='flags-heading']")
    expect(flags.locator("tr", has_text=flagged_name)).to_contain_text("fél hazamenni")
    check_page(helper, SOCIAL_HELPER, "screening-flags")
    helper.locator("main form[action$='/close/'] button[type='submit']").click()
    expect(helper.locator("section[aria-labelledby='round-heading']")).to_contain_text(
        "Closed: flags to handle"
    )
    row = helper.locator("section[aria-labelledby='flags-heading'] tr", has_text=flagged_name)
    row.get_by_role("link", name=re.compile("End the flag")).click()
    expect(helper).to_have_url(re.compile(r"/screening/rounds/\d+/flags/\d+/$"))
    expect(helper.locator("h1")).to_have_text(flagged_name)
    expect(helper.locator("main")).to_contain_text("Azt mondta, fél hazamenni.")
    check_page(helper, SOCIAL_HELPER, "screening-flag")
    # "None" needs a reason: refused, and the choice is kept.
    helper.locator("input[name='outcome'][value='none']").check()
    helper.locator("main form button[type='submit']").click()
    expect(helper.locator("main .alert--error")).to_contain_text("Write why nothing follows")
    expect(helper.locator("input[name='outcome'][value='none']")).to_be_checked()
    check_page(helper, SOCIAL_HELPER, "screening-flag-refused")
    helper.locator("input[name='outcome'][value='watch']").check()
    helper.locator("#id_reason").fill("Két hét múlva újra megnézzük.")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/screening/rounds/\d+/#flags-heading$"))
    expect(helper.locator(".messages")).to_contain_text("the round is complete")
    expect(helper.locator("section[aria-labelledby='round-heading']")).to_contain_text("Complete")
    check_page(helper, SOCIAL_HELPER, "screening-round-complete")

    # The class's movement, and the share of flagged children for the helper and the lead.
    helper.locator("main a", has_text="Movement").first.click()
    expect(helper.locator("svg.chart__svg")).to_be_visible()
    check_page(helper, SOCIAL_HELPER, "screening-movement")
    lead = open_page(LEAD, PHONE)
    lead.goto(round_url)
    expect(lead.locator("main")).not_to_contain_text(flagged_name)
    check_page(lead, LEAD, "screening-round")
    lead.goto("/screening/figures/")
    expect(lead.locator("main")).to_contain_text(title)
    check_page(lead, LEAD, "screening-figures")

    # The manager reads the figures of the municipality, with small counts hidden.
    manager = open_page(MANAGER, PHONE)
    manager.goto("/screening/figures/")
    expect(manager.locator("main")).to_contain_text("fewer than 5")
    check_page(manager, MANAGER, "screening-figures")
