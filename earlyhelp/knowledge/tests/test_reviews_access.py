"""Who runs, rates and reads a review: its leads and its group while it runs, everyone of the
municipality once it is recommended, nobody of another municipality ever."""

import pytest
from django.utils import timezone

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.knowledge.models import Rating, Review
from earlyhelp.knowledge.tests.expect_reviews import running_review
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _who(users, action, obj):
    return {role for role, user in users.items() if can(user, action, obj)}


def test_a_running_review_is_its_leads_and_its_groups_alone(world):
    review = running_review(world, True)
    assert _who(world.users, Action.VIEW, review) == {
        Role.SOCIAL_HELPER,
        Role.SUPERVISOR,
        Role.MANAGER,
        Role.ADMIN,
    }
    assert _who(world.users, Action.CHANGE, review) == {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
    assert _who(world.users, Action.RECORD, review) == {Role.SOCIAL_HELPER, Role.SUPERVISOR}
    assert _who(world.outsiders, Action.VIEW, review) == set()


def test_a_recommended_review_is_read_by_everyone_of_the_municipality(world):
    review = running_review(world, True, phase=Review.Phase.RECOMMENDED)
    review.recommended_at = timezone.now()
    review.save()
    rating = Rating.objects.create(
        review=review,
        candidate=review.candidates.first(),
        criterion=review.criteria.first(),
        rated_by=world.users[Role.SOCIAL_HELPER],
        score=2,
    )
    for role, user in world.users.items():
        assert visible(user, Review.objects.all()).filter(pk=review.pk).exists(), role
        assert visible(user, Rating.objects.all()).filter(pk=rating.pk).exists(), role
    assert _who(world.users, Action.CHANGE, review) == {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
    for role, user in world.outsiders.items():
        assert not visible(user, Review.objects.all()).filter(pk=review.pk).exists(), role


def test_the_lead_leads_only_while_they_hold_a_role_in_the_municipality(world):
    review = running_review(world, True)
    supervisor = world.users[Role.SUPERVISOR]
    supervisor.memberships.update(ends_on=timezone.localdate() - timezone.timedelta(days=1))
    assert not can(supervisor, Action.VIEW, review)


def test_leads_start_reviews_and_everyone_with_a_role_opens_the_list(world):
    starters = {role for role, user in world.users.items() if can(user, Action.CREATE, Review)}
    assert starters == {Role.SUPERVISOR, Role.MANAGER, Role.ADMIN}
    assert all(can(user, Action.LIST, Review) for user in world.users.values())
