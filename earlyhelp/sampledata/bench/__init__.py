"""Synthetic national-scale data for the speed bars of DESIGN.md §6 ("bench-L").

`generate()` writes municipalities in Hungary, the Czech Republic and Denmark with their
services, districts, institutions, classes, staff and memberships, then children with their
families, enrolments and consents, and concerns with their children and deadlines. Everything is
made up: names are drawn from pools that Faker fills once per country and combined by a seeded
`random.Random`, so the same seed gives the same people.

It is a loader, not a user: rows go straight into the tables (COPY on PostgreSQL, executemany on
SQLite) with primary keys allocated here, so that foreign keys are known without a round trip.
No audit rows are written and no services are called, except the protocol reads that compute a
concern's profile and deadlines.

The run is put together here (`generate`, the `Generator` and its tables); each capability's
rows come from its own module.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.accounts.models import User
from earlyhelp.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    Participant,
    Session,
)
from earlyhelp.cases.models import Case, CaseChild, CaseMember, ChronologyEntry
from earlyhelp.concerns.models import Concern, ConcernChild, ConcernDeadline
from earlyhelp.duties.services import rebuild as rebuild_duties
from earlyhelp.knowledge.models import EvidenceLevel
from earlyhelp.organisations.models import (
    District,
    Group,
    Institution,
    Membership,
    Municipality,
    Service,
)
from earlyhelp.people.models import (
    Adult,
    Child,
    ChildTeamMember,
    Consent,
    Enrolment,
    Relationship,
)
from earlyhelp.sampledata.bench.activities import _write_activities_of
from earlyhelp.sampledata.bench.cases import _write_cases_of
from earlyhelp.sampledata.bench.concerns import ConcernsSlice, DeadlineCache
from earlyhelp.sampledata.bench.files import write_attachments
from earlyhelp.sampledata.bench.knowledge import extend_knowledge
from earlyhelp.sampledata.bench.loader import Sink, Table, _clock
from earlyhelp.sampledata.bench.organisations import (
    BENCH_PASSWORD,
    CODE_PREFIX,
    COUNTRIES,
    OrganisationSlice,
)
from earlyhelp.sampledata.bench.people import NamePool, PeopleSlice
from earlyhelp.sampledata.bench.programmes import declare_tables as declare_programme_tables
from earlyhelp.sampledata.bench.programmes import write_programmes_of
from earlyhelp.sampledata.bench.workforce import write_workforce

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench.organisations import Place, Staff
    from earlyhelp.sampledata.bench.people import PlaceChildren


# bench-L, DESIGN.md §6. Participations are Attendance rows (one per participant and meeting).
AT_L = {
    "municipalities": 300,
    "institutions": 5_000,
    "staff": 60_000,
    "children": 2_000_000,
    "concerns": 2_500_000,
    "cases": 1_000_000,
    "participations": 30_000_000,
}


SCALES = {"S": 0.01, "M": 0.1, "L": 1.0}


class BenchDataRefused(Exception):
    """The generator will not run here (production, or bench data already present)."""


@dataclass(frozen=True)
class Targets:
    municipalities: int
    institutions: int
    staff: int
    children: int
    concerns: int
    cases: int
    participations: int
    bench_accounts: int

    @classmethod
    def at(cls, scale_factor: float, bench_accounts: int = 25) -> Targets:
        n = {key: max(1, round(value * scale_factor)) for key, value in AT_L.items()}
        municipalities = max(len(COUNTRIES), n["municipalities"])
        return cls(
            municipalities=municipalities,
            # Every municipality has at least a school, a kindergarten and a health visitor.
            institutions=max(3 * municipalities, n["institutions"]),
            staff=n["staff"],
            children=n["children"],
            concerns=n["concerns"],
            cases=n["cases"],
            participations=n["participations"],
            bench_accounts=bench_accounts,
        )


class Generator(OrganisationSlice, PeopleSlice, ConcernsSlice):
    """One run: the plan of the organisation, the name pools and the tables being written."""

    def __init__(
        self,
        *,
        targets: Targets,
        seed: int,
        now: datetime,
        report: Callable[[str], None] | None,
    ) -> None:
        self.targets = targets
        self.seed = seed
        self.now = now
        self.today = timezone.localdate(now)
        self.school_year_start = date(self.today.year - (self.today.month < 9), 9, 1)
        self.rng = random.Random(f"bench-{seed}")
        self.names = {c.code: NamePool(c, seed) for c in COUNTRIES}
        self.sink = Sink(report)
        self.tables: dict[type[models.Model], Table] = {}
        self.places: list[Place] = []
        self.staff: list[Staff] = []
        self.password = make_password(BENCH_PASSWORD)  # once: hashing is slow on purpose
        self._declare_tables()

    def table(self, model: type[models.Model], *columns: str) -> Table:
        if model not in self.tables:
            self.tables[model] = Table(model, columns, self.sink)
        return self.tables[model]

    # Tables and the columns the generator fills, in the order of the rows it builds.
    def _declare_tables(self) -> None:
        stamped = ("created_at", "updated_at")
        self.t_municipality = self.table(
            Municipality, "id", *stamped, "jurisdiction_id", "name", "code"
        )
        self.t_service = self.table(Service, "id", *stamped, "municipality_id", "name", "kind")
        self.t_district = self.table(District, "id", *stamped, "municipality_id", "name")
        self.t_institution = self.table(
            Institution,
            "id",
            *stamped,
            "municipality_id",
            "district_id",
            "name",
            "kind",
            "address",
            "code",
        )
        self.t_group = self.table(Group, "id", *stamped, "institution_id", "name", "school_year")
        self.t_user = self.table(
            User,
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "preferred_language",
            "municipality_id",
        )
        self.t_membership = self.table(
            Membership,
            "id",
            *stamped,
            "user_id",
            "role",
            "municipality_id",
            "service_id",
            "institution_id",
            "group_id",
            "starts_on",
            "approval",
        )
        self.t_totp = self.table(
            TOTPDevice, "id", "user_id", "name", "confirmed", "key", "created_at"
        )
        person = ("id", *stamped, "version", "municipality_id", "given_name", "family_name")
        self.t_child = self.table(
            Child,
            *person,
            "search_name",
            "national_id",
            "restricted",
            "birth_date",
            "sex",
            "languages",
            "needs",
            "home_district_id",
            "disadvantaged",
        )
        self.t_adult = self.table(
            Adult,
            *person,
            "search_name",
            "national_id",
            "restricted",
            "kind",
            "birth_date",
            "phone",
            "email",
            "address",
            "address_protected",
            "home_district_id",
            "disadvantaged",
        )
        record = ("id", *stamped, "version", "municipality_id", "child_id")
        self.t_relationship = self.table(
            Relationship,
            *record,
            "adult_id",
            "kind",
            "parental_responsibility",
            "contact_restriction",
            "lives_with_child",
            "note",
        )
        self.t_enrolment = self.table(Enrolment, *record, "group_id", "starts_on")
        self.t_consent = self.table(
            Consent, *record, "purpose", "given_by_id", "given_by_other", "given_on", "note"
        )
        self.t_team = self.table(
            ChildTeamMember, "id", *stamped, "municipality_id", "child_id", "user_id", "note"
        )
        self.t_concern = self.table(
            Concern,
            "id",
            *stamped,
            "version",
            "municipality_id",
            "institution_id",
            "reporter_id",
            "reporter_kind",
            "channel",
            "received_by_id",
            "reporter_name",
            "reporter_contact",
            "reporter_confidential",
            "trigger",
            "status",
            "profile_id",
            "received_at",
            "immediate_danger",
            "what_happened",
            "child_words",
            "categories",
            "already_done",
            "parents_know",
            "parents_not_told_why",
            "feedback_requested",
            "decision",
            "decision_reason",
            "decided_by_id",
            "decided_at",
            "form_token",
        )
        self.t_concern_child = self.table(
            ConcernChild, "id", "concern_id", "child_id", "described_as", "role"
        )
        self.t_deadline = self.table(
            ConcernDeadline, "id", "concern_id", "code", "label", "basis", "due_at", "met_at"
        )
        self.t_case = self.table(
            Case, "id", *stamped, "version", "municipality_id", "service_id", "title", "kind",
            "status", "reason", "restricted", "lead_worker_id", "opened_at", "opened_by_id",
            "closed_at", "closure_reason", "outcome",
        )  # fmt: skip
        self.t_case_child = self.table(CaseChild, "id", *stamped, "case_id", "child_id")
        self.t_case_member = self.table(
            CaseMember, "id", *stamped, "case_id", "user_id", "role", "left_at"
        )
        self.t_chronology = self.table(
            ChronologyEntry, "id", "case_id", "kind", "happened_at", "recorded_at", "author_id",
            "title", "text", "corrects_id",
        )  # fmt: skip
        self.t_evidence_level = self.table(
            EvidenceLevel, "id", *stamped, "municipality_id", "code", "name", "description", "rank"
        )
        self.t_activity_type = self.table(
            ActivityType, "id", *stamped, "municipality_id", "code", "name", "mode",
            "needs_agreement", "registration", "active", "position",
        )  # fmt: skip
        self.t_activity = self.table(
            Activity, "id", *stamped, "version", "municipality_id", "institution_id", "type_id",
            "title", "description", "lead_id", "recurrence", "starts_on", "ends_on", "start_time",
            "minutes", "place", "theme", "capacity", "status", "concern_id", "case_id",
            "method_id", "created_by_id",
        )  # fmt: skip
        self.t_activity_worker = self.table(
            Activity.workers.through, "id", "activity_id", "user_id"
        )
        self.t_session = self.table(
            Session, "id", *stamped, "version", "activity_id", "municipality_id", "lead_id",
            "starts_at",
            "minutes", "place", "status", "note", "head_count", "recorded_by_id",
        )  # fmt: skip
        self.t_participant = self.table(
            Participant, "id", *stamped, "activity_id", "municipality_id", "child_id",
            "adult_id", "staff_id", "name", "target_group", "joined_on", "left_on",
            "left_reason", "outcome", "outcome_note", "feedback_rating", "feedback",
        )  # fmt: skip
        self.t_attendance = self.table(Attendance, "id", "session_id", "participant_id", "status")
        self.t_attendance.plain = True
        declare_programme_tables(self)

    # --- Planning ----------------------------------------------------------------------------

    # --- Writing the organisation ------------------------------------------------------------

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    # --- People and concerns, one municipality at a time -------------------------------------

    def write_place(self, place: Place, deadlines: DeadlineCache) -> tuple[int, int]:
        rng = random.Random(f"bench-{self.seed}-{place.code}")
        with self.sink.unchecked_references():
            children = self._write_people(place, rng)
            made = self._write_concerns(place, children, deadlines, rng)
            first_case = self.t_case.next_id
            self._write_cases(place, children, rng)
            first_activity = self.t_activity.next_id
            _write_activities_of(
                self, place, children, random.Random(f"bench-{self.seed}-{place.code}-a")
            )
            write_programmes_of(
                self, place, children,
                activities=range(first_activity, self.t_activity.next_id),
                cases=range(first_case, self.t_case.next_id),
                rng=random.Random(f"bench-{self.seed}-{place.code}-p"),
            )  # fmt: skip
            self.flush()
        return len(children.ids), made

    def _write_cases(self, place: Place, children: PlaceChildren, rng: random.Random) -> None:
        _write_cases_of(self, place, children, rng)


def bench_data_exists() -> bool:
    return Municipality.objects.filter(code__startswith=CODE_PREFIX).exists()


def generate(
    *,
    scale_factor: float,
    seed: int,
    bench_accounts: int = 25,
    now: datetime | None = None,
    report: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write bench data at `scale_factor` × bench-L into the default database and return the
    rows written per table. Refuses in production and where bench data already exists."""
    if settings.PRODUCTION:
        raise BenchDataRefused("bench_data never runs with EARLYHELP_ENV=production.")
    if bench_data_exists():
        raise BenchDataRefused(
            "This database already holds bench data (municipalities coded 'bench-…'). "
            "Generate into a fresh database: create one, migrate it, and run bench_data again."
        )
    report = report or (lambda message: None)
    started = time.monotonic()
    generator = Generator(
        targets=Targets.at(scale_factor, bench_accounts),
        seed=seed,
        now=(now or timezone.now()).replace(microsecond=0),
        report=report,
    )
    with transaction.atomic():
        generator.plan()
        generator.write_organisation()
    report(
        f"Organisation written: {len(generator.places)} municipalities, "
        f"{sum(len(p.institutions) for p in generator.places):,} institutions, "
        f"{len(generator.staff):,} staff."
    )
    deadlines = DeadlineCache(generator.places)
    for place in generator.places:
        with transaction.atomic():
            children, concerns = generator.write_place(place, deadlines)
        rows = sum(table.written for table in generator.tables.values())
        elapsed = time.monotonic() - started
        report(
            f"[{place.index:>4}/{len(generator.places)}] {place.name} ({place.country.code}): "
            f"{children:,} children, {concerns:,} concerns · {rows:,} rows in all, "
            f"{rows / elapsed:,.0f} rows/s · elapsed {_clock(elapsed)}"
        )
    # Concern.next_due_at, as services keep it (concerns.models.refresh_next_due), in one pass.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE concerns_concern SET next_due_at = d.due FROM ("
            " SELECT concern_id, MIN(due_at) AS due FROM concerns_concerndeadline"
            " WHERE met_at IS NULL GROUP BY concern_id"
            ") AS d WHERE d.concern_id = concerns_concern.id"
        )
    report(f"Next deadlines of concerns kept · elapsed {_clock(time.monotonic() - started)}")
    generator.sink.finish(generator.tables.values())
    for table in generator.tables.values():
        generator.sink.progress(table, force=True)
    written = {table.name: table.written for table in generator.tables.values()}
    # The staff's profiles and employment, from the accounts and memberships just written.
    written.update(write_workforce(generator.today))
    written["knowledge_method"] = extend_knowledge(report)["knowledge_method"]
    # Stored files, so that the restore drill checks the attachment store at every scale.
    written["concerns_concernattachment"] = write_attachments(seed=seed, report=report)
    # The start pages' duties, from everything written (what `rebuild_duties` does nightly).
    started = time.monotonic()
    written["duties_duty"] = sum(rebuild_duties().values())
    report(f"Duties kept · elapsed {_clock(time.monotonic() - started)}")
    return written
