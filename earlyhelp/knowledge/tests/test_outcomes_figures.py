"""Outcomes per method: added up from the records by the daily rebuild, read from the
maintained row, every count from 1 to 4 shown as "<5" to everyone, with the caveat printed."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases.models import Goal, PlanAction, Referral
from earlyhelp.knowledge.aggregates import MethodOutcome
from earlyhelp.knowledge.models import Method
from earlyhelp.knowledge.outcomes import HIDDEN, SUPPRESSED, _movement, rebuild, shown
from earlyhelp.organisations.models import Role
from earlyhelp.programmes.tests import builders as b
from earlyhelp.safety.models import ScalingAnswer
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def method(world):
    return Method.objects.create(municipality=world.municipality_a, name="Parent club method")


def _club(world, method, outcomes):
    activity = b.activity(world, None)
    activity.method = method
    activity.save()
    children = []
    for outcome in outcomes:
        child = b.child(world)
        children.append(child)
        participant = b.participant(activity, child=child)
        participant.outcome = outcome
        participant.save()
    return activity, children


def test_participants_outcomes_add_up_per_method_with_small_counts_suppressed(world, method):
    _club(world, method, ["achieved"] * 5 + ["not_achieved"] + [""] * 6)
    rebuild()
    figures = shown(MethodOutcome.objects.get(method=method))
    assert (figures.children, figures.activities, figures.participants) == ("12", SUPPRESSED, "12")
    # "Not achieved" is 1: shown as "<5", and the achieved 5 hidden as well, since the total
    # and the rest would give the 1 away.
    assert dict(figures.participant_outcomes) == {
        "Goal achieved": HIDDEN,
        "Partly achieved": "0",
        "Not achieved": SUPPRESSED,
        "No outcome recorded yet": "6",
    }


def test_children_reached_through_plan_steps_and_referrals_count_once(world, method):
    worker = world.users[Role.CASE_WORKER]
    child = b.child(world)
    case = b.case(
        world, None, opened=date(2024, 1, 1), closed=date(2024, 6, 1), children=[child],
        outcome="improved",
    )  # fmt: skip
    goal = Goal.objects.create(case=case, child=child, text="School every day", created_by=worker)
    PlanAction.objects.create(
        goal=goal, text="Mentoring", owner_kind="professional", due_on=date(2024, 3, 1),
        method=method,
    )  # fmt: skip
    Referral.objects.create(
        case=case, to="other", organisation="x", reason="r", referred_on=date(2024, 2, 1),
        created_by=worker, method=method,
    )  # fmt: skip
    rebuild()
    row = MethodOutcome.objects.get(method=method)
    assert (row.children, row.cases, row.plan_steps, row.referrals) == (1, 1, 1, 1)
    assert (row.cases_closed, row.improved) == (1, 1)


def test_scaling_and_screening_movement_are_medians_over_five_or_more(world, method):
    worker = world.users[Role.CASE_WORKER]
    _activity, children = _club(world, method, [""] * 5)
    for n, child in enumerate(children):
        case = b.case(world, None, opened=date(2024, 1, 1), children=[child])
        Referral.objects.create(
            case=case, to="other", organisation="x", reason="r", referred_on=date(2024, 2, 1),
            created_by=worker, method=method,
        )  # fmt: skip
        for day, score in ((date(2024, 1, 5), 3), (date(2024, 3, 5), 3 + n)):
            ScalingAnswer.objects.create(
                case=case, respondent="worker", respondent_name="W", score=score,
                answered_on=day, recorded_by=worker,
            )  # fmt: skip
    rebuild()
    row = MethodOutcome.objects.get(method=method)
    assert (row.scaling_cases, str(row.scaling_median)) == (5, "2.0")
    figures = shown(row)
    assert figures.scaling_median is not None
    assert figures.screening_median is None  # nobody was rated twice


def test_movement_is_last_minus_first_for_what_was_measured_twice():
    assert _movement([(1, 4), (1, 6), (1, 7), (2, 5), (3, 9), (3, 2)]) == {1: 3, 3: -7}


def test_the_screening_movement_follows_the_children_reached(world, method):
    _activity, children = _club(world, method, [""])
    first = f.RoundFactory(institution=world.school_a1, opens_on=date(2024, 1, 1))
    second = f.RoundFactory(institution=world.school_a1, opens_on=date(2024, 4, 1))
    for round_, worry, day in ((first, 6, 10), (second, 2, 20)):
        f.RatingFactory(
            round=round_, child=children[0], group=world.class_a1, worry=worry,
            rated_at=timezone.make_aware(datetime(2024, 1 if round_ is first else 4, day)),
        )  # fmt: skip
    rebuild()
    row = MethodOutcome.objects.get(method=method)
    assert (row.screening_children, str(row.screening_median)) == (1, "-4.0")
    assert shown(row).screening_median is None  # one child: too few to say


def test_the_pages_print_the_caveat_and_suppress_for_everyone(world, method, signed_in):
    _club(world, method, ["achieved"] * 3)
    call_command("rebuild_method_outcomes", verbosity=0)
    for role in (Role.EDUCATOR, Role.MANAGER, Role.ADMIN):
        client = signed_in(world.users[role])
        page = client.get(reverse("knowledge:method_outcomes", args=[method.pk]))
        html = page.content.decode()
        assert "not evidence that the help caused it" in html
        assert page.context["outcome_figures"].children == SUPPRESSED
        overview = client.get(reverse("knowledge:outcomes")).content.decode()
        assert "Parent club method" in overview
        assert "not evidence that the help caused it" in overview


def test_a_method_not_yet_computed_says_so(world, method, signed_in):
    page = signed_in(world.users[Role.SOCIAL_HELPER]).get(
        reverse("knowledge:method_outcomes", args=[method.pk])
    )
    assert "Not computed yet" in page.content.decode()


def test_the_overview_of_another_municipality_is_not_found(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    url = reverse("knowledge:outcomes") + f"?municipality={world.municipality_b.pk}"
    assert client.get(url).status_code == 404
