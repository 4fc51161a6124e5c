"""Whether a requirement applies to a household and whether it is met, as the rules state it."""

import pytest

from earlyhelp.fostercare import rules


@pytest.mark.parametrize("status", rules.SEVERITY)
def test_a_requirement_applies_unless_it_does_not(status):
    requirement = rules.Status(code="training", label="Training", status=status)
    assert requirement.applies == (status != rules.NOT_APPLICABLE)
    assert requirement.is_met == (status == rules.MET)
