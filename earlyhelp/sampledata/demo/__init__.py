"""Generated demo data: three municipalities (HU, CZ, DK), one account per role in each, and
children, families, enrolments and consents with locale-appropriate names; concerns, cases, a
term of the social helper's activities and two screening rounds of the helper's school. Nothing
is copied from real people: every name comes from Faker's generators with a fixed seed, so
running it again finds the same people and creates nothing twice.

`generate_place` builds one place: the organisation and the children here, then each
capability's slice from its own module, in a fixed order (the order is part of the seed).
"""

from __future__ import annotations

import random
import zlib
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import override
from faker import Faker

from earlyhelp.duties.services import rebuild as rebuild_duties
from earlyhelp.organisations.models import (
    District,
    DistrictPairing,
    Group,
    Institution,
    Jurisdiction,
    Municipality,
    Role,
    Service,
)
from earlyhelp.people.identifiers import generate_national_id
from earlyhelp.people.models import (
    Child,
    ChildTeamMember,
    Enrolment,
    Sex,
)
from earlyhelp.sampledata.demo.absences import _absences
from earlyhelp.sampledata.demo.activities import _activities
from earlyhelp.sampledata.demo.cases import _cases
from earlyhelp.sampledata.demo.concerns import _concern_history, _concerns, _received_outside
from earlyhelp.sampledata.demo.contacts import _contacts
from earlyhelp.sampledata.demo.fostercare import _fostercare
from earlyhelp.sampledata.demo.imports import _roster_import
from earlyhelp.sampledata.demo.knowledge_catalogue import _catalogue
from earlyhelp.sampledata.demo.knowledge_reviews import _knowledge_reviews
from earlyhelp.sampledata.demo.organisations import (
    ROLE_ACCOUNTS,
    _dpo_accounts,
    _membership,
    _user,
)
from earlyhelp.sampledata.demo.partners import _partners_and_methods
from earlyhelp.sampledata.demo.people import _family, _siblings, _surname
from earlyhelp.sampledata.demo.programmes import _programmes
from earlyhelp.sampledata.demo.safety import _safety_meeting
from earlyhelp.sampledata.demo.screening import _screening, _screening_plan
from earlyhelp.sampledata.demo.workforce import _workforce

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


@transaction.atomic
def generate_place(place: Place, *, children_per_group: int, seed: int) -> dict[str, int]:
    rng = random.Random(f"{seed}-{place.prefix}")
    fake = Faker(place.locale)
    fake.seed_instance(seed)
    today = date.today()
    school_year = f"{today.year - (today.month < 9)}/{today.year + (today.month >= 9)}"

    jurisdiction, _ = Jurisdiction.objects.get_or_create(
        code=place.country,
        defaults={
            "name": place.country_name,
            "default_language": place.language,
            "emergency_number": place.emergency,
        },
    )
    municipality, _ = Municipality.objects.get_or_create(
        code=f"demo-{place.prefix}",
        defaults={"jurisdiction": jurisdiction, "name": place.municipality},
    )
    service, _ = Service.objects.get_or_create(
        municipality=municipality,
        name=place.service,
        defaults={"kind": Service.Kind.FAMILY_CHILD_WELFARE},
    )
    districts = [
        District.objects.get_or_create(municipality=municipality, name=name)[0]
        for name in place.districts
    ]

    def institution(name: str, kind: str, district: District) -> Institution:
        return Institution.objects.get_or_create(
            municipality=municipality,
            name=name,
            defaults={"kind": kind, "district": district, "address": fake.street_address()},
        )[0]

    schools = [
        institution(name, Institution.Kind.SCHOOL, districts[i % len(districts)])
        for i, name in enumerate(place.schools)
    ]
    kindergartens = [
        institution(name, Institution.Kind.KINDERGARTEN, districts[0])
        for name in place.kindergartens
    ]
    daycare = institution(place.daycare, Institution.Kind.DAYCARE, districts[-1])
    health = institution(place.health_visiting, Institution.Kind.HEALTH_VISITING, districts[0])
    for school, nursery in ((schools[0], kindergartens[0]), (schools[-1], daycare)):
        DistrictPairing.objects.get_or_create(
            district=school.district or districts[0], school=school, daycare=nursery
        )

    groups: list[tuple[Group, int]] = []  # (group, typical age)
    for school in schools:
        for name in place.class_names:
            grade = int(name.split(".")[0])
            group = Group.objects.get_or_create(
                institution=school, name=name, school_year=school_year
            )[0]
            groups.append((group, 6 + grade))
    for kindergarten in kindergartens:
        for name in place.kindergarten_groups:
            group = Group.objects.get_or_create(
                institution=kindergarten, name=name, school_year=school_year
            )[0]
            groups.append((group, 4))

    users = {role: _user(place, role, fake, municipality) for role in ROLE_ACCOUNTS}
    first_class = groups[0][0]
    _membership(
        users[Role.EDUCATOR],
        Role.EDUCATOR,
        municipality,
        institution=schools[0],
        group=first_class,
    )
    _membership(
        users[Role.INSTITUTION_LEAD], Role.INSTITUTION_LEAD, municipality, institution=schools[0]
    )
    for assigned in (schools[0], kindergartens[0]):
        _membership(
            users[Role.SOCIAL_HELPER],
            Role.SOCIAL_HELPER,
            municipality,
            institution=assigned,
            service=service,
        )
    _membership(users[Role.CASE_WORKER], Role.CASE_WORKER, municipality, service=service)
    _membership(users[Role.SUPERVISOR], Role.SUPERVISOR, municipality, service=service)
    for role in (Role.MANAGER, Role.ANALYST, Role.ADMIN):
        _membership(users[role], role, municipality)
    if health.pk:
        _membership(users[Role.EDUCATOR], Role.EDUCATOR, municipality, institution=health)

    created = 0
    for group_index, (group, age) in enumerate(groups):
        for n in range(children_per_group):
            # Each child has its own seed, so a re-run regenerates exactly the same child
            # whether or not the ones before it already existed; named by the class, never by a
            # primary key, so that every database generates the same children and families.
            where = f"{group.institution.name}-{group.name}"
            child_seed = zlib.crc32(f"{seed}-{place.prefix}-{where}-{n}".encode())
            rng = random.Random(child_seed)
            fake.seed_instance(child_seed)
            sex = Sex.FEMALE if rng.random() < 0.5 else Sex.MALE
            given = fake.first_name_female() if sex == Sex.FEMALE else fake.first_name_male()
            surname = _surname(fake, place)
            family = surname(sex)
            born = date(today.year - age, 1, 1) + timedelta(days=rng.randint(0, 364))
            child, was_created = Child.objects.get_or_create(
                municipality=municipality,
                given_name=given,
                family_name=family,
                birth_date=born,
                defaults={
                    "sex": sex,
                    "national_id": generate_national_id(place.country, born, sex, rng)
                    if rng.random() < 0.8
                    else "",
                    "languages": place.language,
                },
            )
            if not was_created:
                continue
            created += 1
            Enrolment.objects.create(
                child=child, group=group, starts_on=date(today.year - (today.month < 9), 9, 1)
            )
            _family(child, place, surname, fake, rng, municipality)
            if n == 0 and group_index % 3 == 0:
                ChildTeamMember.objects.get_or_create(
                    child=child, user=users[Role.CASE_WORKER], defaults={"note": "family case"}
                )
            if n == 1 and group_index == 0:
                # One restricted record per municipality: only its named team can see it.
                child.restricted = True
                child.save(update_fields=["restricted"])
                ChildTeamMember.objects.get_or_create(child=child, user=users[Role.CASE_WORKER])
    created += _siblings(
        place, groups, municipality, seed, date(today.year - (today.month < 9), 9, 1)
    )
    concerns = _concerns(place, municipality, schools[0], first_class, users)
    concerns += _received_outside(place, schools[0], first_class, users)
    concerns += _concern_history(
        place, municipality, (schools[0], schools[1], kindergartens[0]), users, seed
    )
    _absences(schools[0], first_class, users)
    with override(place.language):
        _cases(place, municipality, service, first_class, users)
        _safety_meeting(place, municipality, schools[0], users)
        school_classes = [group for group, _age in groups if group.institution_id == schools[0].pk]
        plan = _screening_plan(place, school_classes, seed)
        _catalogue(place, municipality, service, users)
        _activities(place, municipality, schools[0], kindergartens[0], users, plan, seed)
        _screening(place, municipality, schools[0], users, plan, school_year)
        _contacts(place, municipality, service, users, seed)
        _fostercare(place, municipality, service, users, seed)
        _programmes(place, municipality, service, users, seed)
        _workforce(place, municipality, service, (schools[0], kindergartens[0]), users)
        _knowledge_reviews(place, municipality, users)
        _partners_and_methods(place, municipality, schools[0], users)
        _roster_import(place, municipality, schools[0], first_class, users)
    dpo = _dpo_accounts(place, municipality, seed)
    # Every persona's start page: the duties of all that was just written.
    rebuild_duties()
    return {"children": created, "users": len(users) + len(dpo), "concerns": concerns}
