"""A case from start to close, as the people who work it: the educator's concern is decided as
"open or join a case", the social helper opens the case from it on a phone with the case worker
as lead, writes a home visit into the chronology and corrects it, the supervisor allocates the
case with a handover note, and the lead worker closes it. Every page passes axe-core."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from e2e.support import DESKTOP, PHONE, check_page
from e2e.test_concerns import EDUCATOR, SOCIAL_HELPER, report_concern

SUPERVISOR = "hu.supervisor"
CASE_WORKER = "hu.case_worker"
CASE_TITLE = "Nagy család – közös eset"
VISIT = "Családlátogatás: az anya otthon volt, a lakás hideg."
VISIT_FIXED = "Családlátogatás: az anya és a nagymama otthon volt, a lakás hideg."
HANDOVER = "Hetente látogatni; a gyerekorvossal egyeztetni kell."
GOAL = "Minden nap iskolába megy."
DECISION = "Hetente egyeztet az osztályfőnökkel."


def decide_for_a_case(helper: Page, pk: int) -> None:
    helper.goto(f"/concerns/{pk}/")
    decide = helper.locator(f"form[action='/concerns/{pk}/decide/']")
    decide.locator("input[name='decision'][value='case']").check()
    decide.locator("textarea[name='reason']").fill("Ismétlődő jelzések: családgondozás kell.")
    decide.locator("button[type='submit']").click()
    expect(helper.locator(f"form[action='/concerns/{pk}/decide/']")).to_have_count(0)


def test_a_case_from_a_concern_to_its_closing(open_page):
    educator = open_page(EDUCATOR, PHONE)
    concern = report_concern(educator, "case-concern", child_index=2)

    helper = open_page(SOCIAL_HELPER, PHONE)
    decide_for_a_case(helper, concern)
    helper.locator(f"main a[href='/cases/open/?concern={concern}']").click()
    expect(helper).to_have_url(re.compile(r"/cases/open/\?concern=\d+$"))
    check_page(helper, SOCIAL_HELPER, "case-open-form")

    # Sent without a name: refused, and what was typed stays.
    helper.locator("#id_reason").fill("Három jelzés szeptember óta.")
    helper.locator("main form button[type='submit']").click()
    expect(helper.locator("main .field--error")).to_have_count(1)
    expect(helper.locator("#id_reason")).to_have_value("Három jelzés szeptember óta.")
    check_page(helper, SOCIAL_HELPER, "case-open-refused")

    helper.locator("#id_title").fill(CASE_TITLE)
    lead = helper.locator("#id_lead_worker option", has_text=CASE_WORKER)
    if lead.count() == 0:  # a name is shown instead of the username
        lead = helper.locator("#id_lead_worker option:not([value=''])").first
    helper.locator("#id_lead_worker").select_option(lead.first.get_attribute("value"))
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/cases/\d+/$"))
    case = int(re.search(r"/cases/(\d+)/$", helper.url).group(1))
    main = helper.locator("main")
    expect(main.locator("h1")).to_contain_text(CASE_TITLE)
    # The chronology is loaded when the reader goes to it (the section menu's link).
    show_chronology(helper)
    expect(main.locator("section[aria-labelledby='chronology-heading']")).to_contain_text(
        f"#{concern}"
    )
    check_page(helper, SOCIAL_HELPER, "case-opened")

    # The problem map, then a goal in the family's words and a step the mother owns.
    show_section(helper, "map")
    helper.locator(f"main a[href='/cases/{case}/problem-map/']").click()
    check_page(helper, SOCIAL_HELPER, "case-problem-map")
    helper.locator("#id_severity_housing").select_option("4")
    helper.locator("#id_note_housing").fill("Hideg lakás, nincs tüzelő.")
    helper.locator("#id_severity_school").select_option("3")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(rf"/cases/{case}/#map-heading$"))
    expect(helper.locator("section[aria-labelledby='map-heading']")).to_contain_text("Hideg lakás")
    helper.locator(f"main a[href='/cases/{case}/goals/']").click()
    check_page(helper, SOCIAL_HELPER, "case-goal-form")
    helper.locator("#id_text").fill(GOAL)
    helper.locator("#id_domain").select_option("school")
    helper.locator("main form button[type='submit']").click()
    plan = helper.locator("section[aria-labelledby='plan-heading']")
    expect(plan).to_contain_text(GOAL)
    plan.locator("a", has_text="Add a step").first.click()
    helper.locator("#id_text").fill("Reggel hétkor ébreszti.")
    helper.locator("#id_owner_kind").select_option("parent")
    helper.locator("#id_owner_name").fill("Anya")
    helper.locator("#id_due_on").fill("2030-01-31")
    helper.locator("main form button[type='submit']").click()
    plan = helper.locator("section[aria-labelledby='plan-heading']")
    expect(plan).to_contain_text("Reggel hétkor ébreszti.")
    check_page(helper, SOCIAL_HELPER, "case-with-plan")

    # A case discussion whose decision becomes a step of the goal.
    show_section(helper, "work")
    helper.locator(f"main a[href='/cases/{case}/conferences/']").click()
    check_page(helper, SOCIAL_HELPER, "case-conference-form")
    helper.locator("#id_kind").select_option("discussion")
    helper.locator("#id_agenda").fill("Iskolába járás, fűtés.")
    helper.locator("input[name='attendees']").first.check()
    helper.locator("#id_minutes").fill("Az anya vállalja a reggeli ébresztést.")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(rf"/cases/{case}/conferences/\d+/$"))
    helper.locator("#id_text").fill(DECISION)
    helper.locator("#id_goal").select_option(label=GOAL)
    helper.locator("#id_owner_kind").select_option("professional")
    helper.locator("#id_owner").select_option(index=1)
    helper.locator("#id_due_on").fill("2030-02-15")
    helper.locator("main form button[type='submit']").click()
    expect(helper.locator("section[aria-labelledby='decisions-heading']")).to_contain_text(
        "a step of the plan"
    )
    check_page(helper, SOCIAL_HELPER, "case-conference")
    helper.goto(f"/cases/{case}/")
    expect(helper.locator("section[aria-labelledby='plan-heading']")).to_contain_text(DECISION)

    # Signs of Safety: a worry and a strength on the map, and two scaling answers: a chart.
    # (Once the section has loaded, its summary links to the same page.)
    helper.locator(f"main a[href='/cases/{case}/safety/']").first.click()
    expect(helper).to_have_url(re.compile(rf"/cases/{case}/safety/$"))
    mapping = helper.locator(f"form[action='/cases/{case}/safety/mapping/']")
    mapping.locator("#id_category").select_option("danger")
    mapping.locator("#id_text").fill("Apa ittasan megütheti Bencét.")
    mapping.locator("button[type='submit']").click()
    expect(helper.locator(".sos-column--worried")).to_contain_text("Apa ittasan")
    scaling = helper.locator(f"form[action='/cases/{case}/safety/scaling/']")
    for name, score in (("Anya", "4"), ("Hanna", "3")):
        scaling = helper.locator(f"form[action='/cases/{case}/safety/scaling/']")
        scaling.locator("#id_respondent").select_option("parent" if name == "Anya" else "worker")
        scaling.locator("#id_respondent_name").fill(name)
        scaling.locator("#id_score").fill(score)
        scaling.locator("button[type='submit']").click()
        expect(helper.locator("section[aria-labelledby='scaling-heading']")).to_contain_text(name)
    expect(helper.locator("svg.chart__svg polyline")).to_have_count(2)
    check_page(helper, SOCIAL_HELPER, "case-signs-of-safety")
    helper.goto(f"/cases/{case}/")
    # The case page loads the tools at a glance once its section scrolls into view.
    helper.locator("#safety-heading").scroll_into_view_if_needed()
    expect(helper.locator("#safety-content")).to_contain_text("Apa ittasan")
    expect(helper.locator("#safety-content svg.chart__svg polyline")).to_have_count(2)

    # A home visit into the chronology, then its correction: the first entry stays, marked.
    helper.locator("details summary", has_text="Add an entry").click()
    entry = helper.locator(f"form[action='/cases/{case}/entries/']")
    entry.locator("#id_kind").select_option("contact")
    entry.locator("#id_title").fill("Családlátogatás")
    entry.locator("#id_text").fill(VISIT)
    entry.locator("button[type='submit']").click()
    show_chronology(helper)
    expect(helper.locator("main .timeline")).to_contain_text(VISIT)
    helper.locator("main .timeline a", has_text="Correct").first.click()
    entry = helper.locator(f"form[action='/cases/{case}/entries/']")
    entry.locator("#id_kind").select_option("contact")
    entry.locator("#id_title").fill("Családlátogatás")
    entry.locator("#id_text").fill(VISIT_FIXED)
    entry.locator("button[type='submit']").click()
    show_chronology(helper)
    timeline = helper.locator("main .timeline")
    expect(timeline).to_contain_text(VISIT_FIXED)
    expect(timeline).to_contain_text(VISIT)
    expect(timeline).to_contain_text("corrected")
    check_page(helper, SOCIAL_HELPER, "case-chronology-corrected")

    # Only contacts: the filter keeps the two visits and hides the opening.
    helper.locator("#kind-filter").select_option("contact")
    helper.locator("form[aria-label='Filter the chronology'] button[type='submit']").click()
    expect(helper.locator("main .timeline__entry")).to_have_count(2)

    # The supervisor sees the team's cases and the caseload, and allocates with a handover.
    supervisor = open_page(SUPERVISOR, DESKTOP)
    supervisor.goto("/cases/?show=team")
    expect(supervisor.locator("main")).to_contain_text(CASE_TITLE)
    expect(supervisor.locator("#caseload-heading")).to_be_visible()
    check_page(supervisor, SUPERVISOR, "team-cases")
    supervisor.goto(f"/cases/{case}/allocate/")
    check_page(supervisor, SUPERVISOR, "case-allocate")
    supervisor.locator("#id_lead_worker").select_option(index=1)
    supervisor.locator("#id_handover").fill(HANDOVER)
    supervisor.locator("main form button[type='submit']").click()
    expect(supervisor).to_have_url(re.compile(rf"/cases/{case}/$"))
    show_chronology(supervisor)
    expect(supervisor.locator("main .timeline")).to_contain_text(HANDOVER)

    # Closing asks for a reason and an outcome; the closure stays in the chronology.
    helper.goto(f"/cases/{case}/close/")
    check_page(helper, SOCIAL_HELPER, "case-close")
    helper.locator("#id_reason").select_option("goals_met")
    helper.locator("#id_outcome").select_option("improved")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(rf"/cases/{case}/$"))
    expect(helper.locator("section[aria-labelledby='case-heading']")).to_contain_text("Closed")
    show_chronology(helper)
    expect(helper.locator("main .timeline")).to_contain_text("Case closed")
    check_page(helper, SOCIAL_HELPER, "case-closed")

    # The educator who reported sees none of it.
    educator.goto(f"/cases/{case}/")
    expect(educator.locator("h1")).to_contain_text("not found", ignore_case=True)


def show_section(page, section: str):
    """Go to a section of a record's page through its section menu; it loads once it scrolls
    into view, or at once with a tap on its link."""
    page.locator(f"nav.section-menu a[href='#{section}']").click()
    loader = page.locator(f"#{section}-content > a")
    if loader.count():
        with contextlib.suppress(PlaywrightError):  # it may load on its own meanwhile
            loader.click(timeout=2000)
    expect(page.locator(f"#{section}-content > a")).to_have_count(0)


def show_chronology(page):
    show_section(page, "chronology")


@pytest.mark.parametrize("username", ["hu.case_worker", "cz.case_worker", "dk.case_worker"])
def test_the_demo_cases_of_each_country_on_a_phone(open_page, username):
    page = open_page(username, PHONE)
    page.goto("/cases/")
    rows = page.locator("main table tbody tr")
    expect(rows.first).to_be_visible()
    check_page(page, username, "my-cases")
    rows.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/$"))
    show_chronology(page)
    expect(page.locator("main .timeline__entry").first).to_be_visible()
    check_page(page, username, "case-page")


def test_a_signs_of_safety_meeting_without_a_case(open_page):
    helper = open_page(SOCIAL_HELPER, PHONE)
    helper.goto("/safety/meetings/")
    check_page(helper, SOCIAL_HELPER, "safety-meetings")
    helper.locator("main a[href='/safety/meetings/new/']").click()
    helper.locator("#id_topic").fill("Egy 1.a-s tanuló, aki gyakran éhesen jön.")
    helper.locator("#id_participants").fill("Osztályfőnök\nIskolai védőnő")
    helper.locator("#id_worried").fill("Hetente háromszor éhes.")
    helper.locator("#id_working").fill("Bízik a tanítójában.")
    helper.locator("#id_needs").fill("Beszélni az anyával.")
    helper.locator("#id_scale").fill("5")
    helper.locator("#id_next_steps").fill("Az osztályfőnök péntekig beszél az anyával.")
    helper.locator("main form button[type='submit']").click()
    expect(helper).to_have_url(re.compile(r"/safety/meetings/\d+/$"))
    expect(helper.locator("#id_scale")).to_have_value("5")
    check_page(helper, SOCIAL_HELPER, "safety-meeting")
