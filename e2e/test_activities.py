"""The toolkit of help as the people who use it: the social helper plans a club, enrols three
pupils and takes attendance on a phone; an educator asks for sparring about her class, the
social helper schedules it and the educator sees when. Every page passes axe-core."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page
from e2e.test_concerns import EDUCATOR, SOCIAL_HELPER

CLUB = "Délutáni klub – e2e"
TOPIC = "Az osztályban sok a verekedés a szünetek után."


def test_a_club_with_attendance_taken_on_a_phone(open_page):
    helper = open_page(SOCIAL_HELPER, DESKTOP)
    helper.goto("/activities/new/?type=catch_up_tutoring")
    check_page(helper, SOCIAL_HELPER, "activity-new")
    helper.locator("#id_title").fill(CLUB)
    helper.locator("#id_start_time").fill("00:05")
    helper.locator("#id_minutes").fill("90")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/activities/\d+/$"))
    activity = int(re.search(r"/activities/(\d+)/$", helper.url).group(1))
    expect(helper.locator("main h1")).to_have_text(CLUB)

    for index in (1, 2, 3):
        helper.locator("main details summary", has_text="Add a participant").click()
        child = helper.locator("#id_child option").nth(index).get_attribute("value")
        helper.locator("#id_child").select_option(child)
        helper.locator("#id_target_group").select_option("action_area")
        helper.locator(f"form[action='/activities/{activity}/participants/'] button").click()
        expect(helper.locator(".message--success")).to_be_visible()
    expect(helper.locator("ul.participants > li")).to_have_count(3)
    check_page(helper, SOCIAL_HELPER, "activity-detail")

    phone = open_page(SOCIAL_HELPER, PHONE)
    phone.goto(f"/activities/{activity}/")
    phone.locator("main a", has_text="Take attendance").first.click()
    expect(phone).to_have_url(re.compile(rf"/activities/{activity}/sessions/\d+/$"))
    check_page(phone, SOCIAL_HELPER, "attendance")
    # The meeting's status radios are radios, not fields stretched across the screen.
    for index in range(3):
        box = phone.locator(f"#id_status_{index}").bounding_box()
        assert box["width"] < 32 and box["height"] < 32, box
    rows = phone.locator("fieldset.attendance__row")
    expect(rows).to_have_count(3)
    rows.nth(1).locator("input[value='absent']").check()
    phone.locator("#id_note").fill("Fractions; two pupils asked for more.")
    phone.locator("main form button[type='submit']").click()
    expect(phone).to_have_url(re.compile(rf"/activities/{activity}/#sessions-heading$"))
    sessions = phone.locator("section[aria-labelledby='sessions-heading'] tbody tr")
    expect(sessions.first).to_contain_text("Held")
    expect(sessions.first.locator("td").nth(2)).to_have_text("2")
    check_page(phone, SOCIAL_HELPER, "activity-after-attendance")

    phone.goto("/activities/week/")
    expect(phone.locator("main")).to_contain_text(CLUB)
    check_page(phone, SOCIAL_HELPER, "week")


def test_an_educator_asks_for_sparring_and_is_told_when(open_page):
    educator = open_page(EDUCATOR, PHONE)
    educator.goto("/sparring/new/")
    check_page(educator, EDUCATOR, "sparring-new")
    educator.locator("#id_about").select_option("class")
    educator.locator("main form button[type='submit']").click()  # without a topic
    expect(educator.locator("main .field--error")).to_have_count(1)
    educator.locator("#id_topic").fill(TOPIC)
    educator.locator("#id_preferred_times").fill("Kedd 14 óra után")
    educator.locator("main form button[type='submit']").click()
    expect(educator).to_have_url(re.compile(r"/sparring/\d+/$"))
    pk = int(re.search(r"/sparring/(\d+)/$", educator.url).group(1))
    check_page(educator, EDUCATOR, "sparring-requested")

    helper = open_page(SOCIAL_HELPER, DESKTOP)
    helper.goto("/sparring/?status=requested")
    helper.locator(f"main a[href='/sparring/{pk}/']").click()
    check_page(helper, SOCIAL_HELPER, "sparring-to-answer")
    helper.locator("#id_place").fill("Tanári szoba")
    helper.locator(f"form[action='/sparring/{pk}/schedule/'] button[type='submit']").click()
    expect(helper.locator(".message--success")).to_be_visible()

    educator.goto(f"/sparring/{pk}/")
    expect(educator.locator("main")).to_contain_text("Tanári szoba")
    expect(educator.locator("main .pill")).to_have_text("Scheduled")
    check_page(educator, EDUCATOR, "sparring-scheduled")
