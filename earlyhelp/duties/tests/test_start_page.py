"""The start page lists a user's duties nearest first, grouped, with links; it names people only
where the policy lets the reader; the navigation counts what is overdue or due today; the
rebuild gives what the services keep."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from earlyhelp.access.policy import visible
from earlyhelp.cases import services as case_services
from earlyhelp.cases.models import Case, PlanAction
from earlyhelp.cases.tests.test_cases import _open
from earlyhelp.duties.models import Duty
from earlyhelp.duties.selectors import due_count
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _step(world, case, owner, due_on, text="Apply for the housing benefit"):
    goal = case_services.goal_add(
        user=world.users[Role.SOCIAL_HELPER], case=case, child=world.inside,
        text="Bence goes to school every day.", domain="school",
    )  # fmt: skip
    return case_services.action_add(
        user=world.users[Role.SOCIAL_HELPER], goal=goal, text=text,
        owner_kind="professional", owner=owner, due_on=due_on,
    )  # fmt: skip


def _kinds(user):
    return sorted(Duty.objects.filter(owner=user).values_list("kind", flat=True))


def test_a_case_gives_its_lead_a_review_its_team_a_contact_and_owners_their_steps(world):
    helper = world.users[Role.SOCIAL_HELPER]
    case = _open(world)
    assert _kinds(helper) == ["case_contact", "case_review"]
    step = _step(world, case, helper, timezone.localdate() + dt.timedelta(days=2))
    assert _kinds(helper) == ["case_contact", "case_plan_step", "case_review"]
    duty = Duty.objects.get(owner=helper, kind="case_plan_step")
    assert duty.source_id == step.pk and duty.target_id == case.pk and duty.all_day
    assert timezone.localtime(duty.due).date() == step.due_on
    # Done, the step's duty is gone; a contact moves the next one.
    case_services.action_set_status(user=helper, action=step, version=step.version, status="done")
    assert "case_plan_step" not in _kinds(helper)
    before = Duty.objects.get(owner=helper, kind="case_contact").due
    case_services.entry_add(
        user=helper, case=case, kind="contact", happened_at=timezone.now(),
        title="Phone call", text="",
    )  # fmt: skip
    assert Duty.objects.get(owner=helper, kind="case_contact").due >= before
    # A closed case asks nothing more.
    case.refresh_from_db()
    case_services.case_close(
        user=helper, case=case, version=case.version, reason="goals_met", outcome="improved",
        note="Done.",
    )  # fmt: skip
    assert _kinds(helper) == []


def test_the_page_groups_links_and_counts(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    case = _open(world)
    late = _step(world, case, helper, timezone.localdate())
    PlanAction.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    call_command("rebuild_duties", "--source", "cases.case")
    client = signed_in(helper)
    page = client.get(reverse("home"))
    body = page.content.decode()
    assert page.status_code == 200
    assert [g.key for g in page.context["duty_groups"]][0] == "overdue"
    overdue = page.context["duty_groups"][0].items
    assert overdue[0].reason == "Do a step of the plan"
    assert overdue[0].url == f"{case.get_absolute_url()}#plan-heading"
    assert "Szőke Bence" in body and f"Case no. {case.pk}" in body
    # The navigation counts the overdue and today's duties: one indexed COUNT.
    assert page.context["duties_due_now"] == due_count(helper) >= 1
    assert "due<span" in body


def test_a_child_the_reader_may_not_name_is_not_named(world, signed_in):
    # The case worker is on the restricted child's team; their supervisor is not.
    worker, supervisor = world.users[Role.CASE_WORKER], world.users[Role.SUPERVISOR]
    case = _open(world, user=worker, lead_worker=worker, children=[world.inside, world.secret])
    review = Duty.objects.get(owner=worker, kind="case_review")
    Duty.objects.create(
        owner=supervisor, kind=review.kind, due=review.due, all_day=True,
        source_type=review.source_type, source_id=review.source_id,
        target_type=review.target_type, target_id=review.target_id,
        municipality_id=review.municipality_id,
    )  # fmt: skip
    assert visible(supervisor, Case.objects.filter(pk=case.pk)).exists()
    body = signed_in(supervisor).get(reverse("home")).content.decode()
    assert "Szőke Bence" in body
    assert "Kovács Luca" not in body and "a child you may not name" in body
    body = signed_in(worker).get(reverse("home")).content.decode()
    assert "Kovács Luca" in body


def test_a_duty_whose_record_the_owner_can_no_longer_open_is_left_out(world, signed_in):
    helper = world.users[Role.SOCIAL_HELPER]
    case = _open(world)
    Case.objects.filter(pk=case.pk).update(restricted=True)
    # The helper is on the team: still shown. Another user's duty on it is not shown to them.
    Duty.objects.filter(owner=helper).update(owner=world.users[Role.EDUCATOR])
    page = signed_in(world.users[Role.EDUCATOR]).get(reverse("home"))
    assert page.context["duty_groups"] == []


def test_a_duty_is_its_owners_only(world):
    _open(world)
    helper = world.users[Role.SOCIAL_HELPER]
    assert visible(helper, Duty.objects.all()).count() == Duty.objects.filter(owner=helper).count()
    assert not visible(world.users[Role.SUPERVISOR], Duty.objects.filter(owner=helper)).exists()


def test_the_rebuild_gives_what_the_services_keep(world):
    _open(world)
    kept = set(Duty.objects.values_list("owner_id", "kind", "source_id", "due"))
    Duty.objects.all().delete()
    call_command("rebuild_duties")
    assert set(Duty.objects.values_list("owner_id", "kind", "source_id", "due")) == kept


def test_a_long_list_pages_and_each_group_gives_its_total(world, signed_in, monkeypatch):
    from earlyhelp.duties import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    helper = world.users[Role.SOCIAL_HELPER]
    case = _open(world)
    for days in (-3, -2, -1):
        step = _step(world, case, helper, timezone.localdate(), text=f"Step {days}")
        PlanAction.objects.filter(pk=step.pk).update(
            due_on=timezone.localdate() + dt.timedelta(days=days)
        )
    call_command("rebuild_duties", "--source", "cases.case")
    client = signed_in(helper)
    first = client.get(reverse("home"))
    (overdue,) = first.context["duty_groups"]
    # Two on this page, the group's total from the owner's index.
    assert len(overdue.items) == 2 and overdue.total == 3
    assert "(3)" in first.content.decode()
    more = first.context["more_duties"]
    assert more
    second = client.get(reverse("home"), {"after": more})
    rest = [item for group in second.context["duty_groups"] for item in group.items]
    assert rest and all(item.url.startswith(case.get_absolute_url()) for item in rest)
