"""The demo's roster import: a class list from the school system, checked and waiting for the
administrator. One row matches a child already recorded, one is a new pupil, one has an
impossible date of birth; nothing is applied, so the demo's records stay as they are."""

from __future__ import annotations

import csv
import io
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from faker import Faker

from earlyhelp.imports import services
from earlyhelp.imports.fields import PRESETS
from earlyhelp.imports.models import RosterImport
from earlyhelp.organisations.models import Role


def _roster_import(place, municipality, school, first_class, users) -> None:
    if RosterImport.objects.filter(municipality=municipality).exists():
        return
    known = first_class.enrolments.select_related("child").order_by("child__search_name").first()
    fake = Faker(place.locale)
    fake.seed_instance(zlib.crc32(f"{place.prefix}-roster".encode()))
    rows = [
        {"family_name": fake.last_name(), "given_name": fake.first_name(), "birth_date": born}
        for born in ("2019-09-14", "2019-02-30")  # the second cannot be
    ]
    if known is not None:
        child = known.child
        rows.insert(
            0,
            {
                "family_name": child.family_name,
                "given_name": child.given_name,
                "birth_date": child.birth_date.isoformat(),
                "national_id": child.national_id,
            },
        )
    body = io.StringIO()
    writer = csv.DictWriter(body, list(PRESETS["earlyhelp"]["columns"]))
    writer.writeheader()
    for row in rows:
        writer.writerow({"institution": school.name, "group": first_class.name, **row})
    roster = services.import_start(
        user=users[Role.ADMIN],
        municipality=municipality,
        upload=SimpleUploadedFile("class-list.csv", body.getvalue().encode()),
        columns=PRESETS["earlyhelp"]["columns"],
        mapping_name=str(PRESETS["earlyhelp"]["label"]),
        options={"starts_on": timezone.localdate()},
    )
    # Checked here, whether or not a task worker runs while the demo is written.
    services.import_check(roster.pk)
