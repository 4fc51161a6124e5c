"""Generated demo data: three municipalities (HU, CZ, DK), one account per role in each, and
children, families, enrolments and consents with locale-appropriate names; concerns, cases, a
term of the social helper's activities and two screening rounds of the helper's school. Nothing
is copied from real people: every name comes from Faker's generators with a fixed seed, so
running it again finds the same people and creates nothing twice.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.concerns.models import Concern, ConcernChild, refresh_next_due
from earlyhelp.organisations.models import (
    Approval,
    District,
    DistrictPairing,
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
from earlyhelp.protocols.services import deadlines_for, profile_for

DEMO_PASSWORD = "earlyhelp-demo-2026"  # noqa: S105 - published demo password
# One published key for every demo account, so that the README can tell how to sign in.
# 40 hex characters = 20 bytes, the RFC 6238 default.
DEMO_TOTP_KEY = "6561726c7968656c702d64656d6f2d746f747021"
ROLE_ACCOUNTS = [
    Role.EDUCATOR,
    Role.INSTITUTION_LEAD,
    Role.SOCIAL_HELPER,
    Role.CASE_WORKER,
    Role.SUPERVISOR,
    Role.MANAGER,
    Role.ANALYST,
    Role.ADMIN,
]


@dataclass(frozen=True)
class Place:
    prefix: str
    country: str
    country_name: str
    language: str
    locale: str
    emergency: str
    municipality: str
    service: str
    districts: tuple[str, ...]
    schools: tuple[str, ...]
    kindergartens: tuple[str, ...]
    daycare: str
    health_visiting: str
    class_names: tuple[str, ...]
    kindergarten_groups: tuple[str, ...]


PLACES = [
    Place(
        prefix="hu",
        country="HU",
        country_name="Magyarország",
        language="hu",
        locale="hu_HU",
        emergency="112",
        municipality="Székesfehérvár",
        service="Család- és Gyermekjóléti Központ",
        districts=("Palotaváros", "Felsőváros"),
        schools=("Vörösmarty Mihály Általános Iskola", "Tóth Árpád Általános Iskola"),
        kindergartens=("Szivárvány Óvoda",),
        daycare="Napsugár Bölcsőde",
        health_visiting="Védőnői Szolgálat",
        class_names=("1.a", "2.b", "4.a", "6.c"),
        kindergarten_groups=("Katica csoport", "Méhecske csoport"),
    ),
    Place(
        prefix="cz",
        country="CZ",
        country_name="Česká republika",
        language="cs",
        locale="cs_CZ",
        emergency="112",
        municipality="Olomouc",
        service="Centrum pro rodinu a děti",
        districts=("Nové Sady", "Hodolany"),
        schools=("ZŠ Komenského", "ZŠ Řezníčkova"),
        kindergartens=("MŠ Sluníčko",),
        daycare="Dětská skupina Beruška",
        health_visiting="Dětská poradna",
        class_names=("1.A", "2.B", "5.A", "7.C"),
        kindergarten_groups=("Třída Berušky", "Třída Sovičky"),
    ),
    Place(
        prefix="dk",
        country="DK",
        country_name="Danmark",
        language="da",
        locale="da_DK",
        emergency="112",
        municipality="Aarhus",
        service="Socialforvaltningen, Børn og Unge",
        districts=("Distrikt Syd", "Distrikt Vest"),
        schools=("Skjoldhøjskolen", "Søndervangskolen"),
        kindergartens=("Børnehuset Ærtebjerg",),
        daycare="Vuggestuen Sølvpilen",
        health_visiting="Sundhedsplejen Syd",
        class_names=("0.A", "2.B", "4.A", "7.C"),
        kindergarten_groups=("Mælkebøtterne", "Solsikkerne"),
    ),
]


def _user(place: Place, role: str, fake: Faker, municipality: Municipality) -> User:
    username = f"{place.prefix}.{role}"
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "municipality": municipality,
            "first_name": fake.first_name(),
            "last_name": fake.last_name(),
            "email": f"{username}@example.org",
            "preferred_language": place.language,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    TOTPDevice.objects.get_or_create(
        user=user, name="demo authenticator", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )
    return user


def _membership(user: User, role: str, municipality: Municipality, **units) -> None:
    Membership.objects.get_or_create(
        user=user,
        role=role,
        municipality=municipality,
        # Demo accounts work at once: their memberships are approved, as if a second person
        # had approved them.
        defaults={"starts_on": date(2025, 9, 1), "approval": Approval.APPROVED},
        **units,
    )


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
            # whether or not the ones before it already existed.
            child_seed = zlib.crc32(f"{seed}-{place.prefix}-{group.pk}-{n}".encode())
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
    concerns = _concerns(place, municipality, schools[0], first_class, users)
    concerns += _received_outside(place, schools[0], first_class, users)
    _absences(schools[0], first_class, users)
    with override(place.language):
        _cases(place, municipality, service, first_class, users)
        _safety_meeting(place, municipality, schools[0], users)
        school_classes = [group for group, _age in groups if group.institution_id == schools[0].pk]
        plan = _screening_plan(place, school_classes, seed)
        _activities(place, municipality, schools[0], kindergartens[0], users, plan, seed)
        _screening(place, municipality, schools[0], users, plan, school_year)
        if place.country == "CZ":
            _contacts(municipality, service, users, seed)
            _fostercare(municipality, service, users, seed)
    return {"children": created, "users": len(users), "concerns": concerns}


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


# What a teacher might write, in each country's language; the stage each demo concern is at.
CONCERN_TEXTS = {
    "HU": (
        "Harmadik napja éhesen érkezik, kabát nélkül, pedig hideg van.",
        "Anya azt mondta, ma nincs vacsora.",
        "Megbeszélés a gyerekkel és a szülőkkel.",
    ),
    "CZ": (
        "Třetí den přišel bez svačiny a bez bundy, i když je zima.",
        "Máma říkala, že dneska večeře nebude.",
        "Rozhovor s dítětem a s rodiči.",
    ),
    "DK": (
        "Tredje dag i træk kommer han sulten og uden jakke, selvom det er koldt.",
        "Mor sagde, at der ikke er aftensmad i dag.",
        "Samtale med barnet og forældrene.",
    ),
}
DEMO_STAGES = [
    # (status, days since receipt, immediate danger, decision)
    (Concern.Status.DRAFT, None, False, ""),
    (Concern.Status.TRIAGED, 0, True, Concern.Decision.ESCALATE),
    (Concern.Status.SUBMITTED, 12, False, ""),
    (Concern.Status.ACKNOWLEDGED, 3, False, ""),
    (Concern.Status.TRIAGED, 20, False, Concern.Decision.WELLBEING_CONVERSATION),
    (Concern.Status.CLOSED, 60, False, Concern.Decision.ADVICE),
    (Concern.Status.TRIAGED, 45, False, Concern.Decision.CASE),
]


def _concerns(place: Place, municipality, school, group, users) -> int:
    """Concerns at every stage, some overdue, reported by the demo educator about children of
    their class. Deadlines are computed from the profile as for a real report."""
    reporter = users[Role.EDUCATOR]
    children = list(
        Child.objects.filter(enrolments__group=group, restricted=False).order_by(
            "search_name", "pk"
        )[: len(DEMO_STAGES)]
    )
    what, words, reason = CONCERN_TEXTS[place.country]
    profile = profile_for(municipality)
    made = 0
    if not children:
        return 0
    for index, (status, days, danger, decision) in enumerate(DEMO_STAGES):
        child = children[index % len(children)]
        marker = f"{what} (#{index + 1})"
        if Concern.objects.filter(reporter=reporter, what_happened=marker).exists():
            continue
        received = None if days is None else timezone.now() - timedelta(days=days, hours=2)
        concern = Concern.objects.create(
            municipality=municipality,
            institution=school,
            reporter=reporter,
            status=status,
            profile=None if received is None else profile,
            received_at=received,
            immediate_danger=danger,
            what_happened=marker,
            child_words=words,
            categories=["neglect", "poverty_housing"],
            parents_know=Concern.ParentsKnow.NO,
            parents_not_told_why="—",
            decision=decision,
            decision_reason=reason if decision else "",
            decided_by=users[Role.SOCIAL_HELPER] if decision else None,
            decided_at=received + timedelta(days=1) if decision else None,
        )
        concern.children.create(child=child, role=ConcernChild.Role.HARMED)
        if received is not None:
            for due in deadlines_for(
                profile=profile,
                municipality=municipality,
                received_at=received,
                reporter_kind=concern.reporter_kind,
                immediate_danger=danger,
                reporter_requested_feedback=True,
            ):
                concern.deadlines.create(
                    code=due.code,
                    label=str(due.label),
                    basis=str(due.basis),
                    due_at=due.due_at,
                    met_at=received + timedelta(hours=20) if decision else None,
                )
            refresh_next_due([concern.pk])
        made += 1
    return made


# Reports that reached the social helper outside earlyhelp, as each country's rules allow them:
# (country, channel, reporter kind, private person's name or "" for anonymous, danger).
DEMO_RECEIVED = {
    "HU": ("oral", "professional", "", True),  # an oral urgent signal awaiting its written one
    "CZ": ("written", "citizen", "Soused (jméno ve spisu)", False),
    "DK": ("written", "citizen", "", False),  # a private person who stays anonymous
}


def _received_outside(place: Place, school, group, users) -> int:
    from earlyhelp.concerns.services import concern_record

    channel, kind, name, danger = DEMO_RECEIVED[place.country]
    helper = users[Role.SOCIAL_HELPER]
    if Concern.objects.filter(received_by=helper).exists():
        return 0
    child = (
        Child.objects.filter(enrolments__group=group, restricted=False)
        .order_by("-search_name", "pk")
        .first()
    )
    if child is None:
        return 0
    what, words, _reason = CONCERN_TEXTS[place.country]
    concern_record(
        user=helper,
        institution=school,
        data={
            "immediate_danger": danger,
            "what_happened": what,
            "child_words": words,
            "categories": ["neglect"],
            "parents_know": Concern.ParentsKnow.UNSURE,
            "feedback_requested": kind == "professional",
        },
        children=[{"child": child, "role": ConcernChild.Role.HARMED}],
        channel=channel,
        reporter_kind=kind,
        received_at=timezone.now() - timedelta(hours=3),
        reporter=users[Role.EDUCATOR] if kind == "professional" else None,
        reporter_name=name,
        reporter_contact="",
    )
    return 1


def _absences(school, group, users) -> None:
    """A class register with one child past the threshold (where the profile sets one) and
    one close to it."""
    from earlyhelp.absences.models import Absence
    from earlyhelp.absences.services import absence_record

    if Absence.objects.filter(institution=school).exists():
        return
    children = list(
        Child.objects.filter(enrolments__group=group, restricted=False).order_by(
            "search_name", "pk"
        )[:2]
    )
    today = timezone.localdate()
    for child, hours in zip(children, ((4, 4, 3), (3, 3, 2)), strict=False):
        for back, amount in enumerate(hours, start=1):
            absence_record(
                user=users[Role.EDUCATOR],
                child=child,
                institution=school,
                day=max(today - timedelta(days=back), date(today.year, 1, 1)),
                amount=amount,
                excused=False,
            )


# Cases at every stage, in each country's language: (title, why opened, a contact, a session with
# the child, a note and its correction, the crisis case's reason, the closed case's note).
CASE_TEXTS = {
    "HU": {
        "goal": "Minden nap iskolába megy, és reggelizik előtte.",
        "steps": ("Reggel hétkor ébreszti a gyereket.", "Időpontot kér a lakhatási támogatáshoz."),
        "family": (
            "A család gondozása",
            "Ismétlődő jelzések elhanyagolásról; a család együttműködik.",
        ),
        "contact": ("Családlátogatás", "Az anya otthon volt, a lakás hideg, a tüzelő elfogyott."),
        "session": (
            "Beszélgetés a gyerekkel",
            "Azt mondta, szeret iskolába járni, mert ott meleg van.",
        ),
        "note": ("Egyeztetés az iskolával", "Az osztályfőnök szerint a hiányzások csökkentek."),
        "fix": (
            "Egyeztetés az iskolával",
            "Az osztályfőnök és az iskolai szociális segítő szerint a hiányzások csökkentek.",
        ),
        "crisis": (
            "Krízisgondozás",
            "Az apa elhagyta a családot; az anya egyedül maradt három gyerekkel.",
        ),
        "closed": ("Lezárt családgondozás", "A célok teljesültek, a család rendezte a lakhatást."),
    },
    "CZ": {
        "goal": "Chodí každý den do školy a předtím se nasnídá.",
        "steps": ("Ráno v sedm dítě vzbudí.", "Domluví termín kvůli příspěvku na bydlení."),
        "family": ("Práce s rodinou", "Opakovaná oznámení o zanedbávání; rodina spolupracuje."),
        "contact": ("Návštěva v rodině", "Matka byla doma, v bytě je zima, došlo topení."),
        "session": ("Rozhovor s dítětem", "Řekl, že chodí rád do školy, protože je tam teplo."),
        "note": ("Konzultace se školou", "Podle třídní učitelky se absence snížila."),
        "fix": (
            "Konzultace se školou",
            "Podle třídní učitelky a školní sociální pracovnice se absence snížila.",
        ),
        "crisis": ("Krizová pomoc", "Otec od rodiny odešel; matka zůstala sama se třemi dětmi."),
        "closed": ("Uzavřená práce s rodinou", "Cíle byly splněny, rodina vyřešila bydlení."),
    },
    "DK": {
        "goal": "Han går i skole hver dag og spiser morgenmad først.",
        "steps": ("Vækker barnet klokken syv.", "Aftaler et møde om boligstøtte."),
        "family": ("Familiesag", "Gentagne bekymringer om omsorgssvigt; familien samarbejder."),
        "contact": ("Hjemmebesøg", "Mor var hjemme, lejligheden var kold, der var intet brænde."),
        "session": (
            "Samtale med barnet",
            "Han sagde, at han kan lide at gå i skole, fordi der er varmt.",
        ),
        "note": ("Samtale med skolen", "Ifølge klasselæreren er fraværet faldet."),
        "fix": (
            "Samtale med skolen",
            "Ifølge klasselæreren og skolens socialrådgiver er fraværet faldet.",
        ),
        "crisis": ("Krisehjælp", "Far har forladt familien; mor er alene med tre børn."),
        "closed": ("Afsluttet familiesag", "Målene er nået, familien har fundet en bolig."),
    },
}


def _cases(place: Place, municipality, service, group, users) -> None:
    """An open family case opened from a concern (with contacts, a session, a note and its
    correction), a crisis case, a closed case and a restricted one. Written as they would have
    happened over the last weeks (so directly, not through the services, which date everything
    now); the team is named on the children's records as the services do."""
    from earlyhelp.cases.models import Case, CaseChild, CaseConcern, CaseMember, ChronologyEntry
    from earlyhelp.cases.services import _name_on_children

    if Case.objects.filter(municipality=municipality).exists():
        return
    texts = CASE_TEXTS[place.country]
    helper, worker = users[Role.SOCIAL_HELPER], users[Role.CASE_WORKER]
    now = timezone.now()
    children = list(
        Child.objects.filter(enrolments__group=group).order_by("search_name", "pk")[:12]
    )
    open_children = [c for c in children if not c.restricted]
    restricted = next((c for c in children if c.restricted), None)
    from_concern = (
        Concern.objects.filter(municipality=municipality, decision=Concern.Decision.CASE)
        .order_by("pk")
        .first()
    )

    def case(key, kind, days, lead, members, kids, **extra):
        title, reason = texts[key]
        made = Case.objects.create(
            municipality=municipality, service=service, title=title, kind=kind, reason=reason,
            lead_worker=lead, opened_at=now - timedelta(days=days), opened_by=helper, **extra,
        )  # fmt: skip
        CaseChild.objects.bulk_create(CaseChild(case=made, child=kid) for kid in kids)
        for user, role in members:
            CaseMember.objects.create(case=made, user=user, role=role)
            _name_on_children(made, user)
        entry(made, "opened", days, helper, _("Case opened"), reason)
        return made

    def entry(made, kind, days, author, title, text="", corrects=None):
        return ChronologyEntry.objects.create(
            case=made, kind=kind, happened_at=now - timedelta(days=days, hours=3), author=author,
            title=title, text=text, corrects=corrects,
        )  # fmt: skip

    team = [(worker, CaseMember.Role.LEAD), (helper, CaseMember.Role.SOCIAL_HELPER)]
    named = from_concern.children.filter(child__isnull=False).first() if from_concern else None
    family_children = [named.child] if named else open_children[:1]
    family = case("family", Case.Kind.FAMILY, 40, worker, team, family_children)
    if named is not None:
        CaseConcern.objects.create(case=family, concern=from_concern, linked_by=helper)
        title = _("Concern #%(n)s from %(institution)s") % {
            "n": from_concern.pk,
            "institution": from_concern.institution.name,
        }
        entry(family, "concern", 44, helper, title)
    _plan(family, family_children[0], texts, worker, helper, now)
    entry(family, "contact", 35, worker, *texts["contact"])
    entry(family, "session", 21, helper, *texts["session"])
    wrong = entry(family, "note", 10, worker, *texts["note"])
    entry(family, "note", 9, worker, *texts["fix"], corrects=wrong)
    others = [c for c in open_children if c not in family_children]
    crisis = case("crisis", Case.Kind.CRISIS, 5, helper, [(helper, CaseMember.Role.LEAD)],
                  others[1:3])  # fmt: skip
    for day in range(4, -1, -1):
        entry(crisis, "contact", day, helper, texts["contact"][0])
    closed = case(
        "closed", Case.Kind.FAMILY, 200, worker, [(worker, CaseMember.Role.LEAD)],
        others[3:4], status=Case.Status.CLOSED, closed_at=now - timedelta(days=20),
        closure_reason=Case.ClosureReason.GOALS_MET, outcome=Case.Outcome.IMPROVED,
    )  # fmt: skip
    entry(closed, "closed", 20, worker, _("Case closed"), texts["closed"][1])
    if restricted is not None:
        case("family", Case.Kind.FAMILY, 15, worker, [(worker, CaseMember.Role.LEAD)],
             [restricted], restricted=True)  # fmt: skip


def _plan(case, child, texts, worker, helper, now) -> None:
    """The family case's problem map (two assessments, so the change shows) and a plan with a
    step done and one overdue."""
    from earlyhelp.cases.models import Goal, PlanAction, PlanReview, ProblemAssessment

    today = now.date()
    for days, severities in ((38, {"housing": 4, "school": 4, "finances": 3}),
                             (6, {"housing": 3, "school": 2, "finances": 3})):  # fmt: skip
        ProblemAssessment.objects.bulk_create(
            ProblemAssessment(
                case=case,
                domain=domain,
                severity=severity,
                assessed_by=worker,
                assessed_on=today - timedelta(days=days),
            )  # fmt: skip
            for domain, severity in severities.items()
        )
    goal = Goal.objects.create(
        case=case, child=child, text=texts["goal"], domain="school", created_by=worker
    )
    parent_step, worker_step = texts["steps"]
    PlanAction.objects.create(
        goal=goal, text=parent_step, owner_kind="parent", owner_name=child.family_name,
        due_on=today - timedelta(days=20), status="done", done_on=today - timedelta(days=22),
    )  # fmt: skip
    PlanAction.objects.create(
        goal=goal, text=worker_step, owner_kind="professional", owner=worker,
        due_on=today - timedelta(days=2),
    )  # fmt: skip
    from earlyhelp.cases.models import CaseConference, ConferenceDecision

    conference = CaseConference.objects.create(
        case=case, kind="discussion", held_at=now - timedelta(days=7), agenda=texts["goal"],
        minutes=texts["note"][1], created_by=worker,
    )  # fmt: skip
    conference.attendees.set([worker, helper])
    ConferenceDecision.objects.create(
        conference=conference, text=worker_step, step=goal.actions.get(owner=worker),
        decided_by=worker,
    )  # fmt: skip
    _safety(case, child, texts, worker, helper, today)
    PlanReview.objects.create(
        case=case, reviewed_on=today - timedelta(days=6), reviewed_by=helper,
        note=texts["session"][1], next_review_on=today - timedelta(days=6) + case.review_every,
    )  # fmt: skip


def _safety(case, child, texts, worker, helper, today) -> None:
    """The family case's Signs of Safety: a map in each column, a danger statement in two
    versions and a safety goal, and two people's scaling answers over five weeks."""
    from earlyhelp.safety.models import MappingItem, ScalingAnswer, Statement

    for category, text in (
        ("harm", texts["contact"][1]),
        ("danger", texts["family"][1]),
        ("strength", texts["session"][1]),
        ("safety", texts["note"][1]),
        ("next_step", texts["steps"][1]),
    ):
        MappingItem.objects.create(case=case, category=category, text=text, author=worker)
    Statement.objects.create(case=case, kind="danger", number=1, text=texts["family"][1],
                             author=worker)  # fmt: skip
    Statement.objects.create(case=case, kind="danger", number=2, text=texts["crisis"][1],
                             author=helper)  # fmt: skip
    Statement.objects.create(case=case, kind="goal", number=1, text=texts["goal"], author=worker)
    from earlyhelp.safety.models import NetworkMember, SafetyRule, ThreeHouses

    ThreeHouses.objects.create(
        case=case, child=child, held_on=today - timedelta(days=20), worries=texts["crisis"][1],
        good_things=texts["session"][1], dreams=texts["goal"], recorded_by=helper,
    )  # fmt: skip
    holder = NetworkMember.objects.create(
        case=case, name=child.family_name, relation="—", agreed=texts["steps"][0], added_by=worker
    )
    SafetyRule.objects.create(
        case=case, text=texts["steps"][0], holder=holder,
        review_on=today + timedelta(days=14), added_by=worker,
    )  # fmt: skip
    for days, parent_score, worker_score in ((35, 3, 2), (21, 4, 4), (6, 6, 5)):
        answered = today - timedelta(days=days)
        ScalingAnswer.objects.create(
            case=case, respondent="parent", respondent_name=child.family_name,
            score=parent_score, answered_on=answered, recorded_by=worker,
        )  # fmt: skip
        ScalingAnswer.objects.create(
            case=case, respondent="worker", respondent_name=worker.get_full_name() or "—",
            score=worker_score, answered_on=answered, recorded_by=worker,
        )  # fmt: skip


def _safety_meeting(place: Place, municipality, school, users) -> None:
    """A Signs of Safety meeting the social helper held with the school's staff."""
    from earlyhelp.safety.models import SafetyMeeting

    if SafetyMeeting.objects.filter(institution=school).exists():
        return
    texts = CASE_TEXTS[place.country]
    SafetyMeeting.objects.create(
        municipality=municipality, institution=school, facilitator=users[Role.SOCIAL_HELPER],
        held_on=date.today() - timedelta(days=9), topic=CONCERN_TEXTS[place.country][0][:300],
        participants="—", worried=texts["family"][1], working=texts["session"][1],
        needs=texts["steps"][1], scale=6, next_steps=texts["steps"][0],
    )  # fmt: skip


# --- A term of activities ------------------------------------------------------------------------

# What the social helper of each country runs this term, in its language. Notes of held meetings
# rotate; `cancelled` holds why a meeting did not take place (a school break, illness).
ACTIVITY_TEXTS = {
    "HU": {
        "tutoring": (
            "Felzárkóztató korrepetálás – olvasás és matematika",
            "Heti kiscsoportos felzárkóztatás alsósoknak: olvasás, szövegértés, matematika.",
            "Könyvtárszoba",
        ),
        "tutoring_notes": (
            "Szorzótábla játékosan; mindenki aktív volt.",
            "Szövegértés: mesefeldolgozás párokban.",
            "Törtek pizzával; két gyerek plusz feladatot kért.",
            "Olvasási verseny; nagy volt a lelkesedés.",
        ),
        "cancelled": ("Elmaradt: őszi szünet.", "Elmaradt: a segítő beteg volt."),
        "left": "A család elköltözött, a gyerek másik iskolába jár.",
        "achieved": "Matematikából kettest javított négyesre.",
        "partly": "Az olvasása sokat fejlődött, a matematika még nehéz.",
        "club": (
            "Baba-mama klub",
            "Kéthetente beszélgetés kisgyermekes anyákkal: alvás, étkezés, játék, ügyintézés.",
            "Tornaszoba",
        ),
        "club_notes": (
            "Téma: az alvás és az esti rutin.",
            "Vendég a védőnő: a hozzátáplálás.",
            "Közös játék a babákkal, tapasztalatcsere.",
        ),
        "mentoring": (
            "Mentorálás – tanulási motiváció",
            "Heti négyszemközti alkalom: célok, füzetvezetés, házi feladat.",
            "A szociális segítő irodája",
        ),
        "mentoring_notes": (
            "Átbeszéltük a heti célokat; a füzetvezetés javult.",
            "Elkészült a házi feladat-terv a hétre.",
        ),
        "authorities": (
            "Ügyintézés segítése – rendszeres gyermekvédelmi kedvezmény",
            "Az anya a kérelem kitöltéséhez és beadásához kért segítséget.",
            "Kormányablak",
        ),
        "authorities_note": "A kérelmet együtt kitöltöttük és beadtuk.",
        "authorities_outcome": "A kedvezményt megállapították.",
        "individual": (
            "Egyéni beszélgetés – konfliktus az osztálytársakkal",
            "Az osztályfőnök kérésére.",
            "A szociális segítő irodája",
        ),
        "wellbeing": (
            "Beszélgetés a gyermek jóllétéről",
            "A szűrés után, a szülő beleegyezésével.",
            "A szociális segítő irodája",
        ),
        "wellbeing_notes": (
            "Elmondta, hogy a szünetekben gyakran egyedül van; megbeszéltük, kihez fordulhat.",
            "Azóta két osztálytársával ebédel; jobban érzi magát.",
        ),
        "health_day": (
            "Egészségnap az iskolában",
            "Szűrések, sportversenyek, egészséges uzsonna; a szülők is jöttek.",
            "Tornaterem és udvar",
        ),
        "health_day_note": "Fogászati és látásszűrés, váltófutás, közös főzés a szülőkkel.",
        "workshop": (
            "early_intervention",
            "Műhely: korai beavatkozás – hogyan vegyük észre időben a bajt?",
            "Tanári",
        ),
        "next_workshop": ("child_perspective", "Műhely: a gyermek nézőpontja – a Három ház"),
        "workshop_note": "Esetek a gyakorlatból, a jelzőlap kitöltése lépésről lépésre.",
        "feedback": (
            "Nagyon gyakorlatias volt, a jelzőlap kitöltése most már világos.",
            "Jó lenne folytatni esetmegbeszéléssel.",
        ),
        "sparring_done": (
            "Az osztályban két gyerek rendszeresen kiközösít egy harmadikat. Hogyan kezeljem?",
            "Szerda délelőtt",
            "Szerdán a 3. óra után ráérek, a tanáriban.",
            "Tanári",
            "Megbeszéltük az osztályfőnöki óra tervét és a szülők bevonását.",
        ),
        "sparring_waiting": (
            "Egy szülő minden reggel kiabál velem a kapuban. Hogyan beszéljek vele?",
            "Hétfő vagy csütörtök 12 és 14 óra között",
        ),
        "head": "igazgató",
    },
    "CZ": {
        "tutoring": (
            "Doučování – čtení a matematika",
            "Týdenní doučování v malé skupině pro žáky prvního stupně.",
            "Knihovna",
        ),
        "tutoring_notes": (
            "Násobilka hrou; všichni byli aktivní.",
            "Porozumění textu: práce ve dvojicích.",
            "Zlomky na pizze; dva žáci chtěli úkol navíc.",
            "Čtenářská soutěž; velké nadšení.",
        ),
        "cancelled": ("Odpadlo: podzimní prázdniny.", "Odpadlo: nemoc pracovnice."),
        "left": "Rodina se odstěhovala, dítě chodí do jiné školy.",
        "achieved": "Z matematiky si zlepšil známku ze čtyřky na dvojku.",
        "partly": "Čtení se hodně zlepšilo, matematika je stále těžká.",
        "club": (
            "Klub maminek s miminky",
            "Jednou za dva týdny setkání maminek s malými dětmi: spánek, jídlo, hra, úřady.",
            "Herna",
        ),
        "club_notes": (
            "Téma: spánek a večerní rituály.",
            "Host z dětské poradny: příkrmy.",
            "Společná hra s dětmi, sdílení zkušeností.",
        ),
        "mentoring": (
            "Mentoring – motivace k učení",
            "Týdenní setkání mezi čtyřma očima: cíle, sešity, domácí úkoly.",
            "Kancelář sociální pracovnice",
        ),
        "mentoring_notes": (
            "Prošli jsme cíle na týden; sešity jsou v pořádku.",
            "Připravili jsme plán domácích úkolů na týden.",
        ),
        "authorities": (
            "Doprovod na úřad – příspěvek na bydlení",
            "Matka požádala o pomoc s vyplněním a podáním žádosti.",
            "Úřad práce",
        ),
        "authorities_note": "Žádost jsme spolu vyplnili a podali.",
        "authorities_outcome": "Příspěvek byl přiznán.",
        "individual": (
            "Individuální rozhovor – konflikt se spolužáky",
            "Na žádost třídní učitelky.",
            "Kancelář sociální pracovnice",
        ),
        "wellbeing": (
            "Rozhovor o pohodě dítěte",
            "Po screeningu, se souhlasem rodiče.",
            "Kancelář sociální pracovnice",
        ),
        "wellbeing_notes": (
            "Řekl(a), že je o přestávkách často sám/sama; domluvili jsme se, na koho se obrátit.",
            "Od té doby obědvá se dvěma spolužáky; cítí se lépe.",
        ),
        "health_day": (
            "Den zdraví ve škole",
            "Preventivní prohlídky, sportovní soutěže, zdravá svačina; přišli i rodiče.",
            "Tělocvična a hřiště",
        ),
        "health_day_note": "Prohlídka zubů a zraku, štafeta, společné vaření s rodiči.",
        "workshop": (
            "parent_cooperation",
            "Workshop: spolupráce s rodiči",
            "Sborovna",
        ),
        "next_workshop": ("early_intervention", "Workshop: děti v ohrožení – včasná pomoc"),
        "workshop_note": "Příklady z praxe, nácvik rozhovoru s rodičem.",
        "feedback": (
            "Velmi praktické, hodně příkladů z praxe.",
            "Uvítala bych pokračování s případovou konferencí.",
        ),
        "sparring_done": (
            "Ve třídě dva žáci soustavně vylučují třetího z kolektivu. Jak na to?",
            "Středa dopoledne",
            "Ve středu po třetí hodině, ve sborovně.",
            "Sborovna",
            "Probrali jsme plán třídnické hodiny a zapojení rodičů.",
        ),
        "sparring_waiting": (
            "Jeden rodič na mě každé ráno u brány křičí. Jak s ním mluvit?",
            "Pondělí nebo čtvrtek 12–14 h",
        ),
        "head": "ředitel školy",
    },
    "DK": {
        "tutoring": (
            "Lektiehjælp – læsning og matematik",
            "Ugentlig lektiehjælp på små hold for indskolingen.",
            "Biblioteket",
        ),
        "tutoring_notes": (
            "Tabeller som leg; alle var aktive.",
            "Læseforståelse i par.",
            "Brøker med pizza; to elever bad om flere opgaver.",
            "Læsekonkurrence; stor begejstring.",
        ),
        "cancelled": ("Aflyst: efterårsferie.", "Aflyst: medarbejderen var syg."),
        "left": "Familien er flyttet; barnet går nu på en anden skole.",
        "achieved": "Har fået det meget bedre med matematik.",
        "partly": "Læsningen er blevet bedre, matematik er stadig svært.",
        "club": (
            "Mor-barn-gruppe",
            "Hver anden uge for mødre med små børn: søvn, mad, leg og kontakt med myndigheder.",
            "Fællesrummet",
        ),
        "club_notes": (
            "Tema: søvn og aftenrutiner.",
            "Sundhedsplejersken på besøg: overgang til fast føde.",
            "Fælles leg med børnene og erfaringsudveksling.",
        ),
        "mentoring": (
            "Mentorforløb – lyst til at lære",
            "Ugentlig samtale på tomandshånd: mål, hæfter, lektier.",
            "Den socialfaglige medarbejders kontor",
        ),
        "mentoring_notes": (
            "Vi gennemgik ugens mål; hæfterne er i orden.",
            "Vi lavede en lektieplan for ugen.",
        ),
        "authorities": (
            "Hjælp til ansøgning om boligstøtte",
            "Mor bad om hjælp til at udfylde og sende ansøgningen.",
            "Borgerservice",
        ),
        "authorities_note": "Vi udfyldte og sendte ansøgningen sammen.",
        "authorities_outcome": "Boligstøtten er bevilget.",
        "individual": (
            "Individuel samtale – konflikt med klassekammerater",
            "Efter ønske fra klasselæreren.",
            "Den socialfaglige medarbejders kontor",
        ),
        "wellbeing": (
            "Trivselssamtale",
            "Efter screeningen, efter aftale med forældre og skole.",
            "Den socialfaglige medarbejders kontor",
        ),
        "wellbeing_notes": (
            "Fortalte, at frikvartererne ofte tilbringes alene; vi aftalte, hvem man kan gå til.",
            "Spiser nu frokost med to klassekammerater; har det bedre.",
        ),
        "health_day": (
            "Sundhedsdag på skolen",
            "Sundhedstjek, sportsdyst og sund mad; forældrene var med.",
            "Gymnastiksal og skolegård",
        ),
        "health_day_note": "Tandtjek og synstest, stafet, fælles madlavning med forældrene.",
        "workshop": (
            "child_perspective",
            "Workshop: Inddragelse af barnets perspektiver",
            "Personalerummet",
        ),
        "next_workshop": ("parent_cooperation", "Workshop: Forældresamarbejde"),
        "workshop_note": "Cases fra praksis; De Tre Huse afprøvet i par.",
        "feedback": (
            "Meget praksisnært; De Tre Huse giver god mening.",
            "Gerne en opfølgning til foråret.",
        ),
        "sparring_done": (
            "To elever i klassen holder systematisk en tredje udenfor. Hvordan griber jeg det an?",
            "Onsdag formiddag",
            "Onsdag efter 3. lektion i personalerummet.",
            "Personalerummet",
            "Vi gennemgik planen for klassens tid og inddragelsen af forældrene.",
        ),
        "sparring_waiting": (
            "En forælder råber ad mig ved porten hver morgen. Hvordan taler jeg med ham?",
            "Mandag eller torsdag kl. 12–14",
        ),
        "head": "skoleleder",
    },
}
# The week of each country's autumn break (HU őszi szünet, CZ podzimní prázdniny, DK
# efterårsferie): no meetings are held in it.
BREAK_WEEK = {"HU": 44, "CZ": 44, "DK": 42}


def _on_weekday(day: date, weekday: int) -> date:
    """The first day on or after `day` that falls on `weekday` (0 Monday … 4 Friday)."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _next_school_day(day: date) -> date:
    return day if day.weekday() < 5 else _on_weekday(day, 0)


def _term_start(today: date) -> date:
    """The first day of the current term: 1 September, or 18 weeks back later in the year;
    at least six weeks back, so that a demo made early in September has a past too."""
    september = date(today.year - (today.month < 9), 9, 1)
    return min(max(september, today - timedelta(weeks=18)), today - timedelta(weeks=6))


def _local(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _activities(place: Place, municipality, school, kindergarten, users, plan, seed) -> None:
    """The social helper's term: a weekly catch-up group and a fortnightly baby-mama club with
    attendance taken at every past meeting, mentoring, individual help, a wellbeing
    conversation with the agreement the jurisdiction requires, a health day, a staff workshop
    with feedback (and the next one open for registration), and two sparring requests from the
    educator: one held, one waiting. Made through the services, so rules and audit apply; the
    few things the services date today (a request's date, a held sparring) are moved back."""
    from earlyhelp.activities import services as act
    from earlyhelp.activities.catalogue import ensure_catalogue
    from earlyhelp.activities.models import Activity, Participant, Session, SparringRequest

    helper, educator = users[Role.SOCIAL_HELPER], users[Role.EDUCATOR]
    lead = users[Role.INSTITUTION_LEAD]
    texts = ACTIVITY_TEXTS[place.country]
    if Activity.objects.filter(
        municipality=municipality, lead=helper, title=texts["tutoring"][0]
    ).exists():
        return
    ensure_catalogue(municipality)
    rng = random.Random(f"{seed}-{place.prefix}-activities")
    fake = Faker(place.locale)
    fake.seed_instance(zlib.crc32(f"{seed}-{place.prefix}-activities".encode()))
    today = timezone.localdate()
    start, end = _term_start(today), today + timedelta(weeks=4)
    after_round = plan.completed[1] + timedelta(days=3)
    target = Participant.TargetGroup

    def create(code, key, first, hour, minutes, *, recurrence="once", last=None, where=school,
               **extra):  # fmt: skip
        title, description, room = texts[key]
        return act.activity_create(
            user=helper,
            data={
                "institution": where, "type": municipality.activity_types.get(code=code),
                "title": title, "description": description, "recurrence": recurrence,
                "starts_on": first, "ends_on": last, "start_time": time(hour, 0),
                "minutes": minutes, "place": room, **extra,
            },
        )  # fmt: skip

    def add(activity, people, joined_on, kind="child", counted=True):
        """Enrol people (children, adults, or names written on the day), three in four from
        the action area."""
        made = []
        for index, person in enumerate(people):
            group = target.ELSEWHERE if index % 4 == 3 else target.ACTION_AREA
            made.append(
                act.participant_add(
                    user=helper,
                    activity=activity,
                    joined_on=joined_on,
                    **{kind: person},
                    target_group=group if counted else "",
                )  # fmt: skip
            )
        return made

    def record(activity, notes, *, head_count=None, everyone=False):
        """Take attendance at every meeting that has begun; none in the break week, and one
        meeting of a long series cancelled for illness."""
        now = timezone.now()
        sessions = list(
            activity.sessions.filter(starts_at__lte=now)
            .select_related("activity__type")
            .order_by("starts_at")
        )
        people = list(activity.participants.all())
        for index, session in enumerate(sessions):
            day = timezone.localtime(session.starts_at).date()
            reason = ""
            if len(sessions) > 1 and day.isocalendar().week == BREAK_WEEK[place.country]:
                reason = texts["cancelled"][0]
            elif len(sessions) >= 5 and index == len(sessions) - 4:
                reason = texts["cancelled"][1]
            if reason:
                act.session_record(
                    user=helper, session=session, version=session.version,
                    status=Session.Status.CANCELLED, minutes=session.minutes, note=reason,
                    head_count=None, attendance={},
                )  # fmt: skip
                continue
            # Those expected on the day, as `attendees` lists them for the attendance form.
            attendance = {
                p.pk: "present" if everyone else _attendance(rng)
                for p in people
                if p.joined_on <= day and (p.left_on is None or p.left_on > day)
            }
            act.session_record(
                user=helper, session=session, version=session.version,
                status=Session.Status.HELD, minutes=session.minutes,
                note=notes[index % len(notes)], head_count=head_count, attendance=attendance,
            )  # fmt: skip

    def update(participant, **changes):
        fields = {
            "left_on": participant.left_on, "left_reason": participant.left_reason,
            "outcome": participant.outcome, "outcome_note": participant.outcome_note,
            "target_group": participant.target_group, **changes,
        }  # fmt: skip
        act.participant_update(
            user=helper, participant=participant, version=participant.version, **fields
        )

    pupils = [child for _group, children in plan.classes for child in children]
    joining = [c for c in plan.group_children if c in pupils]
    others = [c for c in pupils if c not in joining and c != plan.wellbeing_child]
    group = rng.sample(others, min(len(others), 12 - len(joining)))

    # A weekly catch-up group on Tuesdays, with a drop-out and outcomes for some.
    tutoring = create("catch_up_tutoring", "tutoring", _on_weekday(start, 1), 13, 60,
                      recurrence="weekly", last=end, capacity=14)  # fmt: skip
    enrolled = add(tutoring, group, start)
    add(tutoring, joining, min(after_round + timedelta(days=4), today))
    left_on = start + timedelta(weeks=6)
    if len(enrolled) > 2 and left_on < today:
        update(enrolled[2], left_on=left_on, left_reason=texts["left"])
    record(tutoring, texts["tutoring_notes"])
    for participant, (outcome, note) in zip(
        enrolled[3:7],
        [("achieved", texts["achieved"]), ("partly", texts["partly"])] * 2,
        strict=False,
    ):
        update(participant, outcome=outcome, outcome_note=note)

    # A fortnightly baby-mama club in the kindergarten, with the case worker.
    from earlyhelp.people.models import Adult

    mothers = list(
        Adult.objects.filter(
            relationships__kind=Relationship.Kind.MOTHER,
            relationships__parental_responsibility=True,
            relationships__child__enrolments__group__institution=kindergarten,
            restricted=False,
        )
        .distinct()
        .order_by("search_name", "pk")[:10]
    )
    club = create("baby_mama_club", "club", _on_weekday(start + timedelta(days=7), 2), 10, 90,
                  recurrence="fortnightly", last=end, where=kindergarten,
                  workers=[users[Role.CASE_WORKER]])  # fmt: skip
    members = add(club, mothers, start + timedelta(days=7), "adult")
    record(club, texts["club_notes"])
    if members:
        update(members[0], outcome="achieved", outcome_note=texts["club_notes"][2])

    # Weekly mentoring of a pupil being watched since the last screening.
    mentee = next((c for c in plan.watched if c in pupils), None) or (others or pupils)[-1]
    mentoring = create("mentoring", "mentoring", _on_weekday(after_round + timedelta(days=7), 3),
                       10, 45, recurrence="weekly", last=end)  # fmt: skip
    add(mentoring, [mentee], mentoring.starts_on)
    record(mentoring, texts["mentoring_notes"], everyone=True)

    # Help with an authority for a parent (held), an individual session with a pupil (planned).
    parent = mothers[-1] if mothers else None
    if parent is not None:
        matter = create("help_with_authorities", "authorities",
                        _on_weekday(today - timedelta(days=24), 0), 9, 90)  # fmt: skip
        helped = add(matter, [parent], matter.starts_on - timedelta(days=7), "adult")
        record(matter, [texts["authorities_note"]], everyone=True)
        update(helped[0], outcome="achieved", outcome_note=texts["authorities_outcome"])
    session_day = _next_school_day(today + timedelta(days=1))
    individual = create("individual_session", "individual", session_day, 11, 45)
    add(individual, [(others or pupils)[0]], today)

    # A wellbeing conversation with the pupil the screening flagged, once the agreement the
    # jurisdiction requires is on record; two held, the next one this week.
    child = plan.wellbeing_child
    if child is not None:
        agreed_on = min(plan.completed[1] + timedelta(days=1), today)
        _wellbeing_agreement(place, child, agreed_on, lead, helper)
        first = _next_school_day(after_round)
        conversation = create("wellbeing_conversation", "wellbeing", first, 11, 45,
                              recurrence="custom")  # fmt: skip
        days = [first, first + timedelta(days=21), _next_school_day(today + timedelta(days=2))]
        act.sessions_plan(
            user=helper, activity=conversation, days=sorted(set(days)), start=time(11, 0),
            minutes=45,
        )  # fmt: skip
        add(conversation, [child], first)
        record(conversation, texts["wellbeing_notes"], everyone=True)

    # A health day: a head count, and a few people named.
    health_day_on = _on_weekday(today - timedelta(days=38), 4)
    health_day = create("health_day", "health_day", health_day_on, 9, 240)
    add(health_day, rng.sample(pupils, min(3, len(pupils))), health_day_on)
    add(health_day, [fake.name(), fake.name()], health_day_on, "name")
    record(health_day, [texts["health_day_note"]], head_count=rng.randint(70, 110), everyone=True)

    # A workshop for staff on one of the three themes of seed 004, with feedback after it; the
    # next one is open for registration.
    theme, title, room = texts["workshop"]
    held_on = _on_weekday(today - timedelta(days=14), 2)
    workshop = act.activity_create(
        user=helper,
        data={
            "institution": school, "type": municipality.activity_types.get(code="staff_workshop"),
            "title": title, "theme": theme, "starts_on": held_on, "start_time": time(14, 0),
            "minutes": 120, "place": room, "capacity": 20,
        },
    )  # fmt: skip
    for staff in (educator, lead):
        act.workshop_register(user=staff, activity=workshop)
    Participant.objects.filter(activity=workshop).update(joined_on=held_on - timedelta(days=10))
    add(workshop, [fake.name() for _n in range(4)], held_on - timedelta(days=7), "name",
        counted=False)  # fmt: skip
    record(workshop, [texts["workshop_note"]])
    for staff, rating, feedback in ((educator, 5, texts["feedback"][0]),
                                    (lead, 4, texts["feedback"][1])):  # fmt: skip
        act.workshop_feedback(user=staff, activity=workshop, rating=rating, feedback=feedback)
    theme, title = texts["next_workshop"]
    upcoming = act.activity_create(
        user=helper,
        data={
            "institution": school, "type": municipality.activity_types.get(code="staff_workshop"),
            "title": title, "theme": theme, "starts_on": _on_weekday(today + timedelta(days=14), 2),
            "start_time": time(13, 0), "minutes": 120, "place": room, "capacity": 15,
        },
    )  # fmt: skip
    act.workshop_register(user=lead, activity=upcoming)

    # Sparring the educator asked for: one scheduled and held, one still waiting.
    topic, when, answer, room, note = texts["sparring_done"]
    asked = act.sparring_request(
        user=educator, institution=school, about=SparringRequest.About.CLASS, topic=topic,
        group=plan.classes[0][0] if plan.classes else None, preferred_times=when,
    )  # fmt: skip
    act.sparring_schedule(
        user=helper, request=asked, version=asked.version,
        starts_at=timezone.now() + timedelta(hours=1), minutes=60, place=room, answer=answer,
    )  # fmt: skip
    asked_on = _on_weekday(today - timedelta(days=24), 0)
    held_on = _on_weekday(asked_on + timedelta(days=2), 2)
    SparringRequest.objects.filter(pk=asked.pk).update(created_at=_local(asked_on, 15))
    Activity.objects.filter(pk=asked.activity_id).update(starts_on=held_on, start_time=time(10, 0))
    Session.objects.filter(activity_id=asked.activity_id).update(starts_at=_local(held_on, 10))
    Participant.objects.filter(activity_id=asked.activity_id).update(joined_on=asked_on)
    sparring = Activity.objects.get(pk=asked.activity_id)
    record(sparring, [note], everyone=True)
    topic, when = texts["sparring_waiting"]
    waiting = act.sparring_request(
        user=educator, institution=school, about=SparringRequest.About.PARENTS, topic=topic,
        preferred_times=when,
    )  # fmt: skip
    SparringRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - timedelta(days=2)
    )


def _attendance(rng: random.Random) -> str:
    draw = rng.random()
    return "present" if draw < 0.82 else "absent" if draw < 0.91 else "excused"


def _wellbeing_agreement(place: Place, child: Child, given_on: date, lead, helper) -> None:
    """Record what a wellbeing conversation with `child` still needs under its jurisdiction:
    a parent's consent (from an adult with parental responsibility) and, in Denmark, the
    school's agreement given by its head."""
    from earlyhelp.activities.services import missing_agreements

    missing = missing_agreements(child)
    if "parent" in missing:
        responsible = (
            Relationship.objects.filter(child=child, parental_responsibility=True)
            .order_by("pk")
            .first()
        )
        Consent.objects.create(
            child=child, purpose=Consent.Purpose.WELLBEING_CONVERSATION,
            given_by=responsible.adult, given_on=given_on, recorded_by=helper,
        )  # fmt: skip
    if "school" in missing:
        head = lead.get_full_name() or lead.get_username()
        Consent.objects.create(
            child=child, purpose=Consent.Purpose.SCHOOL_AGREEMENT,
            given_by_other=f"{head}, {ACTIVITY_TEXTS[place.country]['head']}",
            given_on=given_on, recorded_by=helper,
        )  # fmt: skip


# --- Screening -----------------------------------------------------------------------------------

SCREENING_TEXTS = {
    "HU": {
        "title": "Jólléti szűrés {year} – {n}. kör",
        "comments": (
            "Gyakran egyedül van a szünetekben.",
            "Hetek óta fáradtan érkezik, nem reggelizik.",
            "Sokat hiányzik, a szülőt nehéz elérni.",
            "Hirtelen visszahúzódó lett.",
        ),
        "outcomes": {
            "watch": "Két hét múlva újra megnézzük.",
            "wellbeing_conversation": "Beszélgetés a szociális segítővel, a szülő beleegyezésével.",
            "group": "Bekerült a felzárkóztató csoportba.",
            "safety_meeting": "Signs of Safety megbeszélés a tantestülettel.",
            "concern": "Jelzés a családsegítőnek.",
            "none": "A család már kap segítséget a családsegítőtől.",
        },
        "still": "Továbbra is figyeljük; az osztályfőnök hetente jelez.",
    },
    "CZ": {
        "title": "Screening pohody {year} – {n}. kolo",
        "comments": (
            "O přestávkách bývá často sám.",
            "Už několik týdnů chodí unavený a bez snídaně.",
            "Často chybí, rodiče jsou těžko k zastižení.",
            "Náhle se uzavřel do sebe.",
        ),
        "outcomes": {
            "watch": "Za dva týdny se podíváme znovu.",
            "wellbeing_conversation": "Rozhovor se sociální pracovnicí se souhlasem rodiče.",
            "group": "Zařazen do doučování.",
            "safety_meeting": "Setkání Signs of Safety s učiteli.",
            "concern": "Oznámení pro OSPOD.",
            "none": "Rodina už spolupracuje s OSPOD.",
        },
        "still": "Dál sledujeme; třídní učitelka se ozve každý týden.",
    },
    "DK": {
        "title": "Trivselsscreening {year} – {n}. runde",
        "comments": (
            "Er ofte alene i frikvartererne.",
            "Kommer træt og uden morgenmad i flere uger.",
            "Har meget fravær; forældrene er svære at få fat i.",
            "Er pludselig blevet meget stille.",
        ),
        "outcomes": {
            "watch": "Vi ser på det igen om to uger.",
            "wellbeing_conversation": "Trivselssamtale efter aftale med forældre og skole.",
            "group": "Er startet i lektiehjælpen.",
            "safety_meeting": "Signs of Safety-møde med personalet.",
            "concern": "Bekymring sendt til Socialforvaltningen.",
            "none": "Familien har allerede en sag i Socialforvaltningen.",
        },
        "still": "Vi følger med; klasselæreren melder tilbage hver uge.",
    },
}
# The order in which the flags of the completed round end, after the first wellbeing
# conversation and concern; then watch, group and none in turn.
FLAG_OUTCOMES = ["group", "safety_meeting", "watch", "none"]


@dataclass
class ScreeningPlan:
    """The answers of both rounds worked out before anything is written, so that the
    activities can take in the children the screening pointed to."""

    instrument: object
    classes: list  # [(group, [child, ...])] of the school, the educator's class first
    completed: tuple[date, date]
    running: tuple[date, date]
    first: dict  # child pk → answers in the completed round
    second: dict  # child pk → answers in the running round (for those rated)
    outcomes: dict  # child pk → how the flag of the completed round ended
    wellbeing_child: Child | None = None
    group_children: list = None
    watched: list = None


def _screening_plan(place: Place, classes, seed: int) -> ScreeningPlan:
    """A mostly green class: one child in eight struggling, a few items of some worry
    elsewhere. Between the rounds the children who were helped improve, the ones being
    watched stay as they were, and one child per class starts to worry the teacher."""
    from earlyhelp.screening.models import Instrument

    instrument = Instrument.objects.get(municipality__isnull=True, code="wellbeing")
    codes = list(instrument.items.values_list("code", flat=True))
    today = timezone.localdate()
    completed_opens = _on_weekday(today - timedelta(days=84), 0)
    plan = ScreeningPlan(
        instrument=instrument,
        classes=[
            (
                group,
                list(
                    Child.objects.filter(enrolments__group=group, restricted=False)
                    .order_by("search_name", "pk")
                    .distinct()
                ),
            )
            for group in classes
        ],
        completed=(completed_opens, completed_opens + timedelta(days=14)),
        running=(today - timedelta(days=7), today + timedelta(days=14)),
        first={},
        second={},
        outcomes={},
        group_children=[],
        watched=[],
    )
    from earlyhelp.concerns.models import ConcernChild

    # In the educator's class, the child of the teacher's earliest concern is among the
    # struggling ones, so that one flag ends in that concern.
    first_concern = (
        ConcernChild.objects.filter(child__in=plan.classes[0][1] if plan.classes else [])
        .exclude(concern__status="draft")
        .order_by("concern__received_at", "pk")
        .first()
    )
    with_concern = {first_concern.child_id} if first_concern else set()
    flagged = []
    for index, (_group, children) in enumerate(plan.classes):
        rng = random.Random(f"{seed}-{place.prefix}-screening-{index}")
        count = min(len(children), max(1, len(children) // 8))
        struggling = set(rng.sample(range(len(children)), count))
        struggling |= {n for n, c in enumerate(children) if c.pk in with_concern}
        for n, child in enumerate(children):
            answers = {c: 0 for c in codes}
            if n in struggling:
                worried = rng.sample(codes, rng.choice((2, 3)))
                for code in worried:
                    answers[code] = 1
                if rng.random() < 0.4:
                    answers[worried[0]] = 2
            else:
                for code in codes:
                    draw = rng.random()
                    answers[code] = 2 if draw < 0.004 else 1 if draw < 0.04 else 0
            plan.first[child.pk] = answers
            if instrument.flags(answers):
                flagged.append(child)

    responsible = set(
        Relationship.objects.filter(
            child__in=flagged, parental_responsibility=True, adult__restricted=False
        ).values_list("child_id", flat=True)
    )
    left = list(flagged)

    def take(test) -> Child | None:
        found = next((c for c in left if test(c)), None)
        if found is not None:
            left.remove(found)
        return found

    concern_child = take(lambda c: c.pk in with_concern)
    if concern_child is not None:
        plan.outcomes[concern_child.pk] = "concern"
    plan.wellbeing_child = take(lambda c: c.pk in responsible)
    if plan.wellbeing_child is not None:
        plan.outcomes[plan.wellbeing_child.pk] = "wellbeing_conversation"
    for n, child in enumerate(left):
        plan.outcomes[child.pk] = (FLAG_OUTCOMES + ["watch", "group", "none"])[
            n if n < len(FLAG_OUTCOMES) else len(FLAG_OUTCOMES) + (n - len(FLAG_OUTCOMES)) % 3
        ]
    plan.group_children = [c for c in flagged if plan.outcomes[c.pk] == "group"]
    plan.watched = [c for c in flagged if plan.outcomes[c.pk] == "watch"]

    # The running round: the second class done, the educator's class half rated.
    for index, (_group, children) in enumerate(plan.classes[:2]):
        rng = random.Random(f"{seed}-{place.prefix}-screening-again-{index}")
        rated = children if index == 1 else children[: (len(children) + 1) // 2]
        calm = [c for c in rated if c.pk not in plan.outcomes]
        worse = rng.choice(calm) if calm else None
        for child in rated:
            answers = dict(plan.first[child.pk])
            outcome = plan.outcomes.get(child.pk)
            if outcome in ("wellbeing_conversation", "group", "safety_meeting"):
                answers = {code: max(0, value - 1) for code, value in answers.items()}
            elif child is worse:
                worried = rng.sample(list(answers), 2)
                for code in worried:
                    answers[code] = 1
                if rng.random() < 0.5:
                    answers[worried[0]] = 2
            elif outcome is None:
                for code, value in answers.items():
                    if value < 2 and rng.random() < 0.02:
                        answers[code] = 1 - value
            plan.second[child.pk] = answers
    return plan


def _screening(place: Place, municipality, school, users, plan: ScreeningPlan, school_year):
    """A completed round over the school's classes (every class done, every flag ended) and a
    running one (opened a week ago: one class done, the educator's class half rated, a few
    flags open), written as they happened: the services date everything today."""
    from earlyhelp.activities.models import Activity
    from earlyhelp.safety.models import SafetyMeeting
    from earlyhelp.screening.models import Rating, Round, RoundGroup

    texts = SCREENING_TEXTS[place.country]
    titles = [texts["title"].format(year=school_year, n=n) for n in (1, 2)]
    if not plan.classes or Round.objects.filter(institution=school, title__in=titles).exists():
        return
    helper, educator = users[Role.SOCIAL_HELPER], users[Role.EDUCATOR]
    lead = users[Role.INSTITUTION_LEAD]
    instrument = plan.instrument
    activity_texts = ACTIVITY_TEXTS[place.country]
    own = Activity.objects.filter(municipality=municipality, lead=helper).order_by("pk")
    meeting = SafetyMeeting.objects.filter(institution=school).order_by("pk").first()
    links = {
        "wellbeing_conversation": (
            "activity", own.filter(title=activity_texts["wellbeing"][0]).first()
        ),
        "group": ("activity", own.filter(title=activity_texts["tutoring"][0]).first()),
        "safety_meeting": ("safety_meeting", meeting),
    }  # fmt: skip
    from earlyhelp.concerns.models import Concern

    comment_no = 0

    def rating(round_, group, child, answers, rated_at, rater):
        nonlocal comment_no
        flagged = instrument.flags(answers)
        comment = ""
        if flagged:
            comment = texts["comments"][comment_no % len(texts["comments"])]
            comment_no += 1
        return Rating(
            round=round_, municipality=municipality, child=child, group=group, answers=answers,
            worry=sum(instrument.worry(v) for v in answers.values()), flagged=flagged,
            comment=comment, rated_by=rater, rated_at=rated_at,
        )  # fmt: skip

    def handle(made: Rating, outcome: str, when, reason: str = "", first: bool = False):
        made.outcome = outcome
        made.outcome_reason = reason or texts["outcomes"][outcome]
        made.handled_by = helper
        made.handled_at = when
        field, record = links.get(outcome, (None, None))
        if field and record is not None:
            setattr(made, field, record)
        if outcome == "concern":
            # The flag of the first round ends when the concern is made.
            made.concern = (
                Concern.objects.filter(children__child=made.child)
                .exclude(status="draft")
                .order_by("received_at", "pk")
                .first()
            )
            if made.concern is not None and first:
                made.handled_at = made.concern.received_at

    opens, closes = plan.completed
    completed = Round.objects.create(
        municipality=municipality, institution=school, instrument=instrument, title=titles[0],
        opens_on=opens, closes_on=closes, status=Round.Status.COMPLETE, created_by=helper,
    )  # fmt: skip
    rows, finished = [], []
    for index, (group, children) in enumerate(plan.classes):
        rater = educator if index == 0 else lead
        rated_at = _local(_next_school_day(opens + timedelta(days=1 + index)), 13 + index % 3)
        for child in children:
            made = rating(completed, group, child, plan.first[child.pk], rated_at, rater)
            if made.flagged:
                when = _local(closes + timedelta(days=2), 14)
                handle(made, plan.outcomes[child.pk], when, first=True)
            rows.append(made)
        finished.append(
            RoundGroup(
                round=completed,
                group=group,
                finished_by=rater,
                finished_at=rated_at + timedelta(minutes=20),
            )  # fmt: skip
        )
    Rating.objects.bulk_create(rows)
    RoundGroup.objects.bulk_create(finished)

    opens, closes = plan.running
    running = Round.objects.create(
        municipality=municipality, institution=school, instrument=instrument, title=titles[1],
        opens_on=opens, closes_on=closes, status=Round.Status.OPEN, created_by=helper,
    )  # fmt: skip
    now = timezone.now()
    rows, groups = [], []
    for index, (group, children) in enumerate(plan.classes):
        done = index == 1
        rater = educator if index == 0 else lead
        day = _next_school_day(opens + timedelta(days=4 - 3 * index))
        rated_at = min(now - timedelta(hours=2), _local(day, 12))
        for child in children:
            if child.pk not in plan.second:
                continue
            made = rating(running, group, child, plan.second[child.pk], rated_at, rater)
            # The social helper has seen to the children flagged before (a concern already made
            # is linked again); the new worries are still open.
            before = plan.outcomes.get(child.pk)
            if made.flagged and before is not None:
                handled_at = min(now, rated_at + timedelta(hours=20))
                if before == "concern":
                    handle(made, "concern", handled_at)
                else:
                    handle(made, "watch", handled_at, texts["still"])
            rows.append(made)
        groups.append(
            RoundGroup(
                round=running,
                group=group,
                finished_by=rater if done else None,
                finished_at=rated_at + timedelta(minutes=15) if done else None,
            )  # fmt: skip
        )
    Rating.objects.bulk_create(rows)
    RoundGroup.objects.bulk_create(groups)


# --- Assisted contact: the Czech pilot (seed 001) --------------------------------------------

CONTACT_OBSERVATIONS = {
    "needs": "Všiml si, že je dítěti zima, a půjčil mu mikinu.",
    "warmth": "Přivítal dítě objetím, ptal se na školu a na kamarády.",
    "level": "Hráli spolu pexeso, otec trpělivě vysvětloval pravidla.",
    "boundaries": "Klidně, ale jasně řekl, že se sladkosti jedí až po svačině.",
    "agreements": "Přišel včas a dodržel dohodnutá pravidla.",
    "other_parent": "O matce mluvil s respektem, bez výčitek.",
    "parting": "Rozloučení bylo klidné, domluvili se na příští setkání.",
}
CONTACT_WORDS = (
    "„Táta mi slíbil, že příště přinese stavebnici.“",
    "„Bylo to fajn, ale chci už jít domů.“",
    "„Můžu tátovi ukázat svoje vysvědčení?“",
    "„Dneska jsme hráli nejdéle ze všech.“",
)
CONTACT_INCIDENTS = (
    "Otec se na začátku ptal na soudní jednání; pracovnice ho upozornila na pravidla a dál už "
    "o tom nemluvil.",
    "Dítě se při předávání rozplakalo, po deseti minutách se uklidnilo.",
)


def _contacts(municipality, service, users, seed: int) -> None:
    """Six contact arrangements of the pilot (seed 001: parents in divorce), each with a
    fortnightly series since the start of the term: meetings held and recorded, a few
    cancelled by the carer or missed by the visitor, stages moving forward, one report
    released to the court and one waiting for the supervisor. Planned through the services,
    so the clash rules hold for the demo too."""
    from earlyhelp.contacts import services as contacts
    from earlyhelp.contacts.models import Arrangement, Meeting, Room
    from earlyhelp.contacts.rules import age_on, limits_for

    if Arrangement.objects.filter(municipality=municipality).exists():
        return
    worker, supervisor = users[Role.CASE_WORKER], users[Role.SUPERVISOR]
    rng = random.Random(f"{seed}-contacts")
    rooms = [
        Room.objects.get_or_create(municipality=municipality, service=service, name=name)[0]
        for name in ("Herna 1", "Herna 2")
    ]
    families = [
        child
        for child in Child.objects.filter(municipality=municipality, restricted=False).order_by(
            "pk"
        )
        if child.relationships.filter(kind=Relationship.Kind.FATHER).exists()
        and child.relationships.filter(kind=Relationship.Kind.MOTHER).exists()
    ][:6]
    today = timezone.localdate()
    limits = limits_for(municipality)
    codes = list(CONTACT_OBSERVATIONS)
    for index, child in enumerate(families):
        ChildTeamMember.objects.get_or_create(
            child=child, user=worker, defaults={"note": "asistovaný kontakt"}
        )
        father = child.relationships.get(kind=Relationship.Kind.FATHER).adult
        mother = child.relationships.get(kind=Relationship.Kind.MOTHER).adult
        first = _term_start(today) + timedelta(days=index)
        while first.weekday() > 4:
            first += timedelta(days=1)
        minutes = min(90, limits.max_minutes(age_on(child.birth_date, first)))
        competences = rng.sample(codes, 3)
        arrangement = contacts.arrangement_create(
            user=worker, service=service, child=child,
            data={
                "visitor": father, "carer": mother,
                "basis": ("court_order", "authority", "agreement")[index % 3],
                "basis_reference": f"{20 + index} P {100 + index * 7}/{today.year}"
                if index % 3 == 0 else "",
                "may_attend": "Babička z otcovy strany, po dohodě s pracovnicí."
                if index == 2 else "",
                "restrictions": ["no_proceedings", "no_unsupervised"][: 1 + index % 2],
                "competences": competences, "frequency": "fortnightly", "minutes": minutes,
                "room": rooms[index % 2], "starts_on": first,
            },
        )  # fmt: skip
        slots = contacts.series_slots(
            arrangement, first_day=first, start=time(15, 30 if index % 2 else 0), count=10,
            step_days=14, minutes=minutes, room=rooms[index % 2],
        )  # fmt: skip
        meetings = contacts.meetings_plan(
            user=worker, arrangement=arrangement, slots=slots, room=rooms[index % 2],
            skip_clashes=True,
        )  # fmt: skip
        stage_days = {1: 4, 2: 7}  # the stages reached after so many meetings
        past = [m for m in meetings if m.starts_at <= timezone.now()]
        if index == 3 and past:
            # The last meeting is still to be written up.
            past = past[:-1]
        for number, meeting in enumerate(past):
            for stage, after in stage_days.items():
                if number == after and index < 4 - stage + 2:
                    arrangement.refresh_from_db()
                    contacts.arrangement_stage(
                        user=worker, arrangement=arrangement,
                        stage=Arrangement.Stage.values[stage],
                        on=timezone.localtime(meeting.starts_at).date(), reason="",
                        version=arrangement.version,
                    )  # fmt: skip
            meeting.refresh_from_db()
            roll = rng.random()
            if roll < 0.12:
                contacts.meeting_cancel(
                    user=worker, meeting=meeting, status=Meeting.Status.CANCELLED,
                    caused_by="carer", reason="Dítě je nemocné.", version=meeting.version,
                    notice_given_at=meeting.starts_at - timedelta(hours=rng.choice((3, 20, 50))),
                )  # fmt: skip
                continue
            if roll < 0.2:
                contacts.meeting_cancel(
                    user=worker, meeting=meeting, status=Meeting.Status.NO_SHOW,
                    caused_by="visitor", reason="Otec nepřišel a nebyl k zastižení.",
                    version=meeting.version,
                )  # fmt: skip
                continue
            start = timezone.localtime(meeting.starts_at)
            late = 10 if rng.random() < 0.15 else 0
            handover = (start + timedelta(minutes=5 + late)).time()
            arrived = start + timedelta(minutes=late) if late else start - timedelta(minutes=10)
            early = rng.random() < 0.06
            contacts.meeting_record(
                user=worker, meeting=meeting, version=meeting.version,
                data={
                    "visitor_arrived_at": arrived.time(),
                    "child_arrived_at": start.time(), "handover_at": handover,
                    "ended_at": (start + timedelta(minutes=minutes - (30 if early else 5))).time(),
                    "present": "dítě, otec, pracovnice; matka při předání",
                    "observations": {code: CONTACT_OBSERVATIONS[code] for code in competences
                                     if rng.random() < 0.7},
                    "child_words": rng.choice(CONTACT_WORDS),
                    "incidents": rng.choice(CONTACT_INCIDENTS) if rng.random() < 0.15 else "",
                    "ended_early": early,
                    "early_end_reason": "Dítě bylo unavené a chtělo domů." if early else "",
                    "minutes_late": late or None, "caused_by": "visitor" if late else "",
                },
            )  # fmt: skip
        if index < 2:
            arrangement.refresh_from_db()
            report = contacts.report_create(
                user=worker, arrangement=arrangement,
                recipient="court" if index == 0 else "authority",
                period_from=arrangement.starts_on, period_to=today - timedelta(days=1),
                summary="Kontakty probíhají pravidelně. Otec je na setkání připravený, "
                "spolupracuje s pracovnicí a respektuje dohodnutá pravidla. Dítě se na "
                "setkání těší; doporučujeme pokračovat v asistovaném kontaktu.",
            )  # fmt: skip
            contacts.report_submit(user=worker, report=report, version=report.version)
            if index == 0:
                contacts.report_review(
                    user=supervisor, report=report, release=True, note="",
                    version=report.version,
                )  # fmt: skip


FOSTER_SURNAMES = (
    "Novák", "Svoboda", "Dvořák", "Černý", "Procházka", "Kučera", "Veselý", "Horák", "Němec",
    "Marek", "Pospíšil", "Pokorný", "Hájek", "Král", "Jelínek", "Růžička", "Beneš", "Fiala",
    "Sedláček", "Doležal",
)  # fmt: skip
FOSTER_WOMEN = ("Jana", "Marie", "Eva", "Hana", "Lenka", "Petra", "Lucie", "Alena", "Věra")
FOSTER_MEN = ("Petr", "Jan", "Tomáš", "Martin", "Pavel", "Jiří", "Josef", "Miroslav")
FOSTER_CHILDREN = (
    ("Adam", Sex.MALE), ("Ema", Sex.FEMALE), ("Jakub", Sex.MALE), ("Natálie", Sex.FEMALE),
    ("Matyáš", Sex.MALE), ("Sofie", Sex.FEMALE), ("Vojtěch", Sex.MALE), ("Viktorie", Sex.FEMALE),
    ("Filip", Sex.MALE), ("Anna", Sex.FEMALE), ("David", Sex.MALE), ("Klára", Sex.FEMALE),
)  # fmt: skip
FOSTER_TRAININGS = (
    ("Attachment a traumatizované dítě", 6), ("Komunikace s biologickou rodinou", 4),
    ("První pomoc u dětí", 4), ("Identita dítěte v pěstounské péči", 6),
    ("Sebepéče pěstouna", 3), ("Dospívání a hranice", 5), ("Dítě a škola", 3),
)  # fmt: skip
FOSTER_VISIT_NOTES = (
    "Návštěva v rodině, dítě prospívá, probrána příprava na kontakt s matkou.",
    "Telefonická konzultace a osobní schůzka, pěstounka zvládá péči, domluvena úleva na léto.",
    "Řešena spolupráce se školou a domácí příprava.",
    "Pěstouni unavení, domluvena odlehčovací péče u babičky.",
)
FOSTER_PLAN = (
    ("Absolvovat kurz o traumatu a attachmentu", "Kurz pořádaný doprovázející organizací."),
    ("Zapojit se do svépomocné skupiny pěstounů", "Jednou měsíčně, setkání v komunitním centru."),
    ("Naplánovat odpočinek", "Odlehčení u prarodičů nebo na táboře."),
)


def _fostercare(municipality, service, users, seed: int) -> None:
    """The Czech pilot's 20 foster families (the OPZ indicator) supported by the service: each
    with a support agreement signed one to five years ago, one or two carers, the children
    placed with them (long-term, temporary or with relatives), a year of key-worker visits,
    counselling, training hours and respite days, the methodology's first steps ticked and a
    development plan. Most families meet their requirements; a few are approaching a missed
    requirement (the key worker's visit is due within 30 days, or training hours are short
    near the end of the period) and one has missed the key worker's contact. Written through
    the services, so the rules and the audit hold for the demo too."""
    from earlyhelp.fostercare import services as foster
    from earlyhelp.fostercare.models import Household, MethodStep, Placement, Visit
    from earlyhelp.fostercare.rules import add_months

    if Household.objects.filter(municipality=municipality).exists():
        return
    worker, supervisor = users[Role.CASE_WORKER], users[Role.SUPERVISOR]
    rng = random.Random(f"{seed}-fostercare")
    today = timezone.localdate()
    approaching = {3, 8, 14}  # the key worker's next contact falls due within 30 days
    short_training = 11  # training hours short, the period ending within a month
    missed = 17  # the key worker's contact was missed
    for index, surname in enumerate(FOSTER_SURNAMES):
        by = supervisor if index % 5 == 4 else worker
        relative = index % 6 == 5
        household = foster.household_create(
            user=by, service=service,
            data={"name": f"{_czech_female_surname(surname).removesuffix('ová')}ovi"
                  if not surname.endswith("ý") else f"{surname[:-1]}í",
                  "address": f"{rng.choice(('Lipová', 'Polní', 'Školní', 'Zahradní'))} "
                  f"{rng.randint(1, 120)}, {municipality.name}",
                  "address_protected": index % 7 == 2},
        )  # fmt: skip
        if index == short_training:
            signed = add_months(today, -23) - timedelta(days=10)
        else:
            signed = today - timedelta(days=rng.randint(400, 1800))
        carers = [
            foster.carer_create(
                user=by,
                household=household,
                given_name=rng.choice(FOSTER_WOMEN),
                family_name=_czech_female_surname(surname),
                since=signed,
                phone=f"+420 7{rng.randint(10, 99)} {rng.randint(100, 999)} "
                f"{rng.randint(100, 999)}",
            )  # fmt: skip
        ]
        if index % 3 != 1:
            carers.append(
                foster.carer_create(
                    user=by,
                    household=household,
                    given_name=rng.choice(FOSTER_MEN),
                    family_name=surname,
                    since=signed,
                )  # fmt: skip
            )
        foster.agreement_create(
            user=by, household=household,
            data={"key_worker": worker, "reference": f"DPP {index + 1}/{signed.year}",
                  "signed_on": signed},
        )  # fmt: skip
        placements = []
        for n in range(1 + (index % 4 == 0) + (index % 9 == 0)):
            given, sex = FOSTER_CHILDREN[(index + n * 5) % len(FOSTER_CHILDREN)]
            # Ages from a baby (no respite owed yet) to a teenager.
            born = today - timedelta(days=rng.randint(200, 5800) if n else rng.randint(900, 5800))
            family = surname if sex == Sex.MALE else _czech_female_surname(surname)
            birth_family = rng.choice(("Bartoš", "Vlček", "Kolář", "Urban", "Holub"))
            child = Child.objects.create(
                municipality=municipality, given_name=given,
                family_name=family if relative else (
                    birth_family if sex == Sex.MALE else _czech_female_surname(birth_family)
                ),
                birth_date=born, sex=sex, languages="cs",
            )  # fmt: skip
            ChildTeamMember.objects.get_or_create(
                child=child, user=worker, defaults={"note": "doprovázení pěstounské rodiny"}
            )
            for carer in carers:
                Relationship.objects.create(
                    child=child, adult=carer.adult, kind=Relationship.Kind.FOSTER_CARER,
                    parental_responsibility=False, lives_with_child=True,
                )  # fmt: skip
            kind = (
                Placement.Kind.RELATIVE if relative
                else Placement.Kind.TEMPORARY if index % 8 == 6 else Placement.Kind.LONG_TERM
            )  # fmt: skip
            placed = max(signed, born) + timedelta(days=rng.randint(0, 60))
            placements.append(
                foster.placement_create(
                    user=worker,
                    household=household,
                    child=child,
                    data={"kind": kind, "starts_on": min(placed, today), "ends_on": None},
                )  # fmt: skip
            )
        # A year of the key worker's contacts, about every six weeks; the last one placed so
        # that the family's next contact is comfortably ahead, approaching, or missed.
        if index in approaching:
            last = today - timedelta(days=rng.randint(35, 45))
        elif index == missed:
            last = today - timedelta(days=rng.randint(70, 90))
        else:
            last = today - timedelta(days=rng.randint(3, 25))
        day = last
        while day > max(signed, today - timedelta(days=365)):
            foster.visit_record(
                user=worker, household=household, kind=Visit.Kind.KEY_WORKER_CONTACT, on=day,
                note=rng.choice(FOSTER_VISIT_NOTES),
            )  # fmt: skip
            day -= timedelta(days=rng.randint(38, 52))
        for months_back in (rng.randint(1, 4), rng.randint(7, 10)):
            foster.visit_record(
                user=supervisor, household=household, kind=Visit.Kind.COUNSELLING,
                on=add_months(today, -months_back),
                note="Konzultace s psycholožkou organizace.",
            )  # fmt: skip
        if rng.random() < 0.3:
            foster.visit_record(
                user=worker, household=household, kind=Visit.Kind.OTHER,
                on=today - timedelta(days=rng.randint(10, 200)),
                note="Doprovod na jednání OSPOD.",
            )  # fmt: skip
        # Training: in the current period of the agreement, most carers have done most hours.
        for carer in carers:
            period_start = signed
            while add_months(period_start, 12) <= today:
                period_start = add_months(period_start, 12)
            for start in (add_months(period_start, -12), period_start):
                if start < signed:
                    continue
                goal = 14 if index == short_training and start == period_start else 24
                if start == period_start and index != short_training:
                    # Short of the hours only while the period's end is more than 45 days off.
                    ending = (add_months(start, 12) - today).days <= 45
                    goal = rng.choice((24, 27) if ending else (12, 18, 24, 27))
                done = 0
                titles = list(FOSTER_TRAININGS)
                rng.shuffle(titles)
                for title, hours in titles:
                    if done >= goal:
                        break
                    end = min(today, add_months(start, 12) - timedelta(days=1))
                    on = start + timedelta(days=rng.randint(0, max(0, (end - start).days)))
                    foster.training_record(
                        user=worker, household=household, carer=carer, on=on, title=title,
                        hours=hours,
                    )  # fmt: skip
                    done += hours
        # Respite this year with the first child (at least two years old): a week in summer
        # and one in autumn; the families already behind on a requirement took less.
        placement = placements[0]
        weeks = ((date(today.year, 7, 6), 7), (date(today.year, 10, 12), 7))
        if index in approaching or index == missed:
            weeks = ((date(today.year, 7, 6), rng.randint(3, 6)),)
        for first, length in weeks:
            last_day = first + timedelta(days=length - 1)
            if first < placement.starts_on or last_day >= today:
                continue
            foster.respite_record(
                user=worker, household=household, placement=placement, starts_on=first,
                ends_on=last_day, note=rng.choice(("babička", "letní tábor", "kamarádka rodiny")),
            )  # fmt: skip
        steps = MethodStep.values[: rng.randint(3, len(MethodStep.values))]
        for number, step in enumerate(steps):
            foster.step_set(
                user=worker, household=household, step=step, done=True,
                on=min(today, signed + timedelta(days=30 * number)),
            )  # fmt: skip
        for goal, how in FOSTER_PLAN[: 1 + index % 3]:
            item = foster.development_item_create(
                user=worker, household=household, goal=goal, how=how,
                due_on=today + timedelta(days=rng.randint(30, 200)),
                carer=carers[0] if index % 2 else None,
            )  # fmt: skip
            if rng.random() < 0.3:
                foster.development_item_done(
                    user=worker, item=item, done_on=today - timedelta(days=rng.randint(1, 60)),
                    version=item.version,
                )  # fmt: skip
