"""The demo's families: surnames by country and the parents and relatives of each child."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from faker import Faker

from earlyhelp.people.models import (
    Adult,
    Child,
    Consent,
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
