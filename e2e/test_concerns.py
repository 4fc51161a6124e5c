"""The signalling system in a real browser on a 360-px phone: an educator reports a concern
about a child of their class in well under two minutes, the form saves a draft on its own, the
social helper triages the concern and asks for more while the educator answers without ever
seeing the decision, and a report of immediate danger tells to call 112 and tops the queue.
Every page visited passes axe-core and leaves a screenshot, as in test_pages.py.

Each test reports its own concern, so the tests can run alone or in any order. Assertions find
things by URL, id, name and value; the few words checked are English, which every signed-in
state starts in (see conftest.Accounts)."""

from __future__ import annotations

import re
import time
from urllib.parse import parse_qs

from playwright.sync_api import Page, expect

from e2e.support import PHONE, check_page, main_nav
from earlyhelp.sampledata.demo.organisations import PLACES

EDUCATOR = "hu.educator"
SOCIAL_HELPER = "hu.social_helper"
HUNGARY = next(place for place in PLACES if place.prefix == "hu")
# The educator teaches the first class of the first school and also works with the health
# visitors, where nobody triages, so the form offers only the school; the social helper is
# assigned to that school.
SCHOOL = HUNGARY.schools[0]
EMERGENCY_NUMBER = HUNGARY.emergency
# What a person can do in the time a report should take, whatever the browser's speed.
REPORT_SECONDS = 120
AUTOSAVE_SECONDS = 10

# Typed as a Hungarian educator would, accents and typographic quotes included.
WHAT_HAPPENED = "Reggel kék-zöld foltot láttam a bal karján. Összerezzent, amikor megérintettem."
CHILD_WORDS = "„Apa nagyon dühös volt tegnap este. Nem akarok hazamenni.”"
PARENTS_NOT_TOLD_WHY = "Attól tartok, hogy a gyereket otthon megbüntetik, ha szólok."
DANGER_WHAT_HAPPENED = "Azt mondta, hogy ma este nem mer hazamenni; az arcán friss ütésnyom."
DRAFT_TEXT = "Ma szomorú és csendes volt, ebédnél sírt."
QUESTION = "Köszönöm. Please tell me more: mióta látod a foltokat, és mit mondott még?"
ANSWER = "Hétfő óta. Azt is mondta: „Anya ilyenkor sír.”"
DECISION = "wellbeing_conversation"
DECISION_LABEL = "Wellbeing conversation"
DECISION_REASON = "Bizalmas indoklás: az apa korábbi ügye miatt beszélgetés a gyerekkel."


def concern_row(page: Page, pk: int, *, draft: bool = False):
    """The row of the concern in a list of concerns; a draft is listed apart, above the list
    of sent concerns, and its link opens the form again."""
    if draft:
        link = page.locator(f"a[href='/concerns/{pk}/edit/']")
        return page.locator("main section[aria-labelledby='drafts-heading'] li", has=link)
    return page.locator("main tbody tr", has=page.locator(f"a[href='/concerns/{pk}/']"))


def _autosave_of(field: str, text: str):
    """Matches the answer to an autosave request that carries this text in this field."""

    def matches(response) -> bool:
        request = response.request
        if request.method != "POST" or not request.url.endswith("/concerns/new/"):
            return False
        if request.headers.get("hx-request") != "true":
            return False
        return parse_qs(request.post_data or "").get(field) == [text]

    return matches


def fill_report(page: Page, *, child_index: int, what_happened: str = WHAT_HAPPENED) -> str:
    """Fill in the report form as a person would and wait for the autosave that holds all of
    it, so that "Send" never races an autosave still on its way. Returns the child's name."""
    page.locator("#id_institution").select_option(label=SCHOOL)
    child_select = page.locator("select[name='children-0-child']")
    options = child_select.locator("option:not([value=''])")
    assert options.count() > child_index, "the educator may name no child of their class"
    option = options.nth(child_index)
    child_name = " ".join(option.inner_text().split())
    child_select.select_option(option.get_attribute("value"))
    page.locator("select[name='children-0-role']").select_option("harmed")

    page.locator("#id_what_happened").fill(what_happened)
    # The child's own words are among the optional parts, folded until opened.
    page.locator("#concern-form details.fold.card > summary").click()
    page.locator("#id_child_words").fill(CHILD_WORDS)
    page.locator("input[name='categories'][value='physical_harm']").check()
    page.locator("input[name='categories'][value='emotional_harm']").check()
    page.locator("input[name='parents_know'][value='no']").check()
    why = page.locator("#id_parents_not_told_why")
    why.fill(PARENTS_NOT_TOLD_WHY)
    # The last field filled in: the autosave that carries it carries the whole report.
    with page.expect_response(_autosave_of("parents_not_told_why", PARENTS_NOT_TOLD_WHY)) as saved:
        why.blur()  # leaving the field is a change: the form saves itself 1.5 s later
    assert saved.value.status == 200
    expect(page.locator("#id_draft")).to_have_value(re.compile(r"^\d+$"))
    expect(page.locator("#concern-form")).not_to_have_class(re.compile(r"\bhtmx-request\b"))
    return child_name


def send_report(page: Page) -> int:
    """Press "Send the report"; returns the number of the concern from the "sent" page."""
    page.locator("#concern-form button[name='send']").click()
    expect(page).to_have_url(re.compile(r"/concerns/\d+/sent/$"))
    return int(re.search(r"/concerns/(\d+)/sent/$", page.url).group(1))


def report_concern(page: Page, name: str, **fill) -> int:
    page.goto("/concerns/new/")
    check_page(page, EDUCATOR, f"{name}-form")
    fill_report(page, **fill)
    pk = send_report(page)
    check_page(page, EDUCATOR, f"{name}-sent")
    return pk


def test_educator_reports_a_concern_from_a_phone_in_under_two_minutes(open_page):
    page = open_page(EDUCATOR, PHONE)
    # The clock runs from the overview to seeing the concern under My concerns, screenshots
    # and accessibility checks included.
    started = time.monotonic()
    page.goto("/")
    check_page(page, EDUCATOR, "concern-overview")
    page.locator("main a[href='/concerns/new/']").click()
    expect(page).to_have_url(re.compile(r"/concerns/new/$"))
    expect(page.locator("#id_draft")).to_have_value("")
    check_page(page, EDUCATOR, "concern-form")

    child_name = fill_report(page, child_index=0)
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    check_page(page, EDUCATOR, "concern-form-filled")
    pk = send_report(page)
    expect(page.locator("main [role='alert']")).to_have_count(0)  # no immediate danger
    check_page(page, EDUCATOR, "concern-sent")

    page.locator("main a[href='/concerns/mine/']").click()
    expect(page).to_have_url(re.compile(r"/concerns/mine/$"))
    row = concern_row(page, pk)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Submitted")
    elapsed = time.monotonic() - started
    check_page(page, EDUCATOR, "my-concerns")
    assert elapsed < REPORT_SECONDS, f"reporting took {elapsed:.1f} s"
    print(f"\nreporting a concern from a phone: {elapsed:.1f} s")

    # The report keeps the child and every word as typed, accents and quotes included.
    row.locator(f"a[href='/concerns/{pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{pk}/$"))
    report = page.locator("main section[aria-labelledby='report-heading']")
    expect(report).to_contain_text(child_name)
    expect(report).to_contain_text(WHAT_HAPPENED)
    expect(report.locator("blockquote")).to_have_text(CHILD_WORDS)
    expect(report).to_contain_text(PARENTS_NOT_TOLD_WHY)
    check_page(page, EDUCATOR, "concern-reported")


def test_the_report_form_saves_a_draft_on_its_own(open_page):
    page = open_page(EDUCATOR, PHONE)
    page.goto("/")
    check_page(page, EDUCATOR, "draft-overview")
    main_nav(page).locator("a[href='/concerns/mine/']").click()
    expect(page).to_have_url(re.compile(r"/concerns/mine/$"))
    check_page(page, EDUCATOR, "my-concerns-before-draft")
    page.locator("main a[href='/concerns/new/']").click()
    expect(page).to_have_url(re.compile(r"/concerns/new/$"))

    draft = page.locator("#id_draft")
    expect(draft).to_have_value("")
    page.locator("#id_institution").select_option(label=SCHOOL)
    # Typing, then a pause: the form saves itself a few seconds after the last key.
    with page.expect_response(
        _autosave_of("what_happened", DRAFT_TEXT), timeout=AUTOSAVE_SECONDS * 1000
    ) as saved:
        page.locator("#id_what_happened").press_sequentially(DRAFT_TEXT, delay=15)
    assert saved.value.status == 200
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    expect(draft).to_have_value(re.compile(r"^\d+$"))
    pk = int(draft.input_value())
    check_page(page, EDUCATOR, "concern-form-autosaved")

    page.goto("/concerns/mine/")
    row = concern_row(page, pk, draft=True)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Draft")
    check_page(page, EDUCATOR, "my-concerns-with-draft")

    # The draft opens again with what was typed.
    row.locator(f"a[href='/concerns/{pk}/edit/']").click()
    expect(page).to_have_url(re.compile(rf"/concerns/{pk}/edit/$"))
    expect(page.locator("#id_what_happened")).to_have_value(DRAFT_TEXT)
    expect(page.locator("#id_draft")).to_have_value(str(pk))
    check_page(page, EDUCATOR, "concern-draft")


def test_social_helper_asks_for_more_and_decides_the_educator_answers(open_page):
    educator = open_page(EDUCATOR, PHONE)
    pk = report_concern(educator, "triage-concern", child_index=1)

    helper = open_page(SOCIAL_HELPER, PHONE)
    helper.goto("/")
    check_page(helper, SOCIAL_HELPER, "triage-overview")
    main_nav(helper).locator("a[href='/concerns/queue/']").click()
    expect(helper).to_have_url(re.compile(r"/concerns/queue/$"))
    row = concern_row(helper, pk)
    expect(row).to_have_count(1)
    check_page(helper, SOCIAL_HELPER, "triage-queue")

    row.locator(f"a[href='/concerns/{pk}/']").click()
    expect(helper).to_have_url(re.compile(rf"/concerns/{pk}/$"))
    expect(helper.locator("main section[aria-labelledby='report-heading']")).to_contain_text(
        WHAT_HAPPENED
    )
    check_page(helper, SOCIAL_HELPER, "concern-to-triage")
    helper.locator(f"form[action='/concerns/{pk}/acknowledge/'] button[type='submit']").click()
    expect(helper.locator(f"form[action='/concerns/{pk}/acknowledge/']")).to_have_count(0)
    expect(helper.locator("main .messages")).to_be_visible()
    check_page(helper, SOCIAL_HELPER, "concern-acknowledged")

    conversation = helper.locator("#conversation")
    conversation.locator("textarea[name='body']").fill(QUESTION)
    conversation.locator("button[type='submit']").click()
    expect(helper).to_have_url(re.compile(rf"/concerns/{pk}/#conversation$"))
    expect(conversation).to_contain_text(QUESTION)
    check_page(helper, SOCIAL_HELPER, "concern-question-asked")

    decide = helper.locator(f"form[action='/concerns/{pk}/decide/']")
    decide.locator(f"input[name='decision'][value='{DECISION}']").check()
    decide.locator("textarea[name='reason']").fill(DECISION_REASON)
    decide.locator("button[type='submit']").click()
    expect(helper.locator(f"form[action='/concerns/{pk}/decide/']")).to_have_count(0)
    expect(helper.locator("main section[aria-labelledby='status-heading']")).to_contain_text(
        DECISION_LABEL
    )
    check_page(helper, SOCIAL_HELPER, "concern-decided")

    # The educator reads the question on the concern's page and answers it there...
    educator.goto("/concerns/mine/")
    mine = concern_row(educator, pk)
    expect(mine).to_have_count(1)
    expect(mine).not_to_contain_text(DECISION_LABEL)
    check_page(educator, EDUCATOR, "my-concerns-after-decision")
    mine.locator(f"a[href='/concerns/{pk}/']").click()
    expect(educator).to_have_url(re.compile(rf"/concerns/{pk}/$"))
    reply = educator.locator("#conversation")
    expect(reply).to_contain_text(QUESTION)
    # ...sees the feedback Hungarian rules give a reporter (the municipality's practice)...
    expect(educator.locator("main section[aria-labelledby='status-heading']")).to_contain_text(
        "Your report was assessed, and the service is following it up."
    )
    # ...and sees neither the decision nor its reason, nor a way to triage.
    main = educator.locator("main")
    expect(main).not_to_contain_text(DECISION_REASON)
    expect(main).not_to_contain_text(DECISION_LABEL)
    expect(educator.locator("input[name='decision'], textarea[name='reason']")).to_have_count(0)
    check_page(educator, EDUCATOR, "concern-question-received")

    reply.locator("textarea[name='body']").fill(ANSWER)
    reply.locator("button[type='submit']").click()
    expect(educator).to_have_url(re.compile(rf"/concerns/{pk}/#conversation$"))
    expect(reply).to_contain_text(QUESTION)
    expect(reply).to_contain_text(ANSWER)
    expect(main).not_to_contain_text(DECISION_REASON)
    check_page(educator, EDUCATOR, "concern-question-answered")

    # The social helper finds the answer under their question.
    helper.reload()
    expect(conversation).to_contain_text(ANSWER)
    check_page(helper, SOCIAL_HELPER, "concern-answer-received")


def test_immediate_danger_says_call_112_and_tops_the_triage_queue(open_page):
    educator = open_page(EDUCATOR, PHONE)
    educator.goto("/concerns/new/")
    expect(educator.locator("#concern-form .alert--warn")).to_contain_text(EMERGENCY_NUMBER)
    check_page(educator, EDUCATOR, "danger-form")
    call = educator.locator("#concern-form .danger-box__call")
    expect(call).to_be_hidden()
    educator.locator("#id_immediate_danger").check()
    # Ticking the box brings up every line to call as large buttons (Hungary: 112, 107, 104).
    expect(call).to_be_visible()
    for number in ("112", "107", "104"):
        expect(call.locator(f"a[href='tel:{number}']")).to_be_visible()
    check_page(educator, EDUCATOR, "danger-ticked")
    fill_report(educator, child_index=2, what_happened=DANGER_WHAT_HAPPENED)
    pk = send_report(educator)
    alert = educator.locator("main [role='alert']")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(f"call {EMERGENCY_NUMBER}")
    check_page(educator, EDUCATOR, "danger-sent")

    helper = open_page(SOCIAL_HELPER, PHONE)
    helper.goto("/concerns/queue/")
    # Immediate danger goes before everything else; among concerns in danger, the nearest
    # deadline first (the demo data holds an older one, still open).
    rows = helper.locator("main tbody tr")
    row = concern_row(helper, pk)
    expect(row.locator(".pill--danger")).to_have_text("immediate danger")
    position = next(
        i for i in range(rows.count()) if rows.nth(i).locator(f"a[href='/concerns/{pk}/']").count()
    )
    for above in range(position):
        expect(rows.nth(above).locator(".pill--danger")).to_have_count(1)
    check_page(helper, SOCIAL_HELPER, "danger-queue")

    row.locator(f"a[href='/concerns/{pk}/']").click()
    expect(helper.locator("h1 .pill--danger")).to_have_text("immediate danger")
    check_page(helper, SOCIAL_HELPER, "danger-concern")


def test_figures_on_concerns_for_a_supervisor_and_a_manager(open_page):
    for account in ("hu.supervisor", "hu.manager"):
        page = open_page(account, PHONE)
        page.goto("/concerns/figures/")
        expect(page.locator("h1")).to_be_visible()
        expect(page.locator("table").first).to_be_visible()
        check_page(page, account, "figures")
