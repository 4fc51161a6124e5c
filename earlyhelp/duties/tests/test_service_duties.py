"""Duties of activities (the next session to take attendance of), screening (a round's open
flags) and foster care (requirements coming due or missed): created, moved, gone when done,
owned by the right people, and left off the page when the policy no longer lets them open it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from earlyhelp.accounts.models import User
from earlyhelp.activities import services as activity_services
from earlyhelp.activities.tests.test_activities import _plan
from earlyhelp.duties.models import Duty
from earlyhelp.duties.registry import at_end_of
from earlyhelp.duties.selectors import duties_page
from earlyhelp.duties.services import rebuild
from earlyhelp.fostercare import services as foster_services
from earlyhelp.fostercare.models import Household
from earlyhelp.fostercare.tests.test_fostercare import TODAY, _family
from earlyhelp.organisations.models import Approval, Membership, Role
from earlyhelp.screening import services as screening_services
from earlyhelp.screening.models import Rating
from earlyhelp.screening.tests.test_services import a_round, rate

pytestmark = pytest.mark.django_db


def _duties(user, kind):
    return list(Duty.objects.filter(owner=user, kind=kind).values_list("due", "target_id"))


def _urls(user):
    return [item.url for group in duties_page(user=user)["groups"] for item in group.items]


def test_the_lead_takes_the_attendance_of_the_next_session(world):
    helper = world.users[Role.SOCIAL_HELPER]
    club = _plan(world, recurrence="weekly", ends_on=timezone.localdate() + timedelta(days=14))
    first, second = list(club.sessions.order_by("starts_at"))[:2]
    assert _duties(helper, "activity_session") == [(first.starts_at, first.pk)]
    assert _urls(helper) == [f"/activities/{club.pk}/sessions/{first.pk}/"]
    assert not Duty.objects.filter(owner=world.users[Role.SUPERVISOR]).exists()
    activity_services.session_record(
        user=helper, session=first, version=first.version, status="cancelled", minutes=90,
        note="", head_count=None, attendance={},
    )  # fmt: skip
    assert _duties(helper, "activity_session") == [(second.starts_at, second.pk)]
    assert rebuild(labels=["activities.activity"])["activities.activity"] >= 1
    assert _duties(helper, "activity_session") == [(second.starts_at, second.pk)]
    # No longer able to open it (the helper's role waits for approval again): left off the page.
    Membership.objects.filter(user=helper).update(approval=Approval.PENDING)
    assert _urls(User.objects.get(pk=helper.pk)) == []


def test_a_rounds_open_flags_wait_for_the_schools_social_helpers(world):
    helper, supervisor = world.users[Role.SOCIAL_HELPER], world.users[Role.SUPERVISOR]
    round_ = a_round(world)
    rate(world, round_, world.inside)
    assert not Duty.objects.filter(kind="screening_flags").exists()
    rate(world, round_, world.inside, version=1, safety=2)  # rated again: flagged
    due = at_end_of(round_.closes_on)
    for user in (helper, supervisor):
        assert _duties(user, "screening_flags") == [(due, round_.pk)]
    assert not Duty.objects.filter(owner=world.users[Role.EDUCATOR]).exists()
    assert not Duty.objects.filter(owner=world.outsiders[Role.SOCIAL_HELPER]).exists()
    assert _urls(helper) == [round_.get_absolute_url()]
    assert rebuild(labels=["screening.round"]) == {"screening.round": 2}
    rating = Rating.objects.get()
    screening_services.flag_handle(
        user=helper, rating=rating, outcome="watch", version=rating.version
    )
    assert not Duty.objects.filter(kind="screening_flags").exists()


def test_foster_requirements_coming_due_wait_for_the_key_worker_and_the_supervisors(world):
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    # Signed 50 days ago without a contact: the key worker's contact falls due within 30 days.
    household = _family(world, signed_on=TODAY - timedelta(days=50))
    wanted = {
        (compliance.household.pk, requirement.due_on)
        for compliance, requirement, _ in foster_services.requirements_due(
            Household.objects.filter(pk=household.pk)
        )
    }
    nearest = min(on for _, on in wanted)
    for user in (worker, supervisor):
        assert _duties(user, "fostercare_requirement") == [(at_end_of(nearest), household.pk)]
    assert not Duty.objects.filter(owner=world.outsiders[Role.SUPERVISOR]).exists()
    assert _urls(worker) == [household.get_absolute_url()]
    count = rebuild(labels=["fostercare.household"])["fostercare.household"]
    assert count == 2
    # The key worker's contact recorded: that requirement is met, the duty moves or is gone.
    foster_services.visit_record(
        user=worker, household=household, kind="key_worker_contact", on=TODAY
    )
    left = [
        on
        for _, requirement, _ in foster_services.requirements_due(
            Household.objects.filter(pk=household.pk)
        )
        for on in [requirement.due_on]
    ]
    expected = [(at_end_of(min(left)), household.pk)] if left else []
    assert _duties(worker, "fostercare_requirement") == expected
    # A family no longer fostered asks nothing.
    household.refresh_from_db()
    foster_services.household_update(
        user=worker, household=household, data={"active": False}, version=household.version
    )
    assert not Duty.objects.filter(kind="fostercare_requirement").exists()
