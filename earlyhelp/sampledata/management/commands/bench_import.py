"""The roster import at scale (bench/README.md): a generated roster of `--children` children
(100,000 by default) with their parents, classes and schools, imported into a municipality of
its own in the benchmark database, then the same file imported again. Both are timed as the
administrator waits for them: the check (reading the file, every row's checks and matching),
then the apply. Writes the figures as JSON.

A run leaves its municipality in the database (named `bench-import-<time>`), as a real first
load would; the benchmark database is disposable."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.imports import services
from earlyhelp.imports.fields import PRESETS
from earlyhelp.imports.models import RosterImport
from earlyhelp.organisations.models import Approval, Jurisdiction, Membership, Municipality, Role
from earlyhelp.people.identifiers import generate_national_id

SCHOOLS_PER_10K = 10
CLASSES = [f"{year}.{letter}" for year in range(1, 9) for letter in "abcd"]


def roster_csv(children: int, seed: int) -> bytes:
    """A roster in earlyhelp's own columns: Hungarian names and TAJ numbers, each child with a
    mother and, for half of them, a father; brothers and sisters share their parents."""
    rng = random.Random(seed)
    fake = Faker("hu_HU")
    fake.seed_instance(seed)
    headings = list(PRESETS["earlyhelp"]["columns"])
    schools = max(1, children * SCHOOLS_PER_10K // 10_000)
    body = io.StringIO()
    writer = csv.DictWriter(body, headings)
    writer.writeheader()
    family = None
    for number in range(children):
        if family is None or rng.random() < 0.75:  # a quarter are brothers and sisters
            family = {
                "family_name": fake.last_name(),
                "mother": f"{fake.last_name()} {fake.first_name_female()}",
                "father": fake.first_name_male() if rng.random() < 0.5 else "",
                "phone": f"+36 30 {rng.randrange(10**6, 10**7)}",
            }
        born = date(2012 + rng.randrange(12), 1 + rng.randrange(12), 1 + rng.randrange(28))
        sex = rng.choice(["female", "male"])
        given = fake.first_name_female() if sex == "female" else fake.first_name_male()
        school = number % schools
        row = {
            "institution_code": f"BI{school:05d}",
            "institution": f"Bench Iskola {school}",
            "group": CLASSES[(number // schools) % len(CLASSES)],
            "family_name": family["family_name"],
            "given_name": given,
            "birth_date": born.isoformat(),
            "national_id": generate_national_id("HU", born, sex, rng),
            "sex": sex,
            "parent1_full_name": family["mother"],
            "parent1_relationship": "mother",
            "parent1_phone": family["phone"],
        }
        if family["father"]:
            row |= {
                "parent2_full_name": f"{family['family_name']} {family['father']}",
                "parent2_relationship": "father",
                "parent2_phone": family["phone"],
            }
        writer.writerow(row)
    return body.getvalue().encode()


def _administrator(municipality: Municipality) -> User:
    user = User.objects.create(
        username=f"bench.import.{municipality.code}",
        municipality=municipality,
        preferred_language="en",
    )
    Membership.objects.create(
        user=user, role=Role.ADMIN, municipality=municipality, approval=Approval.APPROVED
    )
    return user


def _import(user, municipality, content: bytes) -> tuple[RosterImport, float, float]:
    started = time.perf_counter()
    roster = services.import_start(
        user=user,
        municipality=municipality,
        upload=SimpleUploadedFile("roster.csv", content, content_type="text/csv"),
        columns=PRESETS["earlyhelp"]["columns"],
        mapping_name="earlyhelp",
        options={
            "starts_on": timezone.localdate(),
            "full_roster": True,
            "create_groups": True,
            "create_institutions": True,
        },
    )
    # The check runs here, as the worker would run it (a no-op if the task ran it already).
    services.import_check(roster.pk)
    roster.refresh_from_db()
    checked = time.perf_counter()
    if roster.state != RosterImport.State.CHECKED:
        raise CommandError(f"The check failed: {roster.failure}")
    services.import_apply(user=user, roster=roster, end_missing=False)
    services.import_run_apply(roster.pk)
    roster.refresh_from_db()
    if roster.state != RosterImport.State.APPLIED:
        raise CommandError(f"The apply failed: {roster.failure}")
    return roster, checked - started, time.perf_counter() - checked


class Command(BaseCommand):
    help = "Time a roster import of many children, and the same file imported again."

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--output", required=True, help="Where to write the JSON.")
        parser.add_argument("--allow-production-settings", action="store_true")

    def handle(self, *args, children, seed, output, allow_production_settings, **options):
        if settings.PRODUCTION and not allow_production_settings:
            raise CommandError("bench_import writes a municipality: benchmark databases only.")
        content = roster_csv(children, seed)
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        municipality = Municipality.objects.create(
            jurisdiction=Jurisdiction.objects.get(code="HU"),
            name=f"Bench import {stamp}",
            code=f"bench-import-{stamp}",
        )
        user = _administrator(municipality)
        first, first_check, first_apply = _import(user, municipality, content)
        again, again_check, again_apply = _import(user, municipality, content)
        result = {
            "children": children,
            "file_mb": round(len(content) / 1024**2, 1),
            "first": {
                "check_s": round(first_check, 1),
                "apply_s": round(first_apply, 1),
                "total_s": round(first_check + first_apply, 1),
                "found": first.summary,
                "written": first.applied_summary,
            },
            "again": {
                "check_s": round(again_check, 1),
                "apply_s": round(again_apply, 1),
                "total_s": round(again_check + again_apply, 1),
                "found": again.summary,
                "written": again.applied_summary,
            },
        }
        with open(output, "w") as stream:
            json.dump(result, stream, indent=1)
        self.stdout.write(json.dumps(result))
