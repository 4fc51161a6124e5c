"""A roster import in a real browser: the Hungarian municipality's administrator uploads a
school system's CSV in earlyhelp's own template with one good row and two bad ones (a date of
birth that does not exist, a class the school does not have), reads the check with each bad
row's reason and downloads the rows left out; then corrects the file, checks and applies it
(three new children written), and imports the same corrected file once more, which changes
nothing. The import list and the check pass axe-core on a desktop and the check on a 360-px
phone.

The rows go to a class no demo persona teaches or looks after (the second school's last class),
so that the children added here change nothing other browser tests count. The names are made
up. Assertions read English, which every signed-in state starts in (see conftest.Accounts)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from e2e.support import DESKTOP, PHONE, check_page, main_nav
from e2e.test_concerns import HUNGARY

ADMIN = "hu.admin"
# The second school of the Hungarian demo and its last class (sampledata/demo): no educator,
# lead or social helper of the demo works there.
SCHOOL = HUNGARY.schools[1]
CLASS = HUNGARY.class_names[-1]
UNKNOWN_CLASS = "6.z"
IMPOSSIBLE_DATE = "2018-02-30"
# The check and the apply are background tasks: immediate on the demo server, but a database
# backend with its worker on a loaded machine may take a while.
WORK_SECONDS = 90

# earlyhelp's own template: each value's field name is its column heading (imports/fields.py).
HEADINGS = [
    "institution",
    "group",
    "full_name",
    "birth_date",
    "parent1_full_name",
    "parent1_relationship",
    "parent1_phone",
]
# Made-up people; Hungarian full names put the family name first.
GOOD = [SCHOOL, CLASS, "Próbafalvi Dorka", "2013-05-17", "Próbafalvi Erzsébet", "anya",
        "+36 30 555 0101"]  # fmt: skip
BAD_DATE = [SCHOOL, CLASS, "Tesztházi Bence", IMPOSSIBLE_DATE, "Tesztházi Gábor", "apa",
            "+36 30 555 0102"]  # fmt: skip
BAD_CLASS = [SCHOOL, UNKNOWN_CLASS, "Mintavári Lili", "2013-11-03", "Mintavári Katalin",
             "anya", "+36 30 555 0103"]  # fmt: skip
FIXED_DATE = "2018-02-28"


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADINGS)
        writer.writerows(rows)
    return path


def _check_file(page: Page, path: Path) -> None:
    """Upload a file on the import list with earlyhelp's own columns, the enrolments starting
    on the date the form proposes, and wait for the check to finish."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Roster imports")
    page.get_by_label(re.compile(r"^Roster file")).set_input_files(path)
    page.get_by_label(re.compile(r"^Columns")).select_option(label="earlyhelp's own template")
    expect(page.get_by_label(re.compile(r"^Enrolments start on"))).not_to_have_value("")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"), timeout=WORK_SECONDS * 1000)
    expect(page.get_by_role("heading", level=1)).to_have_text(path.name)
    # While it is checked the status polls every second and reloads the page when done.
    expect(page.locator("#import-status strong")).to_have_text(
        "checked: ready to apply", timeout=WORK_SECONDS * 1000
    )


def _fact(section: Locator, label: str) -> Locator:
    """The value next to a label of a section's list of facts."""
    term = section.locator("dl.facts dt").filter(has_text=re.compile(f"^{re.escape(label)}$"))
    return term.locator("xpath=following-sibling::dd[1]")


def _found(page: Page) -> Locator:
    return page.locator("section[aria-labelledby='found-heading']")


def _expect_found(page: Page, **counts: int) -> None:
    found = _found(page)
    labels = {
        "rows": "Rows",
        "new": "New children",
        "changed": "Children with changes",
        "unchanged": "Unchanged",
        "unsure": "Need your decision",
        "bad": "Cannot be imported",
    }
    for key, count in counts.items():
        expect(_fact(found, labels[key])).to_have_text(str(count))


def _row(page: Page, line: int) -> Locator:
    return page.locator("main table tbody tr").filter(
        has=page.locator("th", has_text=re.compile(f"^{line}$"))
    )


def _back_to_the_list(page: Page) -> None:
    page.locator("main").get_by_role("link", name="Roster imports", exact=True).click()
    expect(page).to_have_url(re.compile(r"/imports/$"))


def test_an_import_with_bad_rows_corrected_applied_and_imported_again(open_page, tmp_path):
    page = open_page(ADMIN, DESKTOP)
    page.goto("/")
    main_nav(page).get_by_role("link", name="Roster imports", exact=True).click()
    expect(page).to_have_url(re.compile(r"/imports/$"))
    check_page(page, ADMIN, "imports")

    # 1. A file with a good row (line 2), an impossible date (line 3), an unknown class (4).
    first = _write(tmp_path / "roster-6c.csv", [GOOD, BAD_DATE, BAD_CLASS])
    _check_file(page, first)
    first_url = page.url
    _expect_found(page, rows=3, new=1, changed=0, unchanged=0, unsure=0, bad=2)
    expect(_row(page, 2)).to_contain_text("new child")
    expect(_row(page, 3)).to_contain_text("cannot be imported")
    expect(_row(page, 3).locator(".field__error")).to_have_text(
        "Date of birth: Enter a valid date."
    )
    expect(_row(page, 4)).to_contain_text("cannot be imported")
    expect(_row(page, 4).locator(".field__error")).to_contain_text(
        f"Class or group: {SCHOOL} has no class “{UNKNOWN_CLASS}”."
    )
    check_page(page, ADMIN, "import-checked-bad-rows")

    # The rows left out, with their lines, reasons and the file's values.
    with page.expect_download() as waiting:
        _found(page).get_by_role("link", name="CSV", exact=True).click()
    download = waiting.value
    assert download.suggested_filename.endswith("-rows-left-out.csv")
    report = list(csv.reader(Path(download.path()).read_text(encoding="utf-8-sig").splitlines()))
    assert report[0][:3] == ["Line", "Outcome", "Reasons"], report[0]
    left_out = {row[0]: row for row in report[1:]}
    assert sorted(left_out) == ["3", "4"], report
    assert left_out["3"][1] == "cannot be imported"
    assert "Date of birth: Enter a valid date." in left_out["3"][2]
    assert IMPOSSIBLE_DATE in left_out["3"]
    assert f"has no class “{UNKNOWN_CLASS}”" in left_out["4"][2]
    assert UNKNOWN_CLASS in left_out["4"]

    # The same check on a phone: the rows' table stacks and nothing scrolls sideways.
    phone = open_page(ADMIN, PHONE)
    phone.goto(first_url)
    expect(phone.locator("#import-status strong")).to_have_text("checked: ready to apply")
    check_page(phone, ADMIN, "import-checked-bad-rows")

    # 2. The file corrected: the date exists and the class is the school's. Three new
    # children, nothing left out; applied.
    corrected = _write(
        tmp_path / "roster-6c-corrected.csv",
        [GOOD, [*BAD_DATE[:3], FIXED_DATE, *BAD_DATE[4:]], [*BAD_CLASS[:1], CLASS, *BAD_CLASS[2:]]],
    )
    _back_to_the_list(page)
    _check_file(page, corrected)
    _expect_found(page, rows=3, new=3, changed=0, unchanged=0, unsure=0, bad=0)
    expect(_found(page).get_by_role("link", name="CSV", exact=True)).to_have_count(0)
    check_page(page, ADMIN, "import-checked")
    page.get_by_role("button", name="Apply the import").click()
    expect(page.locator("#import-status strong")).to_have_text(
        "applied", timeout=WORK_SECONDS * 1000
    )
    written = page.locator("section[aria-labelledby='applied-heading']")
    expect(written.get_by_role("heading", level=2)).to_have_text("What was written")
    expect(_fact(written, "Children created")).to_have_text("3")
    expect(_fact(written, "Enrolments created")).to_have_text("3")
    expect(_fact(written, "Parents created")).to_have_text("3")
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)
    check_page(page, ADMIN, "import-applied")

    # 3. The same corrected file again: every row is as recorded, nothing to write.
    _back_to_the_list(page)
    _check_file(page, corrected)
    _expect_found(page, rows=3, new=0, changed=0, unchanged=3, unsure=0, bad=0)
    for line in (2, 3, 4):
        expect(_row(page, line)).to_contain_text("unchanged")

    # The list names the three imports, newest first, then the demo's own (a class list
    # checked and waiting).
    _back_to_the_list(page)
    recent = page.locator("section[aria-labelledby='recent-heading'] li")
    expect(recent).to_have_count(4)
    expect(recent.nth(0)).to_contain_text("roster-6c-corrected.csv · checked: ready to apply")
    expect(recent.nth(1)).to_contain_text("roster-6c-corrected.csv · applied")
    expect(recent.nth(2)).to_contain_text("roster-6c.csv · checked: ready to apply")
    expect(recent.nth(3)).to_contain_text("class-list.csv · checked: ready to apply")
    check_page(page, ADMIN, "imports-three")
