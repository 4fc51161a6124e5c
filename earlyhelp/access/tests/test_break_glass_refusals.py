"""Break-glass refuses numbers that are not numbers, and shows every refused attempt to the
supervisors, with the number that was tried."""

import pytest
from django.urls import reverse

from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, visible
from earlyhelp.audit.models import AuditEvent
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Child
from earlyhelp.tests import factories as f

pytestmark = pytest.mark.django_db
REASON = "The police asked about this child just now."


def _try(client, record):
    return client.post(
        reverse("access:break_glass"), {"record": record, "reason": REASON, "minutes": 5}
    )


@pytest.mark.parametrize("record", ["-", " - ", "/", "", "   ", "12a4", "١٢٣", "1\x002", "--1--x"])
def test_a_blank_or_malformed_number_opens_nothing(world, signed_in, record):
    """The finding: the number `-` opened a child without a national identifier."""
    f.ChildFactory(municipality=world.municipality_a, national_id="")
    response = _try(signed_in(world.users[Role.MANAGER]), record)
    assert response.status_code == 200
    assert response.context["form"].errors["record"]
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


def test_a_number_with_separators_still_finds_the_child(world, signed_in):
    child = f.ChildFactory(municipality=world.municipality_a, national_id="123456789")
    response = _try(signed_in(world.users[Role.MANAGER]), "123 456-789")
    assert response.status_code == 302
    assert BreakGlassGrant.objects.get().child == child


def test_a_huge_number_is_refused_without_a_fault(world, signed_in):
    response = _try(signed_in(world.users[Role.MANAGER]), "9" * 20)
    assert response.status_code == 200
    assert not BreakGlassGrant.objects.filter(refused=False).exists()


def test_a_refused_attempt_is_in_the_supervisors_log_with_the_number_tried(world, signed_in):
    manager = world.users[Role.MANAGER]
    response = _try(signed_in(manager), "999 999")
    assert "No record with this number" in response.content.decode()

    refusal = BreakGlassGrant.objects.get()
    assert refusal.refused and refusal.child is None and refusal.record_tried == "999999"
    assert not refusal.is_active
    assert refusal not in BreakGlassGrant.objects.active()
    # It opened nothing.
    assert not visible(manager, Child.objects.filter(pk=world.secret.pk), Action.VIEW).exists()

    event = AuditEvent.objects.get(action="break_glass")
    assert event.flagged and event.changes["record_tried"] == "999999"

    supervisor = world.users[Role.SUPERVISOR]
    page = signed_in(supervisor).get(reverse("access:break_glass_log"))
    assert "999999" in page.content.decode()
    assert page.context["rows"] == [(refusal, True)]
    signed_in(supervisor).post(reverse("access:break_glass_reviewed", args=[refusal.pk]))
    refusal.refresh_from_db()
    assert refusal.reviewed_by == supervisor


def test_a_refused_restricted_record_is_logged_like_a_missing_one(world, signed_in):
    client = signed_in(world.users[Role.MANAGER])
    _try(client, str(world.secret.pk))
    _try(client, "999999")
    first, second = BreakGlassGrant.objects.order_by("id")
    assert (first.child, second.child) == (None, None)
    assert first.record_tried == str(world.secret.pk)
