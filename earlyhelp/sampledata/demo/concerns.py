"""The demo's concerns: reports at each stage of triage, and reports received outside earlyhelp."""

from __future__ import annotations

from datetime import timedelta
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
