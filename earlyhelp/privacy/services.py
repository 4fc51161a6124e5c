"""Placing and lifting legal holds (the retention job's own steps are in retention.py)."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_record
from earlyhelp.organisations.models import Role
from earlyhelp.privacy.models import LegalHold

HOLD_TARGETS = {"child": "people.Child", "case": "cases.Case", "concern": "concerns.Concern"}


def officers_record(label: str, number: int, municipality_ids: set[int]) -> int:
    """The municipality of record `number` of model `label`, which must be a record of one of
    the officer's municipalities. It is looked up by number only, nothing of it is read, and it
    is refused in the same words whether another municipality has such a record or not."""
    found = apps.get_model(label).objects.filter(pk=number, municipality_id__in=municipality_ids)
    municipality_id = found.values_list("municipality_id", flat=True).first()
    if municipality_id is None:
        raise ValidationError(
            gettext("Your municipality has no record of this kind with number %(number)s.")
            % {"number": number}
        )
    return municipality_id


@transaction.atomic
def hold_place(
    *, user, municipality_ids: set[int], kind: str, number: int, reason: str
) -> LegalHold:
    """A hold on record `number` of `kind`, a record of one of the officer's municipalities."""
    municipality_id = officers_record(HOLD_TARGETS[kind], number, municipality_ids)
    active = LegalHold.objects.filter(**{f"{kind}_id": number}, lifted_at__isnull=True)
    if active.exists():
        raise ValidationError(gettext("This record is already under a legal hold."))
    hold = LegalHold.objects.create(
        municipality_id=municipality_id,
        reason=reason,
        placed_by=user,
        placed_at=timezone.now(),
        **{f"{kind}_id": number},
    )
    audit_record(
        actor=user,
        action=AuditEvent.Action.CREATE,
        obj=hold,
        role=Role.DPO,
        purpose="legal hold placed",
        subject=f"people.child:{number}" if kind == "child" else "",
        changes={"record": f"{kind}:{number}"},
    )
    return hold


@transaction.atomic
def hold_lift(*, user, hold: LegalHold, reason: str) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(gettext("This hold was already lifted."))
    hold.lifted_by, hold.lifted_at, hold.lift_reason = user, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason", "updated_at"])
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=hold,
        role=Role.DPO,
        purpose="legal hold lifted",
        subject=f"people.child:{hold.child_id}" if hold.child_id else "",
        changes={"lifted_at": [None, hold.lifted_at]},
    )
    return hold
