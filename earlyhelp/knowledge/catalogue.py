"""Keeping the catalogue of methods: adding an entry and changing it, each time writing the
version it now is (`MethodVersion`), so that the history is complete and a record can point to
the version it followed. Every change is checked against the policy, done in one transaction,
refused when someone else saved the entry since it was loaded, and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.knowledge.access.catalogue import authoring_municipalities
from earlyhelp.knowledge.models import Method, MethodVersion

# What a version records of the entry (besides its items).
CONTENT_FIELDS = (
    "name",
    "kind",
    "service",
    "description",
    "target_group",
    "age_from",
    "age_to",
    "setting",
    "mechanism",
    "evidence_level",
    "stage",
    "sources",
    "active",
)


def content_of(method: Method) -> dict:
    """The entry as a version keeps it: its fields (related rows by id) and the people
    responsible."""
    content = {
        name: getattr(method, Method._meta.get_field(name).attname) for name in CONTENT_FIELDS
    }
    content["responsible"] = sorted(method.responsible.values_list("pk", flat=True))
    return content


def snapshot(method: Method, *, user, note: str = "") -> MethodVersion:
    """Write the version the entry is now."""
    return MethodVersion.objects.create(
        method=method,
        number=method.version,
        content=content_of(method),
        items=method.items,
        note=note[:300],
        changed_by=user if getattr(user, "is_authenticated", False) else None,
    )


def _changes(before: dict, after: dict) -> dict:
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if before.get(name) != value
    }


@transaction.atomic
def method_create(
    *,
    user,
    municipality,
    data: dict,
    responsible=(),
    note: str = "",
    role: str = "",
    request_id: str = "",
) -> Method:
    """Add an entry to the municipality's catalogue (its first version)."""
    if not authoring_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    method = Method(municipality=municipality, created_by=user, **data)
    method.full_clean(exclude=["created_by"])
    method.save()
    method.responsible.set(responsible)
    snapshot(method, user=user, note=note)
    audit_record(
        actor=user,
        action="create",
        obj=method,
        role=role,
        request_id=request_id,
        changes=_changes({}, content_of(method)),
    )
    return method


@transaction.atomic
def method_update(
    *,
    user,
    method: Method,
    data: dict,
    version: int,
    responsible=None,
    note: str = "",
    role: str = "",
    request_id: str = "",
) -> Method:
    """Change an entry (its fields in `data`, its items under "items", the people responsible
    when given) and write the version it becomes. Refused when stale."""
    if not can(user, Action.CHANGE, method):
        raise PermissionDenied
    before = content_of(method) | {"items": method.items}
    probe = proposed(method, data)
    probe.full_clean(exclude=["created_by", "municipality", "responsible"])
    update_versioned(method, expected_version=version, fields=data)
    if responsible is not None:
        method.responsible.set(responsible)
    snapshot(method, user=user, note=note)
    after = content_of(method) | {"items": method.items}
    audit_record(
        actor=user,
        action="change",
        obj=method,
        role=role,
        request_id=request_id,
        changes=_changes(before, after),
    )
    return method
