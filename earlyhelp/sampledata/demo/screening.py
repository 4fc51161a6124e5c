"""The demo's screening: two rounds of the helper's school, the classes' ratings and flags."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.concerns.models import Concern, ConcernChild
from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
    Relationship,
)
from earlyhelp.sampledata.demo.activities import (
    ACTIVITY_TEXTS,
    _local,
    _next_school_day,
    _on_weekday,
)

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place


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
