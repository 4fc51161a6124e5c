"""The demo's foster-carer support (the Czech place): 20 families with their carers, placed
children, agreements, visits, training and respite."""

from __future__ import annotations

import random
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


def _fostercare(municipality, service, users, seed: int) -> None:
    """The 20 foster families (33 carers) the service supports; the OPZ project counts 20 of
    their carers (`demo.programmes`). Each with a support agreement signed one to five years
    ago, one or two carers, the children placed with them (long-term, temporary or with
    relatives), a year of key-worker visits, counselling, training hours and respite days, the
    methodology's first steps ticked and a development plan. Most families meet their
    requirements; a few are approaching a missed requirement (the key worker's visit is due
    within 30 days, or training hours are short near the end of the period) and one has missed
    the key worker's contact. Written through the services, so the rules and the audit hold for
    the demo too."""
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
