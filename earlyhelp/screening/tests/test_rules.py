"""The states of a screening round as the model states them."""

import pytest

from earlyhelp.screening.models import Round


@pytest.mark.parametrize("status", Round.Status.values)
def test_a_round_is_open_or_complete_by_its_status(status):
    round_ = Round(status=status)
    assert round_.is_open == (status == Round.Status.OPEN)
    assert round_.is_complete == (status == Round.Status.COMPLETE)
