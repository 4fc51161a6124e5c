"""Who may open the pages of the screening of promising interventions (see
access_expectations.py), with the reviews they are asked about.

Inside: a review of municipality A in its rating phase, led by A's supervisor, with A's social
helper in its review group. Its leads (the supervisor, A's manager and administrator) run it;
the supervisor and the helper rate it; while it runs nobody else sees it (404). Outside: the
same review in municipality B, which nobody of A reaches. Everyone with a role may open the
list; administrators, managers and supervisors start reviews."""

from __future__ import annotations

from earlyhelp.knowledge.models import Candidate, Criterion, Review
from earlyhelp.tests.matrix import ADM, HELP, MGR, SUP, Expect, answers, url
from earlyhelp.tests.personas import World

TITLE = "Social work in day care"


def running_review(w: World, inside: bool, *, phase: str = Review.Phase.RATING) -> Review:
    """A review with one criterion and two candidates, in its rating phase unless asked
    otherwise: led by the supervisor, the social helper in its group. Found again when an
    earlier call made it, so that the matrix may ask for it once per part of a URL."""
    users = w.users if inside else w.outsiders
    municipality = w.municipality_a if inside else w.municipality_b
    found = Review.objects.filter(municipality=municipality, title=TITLE).first()
    if found is not None:
        return found
    review = Review.objects.create(
        municipality=municipality,
        title=TITLE,
        question="Which interventions bring social-work competence into day care and school?",
        owner=users[SUP],
        phase=phase,
    )
    review.members.add(users[HELP])
    Criterion.objects.create(review=review, name="Evidence", weight=2, position=1)
    Candidate.objects.create(review=review, name="Sparring in day care", position=1)
    Candidate.objects.create(review=review, name="Family consultant at school", position=2)
    return review


def review(w: World, inside: bool) -> int:
    return running_review(w, inside).pk


def candidate(w: World, inside: bool) -> int:
    return running_review(w, inside).candidates.first().pk


LEADS = {SUP: 200, MGR: 200, ADM: 200}
NOT_FOUND = answers(404)
SEEN = answers(404, **{HELP: 200, **LEADS})
LED = answers(404, **{HELP: 403, **LEADS})

EXPECTATIONS = {
    "knowledge:reviews": Expect(url("knowledge:reviews"), answers(200)),
    "knowledge:review_create": Expect(url("knowledge:review_create"), answers(403, **LEADS)),
    "knowledge:review": Expect(url("knowledge:review", pk=review), SEEN, NOT_FOUND),
    "knowledge:review_edit": Expect(url("knowledge:review_edit", pk=review), LED, NOT_FOUND),
    "knowledge:review_criterion_new": Expect(
        url("knowledge:review_criterion_new", pk=review), LED, NOT_FOUND
    ),
    "knowledge:review_candidate_new": Expect(
        url("knowledge:review_candidate_new", pk=review), LED, NOT_FOUND
    ),
    # An empty form is refused with a message on the review's page.
    "knowledge:review_rating_open": Expect(
        url("knowledge:review_rating_open", pk=review),
        answers(404, **{HELP: 403, SUP: 302, MGR: 302, ADM: 302}),
        NOT_FOUND,
        method="post",
    ),
    # The supervisor leads and rates; the helper rates; the manager and the administrator
    # lead the review but are not in its group.
    "knowledge:review_rate": Expect(
        url("knowledge:review_rate", pk=review, candidate_pk=candidate),
        answers(404, **{HELP: 200, SUP: 200, MGR: 403, ADM: 403}),
        NOT_FOUND,
    ),
    # An empty form is refused and the review's page shown again with its errors.
    "knowledge:review_recommend": Expect(
        url("knowledge:review_recommend", pk=review), LED, NOT_FOUND, method="post"
    ),
    "knowledge:review_prototype": Expect(
        url("knowledge:review_prototype", pk=review), LED, NOT_FOUND
    ),
    "knowledge:review_close": Expect(
        url("knowledge:review_close", pk=review),
        answers(404, **{HELP: 403, SUP: 302, MGR: 302, ADM: 302}),
        NOT_FOUND,
        method="post",
    ),
}
