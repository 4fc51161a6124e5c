"""The demo's screenings of promising interventions. The Danish place has one run to its end in
the spirit of seed 003: which interventions bring social-work competence into day care and
school, five weighted criteria, four candidates rated by the supervisor (its lead) and the
social helper with their sources and experiences, a recommendation, and its prototype in the
catalogue at stage "prototype". The Czech and Hungarian places each have a small one still
being set up. Every intervention, source and experience here is made up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from earlyhelp.organisations.models import Role

if TYPE_CHECKING:
    from earlyhelp.sampledata.demo.organisations import Place

DK_REVIEW = {
    "title": "Socialfaglige kompetencer i dagtilbud og skole",
    "question": (
        "Hvilke indsatser bringer socialfaglig kompetence ind i dagtilbud og grundskole, så "
        "begyndende mistrivsel opspores tidligt og mødes rettidigt?"
    ),
    "target_group": "Børn 3-16 år i dagtilbud og almen grundskole og deres familier",
    "background": (
        "Flere børn mistrives. Vi vil samle viden og erfaringer og udvikle en prototype på en "
        "realiserbar indsats (demo)."
    ),
}
# (name, what it asks, weight)
DK_CRITERIA = (
    ("Målgruppens behov", "Rammer indsatsen børn i en sårbar position og deres familier?", 3),
    ("Viden og evidens", "Hvor godt er indsatsen beskrevet og undersøgt?", 2),
    ("Realiserbarhed i dagtilbud og skole", "Kan den udføres i hverdagens rammer?", 3),
    ("Forældreinddragelse", "Inddrages forældrene fra begyndelsen?", 2),
    ("Økonomi", "Kan kommunen bære udgiften over tid?", 1),
)
# (name, what it is, where it comes from, scores per criterion by the lead and by the helper)
DK_CANDIDATES = (
    (
        "Socialrådgiver i dagtilbuddet",
        "En socialrådgiver er fast til stede i dagtilbuddet en dag om ugen og giver sparring "
        "til personalet.",
        "Kommunal forsøgsordning, midtvejsevaluering (demo)",
        ((3, 3), (2, 1), (3, 2), (2, 2), (1, 1)),
    ),
    (
        "Familiekonsulent på skolen",
        "En familiekonsulent har kontor på skolen og tager samtaler med forældre.",
        "Erfaringsopsamling fra nabokommune (demo)",
        ((2, 2), (1, 1), (2, 2), (3, 3), (1, 2)),
    ),
    (
        "Sparring og netværksmøder med Tegn på Sikkerhed",
        "Socialfaglige medarbejdere faciliterer møder med personale og forældre om en bekymring.",
        "Praksisbeskrivelse, socialdistrikt (demo)",
        ((3, 2), (2, 2), (3, 3), (3, 3), (2, 2)),
    ),
    (
        "Tværfagligt trivselsteam",
        "Et team af sundhedsplejerske, psykolog og socialrådgiver mødes hver måned om "
        "klassernes trivsel.",
        "Rapport om tværfaglige teams (demo)",
        ((2, 2), (2, 2), (1, 2), (1, 1), (1, 1)),
    ),
)
DK_SOURCES = "Evalueringsrapport 2022 (demo)"
DK_EXPERIENCE = "Personalet søger sparring tidligere, og flere forældre tager imod samtaler."
DK_CHOSEN = (0, 2)
DK_RECOMMENDATION = (
    "Vi anbefaler en prototype, der forener en fast socialfaglig medarbejder i dagtilbud og "
    "skole med sparring og netværksmøder med Tegn på Sikkerhed: én dag om ugen i hvert "
    "socialdistrikt, forældrene inddraget fra første møde."
)
DK_PROTOTYPE = {
    "name": "Socialfaglig sparring i dagtilbud og skole",
    "target_group": DK_REVIEW["target_group"],
    "age_from": 3,
    "age_to": 16,
    "setting": "any",
    "mechanism": (
        "Personalet får sparring tæt på barnets hverdag, så en bekymring tages op tidligt og "
        "sammen med forældrene, før den vokser."
    ),
}

# A small review being set up: (title, question, criteria, candidates).
OPEN_REVIEWS = {
    "CZ": (
        "Metody pro zapojení rodičů ve škole",
        "Které postupy pomáhají zapojit rodiče dětí v ohrožení do spolupráce se školou?",
        (("Vhodnost pro cílovou skupinu", 3), ("Proveditelnost ve škole", 2)),
        ("Rodičovská kavárna", "Případová konference se školou"),
    ),
    "HU": (
        "Szülők bevonása az óvodában",
        "Mely módszerek segítik a veszélyeztetett gyerekek szüleinek bevonását az óvodában?",
        (("Célcsoport igényei", 3), ("Megvalósíthatóság az óvodában", 2)),
        ("Szülőklub", "Családlátogatás az óvodapedagógussal"),
    ),
}


def _knowledge_reviews(place: Place, municipality, users) -> None:
    from earlyhelp.knowledge.models import Review

    if Review.objects.filter(municipality=municipality).exists():
        return
    if place.country == "DK":
        _run_to_a_prototype(municipality, users)
    elif place.country in OPEN_REVIEWS:
        _being_set_up(municipality, users, *OPEN_REVIEWS[place.country])


def _run_to_a_prototype(municipality, users) -> None:
    from earlyhelp.knowledge.catalogue import method_create
    from earlyhelp.knowledge.models import Candidate, Criterion, Method, Rating, Review
    from earlyhelp.knowledge.reviews import prototype_sources

    lead, helper = users[Role.SUPERVISOR], users[Role.SOCIAL_HELPER]
    review = Review.objects.create(
        municipality=municipality,
        owner=lead,
        phase=Review.Phase.RECOMMENDED,
        recommendation=DK_RECOMMENDATION,
        recommended_at=timezone.now(),
        recommended_by=lead,
        **DK_REVIEW,
    )
    review.members.set([helper, users[Role.INSTITUTION_LEAD]])
    criteria = [
        Criterion.objects.create(
            review=review, name=name, description=asks, weight=weight, position=position
        )
        for position, (name, asks, weight) in enumerate(DK_CRITERIA, start=1)
    ]
    for position, (name, description, source, scores) in enumerate(DK_CANDIDATES, start=1):
        candidate = Candidate.objects.create(
            review=review, name=name, description=description, source=source,
            position=position, chosen=position - 1 in DK_CHOSEN,
        )  # fmt: skip
        for criterion, (by_lead, by_helper) in zip(criteria, scores, strict=True):
            Rating.objects.create(
                review=review, candidate=candidate, criterion=criterion, rated_by=lead,
                score=by_lead, sources=DK_SOURCES if criterion.position == 2 else "",
            )  # fmt: skip
            Rating.objects.create(
                review=review, candidate=candidate, criterion=criterion, rated_by=helper,
                score=by_helper, experiences=DK_EXPERIENCE if criterion.position == 3 else "",
            )  # fmt: skip
    method = method_create(
        user=lead,
        municipality=municipality,
        data={
            **DK_PROTOTYPE,
            "description": DK_RECOMMENDATION,
            "stage": Method.Stage.PROTOTYPE,
            "sources": prototype_sources(review),
        },
        responsible=[lead],
        note=DK_REVIEW["title"],
    )
    review.prototype = method
    review.phase = Review.Phase.PROTOTYPE
    review.save(update_fields=["prototype", "phase"])


def _being_set_up(municipality, users, title, question, criteria, candidates) -> None:
    from earlyhelp.knowledge.models import Candidate, Criterion, Review

    review = Review.objects.create(
        municipality=municipality, owner=users[Role.MANAGER], title=title, question=question
    )
    review.members.set([users[Role.SOCIAL_HELPER], users[Role.SUPERVISOR]])
    for position, (name, weight) in enumerate(criteria, start=1):
        Criterion.objects.create(review=review, name=name, weight=weight, position=position)
    for position, name in enumerate(candidates, start=1):
        Candidate.objects.create(review=review, name=name, position=position)
