"""The import pages as an administrator uses them: upload, read the check, decide, apply,
download the rows left out; and what the file's cells can never do."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from earlyhelp.audit.models import AuditEvent
from earlyhelp.imports.fields import PRESETS
from earlyhelp.imports.models import ColumnMapping, RosterImport
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child

pytestmark = pytest.mark.django_db


def xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    body = io.BytesIO()
    book.save(body)
    return SimpleUploadedFile("kreta.xlsx", body.getvalue())


def kreta_rows(world) -> list[list]:
    columns = PRESETS["kreta"]["columns"]
    headings = [columns[n] for n in ("institution", "group", "full_name", "birth_date", "sex")]
    return [
        headings,
        [world.school_a1.name, "1.a", "Kovács Dóra", "2018.04.05.", "lány"],
        [world.school_a1.name, "1.a", "Nagy Péter", "=TODAY()", "fiú"],
        [world.school_a1.name, "7.z", "Tóth Ábel", "2017-01-02", "fiú"],
    ]


@pytest.fixture
def admin(world, signed_in):
    return signed_in(world.users[Role.ADMIN])


def upload(client, world, file, preset="kreta", **extra):
    data = {
        "municipality": world.municipality_a.pk,
        "file": file,
        "kind": "children",
        "mapping": f"preset:{preset}",
        "starts_on": "2026-09-01",
        "institution_kind": "school",
        **extra,
    }
    return client.post("/imports/new/", data)


def test_an_xlsx_from_kreta_is_checked_applied_and_its_bad_rows_reported(
    world, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = upload(admin, world, xlsx(kreta_rows(world)))
    roster = RosterImport.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/imports/{roster.pk}/"
    page = admin.get(f"/imports/{roster.pk}/").content.decode()
    assert "checked: ready to apply" in page
    assert "This cell holds a formula" in page  # the formula is never run
    assert "has no class “7.z”" in page
    assert "Kovács" in page and "new child" in page
    report = admin.get(f"/imports/{roster.pk}/report.xlsx")
    sheet = load_workbook(
        io.BytesIO(b"".join(report.streaming_content) if report.streaming else report.content)
    ).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [row[0] for row in cells[1:]] == [3, 4]
    # The formula goes back as text, never as a formula.
    assert "'=TODAY()" in cells[1] or any(str(v).startswith("'=") for v in cells[1])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(f"/imports/{roster.pk}/apply/").status_code == 302
    roster.refresh_from_db()
    assert roster.state == "applied"
    dora = Child.objects.get(family_name="Kovács", given_name="Dóra")
    assert dora.sex == "female" and str(dora.birth_date) == "2018-04-05"
    page = admin.get(f"/imports/{roster.pk}/").content.decode()
    assert "Children created" in page
    assert AuditEvent.objects.filter(
        object_type="people.child", object_id=str(dora.pk), action="create"
    ).exists()


def test_a_bad_upload_keeps_the_form_and_says_why(world, admin):
    answer = upload(admin, world, SimpleUploadedFile("roster.pdf", b"%PDF-1.4"))
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "Upload a CSV or XLSX file." in page
    assert 'value="2026-09-01"' in page


def test_a_file_without_the_mapping_s_columns_fails_with_the_missing_headings(
    world, admin, django_capture_on_commit_callbacks
):
    file = SimpleUploadedFile("roster.csv", "Név;Osztály\nKiss Anna;1.a\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        upload(admin, world, file)
    roster = RosterImport.objects.get()
    assert roster.state == "failed" and "Születési dátum" in roster.failure


def test_a_mapping_is_saved_and_offered_for_the_next_upload(world, admin):
    page = admin.get("/imports/mappings/new/?preset=bakalari").content.decode()
    assert 'value="Třída"' in page
    data = {"municipality": world.municipality_a.pk, "name": "Our Bakaláři"}
    data |= {f"column_{k}": v for k, v in PRESETS["bakalari"]["columns"].items()}
    assert admin.post("/imports/mappings/new/", data).status_code == 302
    mapping = ColumnMapping.objects.get()
    assert mapping.columns["group"] == "Třída"
    assert "Our Bakaláři" in admin.get("/imports/").content.decode()


def test_other_roles_do_not_see_the_import_pages(world, signed_in):
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    assert client.get("/imports/").status_code == 403
