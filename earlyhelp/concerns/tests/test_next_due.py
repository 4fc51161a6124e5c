"""`Concern.next_due_at` follows the open deadlines, so the queue sorts without aggregating."""

import pytest
from django.urls import reverse

from earlyhelp.concerns.models import Concern
from earlyhelp.concerns.tests.test_reporting_and_triage import report_data
from earlyhelp.organisations.models import Role

pytestmark = pytest.mark.django_db


def _earliest_open(concern):
    return min(d.due_at for d in concern.deadlines.filter(met_at__isnull=True))


def test_the_next_deadline_is_kept_as_deadlines_are_stored_and_met(world, signed_in):
    signed_in(world.users[Role.EDUCATOR]).post(
        reverse("concerns:report"), report_data(world, send="1")
    )
    concern = Concern.objects.get()
    assert concern.next_due_at == _earliest_open(concern)
    helper = signed_in(world.users[Role.SOCIAL_HELPER])
    helper.post(
        reverse("concerns:decide", args=[concern.pk]),
        {"decision": "advice", "reason": "Talk with the family.", "version": concern.version},
    )
    concern.refresh_from_db()
    open_ones = concern.deadlines.filter(met_at__isnull=True)
    assert concern.next_due_at == (_earliest_open(concern) if open_ones.exists() else None)
    queue = helper.get(reverse("concerns:queue"))
    assert [c.pk for c in queue.context["page"].rows] == [concern.pk]
