"""The bench organisation: countries, municipalities, services, districts, institutions, classes,
staff and their memberships, planned to the targets and written once."""

from __future__ import annotations

from dataclasses import dataclass, field

from earlyhelp.activities.models import (
    CATALOGUE,
)
from earlyhelp.knowledge.catalogue import RANK_STEP
from earlyhelp.knowledge.models import EVIDENCE_SCALE
from earlyhelp.organisations.models import (
    Approval,
    Institution,
    Jurisdiction,
    Role,
    Service,
)
from earlyhelp.sampledata.bench.loader import apportion

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


CHILDREN_PER_GROUP = 20


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


class OrganisationSlice:
    """The plan of the organisation (municipalities, institutions, classes, staff) and its rows."""

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
                    # A register code (OM, IZO, institution number) as every school has one.
                    f"{institution.id:06d}",
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
            # And the shipped scale of evidence (knowledge.catalogue.ensure_evidence_scale).
            for position, code in enumerate(EVIDENCE_SCALE):
                self.t_evidence_level.add(
                    (self.t_evidence_level.new_id(), self.now, self.now, place.id, code, "", "",
                     (position + 1) * RANK_STEP)
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
