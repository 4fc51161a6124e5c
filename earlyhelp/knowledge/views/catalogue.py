"""The catalogue's pages: the list with its filters and counts, an entry's page with its
history of versions, the forms that add and change an intervention, and the page where a
municipality's administrators keep their scale of evidence. Every entry comes through the
policy; the catalogue holds no personal data, so reading it writes no audit row (every change
does, in knowledge.catalogue)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.activities.models import ActivityType
from earlyhelp.core.forms import first_choices, saved
from earlyhelp.core.text import plain_number
from earlyhelp.knowledge.access.catalogue import authoring_municipalities
from earlyhelp.knowledge.catalogue import (
    CONTENT_FIELDS,
    evidence_level_save,
    method_create,
    method_update,
)
from earlyhelp.knowledge.forms_catalogue import (
    CatalogueFilterForm,
    EvidenceLevelForm,
    MethodForm,
)
from earlyhelp.knowledge.models import EvidenceLevel, Method, MethodVersion
from earlyhelp.knowledge.views.outcomes import outcomes_context
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Municipality, Role, Service

# A municipality's catalogue holds tens of entries; a page shows at most this many.
LIST_LIMIT = 500
# Who may be named responsible for an entry: anyone who works with children or runs the
# service (not the analysts, who see figures only).
RESPONSIBLE_ROLES = (
    Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR,
    Role.MANAGER,
)  # fmt: skip
PEOPLE_LIMIT = 300
SAFE_SCHEMES = ("http", "https")


# --- The list ---------------------------------------------------------------------------------


def _filtered(methods, filters: dict):
    if text := filters.get("q"):
        methods = methods.filter(
            Q(name__icontains=text) | Q(description__icontains=text)
            | Q(target_group__icontains=text) | Q(mechanism__icontains=text)
        )  # fmt: skip
    if setting := filters.get("setting"):
        methods = methods.filter(setting=setting)
    if stage := filters.get("stage"):
        methods = methods.filter(stage=stage)
    if code := filters.get("evidence"):
        methods = methods.filter(evidence_level__code=code)
    if (age := filters.get("age")) is not None:
        methods = methods.filter(
            Q(age_from__isnull=True) | Q(age_from__lte=age),
            Q(age_to__isnull=True) | Q(age_to__gte=age),
        )
    active = filters.get("active", CatalogueFilterForm.IN_USE)
    if active != CatalogueFilterForm.ALL:
        methods = methods.filter(active=active == CatalogueFilterForm.IN_USE)
    return methods


@login_required
def catalogue(request):
    if not can(request.user, Action.LIST, Method):
        raise PermissionDenied
    seen = visible(request.user, Method.objects.all())
    levels = EvidenceLevel.objects.filter(
        municipality_id__in=seen.values("municipality_id")
    ).order_by("rank", "code")
    form = CatalogueFilterForm(request.GET or None, levels=levels)
    filters = form.filters() if request.GET else {}
    found = _filtered(seen, filters)
    rows = list(
        found.select_related("evidence_level", "municipality").order_by("kind", "name")[:LIST_LIMIT]
    )
    by_kind = dict(found.order_by().values_list("kind").annotate(total=Count("pk", distinct=True)))
    by_stage = dict(
        found.filter(kind=Method.Kind.INTERVENTION)
        .order_by()
        .values_list("stage")
        .annotate(total=Count("pk", distinct=True))
    )
    kinds = [
        (value, label, by_kind.get(value, 0), [m for m in rows if m.kind == value])
        for value, label in Method.Kind.choices
        if by_kind.get(value)
    ]
    scales = []
    if can(request.user, Action.MANAGE, EvidenceLevel):
        scales = list(visible(request.user, Municipality.objects.order_by("name"), Action.MANAGE))
    return render(
        request,
        "knowledge/catalogue_list.html",
        {
            "form": form,
            "kinds": kinds,
            "total": sum(by_kind.values()),
            "stages": [(label, by_stage.get(value, 0)) for value, label in Method.Stage.choices],
            "shown": len(rows),
            "limit": LIST_LIMIT,
            "several": seen.values("municipality_id").distinct().count() > 1,
            "can_create": can(request.user, Action.CREATE, Method),
            "scales": scales,
        },
    )


# --- An entry's page --------------------------------------------------------------------------


def source_lines(text: str) -> list[list[tuple[str, str]]]:
    """The sources, one per line, each a list of (text, link) pieces: a word that is an http or
    https address becomes a link; anything else (a javascript: or data: address included)
    stays plain text."""
    lines = []
    for line in text.splitlines():
        if not line.strip():
            continue
        pieces = []
        for word in line.split():
            parts = urlsplit(word) if "://" in word else None
            safe = parts is not None and parts.scheme.lower() in SAFE_SCHEMES and parts.netloc
            pieces.append((word, word if safe else ""))
        lines.append(pieces)
    return lines


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class VersionRow:
    version: MethodVersion
    changes: list[Change]


# Fields whose text is long: the history says they changed, not what they said.
LONG_FIELDS = ("description", "mechanism", "sources")


def _shown(name: str, value, names: dict) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if name == "kind":
        return str(Method.Kind(value).label) if value in Method.Kind.values else str(value)
    if name == "stage":
        return str(Method.Stage(value).label) if value in Method.Stage.values else str(value)
    if name == "setting":
        return str(Method.Setting(value).label) if value in Method.Setting.values else str(value)
    if name == "active":
        return _("yes") if value else _("no")
    if name in ("evidence_level", "service"):
        return names[name].get(value, "—")
    if name == "responsible":
        return ", ".join(names["responsible"].get(pk, "—") for pk in value)
    return str(value)


def _label(name: str) -> str:
    return capfirst(Method._meta.get_field(name).verbose_name)


def history(method: Method, versions: list[MethodVersion]) -> list[VersionRow]:
    """The versions, newest first, each with what it changed from the one before."""
    from earlyhelp.accounts.models import User

    people = {pk for v in versions for pk in v.content.get("responsible", [])}
    names = {
        "evidence_level": {
            level.pk: str(level)
            for level in EvidenceLevel.objects.filter(municipality_id=method.municipality_id)
        },
        "service": dict(
            Service.objects.filter(municipality_id=method.municipality_id).values_list("pk", "name")
        ),
        "responsible": {
            user.pk: user.get_full_name() or user.get_username()
            for user in User.objects.filter(pk__in=people)
        },
    }
    rows, before = [], None
    for version in sorted(versions, key=lambda v: v.number):
        changes = []
        if before is not None:
            for name in (*CONTENT_FIELDS, "responsible"):
                old, new = before.content.get(name), version.content.get(name)
                if old == new:
                    continue
                if name in LONG_FIELDS:
                    changes.append(Change(_label(name), "", ""))
                else:
                    changes.append(
                        Change(_label(name), _shown(name, old, names), _shown(name, new, names))
                    )
            if before.items != version.items:
                changes.append(Change(_label("items"), "", ""))
        rows.append(VersionRow(version, changes))
        before = version
    rows.reverse()
    return rows


def _method(request, pk: int, action: str = Action.VIEW) -> Method:
    return get_object_or_deny(
        request,
        Method.objects.select_related("evidence_level", "service", "municipality"),
        action,
        pk=pk,
    )


@login_required
def method(request, pk: int):
    entry = _method(request, pk)
    versions = list(
        visible_of(request.user, entry, MethodVersion.objects.filter(method=entry)).select_related(
            "changed_by"
        )
    )
    return render(
        request,
        "knowledge/catalogue_method.html",
        {
            "method": entry,
            "sources": source_lines(entry.sources),
            "responsible": list(entry.responsible.order_by("last_name", "first_name")),
            "activity_types": list(
                ActivityType.objects.filter(method=entry).order_by("position", "code")
            ),
            "history": history(entry, versions),
            "may_change": entry.kind == Method.Kind.INTERVENTION
            and can(request.user, Action.CHANGE, entry),
            **(
                outcomes_context(request.user, entry)
                if entry.kind == Method.Kind.INTERVENTION
                else {}
            ),
        },
    )


# --- Adding and changing an intervention ------------------------------------------------------


def _choices(municipality_id: int, current=()) -> dict:
    from earlyhelp.accounts.models import User

    offered = first_choices(
        workers(RESPONSIBLE_ROLES, municipalities=[municipality_id]), PEOPLE_LIMIT
    )
    return {
        "levels": EvidenceLevel.objects.filter(municipality_id=municipality_id).order_by(
            "rank", "code"
        ),
        "services": Service.objects.filter(municipality_id=municipality_id).order_by("name"),
        # Those named already stay offered, whatever their role today.
        "people": User.objects.filter(
            Q(pk__in=offered.values("pk")) | Q(pk__in=list(current))
        ).order_by("last_name", "first_name", "username"),
    }


@login_required
def method_create_view(request):
    if not can(request.user, Action.CREATE, Method):
        raise PermissionDenied
    places = authoring_municipalities(request.user)
    chosen = plain_number(request.GET.get("in"))
    municipality = (places.filter(pk=chosen).first() if chosen else None) or places.first()
    if municipality is None:
        raise PermissionDenied
    form = MethodForm(request.POST or None, editing=False, **_choices(municipality.pk))
    made = {}

    def save(data):
        made["method"] = method_create(
            user=request.user, municipality=municipality, data=form.method_data(),
            responsible=list(data["responsible"]), note=data["note"], **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The intervention was added to the catalogue."))
        return redirect(made["method"])
    return render(
        request,
        "knowledge/catalogue_form.html",
        {
            "form": form,
            "method": None,
            "municipality": municipality,
            "places": list(places) if places.count() > 1 else [],
        },
    )


@login_required
def method_edit(request, pk: int):
    entry = _method(request, pk, Action.CHANGE)
    if entry.kind != Method.Kind.INTERVENTION:
        # Stages, competences, steps and tools are kept on their own pages, with their items.
        raise Http404
    current = list(entry.responsible.values_list("pk", flat=True))
    initial = {name: getattr(entry, name) for name in CONTENT_FIELDS if name != "kind"}
    initial.update(version=entry.version, responsible=current)
    form = MethodForm(
        request.POST or None,
        initial=initial,
        editing=True,
        **_choices(entry.municipality_id, current),
    )

    def save(data):
        method_update(
            user=request.user, method=entry, data=form.method_data(),
            version=data.get("version") or 0, responsible=list(data["responsible"]),
            note=data["note"], **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved as a new version."))
        return redirect(entry)
    return render(
        request,
        "knowledge/catalogue_form.html",
        {"form": form, "method": entry, "municipality": entry.municipality, "places": []},
    )


# --- The scale of evidence --------------------------------------------------------------------


@login_required
def evidence_scale(request, pk: int):
    municipality = get_object_or_deny(request, Municipality.objects.all(), Action.MANAGE, pk=pk)
    if not can(request.user, Action.MANAGE, EvidenceLevel):
        raise PermissionDenied
    form = EvidenceLevelForm(request.POST or None, editing=False)

    def save(data):
        evidence_level_save(
            user=request.user, level=EvidenceLevel(municipality=municipality), data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The step was added to the scale."))
        return redirect("knowledge:evidence_scale", pk=municipality.pk)
    levels = (
        visible(
            request.user, EvidenceLevel.objects.filter(municipality=municipality), Action.MANAGE
        )
        .annotate(used=Count("methods"))
        .order_by("rank", "code")
    )
    return render(
        request,
        "knowledge/catalogue_scale.html",
        {"municipality": municipality, "levels": levels, "form": form},
    )


@login_required
def evidence_level_edit(request, pk: int):
    level = get_object_or_deny(
        request, EvidenceLevel.objects.select_related("municipality"), Action.MANAGE, pk=pk
    )
    initial = {"name": level.name, "description": level.description, "rank": level.rank}
    form = EvidenceLevelForm(request.POST or None, initial=initial, editing=True)

    def save(data):
        evidence_level_save(user=request.user, level=level, data=data, **audit_context(request))

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("knowledge:evidence_scale", pk=level.municipality_id)
    return render(request, "knowledge/catalogue_level.html", {"form": form, "level": level})
