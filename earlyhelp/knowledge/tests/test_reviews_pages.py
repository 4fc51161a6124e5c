"""The pages of a review, as its lead and its group use them: from starting it to the
prototype, forms that keep what was typed when refused, and the matrix showing who rated what
on which sources."""

import pytest
from django.urls import reverse

from earlyhelp.knowledge.models import Method, Review
from earlyhelp.knowledge.tests.expect_reviews import running_review
from earlyhelp.organisations.models import Role
from earlyhelp.tests.personas import sign_in

pytestmark = pytest.mark.django_db


def _as(client, user):
    client.logout()
    sign_in(client, user)
    return client


def test_a_lead_takes_a_review_through_its_pages_to_the_prototype(client, world):
    lead = _as(client, world.users[Role.SUPERVISOR])
    helper = world.users[Role.SOCIAL_HELPER]
    response = lead.post(
        reverse("knowledge:review_create"),
        {
            "municipality": world.municipality_a.pk,
            "title": "Social work in day care",
            "question": "Which interventions help early?",
            "members": [helper.pk],
        },
    )
    review = Review.objects.get()
    assert response.url == reverse("knowledge:review", args=[review.pk])
    assert list(review.members.all()) == [helper]

    criterion_url = reverse("knowledge:review_criterion_new", args=[review.pk])
    lead.post(criterion_url, {"name": "Evidence", "weight": "3", "another": "1"})
    lead.post(criterion_url, {"name": "Cost", "weight": "1"})
    candidate_url = reverse("knowledge:review_candidate_new", args=[review.pk])
    lead.post(candidate_url, {"name": "Sparring in day care", "source": "Aarhus"})
    lead.post(candidate_url, {"name": "Family consultant"})
    lead.post(reverse("knowledge:review_rating_open", args=[review.pk]), {"version": "1"})
    review.refresh_from_db()
    assert review.phase == Review.Phase.RATING

    evidence, cost = review.criteria.order_by("position")
    sparring = review.candidates.get(name="Sparring in day care")
    _as(client, helper)
    rate_url = reverse("knowledge:review_rate", args=[review.pk, sparring.pk])
    client.post(
        rate_url,
        {
            f"score_{evidence.pk}": "3",
            f"sources_{evidence.pk}": "Evaluation 2021",
            f"experiences_{evidence.pk}": "Teachers ask earlier",
            f"score_{cost.pk}": "",
        },
    )
    page = client.get(reverse("knowledge:review", args=[review.pk])).content.decode()
    assert "Evaluation 2021" in page and "Teachers ask earlier" in page
    assert helper.username in page or helper.get_full_name() in page
    assert "9.0 of 12 (75 %)" in page

    _as(client, world.users[Role.SUPERVISOR])
    client.post(
        reverse("knowledge:review_recommend", args=[review.pk]),
        {
            "recommendation": "Start with sparring.",
            "chosen": [sparring.pk],
            "version": str(review.version),
        },
    )
    review.refresh_from_db()
    assert review.phase == Review.Phase.RECOMMENDED

    form = client.get(reverse("knowledge:review_prototype", args=[review.pk]))
    assert "Start with sparring." in form.content.decode()
    client.post(
        reverse("knowledge:review_prototype", args=[review.pk]),
        {
            "name": "Social worker in day care",
            "description": "Start with sparring.",
            "setting": "kindergarten",
            "version": str(review.version),
        },
    )
    method = Method.objects.get()
    assert (method.stage, method.setting) == (Method.Stage.PROTOTYPE, "kindergarten")
    page = client.get(reverse("knowledge:review", args=[review.pk])).content.decode()
    assert "Social worker in day care" in page and "Prototype" in page
    assert "Make the prototype" not in page


def test_a_refused_form_keeps_what_was_typed(client, world):
    review = running_review(world, True, phase=Review.Phase.RATING)
    _as(client, world.users[Role.SUPERVISOR])
    sparring = review.candidates.first()
    response = client.post(
        reverse("knowledge:review_recommend", args=[review.pk]),
        {"recommendation": "Our careful words", "chosen": [sparring.pk], "version": "99"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Our careful words" in page and "Someone else changed this record" in page

    response = client.post(
        reverse("knowledge:review_candidate_new", args=[review.pk]),
        {"name": "Sparring in day care", "description": "A second time"},
    )
    assert response.status_code == 200
    assert "A second time" in response.content.decode()
    assert review.candidates.count() == 2


def test_a_stale_rating_is_refused_with_the_input_kept(client, world):
    review = running_review(world, True)
    helper = _as(client, world.users[Role.SOCIAL_HELPER])
    candidate = review.candidates.first()
    criterion = review.criteria.first()
    rate_url = reverse("knowledge:review_rate", args=[review.pk, candidate.pk])
    helper.post(rate_url, {f"score_{criterion.pk}": "1"})
    response = helper.post(
        rate_url,
        {
            f"score_{criterion.pk}": "2",
            f"experiences_{criterion.pk}": "Seen it work",
            f"version_{criterion.pk}": "7",
        },
    )
    assert response.status_code == 200
    assert "Seen it work" in response.content.decode()
    assert criterion.ratings.get().score == 1


def test_the_list_shows_each_their_own(client, world):
    running_review(world, True)
    _as(client, world.users[Role.EDUCATOR])
    page = client.get(reverse("knowledge:reviews")).content.decode()
    assert "Social work in day care" not in page
    _as(client, world.users[Role.SOCIAL_HELPER])
    page = client.get(reverse("knowledge:reviews")).content.decode()
    assert "Social work in day care" in page
