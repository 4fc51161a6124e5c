"""earlyhelp in a real browser, for every role, on a 360-px phone and a 1280-px desktop: signing
in with two factors, the language switcher, finding a child by a name typed without accents and
opening the child's page. Every page visited passes axe-core (no serious or critical violation)
and leaves a full-page screenshot in e2e/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.support import (
    VIEWPORTS,
    accent_free_search_term,
    check_page,
    fold,
    main_nav,
    open_menu,
    served_translation,
)

ROLE_LABELS = {
    "educator": "Educator",
    "institution_lead": "Institution lead",
    "social_helper": "Social helper",
    "case_worker": "Case worker",
    "supervisor": "Supervisor",
    "manager": "Manager",
    "analyst": "Analyst",
    "admin": "Administrator",
}
HU_ACCOUNTS = [f"hu.{role}" for role in ROLE_LABELS]
OTHER_COUNTRIES = ["cz.social_helper", "dk.social_helper"]
CHILD_LISTERS = [
    "hu.educator",
    "hu.institution_lead",
    "hu.social_helper",
    "hu.case_worker",
    "hu.supervisor",
    *OTHER_COUNTRIES,
]
NO_CHILD_LIST = ["hu.manager", "hu.analyst", "hu.admin"]
# The demo accounts' preferred language, which signing in switches to.
PREFERRED_LANGUAGES = {"hu": "hu", "cz": "cs", "dk": "da"}
# Only the analyst works with aggregates alone and signs in without a second factor.
WITHOUT_TWO_FACTOR = {"hu.analyst"}

# Strings on every page's top bar, checked in the switched-to language once translated.
TOP_BAR_MSGIDS = ["Change language", "Skip to content", "Sign out"]

widths = pytest.mark.parametrize("width", list(VIEWPORTS))


@widths
def test_sign_in_page(open_page, width):
    page = open_page(None, VIEWPORTS[width])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_visible()
    check_page(page, "anonymous", "login")


def test_skip_link_takes_the_keyboard_to_the_content(open_page):
    # The overview: the sign-in page puts the focus in the user name field on its own.
    page = open_page("hu.analyst", VIEWPORTS["phone"])
    page.goto("/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    check_page(page, "hu.analyst", "skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


@pytest.mark.parametrize("username", HU_ACCOUNTS + OTHER_COUNTRIES)
@widths
def test_sign_in_and_overview(accounts, open_page, username, width):
    page = open_page(username, VIEWPORTS[width])
    assert accounts.two_factor_asked[username] is (username not in WITHOUT_TWO_FACTOR)
    country = username.split(".", 1)[0]
    assert accounts.language_after_sign_in[username] == PREFERRED_LANGUAGES[country]
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/$"))
    role = username.split(".", 1)[1]
    expect(page.locator(".whoami")).to_contain_text(f" · {ROLE_LABELS[role]}")
    expect(page.locator("h1")).to_contain_text("Hello")
    check_page(page, username, "overview")


@pytest.mark.parametrize("username", CHILD_LISTERS)
@widths
def test_find_a_child_without_accents_and_open_the_record(open_page, username, width):
    page = open_page(username, VIEWPORTS[width])
    page.goto("/")
    main_nav(page).get_by_role("link", name="Children", exact=True).click()
    expect(page).to_have_url(re.compile(r"/children/$"))
    expect(page.locator("h1")).to_have_text("Children")
    names = page.locator("#child-rows a.chip").all_inner_texts()
    assert names, f"{username} sees no children at all"
    check_page(page, username, "children")

    name, term = accent_free_search_term(names)
    # Typing searches as you type (htmx, after a 300 ms pause) and puts the query in the URL.
    with page.expect_response(lambda response: "/children/?q=" in response.url) as searched:
        page.locator("#child-search").fill(term)
    assert searched.value.status == 200
    expect(page).to_have_url(re.compile(rf"[?&]q={re.escape(term)}"))
    expect(page.locator("#child-rows a.chip", has_text=name).first).to_be_visible()
    found = page.locator("#child-rows a.chip").all_inner_texts()
    assert all(fold(term) in fold(other) for other in found), (
        f"searching {term!r} also listed children whose names do not match: {found}"
    )
    check_page(page, username, "search")

    page.locator("#child-rows a.chip", has_text=name).first.click()
    expect(page).to_have_url(re.compile(r"/children/\d+/$"))
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.get_by_role("heading", name="About the child", exact=True)).to_be_visible()
    expect(page.get_by_role("navigation", name="Sections of this page")).to_be_visible()
    check_page(page, username, "child")

    # The record's history is a section loaded on demand, in place (htmx), for those who read
    # the full record.
    show = page.locator("#history-content a", has_text="Show the changes")
    if show.count():
        url = page.url
        show.click()
        expect(show).to_have_count(0)
        expect(page).to_have_url(url)
        check_page(page, username, "child-history")


@pytest.mark.parametrize("username", NO_CHILD_LIST)
@widths
def test_roles_without_person_level_access_get_no_child_list(open_page, username, width):
    page = open_page(username, VIEWPORTS[width])
    page.goto("/")
    expect(main_nav(page).get_by_role("link", name="Overview", exact=True)).to_be_visible()
    expect(main_nav(page).get_by_role("link", name="Children", exact=True)).to_have_count(0)

    response = page.goto("/children/")
    assert response is not None and response.status == 403, (
        f"{username} opened the child list: HTTP {response and response.status}"
    )
    expect(page.locator("#child-rows")).to_have_count(0)
    check_page(page, username, "children-forbidden")


@pytest.mark.parametrize(
    ("username", "language"),
    [
        (None, "da"),
        ("hu.social_helper", "hu"),
        ("cz.social_helper", "cs"),
        ("dk.social_helper", "da"),
        ("hu.analyst", "cs"),
    ],
)
@widths
def test_language_switcher(open_page, username, language, width):
    page = open_page(username, VIEWPORTS[width])
    path = "/" if username else "/accounts/login/"
    page.goto(path)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")

    open_menu(page)
    page.locator("select#language-select").select_option(language)
    page.get_by_role("button", name="Change language", exact=True).click()
    expect(html).to_have_attribute("lang", language)
    expect(page).to_have_url(re.compile(rf"{re.escape(path)}$"))
    open_menu(page)
    expect(page.locator("select#language-select")).to_have_value(language)
    for msgid in TOP_BAR_MSGIDS if username else TOP_BAR_MSGIDS[:2]:
        translated = served_translation(language, msgid)
        if translated:
            expect(page.locator("body")).to_contain_text(translated)
    check_page(page, username or "anonymous", f"language-{language}")

    # Back to English with the (now possibly translated) button of the top bar.
    open_menu(page)
    page.locator("select#language-select").select_option("en")
    page.locator("header form.langform button[type='submit']").click()
    expect(html).to_have_attribute("lang", "en")
    open_menu(page)
    expect(page.get_by_role("button", name="Change language", exact=True)).to_be_visible()


def test_on_a_phone_the_menu_folds_behind_one_button(open_page):
    page = open_page("hu.supervisor", VIEWPORTS["phone"])
    page.goto("/")
    nav = page.get_by_role("navigation", name="Main")
    toggle = page.get_by_role("button", name="Menu", exact=True)
    expect(nav).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 80  # the supervisor's menu took 546 px of 740 unfolded
    check_page(page, "hu.supervisor", "menu-folded")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()
    check_page(page, "hu.supervisor", "menu-open")
    # On a wide screen nothing folds.
    wide = open_page("hu.supervisor", VIEWPORTS["desktop"])
    wide.goto("/")
    expect(wide.get_by_role("navigation", name="Main")).to_be_visible()
    expect(wide.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
