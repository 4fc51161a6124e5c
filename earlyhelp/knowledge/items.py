"""The municipality's own ways of working as catalogue entries that a service keeps: the stages
and the parental competences of assisted contact, the steps of the foster-care method, and the
Signs of Safety tools a service uses.

Each service follows one entry per kind (`entry_for`). Until a service changes anything, its
entry is the shipped default (code "shipped"), whose items are the shipped codes, named in each
language by code (the TextChoices of the app that uses them). A keeper renames an item (its own
label then replaces the shipped name), adds items of the service's own (with their own label),
takes items out of use and reorders them; each save is a new `MethodVersion`
(`items_update`). A record keeps the version it was made under and reads its items from it
(`items_of`), so that renewing a method never rewrites an old record; a new record takes the
service's current version (`current_version`).

An item taken out of use that a record follows (it is offered by a version some record keeps)
is retired rather than dropped: it stays in the list, is no longer offered, and keeps its name
and its code for good.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from earlyhelp.audit.services import audit_record
from earlyhelp.knowledge.catalogue import method_update, snapshot
from earlyhelp.knowledge.models import Method, MethodVersion
from earlyhelp.organisations.models import Service

SHIPPED = "shipped"
Kind = Method.Kind
KINDS = (Kind.CONTACT_STAGES, Kind.CONTACT_COMPETENCES, Kind.FOSTERCARE_STEPS, Kind.SAFETY_TOOLS)

# The kinds of service that follow each method: their pages list these entries. A service of
# another kind that has records of the method follows it too (its records still work).
SERVICE_KINDS = {
    Kind.CONTACT_STAGES: (
        Service.Kind.FAMILY_CHILD_WELFARE,
        Service.Kind.SOCIAL_ASSISTANCE,
        Service.Kind.EDUCATIONAL_CARE,
        Service.Kind.FOSTER_CARE,
    ),
    Kind.CONTACT_COMPETENCES: (
        Service.Kind.FAMILY_CHILD_WELFARE,
        Service.Kind.SOCIAL_ASSISTANCE,
        Service.Kind.EDUCATIONAL_CARE,
        Service.Kind.FOSTER_CARE,
    ),
    Kind.FOSTERCARE_STEPS: (Service.Kind.FOSTER_CARE, Service.Kind.FAMILY_CHILD_WELFARE),
    Kind.SAFETY_TOOLS: (
        Service.Kind.FAMILY_CHILD_WELFARE,
        Service.Kind.SCHOOL_SOCIAL_WORK,
        Service.Kind.SOCIAL_ASSISTANCE,
        Service.Kind.EDUCATIONAL_CARE,
    ),
}

# The records that keep a version of each kind: (model label, field).
RECORDS = {
    Kind.CONTACT_STAGES: (("contacts.Arrangement", "stages_version"),),
    Kind.CONTACT_COMPETENCES: (("contacts.Arrangement", "competences_version"),),
    Kind.FOSTERCARE_STEPS: (("fostercare.Household", "steps_version"),),
    Kind.SAFETY_TOOLS: (
        ("cases.Case", "safety_tools_version"),
        ("safety.SafetyMeeting", "tools_version"),
    ),
}

LABEL_LENGTH = 150
CODE_LENGTH = 20


def shipped_choices(kind: str) -> type[models.TextChoices]:
    """The shipped items of a kind, with their names in each language."""
    if kind == Kind.CONTACT_STAGES:
        from earlyhelp.contacts.models import Arrangement

        return Arrangement.Stage
    if kind == Kind.CONTACT_COMPETENCES:
        from earlyhelp.contacts.models import Competence

        return Competence
    if kind == Kind.FOSTERCARE_STEPS:
        from earlyhelp.fostercare.models import MethodStep

        return MethodStep
    if kind == Kind.SAFETY_TOOLS:
        from earlyhelp.safety.models import Tool

        return Tool
    raise ValueError(kind)


def shipped_items(kind: str) -> list[dict]:
    """The items of the shipped default: the shipped codes, named by code."""
    return [{"code": code, "label": ""} for code in shipped_choices(kind).values]


@dataclass(frozen=True)
class Item:
    code: str
    label: str  # the name shown: the item's own label, or the shipped name by code
    own_label: str  # what a keeper typed; empty for a shipped item under its shipped name
    retired: bool
    shipped: bool


class Items:
    """The ordered items of one version (or of the shipped default), as records read them."""

    def __init__(self, kind: str, raw: list[dict]):
        self.kind = kind
        shipped = dict(shipped_choices(kind).choices)
        self.all: list[Item] = []
        for entry in raw or []:
            code = str(entry.get("code", ""))
            own = str(entry.get("label") or "")
            self.all.append(
                Item(
                    code=code,
                    label=own or str(shipped.get(code, code)),
                    own_label=own,
                    retired=bool(entry.get("retired")),
                    shipped=code in shipped,
                )
            )
        self._by_code = {item.code: item for item in self.all}

    def __iter__(self):
        return iter(self.all)

    @property
    def active(self) -> list[Item]:
        return [item for item in self.all if not item.retired]

    @property
    def codes(self) -> list[str]:
        """The codes offered for new choices, in order."""
        return [item.code for item in self.active]

    @property
    def choices(self) -> list[tuple[str, str]]:
        return [(item.code, item.label) for item in self.active]

    def label(self, code: str) -> str:
        """The name of `code` in this version; a code it does not know is named by the
        shipped name, or shown as it is."""
        item = self._by_code.get(code)
        if item is not None:
            return item.label
        return str(dict(shipped_choices(self.kind).choices).get(code, code))

    def position(self, code: str) -> int:
        """Where `code` stands in the order of this version (retired items keep their place);
        -1 when unknown."""
        return next((i for i, item in enumerate(self.all) if item.code == code), -1)

    def check(self, codes, *, message: str) -> None:
        """Refuse codes this version does not offer, naming them."""
        unknown = [code for code in codes if code not in self.codes]
        if unknown:
            raise ValidationError(message % {"codes": ", ".join(map(str, unknown))})


def items_of(version: MethodVersion | None, kind: str) -> Items:
    """The items a record reads: those of the version it keeps, or the shipped default when it
    keeps none (a record made before the method was kept as data, or by a bulk path)."""
    return Items(kind, version.items if version is not None else shipped_items(kind))


def entry_name(method: Method) -> str:
    """A shipped entry is named in each language by its kind; an entry of the municipality's
    own by its name."""
    if method.code == SHIPPED:
        return str(Kind(method.kind).label)
    return method.name


def _current(service, kind: str) -> Method | None:
    return Method.objects.filter(service=service, kind=kind).order_by("-active", "-pk").first()


@transaction.atomic
def entry_for(service, kind: str) -> Method:
    """The service's current entry of `kind` (its newest one in use), made from the shipped
    default the first time it is asked for. Making it changes nothing that a record shows:
    it is the shipped default, now kept as data (audited as the system's doing)."""
    entry = _current(service, kind)
    if entry is not None:
        return entry
    # Two first asks at once would make two entries: the service's row serialises them.
    Service.objects.select_for_update().filter(pk=service.pk).first()
    entry = _current(service, kind)
    if entry is not None:
        return entry
    language = service.municipality.jurisdiction.default_language or None
    with translation.override(language):
        name = str(Kind(kind).label)
    entry = Method.objects.create(
        municipality_id=service.municipality_id,
        service=service,
        kind=kind,
        name=name,
        code=SHIPPED,
        items=shipped_items(kind),
        stage=Method.Stage.DOCUMENTED,
    )
    snapshot(entry, user=None, note="Shipped default")
    audit_record(
        actor=None,
        action="create",
        obj=entry,
        purpose="shipped default",
        changes={"items": [None, [item["code"] for item in entry.items]]},
    )
    return entry


def version_of(entry: Method) -> MethodVersion:
    """The version the entry is now."""
    return entry.versions.get(number=entry.version)


def current_version(service, kind: str) -> MethodVersion:
    """The version a new record of the service takes."""
    return version_of(entry_for(service, kind))


def current_items(service, kind: str) -> Items:
    """The items a new record of the service would take, read without making its entry: a
    page that only shows them writes nothing."""
    entry = _current(service, kind) if service is not None else None
    return items_of(version_of(entry) if entry is not None else None, kind)


def used_codes(entry: Method) -> set[str]:
    """The codes a record follows: those offered by a version of the entry that a record
    keeps."""
    versions = entry.versions.all()
    kept: set[int] = set()
    for label, field in RECORDS[entry.kind]:
        model = django_apps.get_model(label)
        kept |= set(
            model.objects.filter(**{f"{field}__in": versions})
            .values_list(field, flat=True)
            .distinct()
        )
    codes: set[str] = set()
    for items in MethodVersion.objects.filter(pk__in=kept).values_list("items", flat=True):
        codes |= {i["code"] for i in items or [] if not i.get("retired")}
    return codes


def _new_code(label: str, taken: set[str]) -> str:
    base = (slugify(label).replace("-", "_") or "item")[: CODE_LENGTH - 4]
    code, n = base, 2
    while code in taken:
        code = f"{base}_{n}"
        n += 1
    return code


def _all_codes(entry: Method) -> set[str]:
    codes = set(shipped_choices(entry.kind).values)
    for items in entry.versions.values_list("items", flat=True):
        codes |= {i["code"] for i in items or []}
    return codes


def revised_items(entry: Method, rows: list[dict], added: list[str]) -> list[dict]:
    """The entry's items after an edit. `rows`: for each present item {"code", "label" (own
    label, empty for the shipped name), "order", "in_use"}; `added`: labels of new items, put
    at the end. An item taken out of use is retired if a record follows it, else dropped; a
    code once used is never given to another item."""
    present = {item["code"]: item for item in entry.items}
    if {row["code"] for row in rows} != set(present):
        raise ValidationError(_("The list changed while you were editing it. Open it again."))
    used = used_codes(entry)
    shipped = set(shipped_choices(entry.kind).values)
    revised = []
    for row in sorted(rows, key=lambda r: (r["order"], list(present).index(r["code"]))):
        code, label = row["code"], row["label"].strip()
        if not label and code not in shipped:
            raise ValidationError(_("Give every item of your own a name."))
        if row["in_use"]:
            revised.append({"code": code, "label": label})
        elif code in used or present[code].get("retired"):
            revised.append({"code": code, "label": label, "retired": True})
    taken = _all_codes(entry)
    for label in added:
        label = label.strip()
        if label:
            code = _new_code(label, taken)
            taken.add(code)
            revised.append({"code": code, "label": label})
    if not any(not item.get("retired") for item in revised):
        raise ValidationError(_("Keep at least one item in use."))
    return revised


def items_update(
    *,
    user,
    entry: Method,
    rows: list[dict],
    added: list[str],
    version: int,
    note: str = "",
    role: str = "",
    request_id: str = "",
) -> Method:
    """Save an edit of the entry's items as its next version (through the catalogue's
    `method_update`: checked against the policy, refused when stale, audited)."""
    items = revised_items(entry, rows, added)
    if items == entry.items:
        raise ValidationError(_("Nothing was changed."))
    return method_update(
        user=user,
        method=entry,
        data={"items": items},
        version=version,
        note=note or _("Items changed"),
        role=role,
        request_id=request_id,
    )


def shipped_version_for(apps, service_id: int, kind: str, name: str, codes: list[str]) -> int:
    """For data migrations (historical models only): the id of the version of the service's
    shipped entry of `kind`, made with `codes` if the service has none yet."""
    method_model = apps.get_model("knowledge", "Method")
    version_model = apps.get_model("knowledge", "MethodVersion")
    service = apps.get_model("organisations", "Service").objects.get(pk=service_id)
    method = method_model.objects.filter(service_id=service_id, kind=kind, code=SHIPPED).first()
    if method is None:
        method = method_model.objects.create(
            municipality_id=service.municipality_id,
            service_id=service_id,
            kind=kind,
            name=name,
            code=SHIPPED,
            items=[{"code": code, "label": ""} for code in codes],
            stage="documented",
        )
        version_model.objects.create(
            method=method, number=1, content={}, items=method.items, note="Shipped default"
        )
    return version_model.objects.filter(method=method).order_by("number").first().pk
