"""A screening of promising interventions (seed 003) in a real browser on a 360-px phone: the
Danish manager starts a review, adds its criteria and two candidates, rates them, writes the
recommendation and makes the prototype, which joins the catalogue at stage "Prototype". The
pages visited pass axe-core, the review's page with its rating matrix among them."""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from e2e.support import PHONE, check_page

LEAD = "dk.manager"
TITLE = "Sparring for day care and school"
PROTOTYPE = "Social-work sparring in day care (prototype)"


def _rate(page, criterion: str, score: str, sources: str = "") -> None:
    group = page.get_by_role("group", name=re.compile(re.escape(criterion)))
    group.get_by_label("Score").select_option(label=score)
    if sources:
        group.get_by_label("Sources").fill(sources)


def _catalogue_path() -> str | None:
    """The catalogue's page, where the catalogue part of the knowledge app is installed."""
    try:
        return reverse("knowledge:catalogue")
    except NoReverseMatch:
        return None


def test_a_lead_runs_a_screening_of_interventions_to_a_prototype(open_page):
    page = open_page(LEAD, PHONE)
    page.goto("/knowledge/reviews/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Screening of promising interventions"
    )
    # The demo's Danish review, already run to its prototype.
    expect(page.locator("main")).to_contain_text("Socialfaglige kompetencer i dagtilbud og skole")
    check_page(page, LEAD, "reviews")

    page.get_by_role("link", name="Start a review").click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Question").fill(
        "Which interventions bring social-work competence into day care and school?"
    )
    page.get_by_label("For whom").fill("Children aged 3 to 16 and their families")
    page.get_by_role("group", name="Review group").get_by_role("checkbox").first.check()
    check_page(page, LEAD, "review-new")
    page.get_by_role("button", name="Start the review").click()
    expect(page).to_have_url(re.compile(r"/knowledge/reviews/\d+/$"))
    review = page.url

    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Criterion").fill("Target group fit")
    page.get_by_label("Weight").fill("3")
    page.get_by_role("button", name="Add and add another").click()
    page.get_by_label("Criterion").fill("Feasibility in day care")
    page.get_by_label("Weight").fill("2")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page).to_have_url(review)

    page.get_by_role("link", name="Add a candidate").click()
    page.get_by_label("Intervention").fill("Social worker in day care")
    page.get_by_label("Where it comes from").fill("A municipal pilot's evaluation (demo)")
    check_page(page, LEAD, "review-candidate-new")
    page.get_by_role("button", name="Add and add another").click()
    page.get_by_label("Intervention").fill("Family consultant at school")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_role("button", name="Open the rating").click()
    expect(page.locator("main")).to_contain_text("The rating is open.")

    page.get_by_role("link", name="Rate Social worker in day care").click()
    _rate(page, "Target group fit", "3 · fully meets it", "Pilot evaluation 2022 (demo)")
    _rate(page, "Feasibility in day care", "2 · largely meets it")
    check_page(page, LEAD, "review-rate")
    page.get_by_role("button", name="Save and rate the next candidate").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate Family consultant at school")
    _rate(page, "Target group fit", "1 · meets it in part")
    _rate(page, "Feasibility in day care", "1 · meets it in part")
    page.get_by_role("button", name="Save the ratings").click()
    expect(page).to_have_url(review)

    matrix = page.get_by_role("table", name=re.compile("Mean score per candidate"))
    # (3 × 3 + 2 × 2) of (3 + 2) × 3, and (1 × 3 + 1 × 2) of 15.
    expect(matrix.get_by_role("row", name=re.compile("Social worker in day care"))).to_contain_text(
        "(87 %)"
    )
    expect(matrix.get_by_role("row", name=re.compile("Family consultant"))).to_contain_text(
        "(33 %)"
    )
    page.locator("summary", has_text="Ratings of Social worker in day care").click()
    expect(page.locator("main")).to_contain_text("Pilot evaluation 2022 (demo)")
    check_page(page, LEAD, "review-matrix")

    page.locator("#id_recommendation").fill(
        "Place a social worker in day care one day a week, giving the staff sparring."
    )
    page.get_by_role("group", name="Builds on").get_by_label("Social worker in day care").check()
    page.get_by_role("button", name="Save the recommendation").click()
    expect(page.locator("main")).to_contain_text("The recommendation was saved.")

    page.get_by_role("link", name="Make the prototype").click()
    expect(page.get_by_label("What it is")).to_have_value(re.compile("one day a week"))
    page.get_by_label("Name of the new intervention").fill(PROTOTYPE)
    page.get_by_label("Setting").select_option("kindergarten")
    check_page(page, LEAD, "review-prototype")
    page.get_by_role("button", name="Make the prototype").click()
    expect(page).to_have_url(review)

    made = page.get_by_role("region", name="Prototype")
    expect(made).to_contain_text(PROTOTYPE)
    expect(made).to_contain_text("Prototype")
    check_page(page, LEAD, "review-done")

    catalogue = _catalogue_path()
    if catalogue is not None:
        page.goto(catalogue)
        page.locator("main").get_by_role("link", name=PROTOTYPE).first.click()
        expect(page.locator("main")).to_contain_text("Prototype")
        check_page(page, LEAD, "review-prototype-in-catalogue")
