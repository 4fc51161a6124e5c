"""Which notifications are urgent, as the model states it."""

import pytest

from earlyhelp.notifications.models import Notification


@pytest.mark.parametrize("kind", Notification.Kind.values)
def test_only_an_immediate_danger_is_marked_urgent(kind):
    expected = kind == Notification.Kind.IMMEDIATE_DANGER
    assert Notification(kind=kind).is_immediate_danger == expected
