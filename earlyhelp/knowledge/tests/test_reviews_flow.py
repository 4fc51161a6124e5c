"""A screening of promising interventions runs through its phases to a prototype in the
catalogue, and each step is refused out of its phase or to someone who may not take it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.knowledge import reviews as services
from earlyhelp.knowledge.catalogue import method_create
from earlyhelp.knowledge.models import Method, Rating, Review
from earlyhelp.knowledge.reviews import Entry
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _started(world, **data):
    lead = world.users[Role.SUPERVISOR]
    return services.review_create(
        user=lead,
        municipality=world.municipality_a,
        data={
            "title": "Social work in day care",
            "question": "Which interventions bring social-work competence into day care?",
            "target_group": "Children 3-16 and their families",
            **data,
        },
        members=[world.users[Role.SOCIAL_HELPER]],
    )


def _set_up(world):
    lead = world.users[Role.SUPERVISOR]
    review = _started(world)
    evidence = services.criterion_add(
        user=lead, review=review, data={"name": "Evidence", "weight": 3}
    )
    cost = services.criterion_add(user=lead, review=review, data={"name": "Cost", "weight": 1})
    sparring = services.candidate_add(
        user=lead,
        review=review,
        data={"name": "Sparring in day care", "source": "Aarhus, seed 004"},
    )
    consultant = services.candidate_add(
        user=lead, review=review, data={"name": "Family consultant at school"}
    )
    services.rating_open(user=lead, review=review, version=review.version)
    return review, (evidence, cost), (sparring, consultant)


def test_a_review_runs_from_its_question_to_a_prototype_in_the_catalogue(world):
    lead = world.users[Role.SUPERVISOR]
    helper = world.users[Role.SOCIAL_HELPER]
    review, (evidence, cost), (sparring, consultant) = _set_up(world)
    assert review.phase == Review.Phase.RATING

    services.ratings_save(
        user=helper,
        candidate=sparring,
        entries=[
            Entry(evidence, 3, sources="Evaluation report 2021", experiences="Works in Aarhus"),
            Entry(cost, 1),
        ],
    )
    services.ratings_save(user=lead, candidate=sparring, entries=[Entry(evidence, 2)])
    services.ratings_save(user=lead, candidate=consultant, entries=[Entry(evidence, 1)])

    review.refresh_from_db()
    services.review_recommend(
        user=lead,
        review=review,
        recommendation="Build on sparring in day care, with a social worker in each district.",
        chosen=[sparring],
        version=review.version,
    )
    review.refresh_from_db()
    assert review.phase == Review.Phase.RECOMMENDED and review.is_published
    assert list(review.candidates.filter(chosen=True)) == [sparring]

    method = services.prototype_make(
        user=lead,
        review=review,
        data={"name": "Social worker in day care", "age_from": 3, "age_to": 16},
        version=review.version,
    )
    review.refresh_from_db()
    assert review.phase == Review.Phase.PROTOTYPE
    assert review.prototype == method
    assert method.stage == Method.Stage.PROTOTYPE
    assert method.municipality == world.municipality_a
    assert method.description == review.recommendation
    assert method.sources.splitlines() == [
        "Screening of promising interventions: Social work in day care",
        "Sparring in day care: Aarhus, seed 004",
        "Evaluation report 2021",
    ]
    assert set(method.responsible.all()) == {lead}
    assert method.versions.count() == 1

    with pytest.raises(ValidationError):
        services.prototype_make(
            user=lead, review=review, data={"name": "Again"}, version=review.version
        )
    services.review_close(user=lead, review=review, version=review.version)
    assert Review.objects.get(pk=review.pk).phase == Review.Phase.CLOSED


def test_the_matrix_weighs_the_mean_of_each_criterion(world):
    lead = world.users[Role.SUPERVISOR]
    helper = world.users[Role.SOCIAL_HELPER]
    review, (evidence, cost), (sparring, consultant) = _set_up(world)
    services.ratings_save(user=helper, candidate=sparring, entries=[Entry(evidence, 3)])
    services.ratings_save(user=lead, candidate=sparring, entries=[Entry(evidence, 2)])
    services.ratings_save(user=lead, candidate=sparring, entries=[Entry(cost, 1)])

    rows = services.review_matrix(
        review, review.criteria.all(), review.candidates.all(), Rating.objects.all()
    )
    first, second = rows
    assert [str(cell.mean) for cell in first.cells] == ["2.5", "1.0"]
    # (2.5 × 3 + 1 × 1) of (3 + 1) × 3.
    assert (str(first.total), first.top, first.share) == ("8.5", 12, 71)
    assert second.unrated == 2 and second.total == 0


def test_a_rater_changes_and_takes_back_only_their_own_rating(world):
    helper = world.users[Role.SOCIAL_HELPER]
    lead = world.users[Role.SUPERVISOR]
    review, (evidence, _cost), (sparring, _consultant) = _set_up(world)
    [mine] = services.ratings_save(user=helper, candidate=sparring, entries=[Entry(evidence, 1)])
    services.ratings_save(user=lead, candidate=sparring, entries=[Entry(evidence, 3)])

    services.ratings_save(
        user=helper, candidate=sparring, entries=[Entry(evidence, 2, version=mine.version)]
    )
    with pytest.raises(StaleVersionError):
        services.ratings_save(
            user=helper, candidate=sparring, entries=[Entry(evidence, 3, version=1)]
        )
    services.ratings_save(
        user=helper, candidate=sparring, entries=[Entry(evidence, None, version=2)]
    )
    assert list(Rating.objects.values_list("rated_by", "score")) == [(lead.pk, 3)]
    assert AuditEvent.objects.filter(object_type="knowledge.rating", action="delete").exists()


def test_each_step_is_refused_out_of_its_phase(world):
    lead = world.users[Role.SUPERVISOR]
    review = _started(world)
    with pytest.raises(ValidationError):
        services.rating_open(user=lead, review=review, version=review.version)
    with pytest.raises(ValidationError):
        services.review_recommend(
            user=lead, review=review, recommendation="Too soon", chosen=[], version=1
        )
    review, (evidence, _cost), (sparring, _consultant) = _set_up(world)
    with pytest.raises(ValidationError):
        services.criterion_add(user=lead, review=review, data={"name": "Late", "weight": 1})
    with pytest.raises(ValidationError):
        services.prototype_make(user=lead, review=review, data={"name": "X"}, version=2)
    services.review_close(user=lead, review=review, version=review.version)
    with pytest.raises(ValidationError):
        services.ratings_save(user=lead, candidate=sparring, entries=[Entry(evidence, 2)])


def test_a_stale_recommendation_is_refused(world):
    lead = world.users[Role.SUPERVISOR]
    review, _criteria, (sparring, _consultant) = _set_up(world)
    with pytest.raises(StaleVersionError):
        services.review_recommend(
            user=lead, review=review, recommendation="Text", chosen=[sparring], version=1
        )
    assert not Review.objects.get(pk=review.pk).recommendation


def test_the_review_group_is_staff_of_the_municipality(world):
    with pytest.raises(ValidationError):
        services.review_create(
            user=world.users[Role.SUPERVISOR],
            municipality=world.municipality_a,
            data={"title": "T", "question": "Q"},
            members=[world.outsiders[Role.SOCIAL_HELPER]],
        )


def test_only_leads_take_the_steps_and_only_the_group_rates(world):
    review, (evidence, _cost), (sparring, _consultant) = _set_up(world)
    helper = world.users[Role.SOCIAL_HELPER]
    manager = world.users[Role.MANAGER]
    with pytest.raises(PermissionDenied):
        services.candidate_add(user=helper, review=review, data={"name": "Mine"})
    with pytest.raises(PermissionDenied):
        services.ratings_save(user=manager, candidate=sparring, entries=[Entry(evidence, 2)])
    with pytest.raises(PermissionDenied):
        services.review_create(
            user=helper, municipality=world.municipality_a, data={"title": "T", "question": "Q"}
        )


def test_a_candidate_from_the_catalogue_brings_its_description_and_sources(world):
    lead = world.users[Role.SUPERVISOR]
    entry = method_create(
        user=lead,
        municipality=world.municipality_a,
        data={"name": "Parent café", "description": "Parents meet", "sources": "Report 2020"},
    )
    review = _started(world)
    candidate = services.candidate_add(
        user=lead, review=review, data={"method": entry, "name": "", "description": ""}
    )
    assert (candidate.name, candidate.description, candidate.source) == (
        "Parent café",
        "Parents meet",
        "Report 2020",
    )
    abroad = method_create(
        user=world.outsiders[Role.SUPERVISOR],
        municipality=world.municipality_b,
        data={"name": "Elsewhere"},
    )
    with pytest.raises(ValidationError):
        services.candidate_add(user=lead, review=review, data={"method": abroad})
