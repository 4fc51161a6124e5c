"""The officer's duties: a batch waiting for approval and an open request are on every officer's
start page, with the request's statutory deadline; deciding and answering take them off, and the
nightly rebuild gives what the services keep."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from earlyhelp.duties.models import Duty
from earlyhelp.duties.registry import at_end_of
from earlyhelp.duties.services import rebuild
from earlyhelp.organisations.models import Role
from earlyhelp.privacy.models import RetentionBatch
from earlyhelp.privacy.requests import request_answer, request_extend
from earlyhelp.privacy.retention import propose_for, retention_decide
from earlyhelp.privacy.tests.test_retention import TODAY, closed_concern
from earlyhelp.privacy.tests.test_subject import register


def _duties(world):
    return sorted(Duty.objects.filter(owner=world.users[Role.DPO]).values_list("kind", "source_id"))


def test_a_batch_waits_on_the_officers_start_page_until_it_is_decided(world, signed_in):
    closed_concern(world, date(2022, 1, 1))
    [batch] = propose_for(world.municipality_a, TODAY)
    assert _duties(world) == [("retention_decide", batch.pk)]
    # The administrator reads the batches but decides nothing, so it is not theirs to do.
    assert not Duty.objects.filter(owner=world.users[Role.ADMIN]).exists()
    page = signed_in(world.users[Role.DPO]).get(reverse("home")).content.decode()
    assert reverse("privacy:batch", args=[batch.pk]) in page
    assert "Approve or reject records due for erasure" in page
    retention_decide(
        batch=batch, user=world.users[Role.DPO], approve=False, items_seen=1, note="Not yet."
    )
    assert _duties(world) == []


def test_a_batch_that_empties_takes_its_duty_with_it(world):
    concern = closed_concern(world, date(2022, 1, 1))
    [batch] = propose_for(world.municipality_a, TODAY)
    concern.closed_at = timezone.now()
    concern.save(update_fields=["closed_at"])
    propose_for(world.municipality_a, TODAY)
    assert not RetentionBatch.objects.filter(pk=batch.pk).exists()
    assert _duties(world) == []


def test_a_request_is_due_by_its_deadline_and_moves_when_extended(world):
    request = register(world, received_on=date(2026, 11, 20))
    duty = Duty.objects.get(owner=world.users[Role.DPO], kind="subject_request_answer")
    assert duty.source_id == request.pk and duty.all_day
    assert duty.due == at_end_of(date(2026, 12, 20))
    request_extend(user=world.users[Role.DPO], request=request, reason="Many records")
    duty = Duty.objects.get(owner=world.users[Role.DPO], kind="subject_request_answer")
    assert duty.due == at_end_of(date(2027, 2, 20))
    request_answer(user=world.users[Role.DPO], request=request, refuse=False, outcome="Sent.")
    assert _duties(world) == []


def test_the_nightly_rebuild_gives_what_the_services_keep(world):
    closed_concern(world, date(2022, 1, 1))
    propose_for(world.municipality_a, TODAY)
    register(world, received_on=date(2026, 11, 20))
    kept = _duties(world)
    assert [kind for kind, _pk in kept] == ["retention_decide", "subject_request_answer"]
    Duty.objects.all().delete()
    rebuild(labels=["privacy.retentionbatch", "privacy.subjectrequest"])
    assert _duties(world) == kept
