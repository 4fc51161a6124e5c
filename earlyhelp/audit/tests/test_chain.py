import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.audit.verify import verify_chain
from earlyhelp.tests.factories import ChildFactory, UserFactory


def _rows(n=4):
    user = UserFactory()
    child = ChildFactory()
    return [
        audit_record(actor=user, action="view", obj=child, role="social_helper", purpose="test")
        for _ in range(n)
    ]


def _without_trigger(sql, params):
    """Tamper the way an attacker with database access would: around the trigger."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
            cursor.execute(sql, params)


@pytest.mark.django_db
def test_every_row_links_to_the_one_before():
    rows = _rows()
    assert rows[0].prev_hash == "0" * 64
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert verify_chain() == (4, None)
    call_command("audit_verify", "--no-anchors")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditevent SET purpose = 'x'", "DELETE FROM audit_auditevent"]
)
def test_the_database_refuses_to_change_or_delete_rows(statement):
    _rows(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_the_orm_cannot_update_a_row_either():
    row = _rows(1)[0]
    row.purpose = "rewritten"
    with pytest.raises(DatabaseError), transaction.atomic():
        row.save()


@pytest.mark.django_db
def test_verify_reports_the_first_altered_row():
    rows = _rows()
    _without_trigger("UPDATE audit_auditevent SET role = %s WHERE id = %s", ["admin", rows[2].pk])
    checked, broken = verify_chain()
    assert checked == 2
    assert broken.event_id == rows[2].pk
    assert "altered" in broken.reason
    with pytest.raises(CommandError, match=f"row {rows[2].pk}"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_verify_reports_a_removed_row_at_the_next_one():
    rows = _rows()
    _without_trigger("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    checked, broken = verify_chain()
    assert (checked, broken.event_id) == (1, rows[2].pk)
    assert "link" in broken.reason
