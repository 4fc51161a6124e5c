"""Changing the workforce's records: staff profiles and their rows, training events, the
hours a staff member is credited with, and a municipality's training norm. Every change is
checked against the policy, done in one transaction and audited; an edit of a versioned row
is refused when someone else saved it since it was loaded."""

from __future__ import annotations

import copy
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import update_versioned
from earlyhelp.organisations.models import Municipality
from earlyhelp.workforce.access import event_municipalities, profile_candidates
from earlyhelp.workforce.models import (
    Attendance,
    Employment,
    Qualification,
    StaffProfile,
    TrainingEvent,
    TrainingNorm,
)

ITEM_FIELDS = {
    Qualification: ("title", "awarded_by", "awarded_on"),
    Employment: ("service", "hours_per_week", "starts_on", "ends_on"),
}
EVENT_FIELDS = ("title", "topic", "provider", "starts_on", "ends_on", "hours")


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _shown(value) -> object:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return None if value is None else str(value)


def _changes(before: dict, after: dict) -> dict:
    return {
        name: [_shown(before.get(name)), _shown(value)]
        for name, value in after.items()
        if _shown(before.get(name)) != _shown(value)
    }


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes
    )


def _in_municipality(institutions, municipality_id: int) -> None:
    if any(item.municipality_id != municipality_id for item in institutions):
        raise ValidationError(_("Choose institutions of the staff member's municipality."))


# --- Staff profiles --------------------------------------------------------------------------


@transaction.atomic
def profile_create(
    *, user, staff, institutions=(), role: str = "", request_id: str = ""
) -> StaffProfile:
    if not profile_candidates(user).filter(pk=staff.pk).exists():
        raise PermissionDenied
    _in_municipality(institutions, staff.municipality_id)
    profile = StaffProfile.objects.create(user=staff, municipality_id=staff.municipality_id)
    profile.institutions.set(institutions)
    changes = _changes({}, {"user": staff, "institutions": list(institutions)})
    _audit(user, "create", profile, changes, role, request_id)
    return profile


@transaction.atomic
def profile_update(
    *, user, profile: StaffProfile, institutions, version: int, role: str = "", request_id=""
) -> StaffProfile:
    _require(user, Action.CHANGE, profile)
    _in_municipality(institutions, profile.municipality_id)
    before = {"institutions": list(profile.institutions.all())}
    update_versioned(profile, expected_version=version, fields={})
    profile.institutions.set(institutions)
    _audit(
        user, "change", profile, _changes(before, {"institutions": list(institutions)}), role,
        request_id,
    )  # fmt: skip
    return profile


@transaction.atomic
def record_save(
    *,
    user,
    profile: StaffProfile,
    item: Qualification | Employment,
    data: dict,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> Qualification | Employment:
    """Add a qualification or an employment row to the profile, or change one (`item.pk`)."""
    _require(user, Action.CHANGE, profile)
    model = type(item)
    fields = {name: data.get(name) for name in ITEM_FIELDS[model]}
    fields = {k: "" if v is None and k in ("title", "awarded_by") else v for k, v in fields.items()}
    service = fields.get("service")
    if service is not None and service.municipality_id != profile.municipality_id:
        raise ValidationError(_("Choose a service of the staff member's municipality."))
    if item.pk is None:
        item = model(profile=profile, **fields)
        item.full_clean()
        item.save()
        _audit(user, "create", item, _changes({}, fields), role, request_id)
        return item
    if item.profile_id != profile.pk:
        raise PermissionDenied
    before = {name: getattr(item, name) for name in fields}
    probe = copy.copy(item)
    for name, value in fields.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["profile"])
    update_versioned(item, expected_version=version or 0, fields=fields)
    _audit(user, "change", item, _changes(before, fields), role, request_id)
    return item


# --- Training ----------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, user, municipality: Municipality, data: dict, role: str = "", request_id: str = ""
) -> TrainingEvent:
    if not event_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    fields = {name: data.get(name) for name in EVENT_FIELDS}
    fields = {k: "" if v is None and k in ("topic", "provider") else v for k, v in fields.items()}
    event = TrainingEvent(municipality=municipality, created_by=user, **fields)
    event.full_clean()
    event.save()
    _audit(user, "create", event, _changes({}, fields), role, request_id)
    return event


@transaction.atomic
def event_update(
    *, user, event: TrainingEvent, data: dict, version: int, role: str = "", request_id=""
) -> TrainingEvent:
    """Change an event's particulars (refused when stale). Its hours never drop below the
    hours already credited to one of its attendees."""
    _require(user, Action.CHANGE, event)
    fields = {name: data.get(name) for name in EVENT_FIELDS}
    fields = {k: "" if v is None and k in ("topic", "provider") else v for k, v in fields.items()}
    credited = event.attendances.aggregate(most=models.Max("hours"))["most"]
    if credited is not None and fields["hours"] is not None and fields["hours"] < credited:
        raise ValidationError(
            _("An attendee is credited with %(hours)s hours: the event cannot have fewer.")
            % {"hours": credited}
        )
    before = {name: getattr(event, name) for name in fields}
    probe = copy.copy(event)
    for name, value in fields.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["created_by", "municipality"])
    update_versioned(event, expected_version=version, fields=fields)
    _audit(user, "change", event, _changes(before, fields), role, request_id)
    return event


@transaction.atomic
def attendance_add(
    *,
    user,
    event: TrainingEvent,
    staff: StaffProfile,
    hours: Decimal | None = None,
    upload=None,
    role: str = "",
    request_id: str = "",
) -> Attendance:
    """Credit a staff member with hours of the event (all of its hours unless fewer are
    given), with their certificate if one is uploaded."""
    _require(user, Action.VIEW, event)
    _require(user, Action.CHANGE, staff)
    if staff.municipality_id != event.municipality_id:
        raise ValidationError(_("Choose a staff member of the event's municipality."))
    if Attendance.objects.filter(event=event, staff=staff).exists():
        raise ValidationError(_("This staff member is already recorded for this event."))
    hours = event.hours if hours is None else hours
    if hours > event.hours:
        raise ValidationError(_("No more hours can be credited than the event had."))
    attendance = Attendance(event=event, staff=staff, hours=hours)
    if upload is not None:
        checked = checked_upload(upload)
        attendance.certificate = checked.file
        attendance.certificate_name = checked.display_name
        attendance.certificate_type = checked.content_type
        attendance.certificate_size = checked.size
    attendance.full_clean()
    attendance.save()
    changes = _changes(
        {}, {"staff": staff, "hours": hours, "certificate": attendance.certificate_name or None}
    )
    _audit(user, "create", attendance, changes, role, request_id)
    return attendance


# --- The norm ----------------------------------------------------------------------------


@transaction.atomic
def norm_set(
    *,
    user,
    municipality: Municipality,
    hours: Decimal,
    source: str,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> TrainingNorm:
    """Set the municipality's own norm, or change it (refused when stale)."""
    if not can(user, Action.MANAGE, TrainingNorm) or not can(user, Action.MANAGE, municipality):
        raise PermissionDenied
    norm = TrainingNorm.objects.filter(municipality=municipality).first()
    fields = {"hours_per_year": hours, "source": source}
    if norm is None:
        norm = TrainingNorm(municipality=municipality, **fields)
        norm.full_clean()
        norm.save()
        _audit(user, "create", norm, _changes({}, fields), role, request_id)
        return norm
    before = {name: getattr(norm, name) for name in fields}
    probe = copy.copy(norm)
    for name, value in fields.items():
        setattr(probe, name, value)
    probe.full_clean(exclude=["municipality"])
    update_versioned(norm, expected_version=version or 0, fields=fields)
    _audit(user, "change", norm, _changes(before, fields), role, request_id)
    return norm
