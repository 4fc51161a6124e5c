"""The officer's pages end to end: the periods, the dry run, the decision and the holds."""

import json
from datetime import date

import pytest

from earlyhelp.audit.models import AuditEvent
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Role
from earlyhelp.privacy.models import LegalHold, RetentionBatch, SubjectRequest
from earlyhelp.privacy.tests.test_retention import closed_concern

pytestmark = pytest.mark.django_db


def test_the_officer_sees_the_periods_finds_what_is_due_and_erases_it(
    world, signed_in, django_capture_on_commit_callbacks
):
    concern = closed_concern(world, date(2021, 5, 3))
    client = signed_in(world.users[Role.DPO])
    page = client.get("/privacy/").content.decode()
    assert "Concerns that led to no case" in page
    assert "36 months from the record&#x27;s closure (municipal setting, earlyhelp default)" in page
    assert client.post("/privacy/look-again/").status_code == 302
    batch = RetentionBatch.objects.get(kind="concern_no_case")
    page = client.get(f"/privacy/batches/{batch.pk}/").content.decode()
    assert f"Concern {concern.pk}" in page and "Bence" not in page
    assert "Privacy (1 to decide)" in page
    # The form says how many records the officer saw; one more since refuses the decision.
    refused = client.post(
        f"/privacy/batches/{batch.pk}/decide/", {"decision": "approve", "items": "2"}
    )
    assert refused.status_code == 400 and "The list changed" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/privacy/batches/{batch.pk}/decide/", {"decision": "approve", "items": "1"}
        )
    assert done.status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.erased) == ("applied", 1)
    assert Concern.objects.get(pk=concern.pk).what_happened == ""
    page = client.get(f"/privacy/batches/{batch.pk}/").content.decode()
    assert "Records erased: 1. Kept after all" in page


def test_a_rejection_needs_a_reason_and_keeps_what_was_typed(world, signed_in):
    closed_concern(world, date(2021, 5, 3))
    client = signed_in(world.users[Role.DPO])
    client.post("/privacy/look-again/")
    batch = RetentionBatch.objects.get(kind="concern_no_case")
    refused = client.post(
        f"/privacy/batches/{batch.pk}/decide/", {"decision": "reject", "items": "1"}
    )
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert RetentionBatch.objects.get(pk=batch.pk).state == "proposed"


def test_the_administrator_reads_but_does_not_decide(world, signed_in):
    closed_concern(world, date(2021, 5, 3))
    signed_in(world.users[Role.DPO]).post("/privacy/look-again/")
    batch = RetentionBatch.objects.get(kind="concern_no_case")
    client = signed_in(world.users[Role.ADMIN])
    page = client.get(f"/privacy/batches/{batch.pk}/").content.decode()
    assert "Your decision" not in page
    assert (
        client.post(
            f"/privacy/batches/{batch.pk}/decide/", {"decision": "approve", "items": "1"}
        ).status_code
        == 403
    )


def test_a_hold_is_placed_by_number_and_lifted_with_a_reason(world, signed_in):
    client = signed_in(world.users[Role.DPO])
    wrong = client.post(
        "/privacy/holds/new/",
        {"kind": "child", "number": str(world.abroad.pk), "reason": "Court order 12/2026"},
    )
    body = wrong.content.decode()
    assert wrong.status_code == 400
    assert "Your municipality has no record of this kind" in body and "Court order 12/2026" in body
    assert (
        client.post(
            "/privacy/holds/new/",
            {"kind": "child", "number": str(world.inside.pk), "reason": "Court order 12/2026"},
        ).status_code
        == 302
    )
    hold = LegalHold.objects.get(child=world.inside)
    again = client.post(
        "/privacy/holds/new/", {"kind": "child", "number": str(world.inside.pk), "reason": "Again"}
    )
    assert "already under a legal hold" in again.content.decode()
    page = client.get("/privacy/holds/").content.decode()
    assert f"Child {world.inside.pk}" in page and "Bence" not in page
    client.post(f"/privacy/holds/{hold.pk}/lift/", {"lift_reason": "The court closed the matter."})
    hold.refresh_from_db()
    assert hold.lifted_at is not None and hold.lifted_by == world.users[Role.DPO]


def test_the_officer_registers_a_request_and_gives_the_copy(world, signed_in):
    client = signed_in(world.users[Role.DPO])
    typed = {
        "right": "access",
        "person_kind": "child",
        "number": str(world.abroad.pk),
        "received_on": "2026-11-30",
        "requester": "The mother, by e-mail",
        "details": "Everything you hold about my son.",
    }
    refused = client.post("/privacy/requests/new/", typed)
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "no record of this kind" in body and "Everything you hold about my son." in body
    done = client.post("/privacy/requests/new/", {**typed, "number": str(world.inside.pk)})
    assert done.status_code == 302
    made = SubjectRequest.objects.get(child=world.inside)
    page = client.get(f"/privacy/requests/{made.pk}/").content.decode()
    assert "Download as PDF" in page
    pdf = client.get(f"/privacy/requests/{made.pk}/copy.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Cache-Control"].startswith("private") or "no-store" in pdf["Cache-Control"]
    data = client.get(f"/privacy/requests/{made.pk}/copy.json")
    assert json.loads(data.content)["about"] == f"people.child:{world.inside.pk}"
    exports = AuditEvent.objects.filter(action="export", object_type="people.child")
    assert exports.count() == 2
    answered = client.post(
        f"/privacy/requests/{made.pk}/answer/",
        {"decision": "answer", "outcome": "Copy sent by registered post."},
    )
    assert answered.status_code == 302
    assert SubjectRequest.objects.get(pk=made.pk).state == "done"
    listing = client.get("/privacy/requests/").content.decode()
    assert "Answered lately" in listing


def test_nobody_but_the_officer_reaches_the_register(world, signed_in):
    for role in (Role.ADMIN, Role.SOCIAL_HELPER, Role.MANAGER):
        assert signed_in(world.users[role]).get("/privacy/requests/").status_code == 403


def test_a_record_number_too_long_for_any_record_is_refused_as_typed(world, signed_in):
    client = signed_in(world.users[Role.DPO])
    refused = client.post(
        "/privacy/holds/new/",
        {"kind": "case", "number": "9999 9999 9999 9999 999", "reason": "Court"},
    )
    assert refused.status_code == 400
    assert "in digits" in refused.content.decode()


def test_the_batch_says_its_period_in_the_readers_words_and_when_it_changed_since(world, signed_in):
    from earlyhelp.protocols.models import MunicipalSetting

    closed_concern(world, date(2021, 5, 3))
    client = signed_in(world.users[Role.DPO])
    client.post("/privacy/look-again/")
    batch = RetentionBatch.objects.get(kind="concern_no_case")
    page = client.get(f"/privacy/batches/{batch.pk}/").content.decode()
    assert "36 months from the record&#x27;s closure (municipal setting, earlyhelp default)" in page
    MunicipalSetting.objects.create(
        municipality=world.municipality_a, key="retention_concern_no_case_months", value=48
    )
    page = client.get(f"/privacy/batches/{batch.pk}/").content.decode()
    assert "36 months from the record&#x27;s closure (the period when the batch was found)" in page
