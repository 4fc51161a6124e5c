"""The states of contact arrangements, meetings and reports as the models state them."""

import pytest

from earlyhelp.contacts.models import Arrangement, Meeting, Report


@pytest.mark.parametrize("status", Arrangement.Status.values)
def test_an_arrangement_is_active_by_its_status(status):
    assert Arrangement(status=status).is_active == (status == Arrangement.Status.ACTIVE)


@pytest.mark.parametrize("status", Meeting.Status.values)
def test_a_meeting_is_planned_until_recorded(status):
    assert Meeting(status=status).is_planned == (status == Meeting.Status.PLANNED)


@pytest.mark.parametrize("status", Report.Status.values)
def test_a_report_is_returned_or_released_by_its_status(status):
    report = Report(status=status)
    assert report.is_returned == (status == Report.Status.RETURNED)
    assert report.is_released == (status == Report.Status.RELEASED)
