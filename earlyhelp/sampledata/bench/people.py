"""The bench children: name pools per country, and the children of a municipality with their
families, enrolments and consents."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from faker import Faker

from earlyhelp.core.text import fold_text
from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.identifiers import generate_national_id
from earlyhelp.people.models import (
    Adult,
    Consent,
    Relationship,
    Sex,
)
from earlyhelp.sampledata.bench.programmes import residence_of
from earlyhelp.sampledata.demo.people import _czech_female_surname

if TYPE_CHECKING:
    from earlyhelp.sampledata.bench.organisations import Country, GroupPlan, Place


POOL_SIZE = 4_000  # names drawn per country and kind; Faker's weights give realistic repeats


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


class PeopleSlice:
    """The children of a municipality with their families, enrolments and consents."""

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
        home_of = residence_of(place)
        for family in families:
            home_district, disadvantaged = home_of(child_table.next_id)
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
                        country.language, "", home_district, disadvantaged,
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
                        random_() < 0.03, home_district, disadvantaged,
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
