"""Reporting a worry in under two minutes (DESIGN.md 3.1) on a 360-px phone, counted in
interactions rather than timed: the shortest complete report an educator can send, every tap,
pick, tick and typed field counted by a small wrapper around the page's actions. The time it
stands for is estimated with a keystroke-level model in docs/concerns.md ("How long a report
takes"), not measured here: a test's clock measures the machine, not the person.

Also here: the institution and the child's class filled in for the reporter, the next child's
row starting in the same class, and immediate danger bringing up each country's numbers as
links a phone can call, with and without the page's script."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page, expect

from e2e.support import PHONE, check_page
from earlyhelp.sampledata.demo.organisations import PLACES

EDUCATOR = "hu.educator"
HUNGARY = next(place for place in PLACES if place.prefix == "hu")
SCHOOL = HUNGARY.schools[0]
# The shortest complete report: open the form, pick the child, say what was seen, tick a
# category, say whether the parents know, send. Six; two spare for a phone's slips.
MAX_INTERACTIONS = 8
WHAT_HAPPENED = "Harmadik napja éhesen jön, és azt mondja, otthon nincs mit enni."
# The numbers each country's form names, in order (organisations/emergency.py).
NUMBERS = {
    "hu.educator": ["112", "107", "104"],
    "cz.educator": ["112", "158", "155"],
    "dk.educator": ["112", "114"],
}


@dataclass
class Interactions:
    """The page's actions a person performs, each counted once: a tap (click, tick), a pick
    from a list, a field typed into (one interaction, its length kept for the estimate)."""

    log: list[tuple[str, str]] = field(default_factory=list)

    def tap(self, target: Locator, what: str) -> None:
        target.click()
        self.log.append(("tap", what))

    def tick(self, target: Locator, what: str) -> None:
        target.check()
        self.log.append(("tap", what))

    def pick(self, target: Locator, value: str, what: str) -> None:
        target.select_option(value)
        self.log.append(("pick", what))

    def type(self, target: Locator, text: str, what: str) -> None:
        target.fill(text)
        self.log.append(("type", f"{what} ({len(text)} characters)"))

    def __len__(self) -> int:
        return len(self.log)


def test_the_shortest_complete_report_takes_at_most_eight_interactions(open_page):
    page = open_page(EDUCATOR, PHONE)
    page.goto("/")
    done = Interactions()

    done.tap(page.locator("main a[href='/concerns/new/']").first, "Report a concern")
    expect(page).to_have_url(re.compile(r"/concerns/new/$"))
    # Nothing to do for the institution: the reporter's own school is chosen already.
    expect(page.locator("#id_institution option:checked")).to_have_text(SCHOOL)
    # The optional parts are folded away.
    expect(page.locator("#id_child_words")).to_be_hidden()
    expect(page.locator("#id_attachments")).to_be_hidden()
    check_page(page, EDUCATOR, "quick-report-form")

    child = page.locator("select[name='children-0-child'] option:not([value=''])").first
    done.pick(page.locator("#id_children-0-child"), child.get_attribute("value"), "the child")
    # Picking the child filled in their class, and the next child's row starts in it.
    group = page.locator("#id_children-0-group")
    expect(group).to_have_value(child.get_attribute("data-group"))
    expect(page.locator("#id_children-1-group")).to_have_value(child.get_attribute("data-group"))
    done.type(page.locator("#id_what_happened"), WHAT_HAPPENED, "what was seen or heard")
    done.tick(page.locator("input[name='categories'][value='neglect']"), "a category")
    done.tick(page.locator("input[name='parents_know'][value='yes']"), "the parents know")
    check_page(page, EDUCATOR, "quick-report-filled")
    done.tap(page.locator("#concern-form button[name='send']"), "Send the report")
    expect(page).to_have_url(re.compile(r"/concerns/\d+/sent/$"))
    check_page(page, EDUCATOR, "quick-report-sent")

    steps = "\n".join(f"- {kind}: {what}" for kind, what in done.log)
    print(f"\nthe shortest complete report: {len(done)} interactions\n{steps}")
    assert len(done) <= MAX_INTERACTIONS, f"{len(done)} interactions:\n{steps}"


def test_a_second_child_of_the_same_class_is_one_pick_away(open_page):
    page = open_page(EDUCATOR, PHONE)
    page.goto("/concerns/new/")
    options = page.locator("select[name='children-0-child'] option:not([value=''])")
    first = options.first
    page.locator("#id_children-0-child").select_option(first.get_attribute("value"))
    page.locator("details.child-more > summary").first.click()
    second = page.locator("#id_children-1-child")
    expect(page.locator("#id_children-1-group")).to_have_value(first.get_attribute("data-group"))
    # The second row lists only the children of that class.
    shown = second.locator("option:not([value='']):not([hidden])")
    groups = {shown.nth(i).get_attribute("data-group") for i in range(shown.count())}
    assert groups == {first.get_attribute("data-group")}
    check_page(page, EDUCATOR, "quick-report-second-child")


def test_ticking_immediate_danger_brings_up_each_countrys_numbers_to_call(open_page):
    for account, numbers in NUMBERS.items():
        page = open_page(account, PHONE)
        page.goto("/concerns/new/")
        call = page.locator("#danger-call")
        expect(call).to_be_hidden()
        page.locator("#id_immediate_danger").check()
        expect(call).to_be_visible()
        links = call.locator("a[href^='tel:']")
        expect(links).to_have_count(len(numbers))
        assert [link.get_attribute("href") for link in links.all()] == [
            f"tel:{number}" for number in numbers
        ]
        # Said at once to a screen reader, and on screen above the rest of the form.
        announced = page.locator("#danger-announce")
        for number in numbers:
            expect(announced).to_contain_text(number)
        box = call.bounding_box()
        assert box is not None and box["y"] < PHONE["height"], box
        assert box["y"] < page.locator("#id_institution").bounding_box()["y"]
        check_page(page, account, "quick-report-danger")


def test_without_the_script_the_numbers_are_named_all_the_same(browser, base_url, accounts):
    context = browser.new_context(
        base_url=base_url,
        viewport=PHONE,
        java_script_enabled=False,
        storage_state=accounts.state("cz.educator"),
    )
    try:
        page: Page = context.new_page()
        page.goto("/concerns/new/")
        numbers = page.locator(".danger-box__numbers a[href^='tel:']")
        expect(numbers).to_have_count(3)
        expect(numbers.first).to_be_visible()
        page.locator("#id_immediate_danger").check()
        expect(page.locator("#danger-call a[href='tel:158']")).to_be_visible()
    finally:
        context.close()
