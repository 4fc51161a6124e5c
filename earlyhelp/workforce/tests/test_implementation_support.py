"""Implementation support: a worker supported in introducing a method of the catalogue, with
its sessions, kept like the rest of their staff record, and counted by a programme's staff
indicator with the role "supported": each supported worker once."""

from datetime import date

import pytest
from django.urls import reverse

from earlyhelp.organisations.models import Role
from earlyhelp.programmes.figures import indicator_value, rebuild
from earlyhelp.programmes.models import Indicator
from earlyhelp.programmes.tests import builders as pb
from earlyhelp.programmes.words import describe
from earlyhelp.workforce.models import ImplementationSupport, SupportSession
from earlyhelp.workforce.tests.builders import helper_profile, method, profile_of, support

pytestmark = pytest.mark.django_db


def test_each_supported_worker_counts_once_for_the_programme(world):
    prog = pb.programme(world, starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31))
    supported = pb.indicator(prog, Indicator.Unit.STAFF, target=10)
    supported.role = Indicator.Role.IMPLEMENTATION_SUPPORT
    supported.full_clean()
    supported.save()
    trained = pb.indicator(prog, Indicator.Unit.STAFF, target=10)
    helper = helper_profile(world, True)
    for when in (date(2026, 2, 1), date(2026, 5, 1)):  # two supports, one worker
        support(world, True, staff=helper, on=when).programmes.add(prog)
    support(world, True, staff=profile_of(world.users[Role.CASE_WORKER]), on=date(2026, 3, 1))
    rebuild([prog.pk], today=date(2026, 6, 30))
    assert indicator_value(supported) == 1
    # Support is not taking part in an activity: the ordinary staff indicator ignores it.
    assert indicator_value(trained) == 0
    assert "supported in introducing a method" in describe(supported)


def test_the_supervisor_records_a_support_and_its_sessions(world, signed_in):
    helper = helper_profile(world, True)
    chosen = method(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    page = client.get(reverse("workforce:support_create"))
    assert chosen in page.context["form"].fields["method"].queryset
    assert method(world, False) not in page.context["form"].fields["method"].queryset
    answer = client.post(
        reverse("workforce:support_create"),
        {"staff": helper.pk, "method": chosen.pk, "starts_on": "2026-03-01"},
    )
    assert answer.status_code == 200  # nobody named as the supporter
    answer = client.post(
        reverse("workforce:support_create"),
        {
            "staff": helper.pk,
            "method": chosen.pk,
            "supporter_name": "A method trainer",
            "starts_on": "2026-03-01",
        },
    )
    made = ImplementationSupport.objects.get()
    assert answer.status_code == 302 and made.staff == helper
    answer = client.post(
        reverse("workforce:support_session_add", args=[made.pk]),
        {"held_on": "2026-03-08", "minutes": "60", "note": "First try in a group"},
    )
    assert answer.status_code == 302
    assert SupportSession.objects.get().minutes == 60
    # The worker sees it and may not add to it.
    worker = signed_in(world.users[Role.SOCIAL_HELPER])
    assert worker.get(reverse("workforce:support", args=[made.pk])).status_code == 200
    assert (
        worker.post(
            reverse("workforce:support_session_add", args=[made.pk]),
            {"held_on": "2026-03-09", "minutes": "30"},
        ).status_code
        == 403
    )


def test_a_stale_change_of_a_support_is_refused(world, signed_in):
    made = support(world, True)
    client = signed_in(world.users[Role.SUPERVISOR])
    data = {
        "method": made.method_id,
        "supporter_name": "Someone else",
        "starts_on": made.starts_on.isoformat(),
        "version": "0",
    }
    answer = client.post(reverse("workforce:support_edit", args=[made.pk]), data)
    assert answer.status_code == 200 and "Someone else" in answer.content.decode()
    made.refresh_from_db()
    assert made.supporter_name == "A method trainer"
