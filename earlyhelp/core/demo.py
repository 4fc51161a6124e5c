"""Generated demo data: three municipalities (HU, CZ, DK), one account per role in each, and
children, families, enrolments and consents with locale-appropriate names. Nothing is copied
from real people: every name comes from Faker's generators with a fixed seed, so running it again
finds the same people and creates nothing twice.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_otp.plugins.otp_totp.models import TOTPDevice
from faker import Faker

from earlyhelp.accounts.models import User
from earlyhelp.concerns.models import Concern, ConcernChild, refresh_next_due
from earlyhelp.organisations.models import (
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
        defaults={"starts_on": date(2025, 9, 1)},
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
