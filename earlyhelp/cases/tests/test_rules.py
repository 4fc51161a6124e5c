"""The states of a case and its plan as the models state them, and who may leave the team."""

import pytest

from earlyhelp.cases.models import Case, CaseMember, Goal, PlanAction


@pytest.mark.parametrize("status", Case.Status.values)
def test_a_case_is_open_or_closed_by_its_status(status):
    case = Case(status=status)
    assert case.is_open == (status == Case.Status.OPEN)
    assert case.is_closed == (status == Case.Status.CLOSED)


@pytest.mark.parametrize("kind", Case.Kind.values)
def test_crisis_care_is_a_kind_of_case(kind):
    assert Case(kind=kind).is_crisis == (kind == Case.Kind.CRISIS)


@pytest.mark.parametrize("role", CaseMember.Role.values)
def test_every_member_but_the_lead_worker_may_leave_the_team(role):
    assert CaseMember(role=role).may_leave == (role != CaseMember.Role.LEAD)


@pytest.mark.parametrize("status", Goal.Status.values)
def test_a_goal_is_worked_on_while_active(status):
    assert Goal(status=status).is_active == (status == Goal.Status.ACTIVE)


@pytest.mark.parametrize("status", PlanAction.Status.values)
def test_a_step_is_to_do_while_planned(status):
    assert PlanAction(status=status).is_planned == (status == PlanAction.Status.PLANNED)
