"""Erasing the content of audit rows about an erased person: the chain still verifies, the
database allows nothing else, and a row emptied without its kept digest is found."""

import datetime

import pytest
from django.db import transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from earlyhelp.audit.models import ERASED, AuditEvent, ErasedContent, content_digest
from earlyhelp.audit.presentation import describe
from earlyhelp.audit.services import audit_erase, audit_record
from earlyhelp.audit.tests.tampering import rows, without_trigger
from earlyhelp.audit.verify import verify_log
from earlyhelp.tests.factories import ChildFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_erased_rows_lose_their_content_and_the_chain_still_verifies():
    written = rows(4)
    child = ChildFactory()
    other = audit_record(
        actor=UserFactory(), action="change", obj=child, changes={"given_name": ["Ann", "Anna"]}
    )
    subject = written[0].subject
    erased, unerasable = audit_erase(AuditEvent.objects.filter(subject=subject), reason="test")
    assert (erased, unerasable) == (4, 0)
    for row in AuditEvent.objects.filter(subject=subject):
        assert row.changes == ERASED and row.purpose == "" and row.is_erased
    kept = ErasedContent.objects.get(event_id=written[1].pk)
    assert kept.content_sha256 == content_digest({}, "test")
    assert AuditEvent.objects.get(pk=other.pk).changes == {"given_name": ["Ann", "Anna"]}
    report = verify_log()
    assert report.broken is None and report.checked == 5
    # A second erasure of the same rows changes nothing.
    assert audit_erase(AuditEvent.objects.filter(subject=subject), reason="again") == (0, 0)


def test_an_erased_row_says_so_and_shows_no_changes():
    row = audit_record(
        actor=UserFactory(), action="change", obj=ChildFactory(), changes={"needs": ["a", "b"]}
    )
    audit_erase(AuditEvent.objects.filter(pk=row.pk), reason="test")
    described = describe(AuditEvent.objects.get(pk=row.pk))
    assert described.changes == []
    assert "erased under the retention rules" in described.summary


def test_the_database_refuses_an_erasure_whose_digest_was_not_kept():
    row = rows(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(changes=ERASED, purpose="")


def _other_value(field, value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(seconds=1)
    if value is None:
        return 1
    return f"{value}x"


@pytest.mark.parametrize(
    "name",
    [
        f.name
        for f in AuditEvent._meta.concrete_fields
        if f.name not in {"id", "changes", "purpose"}
    ],
)
def test_the_erasure_may_change_nothing_but_the_content(name):
    row = rows(1)[0]
    ErasedContent.objects.create(
        event_id=row.pk,
        content_sha256=content_digest(row.changes, row.purpose),
        erased_at=timezone.now(),
        reason="test",
    )
    field = AuditEvent._meta.get_field(name)
    changed = {field.attname: _other_value(field, getattr(row, field.attname))}
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=row.pk).update(changes=ERASED, purpose="", **changed)


def test_kept_digests_cannot_be_removed():
    row = rows(1)[0]
    audit_erase(AuditEvent.objects.filter(pk=row.pk), reason="test")
    with pytest.raises(DatabaseError), transaction.atomic():
        ErasedContent.objects.filter(event_id=row.pk).delete()


def test_a_row_emptied_around_the_trigger_breaks_the_chain():
    written = rows(3)
    without_trigger(
        (
            "UPDATE audit_auditevent SET changes = %s, purpose = '' WHERE id = %s",
            ['{"erased": true}', written[1].pk],
        )
    )
    report = verify_log()
    assert report.broken is not None and report.broken.event_id == written[1].pk
    assert "digest kept at its erasure is missing" in report.broken.reason


def test_rows_of_the_first_chain_format_cannot_be_erased():
    written = rows(2)
    # As if the first row had been written before chain formats existed.
    without_trigger(("UPDATE audit_auditevent SET format = 1 WHERE id = %s", [written[0].pk]))
    erasing = AuditEvent.objects.filter(subject=written[0].subject)
    assert audit_erase(erasing, reason="test") == (1, 1)
    assert AuditEvent.objects.get(pk=written[0].pk).purpose == "test"
