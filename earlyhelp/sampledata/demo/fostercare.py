"""The demo's foster-carer support in each place: families with their carers, placed children,
agreements, visits, training and respite (20 families in the Czech place, 6 in the others)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
    ChildTeamMember,
    Relationship,
    Sex,
)
from earlyhelp.sampledata.demo.people import _czech_female_surname

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


def _czech_household(surname: str) -> str:
    """Novák → Novákovi, Černý → Černí: the family as Czech speaks of it."""
    if surname.endswith("ý"):
        return f"{surname[:-1]}í"
    return f"{_czech_female_surname(surname).removesuffix('ová')}ovi"


@dataclass(frozen=True)
class FosterWords:
    """A country's foster families: names, the household's name, the words of the records, and
    how many families the demo supports with which of them behind on a requirement."""

    surnames: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    children: tuple[tuple[str, str], ...]
    birth_families: tuple[str, ...]
    trainings: tuple[tuple[str, int], ...]
    visit_notes: tuple[str, ...]
    plan: tuple[tuple[str, str], ...]
    streets: tuple[str, ...]
    household: Callable[[str], str]
    female: Callable[[str], str]
    phone: str  # the country code
    reference: str  # the agreement's reference, formatted with n and year
    team: str
    counselling: str
    other: str
    respite: tuple[str, ...]
    approaching: frozenset[int]
    short_training: int
    missed: int
    # The municipality's own rules where the country's differ from the app's Czech defaults:
    # (requirement, amount, months, in use).
    rules: tuple[tuple[str, int, int, bool], ...] = ()


FOSTER_WORDS = {
    "CZ": FosterWords(
        surnames=FOSTER_SURNAMES,
        women=FOSTER_WOMEN,
        men=FOSTER_MEN,
        children=FOSTER_CHILDREN,
        birth_families=("Bartoš", "Vlček", "Kolář", "Urban", "Holub"),
        trainings=FOSTER_TRAININGS,
        visit_notes=FOSTER_VISIT_NOTES,
        plan=FOSTER_PLAN,
        streets=("Lipová", "Polní", "Školní", "Zahradní"),
        household=_czech_household,
        female=_czech_female_surname,
        phone="+420",
        reference="DPP {n}/{year}",
        team="doprovázení pěstounské rodiny",
        counselling="Konzultace s psycholožkou organizace.",
        other="Doprovod na jednání OSPOD.",
        respite=("babička", "letní tábor", "kamarádka rodiny"),
        approaching=frozenset({3, 8, 14}),
        short_training=11,
        missed=17,
    ),
    "HU": FosterWords(
        surnames=("Nagy", "Kovács", "Tóth", "Szabó", "Horváth", "Varga"),
        women=("Katalin", "Erzsébet", "Ildikó", "Judit", "Zsuzsanna", "Andrea", "Mónika"),
        men=("László", "István", "Zoltán", "Attila", "Gábor", "Tamás", "Péter"),
        children=(
            ("Bence", Sex.MALE),
            ("Hanna", Sex.FEMALE),
            ("Máté", Sex.MALE),
            ("Zoé", Sex.FEMALE),
            ("Levente", Sex.MALE),
            ("Anna", Sex.FEMALE),
            ("Dominik", Sex.MALE),
            ("Luca", Sex.FEMALE),
        ),
        birth_families=("Balogh", "Lakatos", "Farkas", "Oláh", "Papp"),
        trainings=(
            ("Kötődés és traumatizált gyermek", 6),
            ("Kapcsolat a vér szerinti családdal", 4),
            ("Elsősegély gyermekeknél", 4),
            ("A gyermek identitása a nevelőszülőnél", 6),
            ("A nevelőszülő öngondoskodása", 3),
            ("Kamaszkor és határok", 5),
            ("A gyermek és az iskola", 3),
        ),
        visit_notes=(
            "Családlátogatás, a gyermek jól fejlődik, megbeszéltük az édesanyával való "
            "kapcsolattartást.",
            "Telefonos és személyes konzultáció, a nevelőszülő jól bírja, nyári pihenést "
            "terveztünk.",
            "Az iskolával való együttműködés és a házi feladatok voltak a téma.",
            "A nevelőszülők fáradtak, a nagymamánál pihenőt szerveztünk.",
        ),
        plan=(
            ("Részvétel a traumáról és kötődésről szóló képzésen", "A hálózat képzése."),
            ("Csatlakozás a nevelőszülői önsegítő csoporthoz", "Havonta a családsegítőben."),
            ("Pihenés megtervezése", "A nagyszülőknél vagy táborban."),
        ),
        streets=("Fő utca", "Petőfi utca", "Kossuth utca", "Rákóczi utca"),
        household=lambda surname: f"{surname} család",
        female=lambda surname: surname,
        phone="+36",
        reference="NSZ-{n}/{year}",
        team="nevelőszülői hálózat",
        counselling="Konzultáció a hálózat pszichológusával.",
        other="Kísérés a gyámhivatali tárgyalásra.",
        respite=("nagymama", "nyári tábor", "családbarát"),
        approaching=frozenset({3}),
        short_training=5,
        missed=7,
    ),
    "DK": FosterWords(
        surnames=(
            "Jensen",
            "Nielsen",
            "Hansen",
            "Pedersen",
            "Andersen",
            "Christensen",
            "Larsen",
            "Sørensen",
        ),
        women=("Mette", "Hanne", "Susanne", "Lene", "Camilla", "Louise", "Maria"),
        men=("Jens", "Søren", "Lars", "Henrik", "Thomas", "Morten", "Anders"),
        children=(
            ("William", Sex.MALE),
            ("Ida", Sex.FEMALE),
            ("Noah", Sex.MALE),
            ("Freja", Sex.FEMALE),
            ("Oscar", Sex.MALE),
            ("Emma", Sex.FEMALE),
            ("Carl", Sex.MALE),
            ("Alma", Sex.FEMALE),
        ),
        birth_families=("Madsen", "Kristensen", "Olsen", "Thomsen", "Poulsen"),
        trainings=(
            ("Tilknytning og traumer hos børn", 6),
            ("Samarbejdet med barnets familie", 4),
            ("Førstehjælp til børn", 4),
            ("Barnets identitet i plejefamilien", 6),
            ("Egenomsorg som plejeforælder", 3),
            ("Teenagere og grænser", 5),
            ("Barnet og skolen", 3),
        ),
        visit_notes=(
            "Tilsynsbesøg i hjemmet; barnet trives, samværet med mor blev drøftet.",
            "Telefonsamtale og møde; plejemor har overskud, aflastning i sommerferien aftalt.",
            "Samarbejdet med skolen og lektierne blev drøftet.",
            "Plejeforældrene er trætte; aflastning hos mormor aftalt.",
        ),
        plan=(
            ("Deltage i kursus om traumer og tilknytning", "Kommunens kursus for plejefamilier."),
            ("Deltage i netværksgruppe for plejefamilier", "En gang om måneden."),
            ("Planlægge aflastning", "Hos bedsteforældre eller på lejr."),
        ),
        streets=("Skovvej", "Møllevej", "Skolegade", "Vestergade"),
        household=lambda surname: f"Familien {surname}",
        female=lambda surname: surname,
        phone="+45",
        reference="PF-{year}-{n:03d}",
        team="familieplejen",
        counselling="Supervision ved familieplejens psykolog.",
        other="Deltog i børnesamtale på rådhuset.",
        respite=("mormor", "sommerlejr", "aflastningsfamilie"),
        approaching=frozenset({2}),
        short_training=5,
        missed=6,
        # The demo municipality's own choice, not a reading of Danish law: the key worker
        # visits at least every 6 months, and no respite days are counted.
        rules=(("key_worker_contact", 1, 6, True), ("respite", 14, 12, False)),
    ),
}


def _fostercare(place, municipality, service, users, seed: int) -> None:
    """The foster families the service supports: 20 (33 carers) in the Czech place, whose OPZ
    project counts 20 of the carers (`demo.programmes`), six in each other place, in its
    language and under its country's rules (`FosterWords.rules`). Each with a support
    agreement signed one to five years ago, one or two carers, the children placed with them
    (long-term, temporary or with relatives), a year of key-worker visits, counselling,
    training hours and respite days, the methodology's first steps ticked and a development
    plan. Most families meet their requirements; a few are approaching a missed requirement
    (the key worker's visit is due within 30 days, or training hours are short near the end of
    the period) and one has missed the key worker's contact. Written through the services, so
    the rules and the audit hold for the demo too."""
    from earlyhelp.fostercare import services as foster
    from earlyhelp.fostercare.models import (
        Household,
        MethodStep,
        Placement,
        RequirementRule,
        Visit,
    )
    from earlyhelp.fostercare.rules import add_months

    if Household.objects.filter(municipality=municipality).exists():
        return
    worker, supervisor = users[Role.CASE_WORKER], users[Role.SUPERVISOR]
    words = FOSTER_WORDS[place.country]
    for code, amount, months, active in words.rules:
        RequirementRule.objects.get_or_create(
            municipality=municipality, code=code,
            defaults={"amount": amount, "months": months, "active": active,
                      "period": "calendar_year" if code == "respite" else "months"},
        )  # fmt: skip
    # The Czech place keeps the seed it always had, so its families stay the same.
    rng = random.Random(
        f"{seed}-fostercare" if place.country == "CZ" else f"{seed}-{place.prefix}-fostercare"
    )
    today = timezone.localdate()
    approaching = words.approaching  # the key worker's next contact falls due within 30 days
    short_training = words.short_training  # hours short, the period ending within a month
    missed = words.missed  # the key worker's contact was missed
    for index, surname in enumerate(words.surnames):
        by = supervisor if index % 5 == 4 else worker
        relative = index % 6 == 5
        household = foster.household_create(
            user=by, service=service,
            data={"name": words.household(surname),
                  "address": f"{rng.choice(words.streets)} "
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
                given_name=rng.choice(words.women),
                family_name=words.female(surname),
                since=signed,
                phone=f"{words.phone} 7{rng.randint(10, 99)} {rng.randint(100, 999)} "
                f"{rng.randint(100, 999)}",
            )  # fmt: skip
        ]
        if index % 3 != 1:
            carers.append(
                foster.carer_create(
                    user=by,
                    household=household,
                    given_name=rng.choice(words.men),
                    family_name=surname,
                    since=signed,
                )  # fmt: skip
            )
        foster.agreement_create(
            user=by, household=household,
            data={"key_worker": worker, "signed_on": signed,
                  "reference": words.reference.format(n=index + 1, year=signed.year)},
        )  # fmt: skip
        placements = []
        for n in range(1 + (index % 4 == 0) + (index % 9 == 0)):
            given, sex = words.children[(index + n * 5) % len(words.children)]
            # Ages from a baby (no respite owed yet) to a teenager.
            born = today - timedelta(days=rng.randint(200, 5800) if n else rng.randint(900, 5800))
            family = surname if sex == Sex.MALE else words.female(surname)
            birth_family = rng.choice(words.birth_families)
            child = Child.objects.create(
                municipality=municipality, given_name=given,
                family_name=family if relative else (
                    birth_family if sex == Sex.MALE else words.female(birth_family)
                ),
                birth_date=born, sex=sex, languages=place.language,
            )  # fmt: skip
            ChildTeamMember.objects.get_or_create(
                child=child, user=worker, defaults={"note": words.team}
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
                note=rng.choice(words.visit_notes),
            )  # fmt: skip
            day -= timedelta(days=rng.randint(38, 52))
        for months_back in (rng.randint(1, 4), rng.randint(7, 10)):
            foster.visit_record(
                user=supervisor, household=household, kind=Visit.Kind.COUNSELLING,
                on=add_months(today, -months_back),
                note=words.counselling,
            )  # fmt: skip
        if rng.random() < 0.3:
            foster.visit_record(
                user=worker, household=household, kind=Visit.Kind.OTHER,
                on=today - timedelta(days=rng.randint(10, 200)),
                note=words.other,
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
                titles = list(words.trainings)
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
                ends_on=last_day, note=rng.choice(words.respite),
            )  # fmt: skip
        steps = MethodStep.values[: rng.randint(3, len(MethodStep.values))]
        for number, step in enumerate(steps):
            foster.step_set(
                user=worker, household=household, step=step, done=True,
                on=min(today, signed + timedelta(days=30 * number)),
            )  # fmt: skip
        for goal, how in words.plan[: 1 + index % 3]:
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
