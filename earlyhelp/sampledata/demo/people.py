"""The demo's families: surnames by country and the parents and relatives of each child."""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

from faker import Faker

from earlyhelp.people.identifiers import generate_national_id
from earlyhelp.people.models import (
    Adult,
    Child,
    Consent,
    Enrolment,
    Relationship,
    Sex,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


def _czech_female_surname(male: str) -> str:
    """Novák → Nováková, Černý → Černá, Svoboda → Svobodová, Němec → Němcová."""
    if male.endswith("ý"):
        return male[:-1] + "á"
    if male.endswith("a"):
        return male[:-1] + "ová"
    if male.endswith(("ec", "ek")):
        return male[:-2] + male[-1] + "ová"
    return male + "ová"


def _surname(fake: Faker, place: Place):
    """A family's surname as a function of sex: Czech surnames take the female form."""
    if place.country != "CZ":
        name = fake.last_name()
        return lambda sex: name
    male = fake.last_name_male()
    return lambda sex: _czech_female_surname(male) if sex == Sex.FEMALE else male


def _family(
    child: Child, place: Place, surname, fake: Faker, rng: random.Random, municipality
) -> None:
    adults = []
    for kind, first, sex in (
        (Relationship.Kind.MOTHER, fake.first_name_female, Sex.FEMALE),
        (Relationship.Kind.FATHER, fake.first_name_male, Sex.MALE),
    ):
        if kind == Relationship.Kind.FATHER and rng.random() < 0.25:
            continue
        # Most parents share the child's surname; some kept or took another.
        family = surname if rng.random() < 0.8 else _surname(fake, place)
        adult = Adult.objects.create(
            municipality=municipality,
            given_name=first(),
            family_name=family(sex),
            kind=Adult.Kind.PARENT,
            phone=fake.phone_number(),
            address=fake.street_address(),
            address_protected=rng.random() < 0.03,
        )
        restricted_contact = rng.random() < 0.05
        Relationship.objects.create(
            child=child,
            adult=adult,
            kind=kind,
            parental_responsibility=not restricted_contact,
            contact_restriction=restricted_contact,
            lives_with_child=not restricted_contact,
        )
        adults.append(adult)
    if adults and rng.random() < 0.6:
        Consent.objects.create(
            child=child,
            purpose=Consent.Purpose.WELLBEING_CONVERSATION,
            given_by=adults[0],
            given_on=date.today() - timedelta(days=rng.randint(10, 300)),
        )


# Brothers and sisters in the demo's classes: each set is one family (the same mother and
# father through Relationship rows) whose children are enrolled in the groups named by their
# index in the place's list of groups (the first school's classes, the second school's, then
# the kindergarten's groups). Twins share a class and a birthday.
SIBLING_SETS = (
    ("twins", (0, 0)),  # twins in the educator's class
    ("kindergarten-school", (8, 0)),  # a little sister or brother in the kindergarten
    ("same-school", (1, 3)),  # two classes of the first school
    ("triple", (4, 6, 7)),  # three children in three classes of the second school
    ("pair-second-school", (5, 7)),
)


def _siblings(place: Place, groups, municipality, seed: int, starts_on: date) -> int:
    """The sibling sets of `SIBLING_SETS`, each seeded by its name, so a re-run finds the same
    family and creates nothing. Returns the number of children created."""
    today = date.today()
    fake = Faker(place.locale)
    created = 0
    for label, members in SIBLING_SETS:
        set_seed = zlib.crc32(f"{seed}-{place.prefix}-siblings-{label}".encode())
        rng = random.Random(set_seed)
        fake.seed_instance(set_seed)
        surname = _surname(fake, place)
        mother_name, father_name = fake.first_name_female(), fake.first_name_male()
        phone, address = fake.phone_number(), fake.street_address()
        children, born = [], None
        for number, index in enumerate(members):
            group, age = groups[index]
            sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
            given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
            if not (label == "twins" and born is not None):
                born = date(today.year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            child, was_created = Child.objects.get_or_create(
                municipality=municipality,
                given_name=given,
                family_name=surname(sex),
                birth_date=born,
                defaults={
                    "sex": sex,
                    "national_id": generate_national_id(place.country, born, sex, rng),
                    "languages": place.language,
                },
            )
            if number == 0 and not was_created:
                break  # made by an earlier run
            Enrolment.objects.create(child=child, group=group, starts_on=starts_on)
            children.append(child)
            created += 1
        if not children:
            continue
        parents = [
            (
                Relationship.Kind.MOTHER,
                Adult.objects.create(
                    municipality=municipality, given_name=mother_name,
                    family_name=surname(Sex.FEMALE), kind=Adult.Kind.PARENT, phone=phone,
                    address=address,
                ),
            ),
            (
                Relationship.Kind.FATHER,
                Adult.objects.create(
                    municipality=municipality, given_name=father_name,
                    family_name=surname(Sex.MALE), kind=Adult.Kind.PARENT, address=address,
                ),
            ),
        ]  # fmt: skip
        for child in children:
            for kind, adult in parents:
                Relationship.objects.create(
                    child=child, adult=adult, kind=kind, parental_responsibility=True,
                    lives_with_child=True,
                )  # fmt: skip
            Consent.objects.create(
                child=child,
                purpose=Consent.Purpose.WELLBEING_CONVERSATION,
                given_by=parents[0][1],
                given_on=today - timedelta(days=rng.randint(10, 300)),
            )
    return created
