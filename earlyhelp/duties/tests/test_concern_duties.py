"""A concern's duties: its triagers acknowledge, decide and give feedback by its next deadline;
whoever was written to answers the conversation's last message; done, the duty is gone."""

import pytest
from django.urls import reverse

from earlyhelp.concerns import services
from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.duties.models import Duty
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _reported(world, signed_in, **changes) -> Concern:
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1", **changes)
    )
    return Concern.objects.get()


def _kinds(user):
    return sorted(Duty.objects.filter(owner=user).values_list("kind", flat=True))


def test_a_sent_concern_asks_its_triagers_to_acknowledge_it_by_its_deadline(world, signed_in):
    concern = _reported(world, signed_in)
    helper, supervisor = world.users[Role.SOCIAL_HELPER], world.users[Role.SUPERVISOR]
    for user in (helper, supervisor):
        duty = Duty.objects.get(owner=user)
        assert duty.kind == "concern_acknowledge"
        assert duty.due == concern.next_due_at and duty.target_id == concern.pk
        assert duty.municipality_id == concern.municipality_id
    assert _kinds(world.users[Role.EDUCATOR]) == []
    assert _kinds(world.outsiders[Role.SOCIAL_HELPER]) == []


def test_each_step_of_triage_moves_the_duty_and_the_decision_ends_it(world, signed_in):
    concern = _reported(world, signed_in)
    helper = world.users[Role.SOCIAL_HELPER]
    services.concern_acknowledge(user=helper, concern=concern, version=concern.version)
    concern.refresh_from_db()
    assert _kinds(helper) == ["concern_triage"]
    assert Duty.objects.get(owner=helper).due == concern.next_due_at
    services.concern_decide(
        user=helper,
        concern=concern,
        decision="advice",
        reason="Talk with the family.",
        version=concern.version,
        child_at_risk=False,
    )
    concern.refresh_from_db()
    expected = ["concern_feedback"] if concern.next_due_at else []
    assert _kinds(helper) == expected
    if concern.next_due_at:
        concern.deadlines.update(met_at=concern.received_at)
        concern.next_due_at = None
        concern.save(update_fields=["next_due_at"])
    services.concern_close(user=helper, concern=concern, version=concern.version)
    assert _kinds(helper) == []


def test_a_message_waits_for_the_other_side_to_answer(world, signed_in):
    concern = _reported(world, signed_in)
    helper, educator = world.users[Role.SOCIAL_HELPER], world.users[Role.EDUCATOR]
    services.concern_message(user=helper, concern=concern, body="Did he say more?")
    assert _kinds(educator) == ["concern_answer"]
    assert "concern_answer" not in _kinds(helper)
    services.concern_message(user=educator, concern=concern, body="No.")
    assert _kinds(educator) == []
    assert "concern_answer" in _kinds(helper)
    assert "concern_answer" in _kinds(world.users[Role.SUPERVISOR])
