"""The problem map and the plan: assessments kept over time so the change shows, goals in the
family's words with steps that someone owns, overdue steps on the owner's start page and the
supervisor's list, reviews on the case kind's cadence, and no silent overwrite."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from earlyhelp.cases import selectors, services
from earlyhelp.cases.models import Case, PlanAction
from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.duties.models import Duty
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _goal(world, case):
    return services.goal_add(
        user=world.users[Role.SOCIAL_HELPER],
        case=case,
        child=world.inside,
        text="Bence goes to school every day.",
        domain="school",
    )


def test_the_map_keeps_every_assessment_and_shows_the_change(world, signed_in):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    today = timezone.localdate()
    services.assess_problems(
        user=helper,
        case=case,
        assessed_on=today - dt.timedelta(days=30),
        severities={"housing": (4, "Cold flat"), "school": (3, "")},
    )
    client = signed_in(helper)
    response = client.post(
        reverse("cases:problem_map", args=[case.pk]),
        {"assessed_on": today.isoformat(), "severity_housing": "2", "note_housing": "Heating on"},
    )
    assert response.status_code == 302
    rows = {row.domain: row for row in selectors.problem_map(case=case)}
    assert rows["housing"].latest.severity == 2 and rows["housing"].change == -2
    assert rows["school"].latest.severity == 3 and rows["school"].change is None
    assert rows["safety"].latest is None
    assert case.assessments.count() == 3
    page = client.get(reverse("cases:case_map", args=[case.pk])).content.decode()
    assert "4 → 2" in page and "better" in page


def test_an_empty_or_future_map_is_refused_and_the_form_keeps_the_input(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    empty = client.post(
        reverse("cases:problem_map", args=[case.pk]),
        {"assessed_on": timezone.localdate().isoformat(), "note_housing": "Only a note"},
    )
    assert empty.status_code == 200 and "at least one life domain" in empty.content.decode()
    assert "Only a note" in empty.content.decode()
    with pytest.raises(ValidationError):
        services.assess_problems(
            user=world.users[Role.SOCIAL_HELPER],
            case=case,
            assessed_on=timezone.localdate() + dt.timedelta(days=1),
            severities={"housing": (2, "")},
        )
    assert not case.assessments.exists()


def test_goals_and_steps_with_owners(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    goal = _goal(world, case)
    step = services.action_add(
        user=helper,
        goal=goal,
        text="Wake him at seven",
        owner_kind="parent",
        owner_name="Anya",
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert step.who == "Anya"
    with pytest.raises(ValidationError, match="team"):
        services.action_add(
            user=helper, goal=goal, text="Call school", owner_kind="professional",
            owner=world.users[Role.EDUCATOR], due_on=timezone.localdate(),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Name"):
        services.action_add(
            user=helper, goal=goal, text="Call school", owner_kind="parent", owner_name=" ",
            due_on=timezone.localdate(),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="child of the case"):
        services.goal_add(user=helper, case=case, child=world.elsewhere, text="x")
    plan = selectors.case_page(user=helper, case=case)["plan"]
    assert plan == [(world.inside, True, [goal])]


def test_a_step_may_be_due_on_the_local_day_the_case_was_opened(world):
    """Opened at 00:30 in Budapest, which is the day before in UTC: a step due that day is
    accepted and one due the day before is refused."""
    case = _open(world)
    opened = dt.datetime(2026, 3, 2, 0, 30, tzinfo=timezone.get_current_timezone())
    Case.objects.filter(pk=case.pk).update(opened_at=opened)
    case.refresh_from_db()
    helper = world.users[Role.SOCIAL_HELPER]
    goal = _goal(world, case)
    step = dict(user=helper, goal=goal, text="Visit", owner_kind="parent", owner_name="Anya")
    assert services.action_add(**step, due_on=dt.date(2026, 3, 2)).due_on == dt.date(2026, 3, 2)
    with pytest.raises(ValidationError, match="before the case was opened"):
        services.action_add(**step, due_on=dt.date(2026, 3, 1))


def test_two_people_ticking_the_same_step_never_overwrite_each_other(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    step = services.action_add(
        user=helper, goal=_goal(world, case), text="Visit", owner_kind="professional",
        owner=helper, due_on=timezone.localdate(),
    )  # fmt: skip
    first = PlanAction.objects.get(pk=step.pk)
    second = PlanAction.objects.get(pk=step.pk)
    services.action_set_status(user=helper, action=first, version=1, status="done")
    with pytest.raises(StaleVersionError):
        services.action_set_status(user=helper, action=second, version=1, status="dropped")
    assert PlanAction.objects.get(pk=step.pk).status == "done"


def test_overdue_steps_on_the_owners_and_the_supervisors_start_page(world, signed_in):
    case = _open(world, lead_worker=world.users[Role.CASE_WORKER])
    worker = world.users[Role.CASE_WORKER]
    goal = _goal(world, case)
    late = services.action_add(
        user=worker, goal=goal, text="Apply for the housing benefit", owner_kind="professional",
        owner=worker, due_on=timezone.localdate(),
    )  # fmt: skip
    PlanAction.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    services.action_add(
        user=worker, goal=goal, text="Not yet due", owner_kind="professional", owner=worker,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )  # fmt: skip
    # The owner's start page lists the step (its text is read on the case's page), overdue.
    steps = Duty.objects.filter(owner=worker, kind="case_plan_step", source_id=late.pk)
    assert steps.get().due < timezone.now()
    home = signed_in(worker).get(reverse("home")).content.decode()
    assert "Do a step of the plan" in home and f"Case no. {case.pk}" in home


def test_a_review_sets_the_next_by_the_case_kind(world, signed_in):
    crisis = _open(world, kind=Case.Kind.CRISIS)
    assert selectors.next_review(case=crisis) == timezone.localdate() + dt.timedelta(days=14)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    client.post(
        reverse("cases:review", args=[crisis.pk]),
        {"reviewed_on": timezone.localdate().isoformat(), "note": "Daily contact works."},
    )
    assert selectors.next_review(case=crisis) == timezone.localdate() + dt.timedelta(days=14)
    refused = client.post(
        reverse("cases:review", args=[crisis.pk]),
        {"reviewed_on": timezone.localdate().isoformat(), "note": ""},
    )
    assert refused.status_code == 200 and crisis.reviews.count() == 1
    assert crisis.chronology.filter(kind="plan", title="Plan reviewed").exists()


def test_a_referral_is_followed_to_its_outcome(world, signed_in):
    case = _open(world)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    response = client.post(
        reverse("cases:referral_add", args=[case.pk]),
        {
            "to": "debt",
            "organisation": "Adósságkezelő szolgálat",
            "reason": "Rent arrears of four months.",
            "referred_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    referral = case.referrals.get()
    update = reverse("cases:referral_update", args=[case.pk, referral.pk])
    refused = client.post(update, {"status": "ended", "outcome": "", "version": referral.version})
    assert refused.status_code == 200 and "what came of the referral" in refused.content.decode()
    client.post(
        update,
        {"status": "ended", "outcome": "A payment plan agreed.", "version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.status == "ended" and referral.outcome == "A payment plan agreed."
    stale = client.post(update, {"status": "declined", "outcome": "x", "version": 1})
    assert stale.status_code == 200 and "Someone else changed" in stale.content.decode()
    titles = list(case.chronology.filter(kind="referral").values_list("title", flat=True))
    assert len(titles) == 2 and any("Adósságkezelő" in t for t in titles)
    page = client.get(reverse("cases:case_work", args=[case.pk])).content.decode()
    assert "A payment plan agreed." in page


def test_a_case_conference_and_its_decisions_that_become_steps(world, signed_in):
    case = _open(world, lead_worker=world.users[Role.CASE_WORKER])
    goal = _goal(world, case)
    client = signed_in(world.users[Role.SOCIAL_HELPER])
    held = (timezone.localtime() - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("cases:conference_add", args=[case.pk]),
        {
            "kind": "conference",
            "held_at": held,
            "agenda": "School attendance; the heating.",
            "attendees": [world.users[Role.SOCIAL_HELPER].pk, world.users[Role.CASE_WORKER].pk],
            "external_attendees": "Anya (mother)\nOsztályfőnök (class teacher)",
            "minutes": "The mother agrees to morning calls.",
        },
    )
    conference = case.conferences.get()
    assert response.status_code == 302 and response["Location"] == conference.get_absolute_url()
    assert set(conference.attendees.values_list("pk", flat=True)) == {
        world.users[Role.SOCIAL_HELPER].pk,
        world.users[Role.CASE_WORKER].pk,
    }
    decide = reverse("cases:decision_add", args=[case.pk, conference.pk])
    client.post(decide, {"text": "The school reports absences weekly."})
    client.post(
        decide,
        {
            "text": "Morning call at seven",
            "goal": goal.pk,
            "owner_kind": "parent",
            "owner_name": "Anya",
            "due_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    )
    plain, step = conference.decisions.order_by("pk")
    assert plain.step is None
    assert step.step is not None and step.step.goal == goal and step.step.who == "Anya"
    missing_due = client.post(decide, {"text": "Another", "goal": goal.pk, "owner_kind": "parent",
                                       "owner_name": "Anya"})  # fmt: skip
    assert missing_due.status_code == 200 and "needs a due date" in missing_due.content.decode()
    assert "Another" in missing_due.content.decode()
    page = client.get(conference.get_absolute_url()).content.decode()
    assert "Morning call at seven" in page and "class teacher" in page
    kinds = list(case.chronology.filter(kind="conference").values_list("title", flat=True))
    assert len(kinds) == 3


def test_a_conference_is_recorded_after_it_took_place_with_the_team(world):
    case = _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    data = {
        "user": helper, "case": case, "kind": "discussion", "agenda": "Next steps",
        "external_attendees": "", "minutes": "",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="taken place"):
        services.conference_record(
            **data, held_at=timezone.now() + dt.timedelta(days=1), attendees=[helper]
        )
    with pytest.raises(ValidationError, match="team"):
        services.conference_record(
            **data, held_at=timezone.now(), attendees=[world.users[Role.EDUCATOR]]
        )
    with pytest.raises(ValidationError, match="who took part"):
        services.conference_record(**data, held_at=timezone.now(), attendees=[])
    assert not case.conferences.exists()


def test_crisis_care_expects_a_contact_every_day(world, signed_in):
    crisis = _open(world, kind=Case.Kind.CRISIS)
    helper = world.users[Role.SOCIAL_HELPER]
    Case.objects.filter(pk=crisis.pk).update(opened_at=timezone.now() - dt.timedelta(days=3))
    services.entry_add(
        user=helper, case=crisis, kind="contact",
        happened_at=timezone.now() - dt.timedelta(days=2), title="Phone call", text="",
    )  # fmt: skip
    contact = Duty.objects.filter(owner=helper, kind="case_contact", target_id=crisis.pk)
    assert contact.get().due < timezone.now()
    client = signed_in(helper)
    home = client.get(reverse("home")).content.decode()
    assert "Contact the family" in home and f"Case no. {crisis.pk}" in home
    listing = client.get(reverse("cases:list"))
    row = listing.context["page"].rows[0]
    assert row.next_contact == timezone.localtime(row.last_contact).date() + dt.timedelta(days=1)
    assert "contact overdue" in listing.content.decode()
    services.entry_add(
        user=helper, case=crisis, kind="session", happened_at=timezone.now(), title="Talk",
        text="",
    )  # fmt: skip
    assert contact.get().due > timezone.now()
    assert "contact overdue" not in client.get(crisis.get_absolute_url()).content.decode()
