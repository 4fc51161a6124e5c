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
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dt_time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.activities.models import (
    CATALOGUE,
    Activity,
    ActivityType,
    Attendance,
    Participant,
    Session,
)
from earlyhelp.cases.models import Case, CaseChild, CaseMember, ChronologyEntry
from earlyhelp.concerns.models import Category, Concern, ConcernChild, ConcernDeadline
from earlyhelp.concerns.services import SERIOUS_CATEGORIES
from earlyhelp.core.demo import CONCERN_TEXTS, _czech_female_surname
from earlyhelp.core.text import fold_text
from earlyhelp.organisations.models import (
    Approval,
    District,
    Group,
    Institution,
    Jurisdiction,
    Membership,
    Municipality,
    Role,
    Service,
)
from earlyhelp.people.identifiers import generate_national_id
from earlyhelp.people.models import (
    Adult,
    Child,
    ChildTeamMember,
    Consent,
    Enrolment,
    Relationship,
    Sex,
)
from earlyhelp.protocols.services import deadlines_for, identity_confidential, profile_for

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

CODE_PREFIX = "bench-"
BENCH_PASSWORD = "bench-2026"  # noqa: S105 - published password of generated bench accounts
# One published authenticator key for every bench account, as for the demo accounts, so that the
# load harness can compute their codes (django_otp.oath.totp). 20 bytes, the RFC 6238 default.
BENCH_TOTP_KEY = "6561726c7968656c702d62656e63682d746f7470"
BENCH_ROLES = (
    Role.EDUCATOR,
    Role.INSTITUTION_LEAD,
    Role.SOCIAL_HELPER,
    Role.CASE_WORKER,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.ANALYST,
)

BATCH_ROWS = 20_000
CHILDREN_PER_GROUP = 20
HISTORY_DAYS = 730  # concerns were received over the last two years
POOL_SIZE = 4_000  # names drawn per country and kind; Faker's weights give realistic repeats


class BenchDataRefused(Exception):
    """The generator will not run here (production, or bench data already present)."""


@dataclass(frozen=True)
class Country:
    code: str
    locale: str
    language: str
    share: float  # of the municipalities
    grades: tuple[int, ...]  # school grades, each taught at age 6 + grade
    uppercase_classes: bool
    school: str
    kindergarten: str
    daycare: str
    health_visiting: str
    kindergarten_group: str
    daycare_group: str
    district: str
    services: tuple[str, str]  # family and child welfare, school social work


COUNTRIES = (
    Country(
        code="HU",
        locale="hu_HU",
        language="hu",
        share=0.4,
        grades=(1, 2, 3, 4, 5, 6, 7, 8),
        uppercase_classes=False,
        school="{city} {n}. sz. Általános Iskola",
        kindergarten="{city} {n}. sz. Óvoda",
        daycare="{city} {n}. sz. Bölcsőde",
        health_visiting="{city} Védőnői Szolgálat",
        kindergarten_group="{n}. csoport",
        daycare_group="{n}. bölcsődei csoport",
        district="{n}. körzet",
        services=(
            "Család- és Gyermekjóléti Központ",
            "Óvodai és iskolai szociális segítő szolgáltatás",
        ),
    ),
    Country(
        code="CZ",
        locale="cs_CZ",
        language="cs",
        share=0.4,
        grades=(1, 2, 3, 4, 5, 6, 7, 8, 9),
        uppercase_classes=True,
        school="ZŠ {city} {n}",
        kindergarten="MŠ {city} {n}",
        daycare="Dětská skupina {city} {n}",
        health_visiting="Dětská poradna {city}",
        kindergarten_group="Třída {n}",
        daycare_group="Skupina {n}",
        district="{city} {n}",
        services=("Centrum pro rodinu a děti", "Školní sociální práce"),
    ),
    Country(
        code="DK",
        locale="da_DK",
        language="da",
        share=0.2,
        grades=(0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
        uppercase_classes=True,
        school="{city} Skole {n}",
        kindergarten="Børnehuset {city} {n}",
        daycare="Vuggestuen {city} {n}",
        health_visiting="Sundhedsplejen {city}",
        kindergarten_group="Stue {n}",
        daycare_group="Vuggestuegruppe {n}",
        district="Distrikt {n}",
        services=("Socialforvaltningen, Børn og Unge", "Skolesocialrådgivning"),
    ),
)
COUNTRY = {country.code: country for country in COUNTRIES}

# Relative number of children per institution kind, and the most a kind's size may exceed it by.
# Sizes vary around it (lognormal), so a few schools are large and many are small.
KIND_SIZE = {
    Institution.Kind.SCHOOL: (1.6, 6.0),
    Institution.Kind.KINDERGARTEN: (0.6, 3.0),
    Institution.Kind.DAYCARE: (0.35, 3.0),
    Institution.Kind.HEALTH_VISITING: (0.0, 0.0),  # health visitors follow families, not classes
}
KIND_SHARE = (
    (Institution.Kind.SCHOOL, 0.45),
    (Institution.Kind.KINDERGARTEN, 0.35),
    (Institution.Kind.DAYCARE, 0.20),
)
CATEGORY_WEIGHTS = {
    Category.NEGLECT: 14,
    Category.WELLBEING: 14,
    Category.BEHAVIOUR: 12,
    Category.ABSENCE: 10,
    Category.FAMILY_CONFLICT: 10,
    Category.POVERTY_HOUSING: 8,
    Category.BULLYING: 7,
    Category.EMOTIONAL_HARM: 6,
    Category.HEALTH: 5,
    Category.PHYSICAL_HARM: 4,
    Category.DOMESTIC_VIOLENCE: 3,
    Category.ONLINE_HARM: 3,
    Category.SUBSTANCES: 2,
    Category.SEXUAL_HARM: 1,
    Category.OTHER: 1,
}
DECISION_WEIGHTS = {
    Concern.Decision.ADVICE: 25,
    Concern.Decision.NO_FURTHER_ACTION: 20,
    Concern.Decision.WELLBEING_CONVERSATION: 25,
    Concern.Decision.SIGNS_OF_SAFETY: 10,
    Concern.Decision.CASE: 10,
    Concern.Decision.REFER: 10,
}
# Status by age of the concern: recent ones are still in the queue, old ones decided.
STATUS_BY_AGE = (
    (7, {"submitted": 45, "acknowledged": 30, "triaged": 20, "closed": 5}),
    (60, {"submitted": 8, "acknowledged": 12, "triaged": 50, "closed": 30}),
    (None, {"submitted": 0.5, "acknowledged": 1, "triaged": 23.5, "closed": 75}),
)


# --- Sizes ---------------------------------------------------------------------------------------


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


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), each part at least
    `minimum` when the total allows it."""
    if not weights:
        return []
    base = [minimum] * len(weights) if total >= minimum * len(weights) else [0] * len(weights)
    rest = total - sum(base)
    weight_sum = sum(weights) or 1.0
    exact = [rest * w / weight_sum for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [b + p for b, p in zip(base, parts, strict=True)]


# --- Names ---------------------------------------------------------------------------------------


class NamePool:
    """Given names and surnames of one country, drawn from Faker once and reused: calling Faker
    per row would take hours at bench-L. Surnames are kept by index so that a family shares one
    and each member takes its form for their sex (Novák, Nováková)."""

    def __init__(self, country: Country, seed: int) -> None:
        fake = Faker(country.locale)
        fake.seed_instance(seed)
        self.female = [fake.first_name_female() for _ in range(POOL_SIZE)]
        self.male = [fake.first_name_male() for _ in range(POOL_SIZE)]
        if country.code == "CZ":
            self.surname_male = [fake.last_name_male() for _ in range(POOL_SIZE)]
            self.surname_female = [_czech_female_surname(name) for name in self.surname_male]
        else:
            self.surname_male = [fake.last_name() for _ in range(POOL_SIZE)]
            self.surname_female = self.surname_male
        self.streets = [fake.street_name() for _ in range(500)]
        self.cities = [fake.city() for _ in range(500)]
        self._folded: dict[str, str] = {}

    def fold(self, name: str) -> str:
        folded = self._folded.get(name)
        if folded is None:
            folded = self._folded[name] = fold_text(name)
        return folded

    def search_name(self, family: str, given: str) -> str:
        # The same as Person.derived_fields(): fold_text(f"{family} {given}"), per part cached.
        return f"{self.fold(family)} {self.fold(given)}"


def phone_number(country: str, rng: random.Random) -> str:
    n = rng.randint
    if country == "HU":
        return f"+36 {rng.choice(('20', '30', '70'))} {n(100, 999)} {n(1000, 9999)}"
    if country == "CZ":
        return f"+420 {n(601, 799)} {n(100, 999)} {n(100, 999)}"
    return f"+45 {n(20, 99)} {n(10, 99)} {n(10, 99)} {n(10, 99)}"


# --- Writing -------------------------------------------------------------------------------------


class Table:
    """Rows for one model's table, buffered and written in batches by the sink. The generator
    names the columns it fills; every other column takes the model's default or NULL, and a NOT
    NULL column without a default stops the run, so a new column is never silently missed."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], sink: Sink, plain: bool = False
    ) -> None:
        meta = model._meta
        # Every value an integer or a word without tabs, newlines or backslashes, never NULL.
        self.plain = plain
        self.name = meta.db_table
        fields = {f.column: f for f in meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ImproperlyConfigured(f"{self.name} has no column {sorted(unknown)}")
        tail_columns, tail = [], []
        for column, model_field in fields.items():
            if column in columns:
                continue
            if model_field.has_default():
                value = model_field.get_default()
                if isinstance(model_field, models.JSONField):
                    value = json.dumps(value)
            elif model_field.null:
                value = None
            else:
                raise ImproperlyConfigured(
                    f"{self.name}.{column} is NOT NULL and has no default: bench data must fill it"
                )
            tail_columns.append(column)
            tail.append(value)
        self.columns = (*columns, *tail_columns)
        self.tail = tuple(tail)
        self.types = [fields[c].get_internal_type() for c in self.columns]
        self.sink = sink
        self.rows: list[tuple] = []
        self.written = 0
        self.seconds = 0.0
        self.next_id = sink.max_id(self.name) + 1

    def new_id(self) -> int:
        allocated = self.next_id
        self.next_id += 1
        return allocated

    def add(self, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        started = time.monotonic()
        self.sink.write(self, self.rows)
        self.seconds += time.monotonic() - started
        self.written += len(self.rows)
        self.rows = []
        self.sink.progress(self)


class Sink:
    """Where the rows go: the database behind Django's default connection."""

    def __init__(self, report: Callable[[str], None] | None) -> None:
        connection.ensure_connection()
        self.vendor = connection.vendor
        self.raw = connection.connection
        self.quote = connection.ops.quote_name
        self.report = report
        self.started = time.monotonic()
        self.last_report = 0.0
        self.superuser = False
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                row = cursor.fetchone()
                self.superuser = bool(row and row[0])

    @contextlib.contextmanager
    def unchecked_references(self):
        """On PostgreSQL, for a superuser: no foreign-key triggers for the rows written inside
        (session_replication_role = replica, for this transaction only). Every reference is
        allocated here; checking each row's at commit (a lookup and a row lock of the
        referenced row) took most of a run's time once the activities' 30 million attendance
        rows were added. The tests check the references instead. Without the privilege, or on
        SQLite, the references are checked at commit as before."""
        if self.vendor != "postgresql" or not self.superuser:
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")

    def max_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {self.quote(table)}")  # noqa: S608 - our own table name
            return cursor.fetchone()[0] or 0

    def write(self, table: Table, rows: list[tuple]) -> None:
        columns = ", ".join(self.quote(c) for c in table.columns)
        tail = table.tail
        if self.vendor == "postgresql":
            sql = f"COPY {self.quote(table.name)} ({columns}) FROM STDIN"
            if table.plain:
                # Numbers and plain words only: COPY's text format without per-row formatting.
                data = "".join(["\t".join(map(str, row + tail)) + "\n" for row in rows])
                with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                    copy.write(data)
                return
            with self.raw.cursor() as cursor, cursor.copy(sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row + tail)
            return
        # SQLite: Django stores datetimes as naive UTC text.
        moments = [i for i, t in enumerate(table.types) if t == "DateTimeField"]
        clocks = [i for i, t in enumerate(table.types) if t == "TimeField"]  # as text too
        marks = ", ".join("?" * len(table.columns))
        sql = f"INSERT INTO {self.quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608

        def converted(row: tuple) -> tuple:
            values = list(row + tail)
            for i in moments:
                if values[i] is not None:
                    values[i] = values[i].astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            for i in clocks:
                if values[i] is not None:
                    values[i] = values[i].isoformat()
            return tuple(values)

        convert = moments or clocks
        self.raw.executemany(sql, map(converted, rows) if convert else (r + tail for r in rows))

    def progress(self, table: Table, *, force: bool = False) -> None:
        now = time.monotonic()
        if self.report is None or (not force and now - self.last_report < 2.0):
            return
        self.last_report = now
        rate = table.written / table.seconds if table.seconds else 0.0
        self.report(
            f"  {table.name:<32} {table.written:>11,} rows  {rate:>9,.0f} rows/s  "
            f"elapsed {_clock(now - self.started)}"
        )

    def finish(self, tables: Iterable[Table]) -> None:
        """Move the id sequences past the rows written here, and refresh the planner's
        statistics so that the first benchmark run does not plan against empty tables."""
        with connection.cursor() as cursor:
            if self.vendor != "postgresql":
                cursor.execute("ANALYZE")  # SQLite moves sqlite_sequence past explicit ids itself
                return
            for table in tables:
                name = self.quote(table.name)
                if table.written:
                    last = f"(SELECT MAX(id) FROM {name})"  # noqa: S608 - our own table name
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence(%s, 'id'), {last})", [name]
                    )
                cursor.execute(f"ANALYZE {name}")


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --- The organisation plan -----------------------------------------------------------------------


@dataclass(eq=False)
class Staff:
    id: int
    role: str
    place: Place
    memberships: list[tuple[int | None, int | None, int | None]] = field(default_factory=list)
    score: int = 0  # what makes the account a good bench account: the size of what it sees
    username: str = ""


@dataclass(eq=False)
class GroupPlan:
    id: int
    institution: InstitutionPlan
    name: str
    age: int
    size: int
    educator: Staff | None = None


@dataclass(eq=False)
class InstitutionPlan:
    id: int
    place: Place
    kind: str
    name: str
    district_id: int
    weight: float
    size: int = 0
    groups: list[GroupPlan] = field(default_factory=list)
    lead: Staff | None = None
    helpers: list[Staff] = field(default_factory=list)


@dataclass(eq=False)
class Place:
    """One bench municipality and everything planned in it."""

    index: int
    id: int
    country: Country
    name: str
    code: str
    weight: float
    services: list[int] = field(default_factory=list)
    districts: list[int] = field(default_factory=list)
    institutions: list[InstitutionPlan] = field(default_factory=list)
    staff: dict[str, list[Staff]] = field(default_factory=dict)
    concerns: int = 0
    cases: int = 0
    participations: int = 0
    activity_types: dict[str, int] = field(default_factory=dict)  # code → ActivityType id

    @property
    def children(self) -> int:
        return sum(institution.size for institution in self.institutions)


class Generator:
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
            Institution, "id", *stamped, "municipality_id", "district_id", "name", "kind", "address"
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
        self.t_activity_type = self.table(
            ActivityType, "id", *stamped, "municipality_id", "code", "name", "mode",
            "needs_agreement", "registration", "active", "position",
        )  # fmt: skip
        self.t_activity = self.table(
            Activity, "id", *stamped, "version", "municipality_id", "institution_id", "type_id",
            "title", "description", "lead_id", "recurrence", "starts_on", "ends_on", "start_time",
            "minutes", "place", "theme", "capacity", "status", "concern_id", "case_id",
            "programme", "intervention", "created_by_id",
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

    # --- Planning ----------------------------------------------------------------------------

    def plan(self) -> None:
        """Municipalities, institutions, classes and staff, kept in memory (small even at L):
        children and concerns are then generated municipality by municipality from it."""
        rng = self.rng
        t = self.targets
        shares = apportion(t.municipalities, [c.share for c in COUNTRIES], 1)
        countries = [c for c, n in zip(COUNTRIES, shares, strict=True) for _ in range(n)]
        rng.shuffle(countries)
        seen: dict[str, int] = {}
        for index, country in enumerate(countries, start=1):
            city = rng.choice(self.names[country.code].cities)
            seen[city] = seen.get(city, 0) + 1
            name = city if seen[city] == 1 else f"{city} {seen[city]}"
            self.places.append(
                Place(
                    index=index,
                    id=self.t_municipality.new_id(),
                    country=country,
                    name=name,
                    code=f"{CODE_PREFIX}{country.code.lower()}-{index:04d}",
                    weight=rng.lognormvariate(0, 1.0),
                )
            )
        # Three fixed institutions each (school, kindergarten, health visiting), the rest by size.
        extra = apportion(t.institutions - 3 * len(self.places), [p.weight for p in self.places])
        institutions: list[InstitutionPlan] = []
        for place, more in zip(self.places, extra, strict=True):
            self._plan_units(place, more)
            institutions.extend(place.institutions)
        sizes = apportion(t.children, [i.weight for i in institutions])
        for institution, size in zip(institutions, sizes, strict=True):
            institution.size = size
            self._plan_groups(institution)
        concerns = apportion(t.concerns, [p.children for p in self.places])
        for place, count in zip(self.places, concerns, strict=True):
            place.concerns = count
        cases = apportion(t.cases, [p.children for p in self.places])
        for place, count in zip(self.places, cases, strict=True):
            place.cases = count
        participations = apportion(t.participations, [p.children for p in self.places])
        for place, count in zip(self.places, participations, strict=True):
            place.participations = count
        self._plan_staff()
        self._name_staff()

    def _plan_units(self, place: Place, more: int) -> None:
        rng = self.rng
        country = place.country
        for kind, name in (
            (Service.Kind.FAMILY_CHILD_WELFARE, country.services[0]),
            (Service.Kind.SCHOOL_SOCIAL_WORK, country.services[1]),
        ):
            if kind == Service.Kind.SCHOOL_SOCIAL_WORK and more < 8:
                continue  # a small municipality has one service for everything
            place.services.append(self.t_service.new_id())
            self.t_service.add((place.services[-1], self.now, self.now, place.id, name, kind))
        for n in range(1, max(1, (more + 3) // 15) + 1):
            place.districts.append(self.t_district.new_id())
            name = country.district.format(n=n, city=place.name)
            self.t_district.add((place.districts[-1], self.now, self.now, place.id, name))
        kinds = [Institution.Kind.SCHOOL, Institution.Kind.KINDERGARTEN]
        kinds += rng.choices([k for k, _ in KIND_SHARE], weights=[w for _, w in KIND_SHARE], k=more)
        kinds.append(Institution.Kind.HEALTH_VISITING)
        numbers: dict[str, int] = {}
        templates = {
            Institution.Kind.SCHOOL: country.school,
            Institution.Kind.KINDERGARTEN: country.kindergarten,
            Institution.Kind.DAYCARE: country.daycare,
            Institution.Kind.HEALTH_VISITING: country.health_visiting,
        }
        streets = self.names[country.code].streets
        for i, kind in enumerate(kinds):
            numbers[kind] = numbers.get(kind, 0) + 1
            institution = InstitutionPlan(
                id=self.t_institution.new_id(),
                place=place,
                kind=kind,
                name=templates[kind].format(city=place.name, n=numbers[kind]),
                district_id=place.districts[i % len(place.districts)],
                weight=KIND_SIZE[kind][0] * min(KIND_SIZE[kind][1], rng.lognormvariate(0, 0.8)),
            )
            place.institutions.append(institution)
            address = f"{rng.choice(streets)} {rng.randint(1, 120)}"
            self.t_institution.add(
                (
                    institution.id,
                    self.now,
                    self.now,
                    place.id,
                    institution.district_id,
                    institution.name,
                    kind,
                    address,
                )
            )

    def _plan_groups(self, institution: InstitutionPlan) -> None:
        if institution.kind == Institution.Kind.HEALTH_VISITING:
            return  # health visitors follow families, not classes
        country = institution.place.country
        count = max(1, round(institution.size / CHILDREN_PER_GROUP))
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if country.uppercase_classes else "abcdefghijklmnop"
        school_year = f"{self.school_year_start.year}/{self.school_year_start.year + 1}"
        for k, size in enumerate(apportion(institution.size, [1.0] * count)):
            if institution.kind == Institution.Kind.SCHOOL:
                grade = country.grades[k % len(country.grades)]
                cycle = k // len(country.grades)
                letter = letters[cycle % len(letters)] + (
                    str(cycle // len(letters) + 1) if cycle >= len(letters) else ""
                )
                name, age = f"{grade}.{letter}", 6 + grade
            elif institution.kind == Institution.Kind.KINDERGARTEN:
                name, age = country.kindergarten_group.format(n=k + 1), 3 + k % 3
            else:
                name, age = country.daycare_group.format(n=k + 1), 1 + k % 2
            group = GroupPlan(
                id=self.t_group.new_id(), institution=institution, name=name, age=age, size=size
            )
            institution.groups.append(group)
            self.t_group.add((group.id, self.now, self.now, institution.id, name, school_year))

    def _hire(self, role: str, place: Place) -> Staff:
        staff = Staff(id=self.t_user.new_id(), role=role, place=place)
        place.staff.setdefault(role, []).append(staff)
        self.staff.append(staff)
        return staff

    def _plan_staff(self) -> None:
        """Every institution has a lead and at least one social helper; every class its
        educator; each service supervisors and case workers; each municipality managers, an
        analyst and an administrator. Educators take what is left of the staff target, each
        teaching one or more classes of one institution."""
        t = self.targets
        places = self.places
        by_institutions = [len(p.institutions) for p in places]

        def per_place(total: int) -> list[int]:
            # At least one in every municipality, and enough for the bench accounts.
            return apportion(max(t.bench_accounts, len(places), total), by_institutions, 1)

        plan = {
            Role.SOCIAL_HELPER: per_place(t.institutions // 4),
            Role.CASE_WORKER: per_place(t.staff // 20),
            Role.SUPERVISOR: per_place(sum(len(p.services) for p in places)),
            Role.MANAGER: per_place(2 * len(places)),
            Role.ANALYST: per_place(len(places)),
            Role.ADMIN: [1] * len(places),
        }
        for place_index, place in enumerate(places):
            for institution in place.institutions:
                institution.lead = self._hire(Role.INSTITUTION_LEAD, place)
                institution.lead.memberships.append((None, institution.id, None))
                institution.lead.score = institution.size
            for role, counts in plan.items():
                for n in range(counts[place_index]):
                    staff = self._hire(role, place)
                    service = place.services[n % len(place.services)]
                    if role in (Role.CASE_WORKER, Role.SUPERVISOR):
                        staff.memberships.append((service, None, None))
                    elif role != Role.SOCIAL_HELPER:
                        staff.memberships.append((None, None, None))
                    staff.score = place.children
            self._assign_helpers(place)
        others = len(self.staff) + len(places)  # one health visitor per municipality
        groups = [g for p in places for i in p.institutions for g in i.groups]
        wanted = min(len(groups), max(t.bench_accounts, t.staff - others))
        for place in places:
            for institution in place.institutions:
                if institution.kind == Institution.Kind.HEALTH_VISITING:
                    visitor = self._hire(Role.EDUCATOR, place)
                    visitor.memberships.append((None, institution.id, None))
                    continue
                share = len(institution.groups) * wanted / len(groups)
                educators = [
                    self._hire(Role.EDUCATOR, place)
                    for _ in range(min(len(institution.groups), max(1, round(share))))
                ]
                for k, group in enumerate(institution.groups):
                    group.educator = educators[k % len(educators)]
                    group.educator.memberships.append((None, institution.id, group.id))
                    group.educator.score += group.size

    def _assign_helpers(self, place: Place) -> None:
        """Each institution gets a social helper, the largest ones two, dealt out largest
        first so that the helpers' loads are even."""
        helpers = place.staff[Role.SOCIAL_HELPER]
        served = sorted(
            (i for i in place.institutions if i.kind != Institution.Kind.HEALTH_VISITING),
            key=lambda i: i.size,
            reverse=True,
        )
        large = max(1, len(served) // 20)
        for k, institution in enumerate(served):
            chosen = [helpers[k % len(helpers)]]
            if k < large and len(helpers) > 1:
                chosen.append(helpers[(k + 1) % len(helpers)])
            for helper in chosen:
                service = place.services[helpers.index(helper) % len(place.services)]
                helper.memberships.append((service, institution.id, None))
                helper.score += institution.size
                institution.helpers.append(helper)

    def _name_staff(self) -> None:
        """The best-placed staff of each role become the load harness's accounts,
        bench.<role>.<i>, taken in turn from the three countries; the others are bench-<n>."""
        for role in BENCH_ROLES:
            by_country: dict[str, list[Staff]] = {}
            for staff in self.staff:
                # Bench educators teach a class (health visitors do not).
                teaches = any(group_id for _, _, group_id in staff.memberships)
                if staff.role == role and (teaches or role != Role.EDUCATOR):
                    by_country.setdefault(staff.place.country.code, []).append(staff)
            for candidates in by_country.values():
                candidates.sort(key=lambda s: (-s.score, s.id))
            queues = [by_country[c.code] for c in COUNTRIES if c.code in by_country]
            picked = 0
            while picked < self.targets.bench_accounts and any(queues):
                for queue in queues:
                    if queue and picked < self.targets.bench_accounts:
                        picked += 1
                        queue.pop(0).username = f"bench.{role}.{picked}"
        for n, staff in enumerate(self.staff, start=1):
            staff.username = staff.username or f"bench-{n}"

    # --- Writing the organisation ------------------------------------------------------------

    def write_organisation(self) -> None:
        jurisdictions = {}
        for country in COUNTRIES:
            jurisdictions[country.code] = Jurisdiction.objects.get_or_create(
                code=country.code,
                defaults={"name": country.code, "default_language": country.language},
            )[0].pk
        for place in self.places:
            self.t_municipality.add(
                (
                    place.id,
                    self.now,
                    self.now,
                    jurisdictions[place.country.code],
                    place.name,
                    place.code,
                )
            )
            # The shipped catalogue, as activities.catalogue.ensure_catalogue writes it when a
            # municipality is saved (COPY sends no post_save signal).
            for position, (code, (_name, mode, agreement, registration)) in enumerate(
                CATALOGUE.items()
            ):
                type_id = self.t_activity_type.new_id()
                place.activity_types[code] = type_id
                self.t_activity_type.add(
                    (type_id, self.now, self.now, place.id, code, "", mode, agreement,
                     registration, True, position)
                )  # fmt: skip
        membership_start = min(self.school_year_start, self.today)
        for staff in self.staff:
            place = staff.place
            names = self.names[place.country.code]
            female = self.rng.random() < 0.75
            given = self.rng.choice(names.female if female else names.male)
            surnames = names.surname_female if female else names.surname_male
            self.t_user.add(
                (
                    staff.id,
                    self.password,
                    False,
                    staff.username,
                    given,
                    self.rng.choice(surnames),
                    f"{staff.username}@bench.invalid",
                    False,
                    True,
                    self.now,
                    place.country.language,
                    place.id,
                )
            )
            for service_id, institution_id, group_id in staff.memberships:
                self.t_membership.add(
                    (
                        self.t_membership.new_id(),
                        self.now,
                        self.now,
                        staff.id,
                        staff.role,
                        place.id,
                        service_id,
                        institution_id,
                        group_id,
                        membership_start,
                        Approval.APPROVED.value,
                    )
                )
            if staff.username.startswith("bench."):
                self.t_totp.add(
                    (
                        self.t_totp.new_id(),
                        staff.id,
                        "bench authenticator",
                        True,
                        BENCH_TOTP_KEY,
                        self.now,
                    )
                )
        self.flush()

    def flush(self) -> None:
        for table in self.tables.values():
            table.flush()

    # --- People and concerns, one municipality at a time -------------------------------------

    def write_place(self, place: Place, deadlines: DeadlineCache) -> tuple[int, int]:
        rng = random.Random(f"bench-{self.seed}-{place.code}")
        with self.sink.unchecked_references():
            children = self._write_people(place, rng)
            made = self._write_concerns(place, children, deadlines, rng)
            self._write_cases(place, children, rng)
            _write_activities_of(
                self, place, children, random.Random(f"bench-{self.seed}-{place.code}-a")
            )
            self.flush()
        return len(children.ids), made

    def _write_people(self, place: Place, rng: random.Random) -> PlaceChildren:
        country = place.country
        names = self.names[country.code]
        now = self.now
        today = self.today
        slots = [
            group for institution in place.institutions for group in institution.groups
            for _ in range(group.size)
        ]  # fmt: skip
        rng.shuffle(slots)
        # Families of one to three children, the siblings anywhere in the municipality.
        families: list[list[GroupPlan]] = []
        i = 0
        while i < len(slots):
            size = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
            families.append(slots[i : i + size])
            i += size
        out = PlaceChildren()
        case_workers = [s.id for s in place.staff.get(Role.CASE_WORKER, [])]
        child_table, adult_table = self.t_child, self.t_adult
        add_child, add_adult = child_table.add, adult_table.add
        add_relationship, add_enrolment = self.t_relationship.add, self.t_enrolment.add
        new_relationship, new_enrolment = self.t_relationship.new_id, self.t_enrolment.new_id
        random_ = rng.random
        randint = rng.randint
        female_given, male_given = names.female, names.male
        search_name = names.search_name
        pool_size = POOL_SIZE
        for family in families:
            surname = randint(0, pool_size - 1)
            members: list[int] = []
            oldest_born = today
            for group in family:
                child_id = child_table.new_id()
                female = random_() < 0.5
                sex = Sex.FEMALE if female else Sex.MALE
                given = (female_given if female else male_given)[randint(0, pool_size - 1)]
                family_name = (names.surname_female if female else names.surname_male)[surname]
                born = date(today.year - group.age, 1, 1) + timedelta(days=randint(0, 364))
                oldest_born = min(oldest_born, born)
                national_id = (
                    generate_national_id(country.code, born, sex, rng) if random_() < 0.8 else ""
                )
                restricted = random_() < 0.001 and bool(case_workers)
                add_child(
                    (
                        child_id, now, now, 1, place.id, given, family_name,
                        search_name(family_name, given), national_id, restricted, born, sex,
                        country.language, "",
                    )
                )  # fmt: skip
                add_enrolment(
                    (new_enrolment(), now, now, 1, place.id, child_id, group.id,
                     self.school_year_start)
                )  # fmt: skip
                if restricted:
                    # A restricted record is seen only by its team.
                    self.t_team.add(
                        (self.t_team.new_id(), now, now, place.id, child_id,
                         rng.choice(case_workers), "")
                    )  # fmt: skip
                members.append(child_id)
                out.add(child_id, group, restricted)
            siblings = tuple(members)
            for child_id in members:
                out.family[child_id] = siblings
            # A mother or a father or both; most share the children's surname.
            parents = []
            has_mother = random_() < 0.92
            has_father = random_() < 0.75 or not has_mother
            address = f"{names.streets[randint(0, len(names.streets) - 1)]} {randint(1, 150)}"
            for kind, present in (
                (Relationship.Kind.MOTHER, has_mother),
                (Relationship.Kind.FATHER, has_father),
            ):
                if not present:
                    continue
                female = kind == Relationship.Kind.MOTHER
                own = surname if random_() < 0.8 else randint(0, pool_size - 1)
                family_name = (names.surname_female if female else names.surname_male)[own]
                given = (female_given if female else male_given)[randint(0, pool_size - 1)]
                adult_id = adult_table.new_id()
                born = date(oldest_born.year - randint(20, 42), randint(1, 12), randint(1, 28))
                add_adult(
                    (
                        adult_id, now, now, 1, place.id, given, family_name,
                        search_name(family_name, given), "", False, Adult.Kind.PARENT, born,
                        phone_number(country.code, rng) if random_() < 0.7 else "", "", address,
                        random_() < 0.03,
                    )
                )  # fmt: skip
                restricted_contact = random_() < 0.05
                for child_id in members:
                    add_relationship(
                        (
                            new_relationship(), now, now, 1, place.id, child_id, adult_id, kind,
                            not restricted_contact, restricted_contact, not restricted_contact, "",
                        )
                    )  # fmt: skip
                parents.append(adult_id)
            out.parents[members[0]] = tuple(parents)
            for child_id in members:
                if random_() < 0.6:
                    out.consented.add(child_id)
                    given_on = today - timedelta(days=randint(10, 300))
                    self.t_consent.add(
                        (
                            self.t_consent.new_id(), now, now, 1, place.id, child_id,
                            Consent.Purpose.WELLBEING_CONVERSATION, parents[0], "", given_on, "",
                        )
                    )  # fmt: skip
        return out

    def _write_cases(self, place: Place, children: PlaceChildren, rng: random.Random) -> None:
        _write_cases_of(self, place, children, rng)

    def _write_concerns(
        self, place: Place, children: PlaceChildren, deadlines: DeadlineCache, rng: random.Random
    ) -> int:
        if not children.ids or not place.concerns:
            return 0
        country = place.country
        now = self.now
        tz = timezone.get_default_timezone()
        profile_id = deadlines.profiles[country.code].pk
        confidential_if_serious = deadlines.confidential_if_serious[country.code]
        names = self.names[country.code]
        texts = CONCERN_TEXTS[country.code]  # what happened, the child's words, a reason
        # About one child in twenty gets half of all concerns.
        ids = children.ids
        frequent = rng.sample(range(len(ids)), max(1, len(ids) // 20))
        case_workers = [s.id for s in place.staff.get(Role.CASE_WORKER, [])]
        for index in frequent:
            if rng.random() < 0.2 and case_workers and not children.restricted[index]:
                self.t_team.add(
                    (self.t_team.new_id(), now, now, place.id, ids[index],
                     rng.choice(case_workers), "family case")
                )  # fmt: skip
        place_helpers = [s.id for s in place.staff.get(Role.SOCIAL_HELPER, [])]
        helpers_of = {
            institution.id: [h.id for h in institution.helpers] or place_helpers
            for institution in place.institutions
        }
        categories = list(CATEGORY_WEIGHTS)
        category_weights = list(CATEGORY_WEIGHTS.values())
        decisions = list(DECISION_WEIGHTS)
        decision_weights = list(DECISION_WEIGHTS.values())
        add_concern, new_concern = self.t_concern.add, self.t_concern.new_id
        add_child, new_child = self.t_concern_child.add, self.t_concern_child.new_id
        add_deadline, new_deadline = self.t_deadline.add, self.t_deadline.new_id
        random_ = rng.random
        randint = rng.randint
        history = HISTORY_DAYS * 86400
        for _ in range(place.concerns):
            index = frequent[randint(0, len(frequent) - 1)] if random_() < 0.5 else None
            if index is None:
                index = randint(0, len(ids) - 1)
            child_id = ids[index]
            group = children.group[index]
            institution = group.institution
            helpers = helpers_of[institution.id]
            draw = random_()
            if draw < 0.75 and group.educator is not None:
                reporter = group.educator.id
            elif draw < 0.93 or not institution.helpers:
                reporter = institution.lead.id
            else:
                reporter = helpers[randint(0, len(helpers) - 1)]
            citizen = random_() < 0.02
            danger = random_() < 0.03
            chosen = sorted(set(rng.choices(categories, category_weights, k=randint(1, 3))))
            serious = danger or bool(SERIOUS_CATEGORIES.intersection(chosen))
            feedback = random_() < 0.8
            parents_know = rng.choices(("yes", "no", "unsure"), (50, 30, 20))[0]
            if random_() < 0.01 and not citizen:
                status, received = Concern.Status.DRAFT, None
                created = now - timedelta(seconds=randint(60, 14 * 86400))
            else:
                received = now - timedelta(seconds=randint(3600, history))
                created = received
                age = (now - received).days
                weights = next(w for limit, w in STATUS_BY_AGE if limit is None or age < limit)
                status = rng.choices(list(weights), list(weights.values()))[0]
            decided = status in (Concern.Status.TRIAGED, Concern.Status.CLOSED)
            decided_at = acknowledged_at = None
            decision = ""
            if received is not None and status != Concern.Status.SUBMITTED:
                acknowledged_at = min(
                    received + timedelta(minutes=randint(20, 48 * 60)), now - timedelta(minutes=1)
                )
            if decided:
                decided_at = min(
                    acknowledged_at + timedelta(minutes=randint(30, 7 * 24 * 60)),
                    now - timedelta(minutes=1),
                )
                decision = (
                    Concern.Decision.ESCALATE
                    if danger and random_() < 0.7
                    else rng.choices(decisions, decision_weights)[0]
                )
            concern_id = new_concern()
            add_concern(
                (
                    concern_id, created, decided_at or acknowledged_at or created, 1, place.id,
                    institution.id, None if citizen else reporter,
                    "citizen" if citizen else "professional", "written",
                    helpers[randint(0, len(helpers) - 1)] if citizen else None,
                    f"{names.female[randint(0, POOL_SIZE - 1)]} "
                    f"{names.surname_female[randint(0, POOL_SIZE - 1)]}" if citizen else "",
                    phone_number(country.code, rng) if citizen else "",
                    confidential_if_serious and serious and received is not None, "", status,
                    profile_id if received is not None else None, received, danger, texts[0],
                    texts[1], json.dumps(chosen), "", parents_know,
                    texts[2] if parents_know == "no" else "", feedback, decision,
                    texts[2] if decided else "",
                    helpers[randint(0, len(helpers) - 1)] if decided else None, decided_at, "",
                )
            )  # fmt: skip
            add_child((new_child(), concern_id, child_id, "", ConcernChild.Role.HARMED))
            extra = rng.choices((0, 1, 2), (70, 22, 8))[0]
            if extra:
                others = [c for c in children.family[child_id] if c != child_id]
                roles = [ConcernChild.Role.SIBLING] * len(others)
                classmates = children.by_group[group.id]
                for _ in range(extra - len(others)):
                    mate = classmates[randint(0, len(classmates) - 1)]
                    if mate != child_id and mate not in others:
                        others.append(mate)
                        roles.append(
                            ConcernChild.Role.WITNESS
                            if random_() < 0.6
                            else ConcernChild.Role.OTHER
                        )
                for other, role in list(zip(others, roles, strict=True))[:extra]:
                    add_child((new_child(), concern_id, other, "", role))
            if received is None:
                continue
            kind = "citizen" if citizen else "professional"
            day = received.astimezone(tz).date()
            for code, label, basis, due in deadlines.due(country.code, day, kind, danger, feedback):
                due_at = received + due if isinstance(due, timedelta) else due
                if decided:
                    met = acknowledged_at if code.startswith("acknowledg") else decided_at
                elif acknowledged_at is not None and code.startswith("acknowledg"):
                    met = acknowledged_at
                else:
                    met = None
                if met is not None and code.startswith("feedback") and random_() < 0.1:
                    met = None  # feedback still owed on a few decided concerns
                add_deadline((new_deadline(), concern_id, code, label, basis, due_at, met))
        return place.concerns


CASE_ENTRY_KINDS = ["contact", "contact", "session", "note", "plan", "document"]
CASE_ENTRY_TEXT = "Home visit; the mother was at home. Agreed on the next steps."


def _write_cases_of(generator: Generator, place: Place, children, rng: random.Random) -> None:
    """Cases of the municipality's service: a child and their brothers and sisters, led by a
    case worker (or a social helper) with a social helper on the team half the time, open for
    seven in ten, each with a chronology of a few entries and one in 500 with several hundred
    (a long case, for the case page's constant queries)."""
    if not place.cases or not children.ids or not place.services:
        return
    leads = [s.id for s in place.staff.get(Role.CASE_WORKER, [])]
    helpers = [s.id for s in place.staff.get(Role.SOCIAL_HELPER, [])]
    leads = leads or helpers
    if not leads:
        return
    now = generator.now
    service = place.services[0]
    ids = children.ids
    add_case, new_case = generator.t_case.add, generator.t_case.new_id
    add_child, new_child = generator.t_case_child.add, generator.t_case_child.new_id
    add_member, new_member = generator.t_case_member.add, generator.t_case_member.new_id
    add_entry, new_entry = generator.t_chronology.add, generator.t_chronology.new_id
    random_, randint = rng.random, rng.randint
    for _ in range(place.cases):
        index = randint(0, len(ids) - 1)
        child_id = ids[index]
        kids = children.family.get(child_id, (child_id,))
        lead = leads[randint(0, len(leads) - 1)]
        opened = now - timedelta(seconds=randint(3600, 2 * 365 * 86400))
        closed = random_() < 0.3
        closed_at = opened + (now - opened) * random_() if closed else None
        kind = "crisis" if random_() < 0.05 else ("authority" if random_() < 0.05 else "family")
        case_id = new_case()
        add_case(
            (case_id, now, now, 1, place.id, service, f"Family {child_id}", kind,
             "closed" if closed else "open", "Repeated concerns about neglect.",
             children.restricted[index] or random_() < 0.01, lead, opened, lead, closed_at,
             "goals_met" if closed else "", "improved" if closed else "")
        )  # fmt: skip
        for kid in kids:
            add_child((new_child(), now, now, case_id, kid))
        add_member((new_member(), now, now, case_id, lead, "lead", None))
        if helpers and random_() < 0.5:
            helper = helpers[randint(0, len(helpers) - 1)]
            if helper != lead:
                add_member((new_member(), now, now, case_id, helper, "social_helper", None))
        entries = 300 if random_() < 0.002 else randint(1, 8)
        span = ((closed_at or now) - opened).total_seconds()
        add_entry((new_entry(), case_id, "opened", opened, opened, lead, "Case opened",
                   "Repeated concerns about neglect.", None))  # fmt: skip
        for n in range(entries):
            at = opened + timedelta(seconds=span * (n + 1) / (entries + 1))
            kind_ = CASE_ENTRY_KINDS[randint(0, len(CASE_ENTRY_KINDS) - 1)]
            add_entry((new_entry(), case_id, kind_, at, at, lead, kind_.title(), CASE_ENTRY_TEXT,
                       None))  # fmt: skip


# --- Activities: the toolkit of help ---------------------------------------------------------
# Social helpers (and a third of the case workers) deliver activities at their institutions:
# whole-class programmes and smaller groups each week, clubs for parents, series of individual
# sessions, community events, workshops, sparring and round tables for staff. The current school
# year is written in full (its meetings after now are planned, without attendance); earlier
# school years are added, newest first, until the municipality's share of the participations
# (Attendance rows) is reached.

HISTORY_YEARS = 8  # at most, before the current school year
# Weeks without school (month, day) to (month, day) of their Monday: autumn, Christmas,
# winter and spring breaks. Meetings run in the other weeks from September to mid-June.
BREAKS = (((10, 26), (11, 1)), ((12, 20), (12, 31)), ((1, 1), (1, 3)), ((2, 16), (2, 22)),
          ((4, 6), (4, 12)))  # fmt: skip
CLASS_PROGRAMMES = ("crime_prevention", "mental_health_group")
ADULT_CLUBS = ("parent_club", "baby_mama_club", "household_club", "job_readiness")
CHILD_SERIES = ("individual_session", "mentoring", "wellbeing_conversation")
ADULT_SERIES = ("help_with_authorities", "mediation")
TITLES = {
    "crime_prevention": "Crime prevention with {group}",
    "mental_health_group": "Feelings and friendships, {group}",
    "catch_up_tutoring": "Catch-up tutoring, {group}",
    "parent_club": "Parent club",
    "baby_mama_club": "Baby-mama club",
    "household_club": "Household and debt club",
    "job_readiness": "Job readiness for parents",
    "individual_session": "Individual sessions",
    "mentoring": "Mentoring",
    "wellbeing_conversation": "Wellbeing conversations",
    "help_with_authorities": "Help with the authorities",
    "mediation": "Family mediation",
    "health_day": "Health and sport day",
    "community_development": "Neighbourhood afternoon",
    "staff_workshop": "Workshop: talking with parents about worries",
    "staff_sparring": "Sparring about a worry",
    "round_table": "Round table with the school's team",
    "meeting_facilitation": "Facilitating the class team's meeting",
}
LEFT_REASONS = ("Moved away", "Lost interest", "Goal reached early", "Timetable clash")
ON_THE_DAY = ("Grandmother", "Neighbour", "Older brother", "Aunt", "Family friend")


def school_weeks(year_start: date) -> list[date]:
    """The Mondays of a school year's weeks with meetings (September to mid-June, no breaks)."""
    monday = year_start + timedelta(days=(7 - year_start.weekday()) % 7)
    last = date(year_start.year + 1, 6, 15)
    weeks = []
    while monday <= last:
        day = (monday.month, monday.day)
        if not any(start <= day <= end for start, end in BREAKS):
            weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


@dataclass(eq=False)
class InstitutionPeople:
    """Who may take part in an institution's activities."""

    id: int
    groups: list[tuple[str, list[int]]]  # (class name, children)
    children: list[int]
    consented: list[int]
    parents: list[int]
    staff: list[int]


class Budget:
    """Participations still to write; unlimited while the current school year is written."""

    def __init__(self, left: int) -> None:
        self.left = left
        self.limited = False
        self.written = 0

    @property
    def spent(self) -> bool:
        return self.limited and self.left <= 0

    def take(self) -> bool:
        if self.limited and self.left <= 0:
            return False
        self.left -= 1
        self.written += 1
        return True


class ActivityWriter:
    """The activities of one municipality (see the comment above)."""

    def __init__(self, generator: Generator, place: Place, children, rng: random.Random):
        self.g = generator
        self.place = place
        self.rng = rng
        self.now = generator.now
        self.today = generator.today
        self.tz = timezone.get_default_timezone()
        self.types = place.activity_types
        self.budget = Budget(place.participations)
        self.people: dict[int, InstitutionPeople] = {}
        family, parents_of = children.family, children.parents
        for institution in place.institutions:
            groups, kids, parents, staff = [], [], [], {institution.lead.id}
            for group in institution.groups:
                members = children.by_group.get(group.id, [])
                groups.append((group.name, members))
                kids.extend(members)
                if group.educator is not None:
                    staff.add(group.educator.id)
            for kid in kids[::2]:
                parents.extend(parents_of.get(family.get(kid, (kid,))[0], ()))
            self.people[institution.id] = InstitutionPeople(
                id=institution.id,
                groups=[g for g in groups if g[1]],
                children=kids,
                consented=[k for k in kids if k in children.consented],
                parents=sorted(set(parents)),
                staff=sorted(staff),
            )

    def write(self) -> None:
        place = self.place
        helpers = place.staff.get(Role.SOCIAL_HELPER, [])
        served: dict[int, list[InstitutionPeople]] = {h.id: [] for h in helpers}
        for institution in place.institutions:
            for helper in institution.helpers:
                if self.people[institution.id].children:
                    served[helper.id].append(self.people[institution.id])
        with_children = [p for p in self.people.values() if p.children]
        if not with_children:
            return
        case_workers = place.staff.get(Role.CASE_WORKER, [])[::3]
        deliverers = [(h.id, served[h.id] or with_children[:1], False) for h in helpers]
        deliverers += [
            (w.id, self.rng.sample(with_children, min(2, len(with_children))), True)
            for w in case_workers
        ]
        helper_ids = [h.id for h in helpers]
        start = self.g.school_year_start
        for years_back in range(HISTORY_YEARS + 1):
            if years_back:
                self.budget.limited = True
                if self.budget.spent:
                    break
            year_start = date(start.year - years_back, 9, 1)
            weeks = school_weeks(year_start)
            for lead, institutions, case_worker in deliverers:
                if self.budget.spent:
                    break
                if case_worker:
                    self._case_worker_year(lead, institutions, weeks)
                else:
                    self._helper_year(lead, institutions, weeks, helper_ids)

    # --- One deliverer's school year -------------------------------------------------------

    def _slots(self) -> list[tuple[int, int]]:
        """Weekday and hour of the weekly meetings, shuffled (Monday to Friday, 8 to 15)."""
        slots = [(day, hour) for day in range(5) for hour in range(8, 16)]
        self.rng.shuffle(slots)
        return slots

    def _helper_year(self, lead, institutions, weeks, helper_ids) -> None:
        rng = self.rng
        randint = rng.randint
        slots = self._slots()
        schools = [p for p in institutions if p.groups]
        for _ in range(randint(3, 5)):  # whole-class programmes
            if not schools or self.budget.spent:
                break
            people = rng.choice(schools)
            name, members = rng.choice(people.groups)
            code = rng.choice(CLASS_PROGRAMMES)
            self._series(lead, people, code, weeks, slots.pop(), 45,
                         [("child", c) for c in members], group_name=name,
                         fortnightly=rng.random() < 0.2, co_workers=helper_ids)  # fmt: skip
        for _ in range(randint(1, 2)):  # catch-up tutoring in a small group
            if not schools or self.budget.spent:
                break
            people = rng.choice(schools)
            name, members = rng.choice(people.groups)
            chosen = rng.sample(members, min(len(members), randint(5, 10)))
            self._series(lead, people, "catch_up_tutoring", weeks, slots.pop(), 60,
                         [("child", c) for c in chosen], group_name=name)  # fmt: skip
        for _ in range(randint(1, 2)):  # clubs for parents
            people = rng.choice(institutions)
            if not people.parents or self.budget.spent:
                break
            chosen = rng.sample(people.parents, min(len(people.parents), randint(6, 12)))
            self._series(lead, people, rng.choice(ADULT_CLUBS), weeks, slots.pop(), 90,
                         [("adult", a) for a in chosen], co_workers=helper_ids)  # fmt: skip
        for _ in range(randint(5, 12)):  # individual work, one person after another
            if self.budget.spent:
                break
            self._individual_stream(lead, institutions, weeks, slots.pop())
        for n in range(0, len(weeks), 4):  # a community event about once a month
            if self.budget.spent:
                break
            self._event(lead, rng.choice(institutions), weeks[n] + timedelta(days=randint(0, 5)))
        for n in range(randint(0, 5), len(weeks), 6):  # staff: a workshop every six weeks
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            self._staff_once(lead, people, "staff_workshop", day, randint(6, 16), 120)
        for n in range(randint(0, 1), len(weeks), 2):  # sparring every other week
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            code = "staff_sparring" if rng.random() < 0.8 else "meeting_facilitation"
            self._staff_once(lead, people, code, day, 1 if code == "staff_sparring" else 5, 45)
        for n in range(randint(0, 7), len(weeks), 8):
            if self.budget.spent:
                break
            people = rng.choice(institutions)
            day = weeks[n] + timedelta(days=randint(0, 4))
            self._staff_once(lead, people, "round_table", day, randint(4, 10), 90)

    def _case_worker_year(self, lead, institutions, weeks) -> None:
        rng = self.rng
        slots = self._slots()
        people = rng.choice(institutions)
        if people.parents:
            chosen = rng.sample(people.parents, min(len(people.parents), rng.randint(5, 10)))
            self._series(lead, people, "parent_club", weeks, slots.pop(), 90,
                         [("adult", a) for a in chosen])  # fmt: skip
        for _ in range(rng.randint(2, 4)):
            if self.budget.spent:
                break
            self._individual_stream(lead, institutions, weeks, slots.pop(), adults=0.6)

    # --- Writing activities, sessions, participants and attendance --------------------------

    def _activity(self, lead, people, code, title, recurrence, first, last, slot, minutes,
                  *, capacity=None, co_workers=()) -> int:  # fmt: skip
        rng = self.rng
        activity_id = self.g.t_activity.new_id()
        status = Activity.Status.ENDED if last < self.today else Activity.Status.ACTIVE
        start_time = None if slot is None else dt_time(slot[1], rng.choice((0, 0, 15, 30)))
        theme = rng.choice(("early_intervention", "parent_cooperation", "child_perspective", ""))
        programme = "Early help 2030" if rng.random() < 0.3 else ""
        self.g.t_activity.add(
            (activity_id, self.now, self.now, 1, self.place.id, people.id, self.types[code],
             title, "", lead, recurrence, first, last, start_time, minutes, "", theme, capacity,
             status, None, None, programme, "", lead)
        )  # fmt: skip
        if co_workers and rng.random() < 0.1:
            other = co_workers[rng.randint(0, len(co_workers) - 1)]
            if other != lead:
                self.g.t_activity_worker.add(
                    (self.g.t_activity_worker.new_id(), activity_id, other)
                )
        return activity_id

    def _participant(self, activity_id, kind, person, joined, left=None, *, name="",
                     outcome="", rating=None) -> int:  # fmt: skip
        participant_id = self.g.t_participant.new_id()
        child = person if kind == "child" else None
        adult = person if kind == "adult" else None
        staff = person if kind == "staff" else None
        target = "action_area" if self.rng.random() < 0.75 else "elsewhere"
        self.g.t_participant.add(
            (participant_id, self.now, self.now, activity_id, self.place.id, child, adult, staff,
             name, target, joined, left, self.rng.choice(LEFT_REASONS) if left else "", outcome,
             "", rating, "")
        )  # fmt: skip
        return participant_id

    def _session(self, activity_id, lead, day: date, at: tuple[int, int], minutes: int,
                 members: Sequence[tuple[int, date, date | None]], present: float,
                 head_count: int | None = None) -> None:  # fmt: skip
        rng = self.rng
        starts = datetime(day.year, day.month, day.day, at[0], at[1], tzinfo=self.tz)
        held = starts < self.now and rng.random() >= 0.06
        if starts >= self.now:
            status = Session.Status.PLANNED
        else:
            status = Session.Status.HELD if held else Session.Status.CANCELLED
        session_id = self.g.t_session.new_id()
        self.g.t_session.add(
            (session_id, self.now, self.now, 1, activity_id, self.place.id, lead, starts,
             minutes, "", status, "", head_count if held else None,
             lead if starts < self.now else None)
        )  # fmt: skip
        if not held:
            return
        add, new = self.g.t_attendance.add, self.g.t_attendance.new_id
        random_, take = rng.random, self.budget.take
        absent = present + (1 - present) * 0.65
        for participant_id, joined, left in members:
            if joined > day or (left is not None and day >= left):
                continue
            if not take():
                return
            draw = random_()
            status = "present" if draw < present else ("absent" if draw < absent else "excused")
            add((new(), session_id, participant_id, status))

    def _series(self, lead, people, code, weeks, slot, minutes, who, *, group_name="",
                fortnightly=False, co_workers=()) -> None:  # fmt: skip
        """A group meeting each week (or each second week) of the school year, its members
        joining in the first weeks, a few leaving during the year."""
        rng = self.rng
        step = 2 if fortnightly else 1
        start = rng.randint(0, 2)
        days = [w + timedelta(days=slot[0]) for w in weeks[start::step]]
        if not days or not who:
            return
        title = TITLES[code].format(group=group_name)
        recurrence = Activity.Recurrence.FORTNIGHTLY if fortnightly else Activity.Recurrence.WEEKLY
        activity_id = self._activity(lead, people, code, title, recurrence, days[0], days[-1],
                                     slot, minutes, capacity=len(who) + 2,
                                     co_workers=co_workers)  # fmt: skip
        members = []
        for kind, person in who:
            joined = days[min(len(days) - 1, rng.choice((0, 0, 0, 1, 2, 4)))]
            left = None
            if rng.random() < 0.12 and len(days) > 6:
                left = days[rng.randint(3, len(days) - 1)]
            outcome = "" if days[-1] >= self.today else rng.choice(("achieved", "partly", ""))
            participant_id = self._participant(activity_id, kind, person, joined, left,
                                               outcome=outcome)  # fmt: skip
            members.append((participant_id, joined, left))
        at = (slot[1], 0)
        for day in days:
            self._session(activity_id, lead, day, at, minutes, members, 0.82)
            if self.budget.spent:
                return

    def _individual_stream(self, lead, institutions, weeks, slot, adults=0.25) -> None:
        """One weekly time for individual work: a person meets the worker four to ten times,
        then the next one takes the time."""
        rng = self.rng
        n = rng.randint(0, 1)
        while n < len(weeks) and not self.budget.spent:
            people = rng.choice(institutions)
            length = rng.randint(4, 10)
            days = [w + timedelta(days=slot[0]) for w in weeks[n : n + length]]
            n += length
            if rng.random() < adults and people.parents:
                kind, person = "adult", rng.choice(people.parents)
                code = rng.choice(ADULT_SERIES)
            else:
                code = rng.choice(CHILD_SERIES)
                pool = people.consented if code == "wellbeing_conversation" else people.children
                if not pool:
                    code, pool = "mentoring", people.children
                kind, person = "child", rng.choice(pool)
            recurrence = Activity.Recurrence.WEEKLY if rng.random() < 0.7 else "custom"
            activity_id = self._activity(lead, people, code, TITLES[code], recurrence, days[0],
                                         days[-1], slot, 50)  # fmt: skip
            done = days[-1] < self.today
            outcome = rng.choice(("achieved", "achieved", "partly", "not_achieved")) if done else ""
            participant_id = self._participant(activity_id, kind, person, days[0], outcome=outcome)
            members = [(participant_id, days[0], None)]
            for day in days:
                self._session(activity_id, lead, day, (slot[1], 0), 50, members, 0.88)
                if self.budget.spent:
                    return

    def _event(self, lead, people, day: date) -> None:
        """A community event: the people whose names were taken, and a head count."""
        rng = self.rng
        code = "health_day" if rng.random() < 0.5 else "community_development"
        at = (10, 0) if day.weekday() == 5 else (14, 0)
        activity_id = self._activity(lead, people, code, TITLES[code], "once", day, day,
                                     at, 180)  # fmt: skip
        if day >= self.today:
            self._session(activity_id, lead, day, at, 180, [], 1.0)
            return
        members = []
        kids = rng.sample(people.children, min(len(people.children), rng.randint(10, 30)))
        adults = rng.sample(people.parents, min(len(people.parents), rng.randint(3, 12)))
        for kind, chosen in (("child", kids), ("adult", adults)):
            for person in chosen:
                members.append((self._participant(activity_id, kind, person, day), day, None))
        for name in rng.sample(ON_THE_DAY, rng.randint(0, 3)):
            members.append((self._participant(activity_id, "", None, day, name=name), day, None))
        self._session(activity_id, lead, day, at, 180, members, 1.0, rng.randint(20, 150))

    def _staff_once(self, lead, people, code, day: date, count: int, minutes: int) -> None:
        """A meeting with staff of the institution: a workshop they registered for (with
        their feedback), sparring with one of them, a round table."""
        rng = self.rng
        if not people.staff:
            return
        at = (rng.randint(13, 15), 0)
        workshop = code == "staff_workshop"
        activity_id = self._activity(lead, people, code, TITLES[code], "once", day, day, at,
                                     minutes, capacity=20 if workshop else None)  # fmt: skip
        registered = day - timedelta(days=14) if workshop else day
        members = []
        for person in rng.sample(people.staff, min(len(people.staff), count)):
            rating = (
                rng.randint(3, 5) if workshop and day < self.today and rng.random() < 0.6 else None
            )
            participant_id = self._participant(activity_id, "staff", person, registered,
                                               rating=rating)  # fmt: skip
            members.append((participant_id, registered, None))
        self._session(activity_id, lead, day, at, minutes, members, 0.9)


def _write_activities_of(generator: Generator, place: Place, children, rng: random.Random) -> None:
    if not place.activity_types or not children.ids:
        return
    ActivityWriter(generator, place, children, rng).write()


class PlaceChildren:
    """The children just written in one municipality, as the concerns need them."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.group: list[GroupPlan] = []
        self.restricted: list[bool] = []
        self.family: dict[int, tuple[int, ...]] = {}
        self.by_group: dict[int, list[int]] = {}
        self.parents: dict[int, tuple[int, ...]] = {}  # of a family's first child
        self.consented: set[int] = set()  # children with a consent to wellbeing conversations

    def add(self, child_id: int, group: GroupPlan, restricted: bool) -> None:
        self.ids.append(child_id)
        self.group.append(group)
        self.restricted.append(restricted)
        self.by_group.setdefault(group.id, []).append(child_id)


class DeadlineCache:
    """Deadlines as `deadlines_for` computes them, computed once per country, day of receipt,
    kind of reporter and flags. An hours deadline is kept as its offset from the time of
    receipt, a days deadline as the moment it falls (the end of a day, whatever the hour).

    Bench municipalities have no closing days and no municipal settings, so their deadlines
    are those of their country's profile with its defaults: computing them without a
    municipality gives the same result without two queries per call."""

    def __init__(self, places: list[Place]) -> None:
        self.profiles = {}
        self.municipalities = {}
        self.confidential_if_serious = {}
        for place in places:
            code = place.country.code
            if code not in self.profiles:
                municipality = Municipality.objects.select_related("jurisdiction").get(pk=place.id)
                profile = profile_for(municipality)
                self.profiles[code] = profile
                self.municipalities[code] = None if profile.key == code else municipality
                self.confidential_if_serious[code] = identity_confidential(
                    profile, serious_neglect_or_abuse=True
                )
        self.cache: dict[tuple, list[tuple[str, str, str, timedelta | datetime]]] = {}
        self.tz = timezone.get_default_timezone()

    def due(
        self, country: str, day: date, kind: str, danger: bool, feedback: bool
    ) -> list[tuple[str, str, str, timedelta | datetime]]:
        key = (country, day, kind, danger, feedback)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._compute(*key)
        return found

    def _compute(self, country, day, kind, danger, feedback):
        early = timezone.make_aware(datetime(day.year, day.month, day.day, 0, 30), self.tz)
        late = timezone.make_aware(datetime(day.year, day.month, day.day, 12, 30), self.tz)
        with translation.override(settings.LANGUAGE_CODE):
            at_early, at_late = (
                deadlines_for(
                    profile=self.profiles[country],
                    municipality=self.municipalities[country],
                    received_at=moment,
                    reporter_kind=kind,
                    immediate_danger=danger,
                    reporter_requested_feedback=feedback,
                )
                for moment in (early, late)
            )
            at_late = {deadline.code: deadline for deadline in at_late}
            rows = []
            for first in at_early:
                # An hours deadline moves with the hour of receipt; a days deadline does not.
                moves = at_late[first.code].due_at != first.due_at
                rows.append(
                    (
                        first.code,
                        str(first.label),
                        str(first.basis),
                        first.due_at - early if moves else first.due_at,
                    )
                )
        return rows


# --- The entry point -----------------------------------------------------------------------------


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
    return {table.name: table.written for table in generator.tables.values()}
