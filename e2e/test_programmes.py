"""A funded programme as the Czech pilot lives it: the manager sets the OPZ project up from its
country's template with the supervisor as its lead; the lead names it and adds an indicator of
her own, whose definition the form says in words; the key worker counts a foster family's
support agreement for it; the lead computes the figures and sees the carers indicator move;
she prepares the funder's report, which she may not release herself, and the manager releases
it. Every page passes axe-core, on a desktop and on a phone."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from e2e.support import DESKTOP, PHONE, check_page

MANAGER = "cz.manager"
LEAD = "cz.supervisor"
KEY_WORKER = "cz.case_worker"
NAME = "Inovace pro setrvání dětí v rodině – pokračování"


def _carers(page):
    return page.locator("article.indicator").filter(
        has=page.locator("h3", has_text="Pěstouni, na nichž byla ověřena inovovaná metodika")
    )


def test_a_lead_sets_up_the_czech_project_sees_it_move_and_a_second_person_releases_the_report(
    open_page,
):
    starts = date.today().replace(day=1)

    lead = open_page(LEAD, DESKTOP)
    lead.goto("/")
    lead_name = lead.locator(".whoami").inner_text().split(" · ")[0].strip()

    # The manager sets the project up from the Czech template, with the supervisor as lead.
    manager = open_page(MANAGER, DESKTOP)
    manager.goto("/programmes/new/from-template/")
    check_page(manager, MANAGER, "programmes-from-template")
    manager.locator("#id_template").select_option("cz-opz-setrvani")
    manager.locator("#id_lead").select_option(label=lead_name)
    manager.locator("#id_starts_on").fill(starts.isoformat())
    manager.get_by_role("button", name="Set up the programme").click()
    expect(manager).to_have_url(re.compile(r"/programmes/\d+/$"))
    programme = re.search(r"/programmes/(\d+)/$", manager.url).group(1)

    # The lead names it and adds an indicator of her own; the form says it in words.
    lead.goto(f"/programmes/{programme}/edit/")
    check_page(lead, LEAD, "programmes-edit")
    lead.locator("#id_name").fill(NAME)
    lead.get_by_role("button", name=re.compile("Save")).click()
    expect(lead.locator(".message--success")).to_be_visible()
    lead.goto(f"/programmes/{programme}/setup/indicators/new/")
    check_page(lead, LEAD, "programmes-indicator-new")
    lead.locator("#id_name").fill("Děti v asistovaném kontaktu")
    lead.locator("#id_unit").select_option("children")
    lead.locator("#id_role").select_option("contact_child")
    lead.locator("#id_aggregation").select_option("share")
    lead.locator("#id_target_value").fill("6")
    lead.locator("#id_target_date").fill(date(starts.year + 1, 12, 31).isoformat())
    lead.get_by_role("button", name=re.compile("Save|Add")).click()
    # A share without its target group is refused, what was typed kept, the reason next to it.
    expect(lead.locator("#id_name")).to_have_value("Děti v asistovaném kontaktu")
    expect(lead.locator("main")).to_contain_text(
        "A share needs the target group it is the share of."
    )
    lead.locator("#id_aggregation").select_option("count")
    lead.get_by_role("button", name=re.compile("Save|Add")).click()
    expect(lead.locator("main")).to_contain_text(
        "distinct children meeting a parent in assisted contact during the period"
    )

    # Before any work counts for it: nothing reached yet.
    lead.goto(f"/programmes/{programme}/")
    lead.get_by_role("button", name="Compute now").click()
    expect(lead).to_have_url(re.compile(rf"/programmes/{programme}/$"))
    check_page(lead, LEAD, "programmes-detail")
    expect(_carers(lead).locator("strong").first).to_have_text("0")

    # The key worker counts a foster family's support agreement for the programme, on a phone.
    worker = open_page(KEY_WORKER, PHONE)
    worker.goto("/fostercare/")
    household = worker.locator("main table tbody tr").first.get_attribute("data-household")
    worker.goto(f"/fostercare/{household}/")
    worker.locator("a[href*='/agreements/'][href$='/edit/']").first.click()
    check_page(worker, KEY_WORKER, "fostercare-agreement-edit")
    worker.get_by_label(NAME).check()
    worker.get_by_role("button", name=re.compile("Save")).click()
    expect(worker.locator("main")).to_contain_text(NAME)

    # The lead computes again: the carers of that family now count, as people.
    lead.goto(f"/programmes/{programme}/")
    lead.get_by_role("button", name="Compute now").click()
    carers = _carers(lead)
    expect(carers.locator("strong").first).to_have_text(re.compile(r"^[12]$"))
    expect(carers).to_contain_text("distinct foster carers with a support agreement in force")
    expect(lead.locator("figure svg").first).to_be_visible()

    # The lead prepares the funder's report; she may not release what she prepared.
    lead.goto(f"/programmes/{programme}/reports/")
    check_page(lead, LEAD, "programmes-reports")
    lead.get_by_role("button", name="Start the report").click()
    expect(lead).to_have_url(re.compile(r"/programmes/reports/\d+/$"))
    report = lead.url
    lead.locator("#id_narrative").fill("První čtvrtletí: doprovázení pěstounů začalo.")
    lead.get_by_role("button", name="Save the narrative").click()
    expect(lead.locator("#id_narrative")).to_have_value(
        "První čtvrtletí: doprovázení pěstounů začalo."
    )
    expect(lead.get_by_role("button", name="Release the report")).to_have_count(0)
    check_page(lead, LEAD, "programmes-report-draft")

    # The manager, a second person, releases it; from then on it is fixed.
    phone = open_page(MANAGER, PHONE)
    phone.goto(report)
    check_page(phone, MANAGER, "programmes-report")
    phone.get_by_role("button", name="Release the report").click()
    expect(phone.locator("main")).to_contain_text("Released")
    expect(phone.locator("#id_narrative")).to_have_count(0)
    expect(phone.locator("main")).to_contain_text("První čtvrtletí: doprovázení pěstounů začalo.")
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
