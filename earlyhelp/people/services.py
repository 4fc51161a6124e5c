"""Changing children's records and what belongs to them.

Every service checks the policy itself, runs in one transaction and writes one audit row with
the field-level changes ({field: [old, new]}), so views, imports and commands all get the same
guarantees. Edits name the version they started from and are refused when it is stale.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, forget_scope
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import update_versioned
from earlyhelp.organisations.models import Group, Municipality
from earlyhelp.people.models import (
    Adult,
    Child,
    ChildTeamMember,
    Consent,
    Enrolment,
    Relationship,
)

CHILD_FIELDS = (
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "national_id",
    "languages",
    "needs",
    "restricted",
    "home_district",
    "disadvantaged",
)
ADULT_FIELDS = (
    "given_name",
    "family_name",
    "kind",
    "birth_date",
    "national_id",
    "phone",
    "email",
    "address",
    "address_protected",
    "home_district",
    "disadvantaged",
)
ADDRESS_FIELDS = ("address", "address_protected", "home_district")
RELATIONSHIP_FIELDS = (
    "kind",
    "parental_responsibility",
    "contact_restriction",
    "lives_with_child",
    "note",
)
CONSENT_FIELDS = ("purpose", "given_by", "given_by_other", "given_on", "valid_until", "note")


def _snapshot(obj: models.Model, fields) -> dict[str, Any]:
    """Field values as stored: foreign keys by id, so the audit row stays plain JSON."""
    return {name: getattr(obj, obj._meta.get_field(name).attname) for name in fields}


def _require(user, action: str, target) -> None:
    if not can(user, action, target):
        raise PermissionDenied


def _create(obj: models.Model, fields, *, user, role: str, request_id: str) -> models.Model:
    obj.full_clean()
    obj.save()
    audit_record(
        actor=user,
        action="create",
        obj=obj,
        role=role,
        request_id=request_id,
        changes=field_changes({}, _snapshot(obj, fields)),
    )
    return obj


def _update(
    obj: models.Model, fields, *, data, version: int, user, role: str, request_id: str
) -> models.Model:
    before = _snapshot(obj, fields)
    update_versioned(
        obj, expected_version=version, fields={k: data[k] for k in fields if k in data}
    )
    changes = field_changes(before, _snapshot(obj, fields))
    if changes:
        audit_record(
            actor=user, action="change", obj=obj, role=role, request_id=request_id, changes=changes
        )
    return obj


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
    _require(user, Action.CREATE, Child)
    child = Child(municipality=municipality, **{k: data[k] for k in CHILD_FIELDS if k in data})
    _create(child, CHILD_FIELDS, user=user, role=role, request_id=request_id)
    _join_team(child, user=user, role=role, request_id=request_id)
    if group is not None:
        enrolment_add(
            user=user,
            child=child,
            group=group,
            starts_on=date.today(),
            role=role,
            request_id=request_id,
        )
    return child


def _join_team(child: Child, *, user, role: str, request_id: str) -> None:
    """Name the user on the child's team (the only way to a restricted record)."""
    _member, created = ChildTeamMember.objects.get_or_create(child=child, user=user)
    if created:
        audit_record(
            actor=user,
            action="create",
            obj=_member,
            role=role,
            request_id=request_id,
            changes={"user": [None, user.pk]},
        )
    forget_scope(user)


@transaction.atomic
def child_update(
    *, user, child: Child, data: dict[str, Any], version: int, role: str = "", request_id: str = ""
) -> Child:
    _require(user, Action.CHANGE, child)
    if data.get("restricted") and not child.restricted:
        # A restricted record is seen by its team alone: whoever restricts it stays on it, so
        # it can never become a record nobody can reach.
        _join_team(child, user=user, role=role, request_id=request_id)
    return _update(
        child, CHILD_FIELDS, data=data, version=version, user=user, role=role, request_id=request_id
    )


@transaction.atomic
def adult_add(
    *, user, child: Child, data: dict[str, Any], role: str = "", request_id: str = ""
) -> Relationship:
    """Record an adult in the child's life together with how they are related."""
    _require(user, Action.CHANGE, child)
    adult = Adult(
        municipality=child.municipality, **{k: data[k] for k in ADULT_FIELDS if k in data}
    )
    _create(adult, ADULT_FIELDS, user=user, role=role, request_id=request_id)
    relationship = Relationship(
        child=child,
        adult=adult,
        **{
            k: data[f"relationship_{k}"] for k in RELATIONSHIP_FIELDS if f"relationship_{k}" in data
        },
    )
    return _create(relationship, RELATIONSHIP_FIELDS, user=user, role=role, request_id=request_id)


@transaction.atomic
def adult_update(
    *, user, adult: Adult, data: dict[str, Any], version: int, role: str = "", request_id: str = ""
) -> Adult:
    _require(user, Action.CHANGE, adult)
    if not can(user, Action.VIEW_CONTACT, adult):
        # Who may not see where the person lives cannot change it either: the stored address,
        # its protection and the home district stay as they are, whatever was sent.
        data = {k: v for k, v in data.items() if k not in ADDRESS_FIELDS}
    return _update(
        adult, ADULT_FIELDS, data=data, version=version, user=user, role=role, request_id=request_id
    )


@transaction.atomic
def relationship_update(
    *,
    user,
    relationship: Relationship,
    data: dict[str, Any],
    version: int,
    role: str = "",
    request_id: str = "",
) -> Relationship:
    _require(user, Action.CHANGE, relationship.child)
    return _update(
        relationship,
        RELATIONSHIP_FIELDS,
        data=data,
        version=version,
        user=user,
        role=role,
        request_id=request_id,
    )


@transaction.atomic
def enrolment_add(
    *, user, child: Child, group: Group, starts_on: date, role: str = "", request_id: str = ""
) -> Enrolment:
    _require(user, Action.CHANGE, child)
    if child.enrolments.current(starts_on).filter(group=group).exists():
        raise ValidationError(_("The child is already enrolled in this group on that date."))
    enrolment = Enrolment(child=child, group=group, starts_on=starts_on)
    return _create(enrolment, ("group", "starts_on"), user=user, role=role, request_id=request_id)


@transaction.atomic
def enrolment_end(
    *, user, enrolment: Enrolment, on: date, version: int, role: str = "", request_id: str = ""
) -> Enrolment:
    _require(user, Action.CHANGE, enrolment.child)
    if enrolment.ends_on is not None:
        raise ValidationError(_("This enrolment has already ended."))
    if on < enrolment.starts_on:
        raise ValidationError(_("An enrolment cannot end before it started."))
    return _update(
        enrolment,
        ("ends_on",),
        data={"ends_on": on},
        version=version,
        user=user,
        role=role,
        request_id=request_id,
    )


@transaction.atomic
def consent_record(
    *, user, child: Child, data: dict[str, Any], role: str = "", request_id: str = ""
) -> Consent:
    _require(user, Action.CHANGE, child)
    consent = Consent(child=child, recorded_by=user, **{k: data.get(k) for k in CONSENT_FIELDS})
    consent.given_by_other = consent.given_by_other or ""
    consent.note = consent.note or ""
    return _create(consent, CONSENT_FIELDS, user=user, role=role, request_id=request_id)


@transaction.atomic
def consent_withdraw(
    *, user, consent: Consent, on: date, version: int, role: str = "", request_id: str = ""
) -> Consent:
    _require(user, Action.CHANGE, consent.child)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise ValidationError(_("A consent cannot be withdrawn before it was given."))
    if on > date.today():
        raise ValidationError(_("A withdrawal cannot be dated in the future."))
    return _update(
        consent,
        ("withdrawn_on",),
        data={"withdrawn_on": on},
        version=version,
        user=user,
        role=role,
        request_id=request_id,
    )
