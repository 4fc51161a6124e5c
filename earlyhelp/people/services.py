"""Changing children's records and what belongs to them: one transaction, one audit row each."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, forget_scope
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import update_versioned
from earlyhelp.organisations.models import Group, Municipality
from earlyhelp.people.models import Child, ChildTeamMember, Consent, Enrolment

CHILD_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "national_id",
    "languages",
    "needs",
    "restricted",
)
CONSENT_FIELDS = (
    "purpose",
    "given_by",
    "given_by_other",
    "given_on",
    "valid_until",
    "note",
)


def _snapshot(obj, fields) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


@transaction.atomic
def child_create(
    *,
    user,
    municipality: Municipality,
    data: dict[str, Any],
    group: Group | None = None,
    role: str = "",
    request_id: str = "",
) -> Child:
    """Create a child; the creator is named on the child's team so they keep access to it."""
    if not can(user, Action.CREATE, Child):
        raise PermissionDenied
    child = Child(municipality=municipality, **{k: data[k] for k in CHILD_FIELDS if k in data})
    child.full_clean()
    child.save()
    ChildTeamMember.objects.create(child=child, user=user, note=_("created the record"))
    if group is not None:
        Enrolment.objects.create(child=child, group=group, starts_on=date.today())
    forget_scope(user)
    audit_record(
        actor=user,
        action="create",
        obj=child,
        role=role,
        request_id=request_id,
        changes=field_changes({}, _snapshot(child, CHILD_FIELDS)),
    )
    return child


@transaction.atomic
def child_update(
    *, user, child: Child, data: dict[str, Any], version: int, role: str = "", request_id: str = ""
) -> Child:
    """Save the edited fields if nobody saved the child since `version` was loaded."""
    if not can(user, Action.CHANGE, child):
        raise PermissionDenied
    before = _snapshot(child, CHILD_FIELDS)
    fields = {k: data[k] for k in CHILD_FIELDS if k in data}
    update_versioned(child, expected_version=version, fields=fields)
    changes = field_changes(before, _snapshot(child, CHILD_FIELDS))
    if changes:
        audit_record(
            actor=user,
            action="change",
            obj=child,
            role=role,
            request_id=request_id,
            changes=changes,
        )
    return child


@transaction.atomic
def consent_record(
    *, user, child: Child, data: dict[str, Any], role: str = "", request_id: str = ""
) -> Consent:
    if not can(user, Action.CHANGE, child):
        raise PermissionDenied
    consent = Consent(child=child, recorded_by=user, **{k: data.get(k) for k in CONSENT_FIELDS})
    consent.given_by_other = consent.given_by_other or ""
    consent.note = consent.note or ""
    consent.full_clean()
    consent.save()
    audit_record(
        actor=user,
        action="create",
        obj=consent,
        role=role,
        request_id=request_id,
        changes=field_changes(
            {}, {**_snapshot(consent, CONSENT_FIELDS), "given_by": consent.given_by_id}
        ),
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, user, consent: Consent, on: date, version: int, role: str = "", request_id: str = ""
) -> Consent:
    if not can(user, Action.CHANGE, consent.child):
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise ValidationError(_("A consent cannot be withdrawn before it was given."))
    update_versioned(consent, expected_version=version, fields={"withdrawn_on": on})
    audit_record(
        actor=user,
        action="change",
        obj=consent,
        role=role,
        request_id=request_id,
        changes={"withdrawn_on": [None, on]},
    )
    return consent
