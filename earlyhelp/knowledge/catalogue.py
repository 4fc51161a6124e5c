"""Keeping the catalogue of methods: adding an entry and changing it, each time writing the
version it now is (`MethodVersion`), so that the history is complete and a record can point to
the version it followed. Every change is checked against the policy, done in one transaction,
refused when someone else saved the entry since it was loaded, and audited.

Every municipality starts with the shipped scale of evidence (`EVIDENCE_SCALE`); its
administrators then rename, describe, reorder or add steps (`evidence_level_save`)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.knowledge.access.catalogue import authoring_municipalities
from earlyhelp.knowledge.models import EVIDENCE_SCALE, EvidenceLevel, Method, MethodVersion

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
        changes=field_changes({}, content_of(method)),
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
        changes=field_changes(before, after),
    )
    return method


# --- Naming a method on a record ---------------------------------------------------------------


def offerable_methods(user, municipality_ids):
    """The interventions a record of work (an activity, a plan step, a referral) in these
    municipalities may name: those of their catalogues in use that the user sees."""
    return visible(
        user,
        Method.objects.filter(
            municipality_id__in=municipality_ids, kind=Method.Kind.INTERVENTION, active=True
        ),
    ).order_by("name")


def check_method(user, method: Method | None, municipality_id: int, kept_id=None) -> None:
    """A record names an intervention of its own municipality's catalogue; a newly named one
    must be in use and seen by the user (the one it named already, `kept_id`, stays)."""
    if method is None or method.pk == kept_id:
        return
    if method.municipality_id != municipality_id or method.kind != Method.Kind.INTERVENTION:
        raise ValidationError(_("Choose a method from your municipality's catalogue."))
    if not can(user, Action.VIEW, method):
        raise PermissionDenied
    if not method.active:
        raise ValidationError(_("That method is no longer in use; choose another."))


# --- The scale of evidence --------------------------------------------------------------------

# The shipped steps are ranked 10, 20, ... so that a municipality can put a step of its own
# between two of them without renumbering.
RANK_STEP = 10


def ensure_evidence_scale(municipality) -> None:
    """Add the shipped steps the municipality does not have yet (by code)."""
    have = set(
        EvidenceLevel.objects.filter(municipality=municipality).values_list("code", flat=True)
    )
    EvidenceLevel.objects.bulk_create(
        EvidenceLevel(municipality=municipality, code=code, rank=(position + 1) * RANK_STEP)
        for position, code in enumerate(EVIDENCE_SCALE)
        if code not in have
    )


def seed_new_municipality(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        ensure_evidence_scale(instance)


LEVEL_FIELDS = ("code", "name", "description", "rank")


@transaction.atomic
def evidence_level_save(
    *, user, level: EvidenceLevel, data: dict, role: str = "", request_id: str = ""
) -> EvidenceLevel:
    """Add a step to a municipality's scale (`level` unsaved) or change one: its name, what it
    takes and its rank. A shipped step keeps its code, so that it is still named in each
    language while its name is left empty; a step of the municipality's own needs a name."""
    if not can(user, Action.MANAGE, EvidenceLevel):
        raise PermissionDenied
    if not can(user, Action.MANAGE, level if level.pk is not None else level.municipality):
        raise PermissionDenied
    fields = {name: data[name] for name in LEVEL_FIELDS if name in data}
    if level.pk is not None:
        fields.pop("code", None)
    fields["name"] = (fields.get("name", level.name) or "").strip()
    fields["description"] = (fields.get("description", level.description) or "").strip()
    before = {name: getattr(level, name) for name in fields}
    for name, value in fields.items():
        setattr(level, name, value)
    if level.code not in EVIDENCE_SCALE and not level.name:
        raise ValidationError(_("Name the step: only a step of the shipped scale may go unnamed."))
    level.full_clean()
    creating = level.pk is None
    level.save()
    audit_record(
        actor=user,
        action="create" if creating else "change",
        obj=level,
        role=role,
        request_id=request_id,
        changes={
            name: [None if creating else before[name], value]
            for name, value in fields.items()
            if creating or before[name] != value
        },
    )
    return level
