"""Setting programmes up: the programme itself, its partners, documents, target groups,
outcome categories and indicators, and the municipality's action areas; and counting a record
of work for programmes. Every change is checked against the policy, done in one transaction,
audited, and an edit of a versioned row is refused when stale."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record
from earlyhelp.core.models import VersionedModel
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Municipality, Role
from earlyhelp.programmes.access import area_municipalities, programme_municipalities
from earlyhelp.programmes.aggregates import Computation, IndicatorPoint
from earlyhelp.programmes.models import (
    ActionArea,
    Document,
    Indicator,
    OutcomeCategory,
    Programme,
    TargetGroup,
)
from earlyhelp.programmes.reports import forget_drafts

PROGRAMME_FIELDS = (
    "name", "funder", "reference", "starts_on", "ends_on", "budget", "currency", "aid_rate",
    "lead", "description",
)  # fmt: skip
PROGRAMME_SETS = ("services", "institutions")


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes
    )


def _shown(value) -> object:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return sorted(str(item) for item in value)
    return None if value is None else str(value)


def _changes(before: dict, after: dict) -> dict:
    return {
        name: [_shown(before.get(name)), _shown(value)]
        for name, value in after.items()
        if _shown(before.get(name)) != _shown(value)
    }


def _check_choices(municipality_id: int, data: dict, kept_lead_id: int | None = None) -> None:
    """Whatever a form chose belongs to the programme's municipality (a form offers nothing
    else; a service called from elsewhere is held to the same)."""
    for name in PROGRAMME_SETS:
        if any(item.municipality_id != municipality_id for item in data.get(name) or []):
            raise ValidationError(_("Choose services and institutions of the municipality."))
    lead = data.get("lead")
    # A lead kept as they were stays, even once their role has ended.
    if lead is not None and lead.pk != kept_lead_id:
        holders = workers(Role.values, municipalities=[municipality_id])
        if not holders.filter(pk=lead.pk).exists():
            raise ValidationError(_("The lead must hold a role in the municipality."))


# --- Programmes ------------------------------------------------------------------------------


@transaction.atomic
def programme_create(
    *, user, municipality: Municipality, data: dict, role: str = "", request_id: str = ""
) -> Programme:
    if not programme_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    _check_choices(municipality.pk, data)
    fields = {name: data.get(name) for name in PROGRAMME_FIELDS}
    fields = {k: "" if v is None and k not in ("budget", "aid_rate", "lead") else v
              for k, v in fields.items()}  # fmt: skip
    programme = Programme(municipality=municipality, created_by=user, **fields)
    programme.full_clean()
    programme.save()
    for name in PROGRAMME_SETS:
        getattr(programme, name).set(data.get(name) or [])
    _audit(user, "create", programme, _changes({}, {**fields, **_sets(data)}), role, request_id)
    return programme


def _sets(data: dict) -> dict:
    return {name: list(data.get(name) or []) for name in PROGRAMME_SETS if name in data}


@transaction.atomic
def programme_update(
    *, user, programme: Programme, data: dict, version: int, role: str = "", request_id: str = ""
) -> Programme:
    _require(user, Action.CHANGE, programme)
    _check_choices(programme.municipality_id, data, kept_lead_id=programme.lead_id)
    fields = {name: data[name] for name in PROGRAMME_FIELDS if name in data}
    fields = {k: "" if v is None and k not in ("budget", "aid_rate", "lead") else v
              for k, v in fields.items()}  # fmt: skip
    before = {name: getattr(programme, name) for name in fields}
    before.update({name: list(getattr(programme, name).all()) for name in _sets(data)})
    # The rules are checked on a copy with the new values, before anything is written.
    probe = proposed(programme, fields)
    probe.full_clean(exclude=["created_by", "municipality"])
    update_versioned(programme, expected_version=version, fields=fields)
    for name, chosen in _sets(data).items():
        getattr(programme, name).set(chosen)
    _audit(user, "change", programme, _changes(before, {**fields, **_sets(data)}), role,
           request_id)  # fmt: skip
    return programme


# --- A programme's set-up --------------------------------------------------------------------


@transaction.atomic
def setup_item_save(
    *,
    user,
    programme: Programme,
    item: models.Model,
    fields: dict,
    sets: dict | None = None,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> models.Model:
    """Add or change a partner, target group, outcome category or indicator of the programme.
    `fields` are its own columns, `sets` its many-to-many choices; an indicator is versioned."""
    _require(user, Action.CHANGE, programme)
    sets = sets or {}
    if isinstance(item, OutcomeCategory):
        clash = OutcomeCategory.objects.filter(programme=programme, code=fields.get("code"))
        if clash.exclude(pk=item.pk).exists():
            raise ValidationError(_("The programme has this outcome already."))
    if item.pk is None:
        before = {}
        for name, value in fields.items():
            setattr(item, name, value)
        item.programme = programme
        item.save()
        action = "create"
    else:
        if item.programme_id != programme.pk:
            raise PermissionDenied
        before = {name: getattr(item, name) for name in fields}
        before.update({name: list(getattr(item, name).all()) for name in sets})
        if isinstance(item, VersionedModel):
            update_versioned(item, expected_version=version or 0, fields=fields)
        else:
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
        action = "change"
    for name, chosen in sets.items():
        getattr(item, name).set(chosen)
    changes = _changes(before, {**fields, **{k: list(v) for k, v in sets.items()}})
    if isinstance(item, Indicator) and action == "change" and DEFINITION & set(changes):
        _forget_figures(item)
    if isinstance(item, COUNTED):
        forget_drafts(programme.pk)
    _audit(user, "change", programme, {f"{item._meta.model_name} {item.pk}": [action, str(item)],
                                       **changes}, role, request_id)  # fmt: skip
    return item


# What a set-up item's change changes in a draft report's figures (a partner is among the
# programme's facts, read afresh each time).
COUNTED = (Indicator, TargetGroup, OutcomeCategory)

# What an indicator counts: a change to any of these makes its computed values another
# definition's (its name, target and target date change no value).
DEFINITION = {
    "unit", "role", "aggregation", "target_group", "outcome", "period_starts", "period_ends",
    "activity_types",
}  # fmt: skip


def _forget_figures(indicator: Indicator) -> None:
    """Drop the values computed for the indicator's old definition, so that the page says
    "Not computed yet" for it until the next rebuild rather than show the old value, and mark
    the programme's computation as out of date."""
    # The lock a rebuild holds: a rebuild running now finishes first, with the old definition.
    list(Programme.objects.select_for_update().filter(pk=indicator.programme_id).values("pk"))
    IndicatorPoint.objects.filter(indicator=indicator).delete()
    computation = Computation.objects.filter(programme_id=indicator.programme_id).first()
    if computation is not None:
        summary = dict(computation.summary or {})
        summary.get("behind", {}).pop(str(indicator.pk), None)
        summary["outdated"] = True
        computation.summary = summary
        computation.save(update_fields=["summary"])


@transaction.atomic
def setup_item_remove(
    *, user, programme: Programme, item: models.Model, role: str = "", request_id: str = ""
) -> None:
    _require(user, Action.CHANGE, programme)
    if item.programme_id != programme.pk:
        raise PermissionDenied
    name, label = f"{item._meta.model_name} {item.pk}", str(item)
    try:
        with transaction.atomic():
            item.delete()
    except ProtectedError as error:
        raise ValidationError(
            _("This is still used (by an indicator or a recorded outcome): change those first.")
        ) from error
    if isinstance(item, COUNTED):
        forget_drafts(programme.pk)
    _audit(user, "change", programme, {name: [label, None]}, role, request_id)


@transaction.atomic
def document_add(
    *, user, programme: Programme, title: str, upload, role: str = "", request_id: str = ""
) -> Document:
    """A document of the programme, checked by its content (a PDF or a photo) and its size."""
    _require(user, Action.CHANGE, programme)
    if not title.strip():
        raise ValidationError(_("Give the document a title."))
    checked = checked_upload(upload)
    document = Document.objects.create(
        programme=programme, title=title.strip(), file=checked.file,
        original_name=checked.display_name, content_type=checked.content_type,
        size=checked.size, uploaded_by=user,
    )  # fmt: skip
    _audit(user, "change", programme, {f"document {document.pk}": [None, document.title]}, role,
           request_id)  # fmt: skip
    return document


# --- Action areas ----------------------------------------------------------------------------


@transaction.atomic
def area_save(
    *,
    user,
    area: ActionArea,
    fields: dict,
    districts,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> ActionArea:
    districts = list(districts or [])
    if area.pk is None:
        municipality = fields.get("municipality")
        if (
            municipality is None
            or not area_municipalities(user).filter(pk=municipality.pk).exists()
        ):
            raise PermissionDenied
        before = {}
    else:
        _require(user, Action.CHANGE, area)
        fields = {k: v for k, v in fields.items() if k != "municipality"}
        municipality = area.municipality
        before = {name: getattr(area, name) for name in fields}
        before["districts"] = list(area.districts.all())
    if any(d.municipality_id != municipality.pk for d in districts):
        raise ValidationError(_("Choose districts of the area's municipality."))
    if area.pk is None:
        for name, value in fields.items():
            setattr(area, name, value)
        area.save()
        action = "create"
    else:
        update_versioned(area, expected_version=version or 0, fields=fields)
        action = "change"
    area.districts.set(districts)
    _audit(user, action, area, _changes(before, {**fields, "districts": districts}), role,
           request_id)  # fmt: skip
    return area


# --- Counting records for programmes ---------------------------------------------------------


def linkable(user, municipality_ids=None):
    """The programmes the user may count a record for, optionally of these municipalities."""
    rows = Programme.objects.all()
    if municipality_ids is not None:
        rows = rows.filter(municipality_id__in=municipality_ids)
    return visible(user, rows, Action.LINK).order_by("-starts_on", "name")


def programmes_link(*, user, record: models.Model, chosen) -> dict:
    """Set the programmes `record` counts for to those `chosen` among the ones the user may
    link; links to programmes the user may not link (another municipality's, one they cannot
    see) stay as they were. Returns the change for the record's audit row, or {}."""
    offered = set(linkable(user).values_list("pk", flat=True))
    current = set(record.programmes.values_list("pk", flat=True))
    wanted = {p.pk for p in chosen or [] if p.pk in offered}
    kept = current - offered
    after = kept | wanted
    if after == current:
        return {}
    record.programmes.set(after)
    return {"programmes": [sorted(current), sorted(after)]}


def programmes_shown(user, record: models.Model) -> tuple[list[Programme], int]:
    """The programmes a record counts for that the user may name (view or link), and how many
    others it counts for."""
    linked = record.programmes.all()
    ids = set(visible(user, linked, Action.VIEW).values_list("pk", flat=True))
    ids |= set(visible(user, linked, Action.LINK).values_list("pk", flat=True))
    names = list(Programme.objects.filter(pk__in=ids).order_by("name"))
    return names, linked.count() - len(names)
