"""The demo's concerns: reports at each stage of triage, and reports received outside earlyhelp."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.concerns.models import Concern, ConcernChild, refresh_next_due
from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
)
from earlyhelp.protocols.services import deadlines_for, profile_for

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


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
            closed_at=(received + timedelta(days=2) if status == Concern.Status.CLOSED else None),
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


# A year of concerns, so that the managers' and analysts' figures show counts of 5 and more and
# the months differ: (what happened, categories) in each country's language.
HISTORY_TEXTS = {
    "HU": (
        "Napok óta fáradtan, kialvatlanul érkezik, az órán elalszik.",
        "Többször hiányzott igazolás nélkül, a szülő nem érhető el.",
        "Az udvaron a társai rendszeresen csúfolják és kiközösítik.",
        "A karján zúzódásokat láttam, azt mondta, elesett.",
        "Azt mesélte, hogy otthon sokat veszekednek a szülei.",
    ),
    "CZ": (
        "Už několik dní chodí unavený a nevyspalý, při vyučování usíná.",
        "Opakovaně chyběl bez omluvenky, rodiče nejsou k zastižení.",
        "Spolužáci se mu o přestávkách pravidelně posmívají a vylučují ho z party.",
        "Na paži jsem viděla modřiny, řekl, že upadl.",
        "Vyprávěl, že se rodiče doma často hádají.",
    ),
    "DK": (
        "Han kommer træt og uudhvilet i flere dage og falder i søvn i timerne.",
        "Hun har flere gange haft ulovligt fravær, og forældrene kan ikke træffes.",
        "Klassekammeraterne driller og udelukker ham jævnligt i frikvartererne.",
        "Jeg så blå mærker på armen; hun sagde, hun var faldet.",
        "Han fortalte, at forældrene skændes meget derhjemme.",
    ),
}
HISTORY_CATEGORIES = (
    ["wellbeing", "neglect"], ["absence"], ["bullying", "behaviour"], ["physical_harm"],
    ["family_conflict", "wellbeing"],
)  # fmt: skip
# Concerns received in each calendar month: more in winter, few in the summer holidays.
HISTORY_PER_MONTH = {1: 6, 2: 6, 3: 7, 4: 5, 5: 6, 6: 5, 7: 1, 8: 2, 9: 5, 10: 7, 11: 8, 12: 6}
HISTORY_DECISIONS = (
    [Concern.Decision.ADVICE] * 3 + [Concern.Decision.WELLBEING_CONVERSATION] * 3
    + [Concern.Decision.NO_FURTHER_ACTION] * 2
    + [Concern.Decision.SIGNS_OF_SAFETY, Concern.Decision.CASE, Concern.Decision.REFER]
)  # fmt: skip


def _concern_history(place: Place, municipality, institutions, users, seed: int) -> int:
    """The last twelve months of concerns in the first school, the second school and the
    kindergarten: older ones closed or triaged (each with its decision and the hours it took),
    the last weeks' still submitted, acknowledged or triaged. Reported by the educator about
    children of the first school, by private persons (recorded by the social helper) in the
    other institutions where the profile takes private persons' reports. Each is marked
    "(h<n>)", and the year is made once: a re-run that finds the first makes none."""
    texts = HISTORY_TEXTS[place.country]
    if Concern.objects.filter(municipality=municipality, what_happened=f"{texts[0]} (h1)").exists():
        return 0
    rng = random.Random(f"{seed}-{place.prefix}-concern-history")
    profile = profile_for(municipality)
    citizens = "citizen" in profile.rules["reporter_kinds"]
    pupils = {
        institution.pk: list(
            Child.objects.filter(enrolments__group__institution=institution, restricted=False)
            .order_by("search_name", "pk")
            .distinct()
        )
        for institution in institutions
    }
    # Each institution triages at its own pace: a median of about a day, two or four.
    pace = {
        institution.pk: hours for institution, hours in zip(institutions, (20, 45, 90), strict=True)
    }
    now = timezone.now()
    today = timezone.localdate()
    made = []
    for months_back in range(11, -1, -1):
        year, month = divmod(today.year * 12 + today.month - 1 - months_back, 12)
        month += 1
        first = date(year, month, 1)
        last = min(
            today - timedelta(days=1),
            date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1),
        )
        if last < first:
            continue
        for _n in range(HISTORY_PER_MONTH[month] + rng.randint(-1, 1)):
            institution = rng.choices(institutions, weights=(4, 3, 3))[0]
            if not pupils[institution.pk]:
                continue
            day = first + timedelta(days=rng.randint(0, (last - first).days))
            received = timezone.make_aware(
                datetime.combine(day, time(rng.randint(7, 15), rng.randint(0, 59)))
            )
            age = (now - received).days
            if age > 40:
                status = Concern.Status.CLOSED if rng.random() < 0.75 else Concern.Status.TRIAGED
            else:
                status = rng.choice(
                    (Concern.Status.SUBMITTED, Concern.Status.ACKNOWLEDGED, Concern.Status.TRIAGED)
                )
            decided = status in (Concern.Status.TRIAGED, Concern.Status.CLOSED)
            decided_at = received + timedelta(hours=pace[institution.pk] * rng.uniform(0.3, 1.8))
            if decided and decided_at > now:
                decided_at = now - timedelta(minutes=5)
            private = citizens and institution != institutions[0] and rng.random() < 0.6
            kind = Concern.ReporterKind.CITIZEN if private else Concern.ReporterKind.PROFESSIONAL
            which = rng.randrange(len(texts))
            concern = Concern.objects.create(
                municipality=municipality,
                institution=institution,
                reporter=None if private else users[Role.EDUCATOR],
                reporter_kind=kind,
                channel=Concern.Channel.ORAL if private and rng.random() < 0.5 else "written",
                received_by=users[Role.SOCIAL_HELPER] if private else None,
                status=status,
                profile=profile,
                received_at=received,
                what_happened=f"{texts[which]} (h{len(made) + 1})",
                categories=HISTORY_CATEGORIES[which],
                parents_know=rng.choice(Concern.ParentsKnow.values),
                decision=rng.choice(HISTORY_DECISIONS) if decided else "",
                decided_by=(
                    users[Role.SOCIAL_HELPER] if institution != institutions[1]
                    else users[Role.SUPERVISOR]
                ) if decided else None,
                decided_at=decided_at if decided else None,
                closed_at=decided_at if status == Concern.Status.CLOSED else None,
            )  # fmt: skip
            concern.children.create(
                child=rng.choice(pupils[institution.pk]), role=ConcernChild.Role.HARMED
            )
            for due in deadlines_for(
                profile=profile,
                municipality=municipality,
                received_at=received,
                reporter_kind=kind,
                reporter_requested_feedback=not private,
            ):
                # A decided concern met its deadlines so far; a closed one all of them.
                met = decided and (status == Concern.Status.CLOSED or due.due_at <= now)
                concern.deadlines.create(
                    code=due.code, label=str(due.label), basis=str(due.basis), due_at=due.due_at,
                    met_at=min(decided_at, due.due_at) if met else None,
                )  # fmt: skip
            made.append(concern.pk)
    refresh_next_due(made)
    return len(made)
