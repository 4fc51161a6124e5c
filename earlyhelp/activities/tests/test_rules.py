"""The rules of an activity's page, as the model and the services state them: which status a
record is in, who may register for a workshop and who may give feedback on it."""

from datetime import date

import pytest

from earlyhelp.activities.models import (
    Activity,
    ActivityType,
    Participant,
    Session,
    SparringRequest,
)
from earlyhelp.activities.services import feedback_open, registration_open


@pytest.mark.parametrize("status", Activity.Status.values)
def test_an_activity_is_active_only_while_it_runs(status):
    assert Activity(status=status).is_active == (status == Activity.Status.ACTIVE)


@pytest.mark.parametrize("status", Session.Status.values)
def test_a_meeting_is_planned_or_held_by_its_status(status):
    session = Session(status=status)
    assert session.is_planned == (status == Session.Status.PLANNED)
    assert session.is_held == (status == Session.Status.HELD)


@pytest.mark.parametrize("status", SparringRequest.Status.values)
def test_a_sparring_request_is_requested_scheduled_or_done_by_its_status(status):
    item = SparringRequest(status=status)
    assert item.is_requested == (status == SparringRequest.Status.REQUESTED)
    assert item.is_scheduled == (status == SparringRequest.Status.SCHEDULED)
    assert item.is_done == (status == SparringRequest.Status.DONE)


def _workshop(registration: bool = True) -> Activity:
    return Activity(type=ActivityType(registration=registration))


def test_anyone_not_registered_may_register_for_a_workshop():
    assert registration_open(activity=_workshop(), registration=None)


def test_who_cancelled_may_register_again():
    cancelled = Participant(left_on=date(2026, 3, 2))
    assert registration_open(activity=_workshop(), registration=cancelled)


def test_who_is_registered_may_not_register_twice():
    assert not registration_open(activity=_workshop(), registration=Participant())


def test_nobody_registers_for_a_type_without_registration():
    assert not registration_open(activity=_workshop(registration=False), registration=None)


def test_feedback_is_for_the_registered_once_a_meeting_began():
    registered = Participant()
    assert feedback_open(registration=registered, started=True)
    assert not feedback_open(registration=registered, started=False)


def test_feedback_is_not_for_who_never_registered_or_cancelled():
    assert not feedback_open(registration=None, started=True)
    assert not feedback_open(registration=Participant(left_on=date(2026, 3, 2)), started=True)
