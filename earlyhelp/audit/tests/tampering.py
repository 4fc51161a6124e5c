"""Tampering the way someone with write access to the database would: around the triggers."""

from collections.abc import Callable
from contextlib import contextmanager

from django.db import connection

from earlyhelp.audit.models import CHAINED_FIELDS, AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.tests.factories import ChildFactory, UserFactory


def rows(n=4) -> list[AuditEvent]:
    user = UserFactory()
    child = ChildFactory()
    return [
        audit_record(actor=user, action="view", obj=child, role="social_helper", purpose="test")
        for _ in range(n)
    ]


@contextmanager
def triggers_off():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_auditevent_no_delete")
        yield
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def without_trigger(*statements: tuple[str, list]) -> None:
    with triggers_off(), connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def rewrite_and_rechain(
    first_id: int,
    hash_of: Callable[[dict], str],
    key_id: str | None = None,
    through: int | None = None,
    **changes,
) -> None:
    """Change the row `first_id` and recompute the hash of it and of every row after it (up to
    `through`) with `hash_of(row)`, relinking each to the one before: what the finding did with
    the model's own `compute_hash`. `key_id` replaces the rows' key id when given."""
    before = AuditEvent.objects.filter(id__lt=first_id).order_by("-id").first()
    prev = before.hash if before else "0" * 64
    chained = AuditEvent.objects.filter(id__gte=first_id, id__lte=through or first_id + 10**9)
    with triggers_off():
        for row in list(chained.order_by("id").values("id", *CHAINED_FIELDS)):
            fields = dict(changes) if row["id"] == first_id else {}
            fields["prev_hash"] = prev
            if key_id is not None:
                fields["key_id"] = key_id
            row.update(fields)
            prev = fields["hash"] = hash_of(row)
            AuditEvent.objects.filter(id=row["id"]).update(**fields)


def delete_rows(*ids: int) -> None:
    with triggers_off():
        AuditEvent.objects.filter(id__in=ids).delete()
