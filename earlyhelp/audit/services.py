"""Writing the audit log. Every read of a person-level page and every change calls one of these."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from earlyhelp.audit.keys import current_key
from earlyhelp.audit.models import (
    ERASED,
    GENESIS_HASH,
    AuditEvent,
    ErasedContent,
    content_digest,
)
from earlyhelp.core.text import plain_number

# Any constant works; it names the lock that serialises appends to the chain on PostgreSQL.
_CHAIN_LOCK = 7_302_202_611


def subject_of(obj: models.Model | None) -> str:
    """The person a record belongs to: a child or adult itself, or the child of a consent etc."""
    if obj is None:
        return ""
    label = obj._meta.label_lower
    if label in {"people.child", "people.adult"}:
        return f"{label}:{obj.pk}"
    child_id = getattr(obj, "child_id", None)
    return f"people.child:{child_id}" if child_id else ""


def municipality_of(obj: models.Model | None, subject: str, actor) -> int | None:
    """Whose log a row belongs to: the record's municipality (the record itself, else the
    person it is about), else the municipality that manages the acting account (a sign-in, a
    list, a refused break-glass attempt)."""
    if obj is not None:
        if obj._meta.label_lower == "organisations.municipality":
            return obj.pk
        found = getattr(obj, "municipality_id", None)
        if found is not None:
            return found
    if subject:
        label, _, pk = subject.rpartition(":")
        number = plain_number(pk)
        if label in {"people.child", "people.adult"} and number is not None:
            model = apps.get_model(label)
            found = model.objects.filter(pk=number).values_list("municipality_id", flat=True)
            for municipality_id in found:
                return municipality_id
    return getattr(actor, "municipality_id", None) if actor is not None else None


def _normalise(changes: dict[str, Any] | None) -> dict[str, Any]:
    # Round-trip through JSON so the stored value and the hashed value are identical.
    return json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder))


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    subject: str | None = None,
    role: str = "",
    purpose: str = "",
    request_id: str = "",
    flagged: bool = False,
    changes: dict[str, Any] | None = None,
    municipality_id: int | None = None,
) -> AuditEvent:
    """Append one row to the chain, keyed with the current audit key."""
    key = current_key()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    subject = subject if subject is not None else subject_of(obj)
    if municipality_id is None:
        municipality_id = municipality_of(obj, subject, actor if is_user else None)
    event = AuditEvent(
        at=timezone.now(),
        actor_id=actor.pk if is_user else None,
        actor_name=actor.get_username() if is_user else "",
        role=role,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else object_type,
        object_id=str(obj.pk) if obj is not None else object_id,
        subject=subject,
        purpose=purpose[:500],
        request_id=request_id,
        flagged=flagged,
        changes=_normalise(changes),
        key_id=key.id,
        municipality_id=municipality_id,
    )
    # Inside a caller's transaction no savepoint of its own (two round trips on every audited
    # write): a row that cannot be written fails the whole change, which must not stand
    # unaudited anyway.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event.prev_hash = last or GENESIS_HASH
        event.hash = event.compute_hash()
        event.save(force_insert=True)
    return event


def audit_batch(*, actor, rows: list[dict[str, Any]], role: str = "", request_id: str = "") -> int:
    """Append many rows at once, as `audit_record` would one by one: each row a dict of
    `action`, `obj` and `changes` (and optionally `purpose`, `municipality_id`). The chain's
    lock is taken once and the rows are written in one INSERT, in order, each hashed on the
    one before; for a bulk writer (a roster import) that writes thousands of records in a
    transaction. Returns the number of rows written."""
    if not rows:
        return 0
    key = current_key()
    now = timezone.now()
    events = []
    for row in rows:
        obj = row["obj"]
        subject = subject_of(obj)
        events.append(
            AuditEvent(
                at=now,
                actor_id=actor.pk,
                actor_name=actor.get_username(),
                role=role,
                action=row["action"],
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                subject=subject,
                purpose=row.get("purpose", "")[:500],
                request_id=request_id,
                changes=_normalise(row.get("changes")),
                key_id=key.id,
                municipality_id=row.get("municipality_id") or municipality_of(obj, subject, actor),
            )
        )
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        previous = last or GENESIS_HASH
        for event in events:
            event.prev_hash = previous
            event.hash = previous = event.compute_hash()
        AuditEvent.objects.bulk_create(events, batch_size=1000)
    return len(events)


def audit_request(request, *, action: str, obj=None, role: str = "", **kwargs) -> AuditEvent:
    """`audit_record` with the actor and request id taken from the request."""
    return audit_record(
        actor=request.user,
        action=action,
        obj=obj,
        role=role,
        request_id=getattr(request, "request_id", ""),
        **kwargs,
    )


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


ERASE_BATCH = 2000


def audit_erase(rows: models.QuerySet[AuditEvent], *, reason: str) -> tuple[int, int]:
    """Erase the content of `rows` (their changes and purpose), keeping each one's digest so
    that the chain still verifies (audit.models). Returns (rows erased, rows that cannot be:
    those of chain format 1, which hash their content itself). Rows erased before are left."""
    now = timezone.now()
    erasable = rows.filter(format__gte=2).exclude(changes=ERASED).order_by("id")
    erased = 0
    with transaction.atomic():
        while True:
            batch = list(
                erasable.values_list("id", "changes", "purpose", "municipality_id")[:ERASE_BATCH]
            )
            if not batch:
                break
            ErasedContent.objects.bulk_create(
                ErasedContent(
                    event_id=pk,
                    content_sha256=content_digest(changes, purpose),
                    erased_at=now,
                    reason=reason[:200],
                    municipality_id=municipality_id,
                )
                for pk, changes, purpose, municipality_id in batch
            )
            AuditEvent.objects.filter(id__in=[row[0] for row in batch]).update(
                changes=ERASED, purpose=""
            )
            erased += len(batch)
    return erased, rows.filter(format=1).count()
