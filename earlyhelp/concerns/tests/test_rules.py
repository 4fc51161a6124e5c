"""The states of a concern as the model states them: its status, who reported it, the decision."""

import pytest

from earlyhelp.concerns.models import Concern


@pytest.mark.parametrize("status", Concern.Status.values)
def test_a_concern_is_a_draft_or_submitted_by_its_status(status):
    concern = Concern(status=status)
    assert concern.is_draft == (status == Concern.Status.DRAFT)
    assert concern.is_submitted == (status == Concern.Status.SUBMITTED)


@pytest.mark.parametrize("kind", Concern.ReporterKind.values)
def test_a_private_person_reports_as_a_citizen(kind):
    assert Concern(reporter_kind=kind).is_from_citizen == (kind == Concern.ReporterKind.CITIZEN)


@pytest.mark.parametrize("decision", Concern.Decision.values)
def test_the_decision_for_a_wellbeing_conversation(decision):
    expected = decision == Concern.Decision.WELLBEING_CONVERSATION
    assert Concern(decision=decision).decided_wellbeing_conversation == expected
