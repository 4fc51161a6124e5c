"""Setting programmes up: the list, a programme's particulars, its set-up page (partners,
documents, target groups, outcome categories, indicators) and the municipality's action
areas. Every object comes through the policy; no page names a person."""

from __future__ import annotations

import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.activities.models import ActivityType
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import saved
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import District, Institution, Role, Service
from earlyhelp.programmes import services
from earlyhelp.programmes.access import area_municipalities, programme_municipalities
from earlyhelp.programmes.forms import (
    ActionAreaForm,
    DocumentForm,
    IndicatorForm,
    OutcomeCategoryForm,
    PartnerForm,
    ProgrammeForm,
    TargetGroupForm,
)
from earlyhelp.programmes.models import (
    ActionArea,
    Document,
    Indicator,
    OutcomeCategory,
    Partner,
    Programme,
    TargetGroup,
)
from earlyhelp.programmes.words import definition_in_words

# --- Programmes ------------------------------------------------------------------------------


@login_required
def programme_list(request):
    if not can(request.user, Action.LIST, Programme):
        raise PermissionDenied
    rows = visible(request.user, Programme.objects.select_related("lead"), Action.VIEW)
    today = timezone.localdate()
    programmes = list(rows.order_by("-starts_on", "name")[:500])
    for programme in programmes:
        programme.running = programme.runs_on(today)
    return render(
        request,
        "programmes/list.html",
        {
            "programmes": programmes,
            "can_create": can(request.user, Action.CREATE, Programme),
            "can_areas": can(request.user, Action.CREATE, ActionArea),
        },
    )


def _programme_choices(municipality_ids) -> dict:
    return {
        "leads": workers(Role.values, municipalities=municipality_ids),
        "services": Service.objects.filter(municipality_id__in=municipality_ids).order_by("name"),
        "institutions": Institution.objects.filter(municipality_id__in=municipality_ids).order_by(
            "name"
        ),
    }


@login_required
def programme_create(request):
    if not can(request.user, Action.CREATE, Programme):
        raise PermissionDenied
    municipalities = programme_municipalities(request.user).order_by("name")
    ids = list(municipalities.values_list("pk", flat=True))
    form = ProgrammeForm(
        request.POST or None,
        municipalities=municipalities,
        choices=_programme_choices(ids),
        initial={"municipality": ids[0] if ids else None},
    )
    made = {}

    def save(data):
        made["programme"] = services.programme_create(
            user=request.user, municipality=data["municipality"], data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The programme was set up. Now add what it counts."))
        return redirect("programmes:setup", pk=made["programme"].pk)
    return render(
        request,
        "programmes/form.html",
        {"form": form, "programme": None, "several": len(ids) > 1},
    )


def _programme(request, pk: int, action: str = Action.VIEW) -> Programme:
    return get_object_or_deny(
        request, Programme.objects.select_related("municipality", "lead"), action, pk=pk
    )


@login_required
def programme_edit(request, pk: int):
    programme = _programme(request, pk, Action.CHANGE)
    form = ProgrammeForm(
        request.POST or None,
        # The form writes onto a copy: the service compares with the record as it was.
        instance=copy.copy(programme),
        municipalities=programme_municipalities(request.user),
        choices=_programme_choices([programme.municipality_id]),
        initial={"version": programme.version},
    )

    def save(data):
        services.programme_update(
            user=request.user, programme=programme, data=data, version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("programmes:setup", pk=programme.pk)
    return render(
        request, "programmes/form.html", {"form": form, "programme": programme, "several": False}
    )


@login_required
def programme_setup(request, pk: int):
    programme = _programme(request, pk)
    indicators = list(
        programme.indicators.select_related("programme", "target_group", "outcome")
        .prefetch_related("activity_types")
        .order_by("position", "pk")
    )
    for indicator in indicators:
        indicator.words = definition_in_words(indicator, list(indicator.activity_types.all()))
    return render(
        request,
        "programmes/setup.html",
        {
            "programme": programme,
            "may_change": can(request.user, Action.CHANGE, programme),
            "partners": programme.partners.select_related("service"),
            "documents": programme.documents.all(),
            "target_groups": programme.target_groups.select_related("action_area"),
            "outcome_categories": programme.outcome_categories.all(),
            "indicators": indicators,
            "running": programme.runs_on(timezone.localdate()),
        },
    )


# --- The set-up's items ----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    title: str
    versioned: bool = False


KINDS = {
    "partners": Kind(Partner, PartnerForm, gettext_lazy("Partner"), versioned=True),
    "groups": Kind(TargetGroup, TargetGroupForm, gettext_lazy("Target group"), versioned=True),
    "outcomes": Kind(
        OutcomeCategory, OutcomeCategoryForm, gettext_lazy("Outcome category"), versioned=True
    ),
    "indicators": Kind(Indicator, IndicatorForm, gettext_lazy("Indicator"), versioned=True),
}
REMOVABLE = {**{name: kind.model for name, kind in KINDS.items()}, "documents": Document}


def _choices(kind: Kind, programme: Programme) -> dict:
    municipality = programme.municipality_id
    if kind.model is Partner:
        return {"services": Service.objects.filter(municipality_id=municipality).order_by("name")}
    if kind.model is TargetGroup:
        return {"areas": ActionArea.objects.filter(municipality_id=municipality)}
    if kind.model is Indicator:
        return {
            "target_groups": programme.target_groups.all(),
            "outcomes": programme.outcome_categories.all(),
            "activity_types": ActivityType.objects.filter(municipality_id=municipality).order_by(
                "code"
            ),
        }
    return {}


def _split(form) -> tuple[dict, dict]:
    """A set-up form's data as the item's own columns and its many-to-many choices."""
    fields, sets = {}, {}
    for name, value in form.cleaned_data.items():
        if name == "version":
            continue
        field = form._meta.model._meta.get_field(name)
        (sets if field.many_to_many else fields)[name] = value
    return fields, sets


def _item_page(request, programme, kind_name: str, item=None):
    kind = KINDS.get(kind_name)
    if kind is None:
        raise Http404
    instance = kind.model(programme=programme) if item is None else item
    initial = {"version": instance.version} if kind.versioned and instance.pk else {}
    # The form writes onto a copy: the service compares with the record as it was.
    form = kind.form(
        request.POST or None,
        instance=copy.copy(instance) if instance.pk else instance,
        initial=initial,
        **_choices(kind, programme),
    )

    def save(data):
        fields, sets = _split(form)
        services.setup_item_save(
            user=request.user, programme=programme, item=instance, fields=fields, sets=sets,
            version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect(reverse("programmes:setup", args=[programme.pk]) + f"#{kind_name}")
    preview = None
    if kind.model is Indicator:
        preview = _preview(form, instance)
    template = (
        "programmes/indicator_form.html"
        if kind.model is Indicator
        else ("programmes/item_form.html")
    )
    return render(
        request,
        template,
        {
            "form": form,
            "programme": programme,
            "item": item,
            "kind": kind,
            "kind_name": kind_name,
            "preview": preview,
        },  # fmt: skip
    )


def _preview(form, instance: Indicator) -> str:
    """The definition in words as chosen: what was typed, once it was read."""
    if not form.is_bound:
        return definition_in_words(instance) if instance.pk else ""
    data = getattr(form, "cleaned_data", {})
    probe = Indicator(programme=instance.programme)
    for name in ("unit", "aggregation", "role", "target_group", "outcome", "period_starts",
                 "period_ends", "target_value", "target_date", "lower_is_better",
                 "with_partners"):  # fmt: skip
        if data.get(name) is not None:
            setattr(probe, name, data[name])
    return definition_in_words(probe, list(data.get("activity_types") or []))


@login_required
def item_new(request, pk: int, kind: str):
    programme = _programme(request, pk, Action.CHANGE)
    return _item_page(request, programme, kind)


@login_required
def item_edit(request, pk: int, kind: str, item_pk: int):
    programme = _programme(request, pk, Action.CHANGE)
    if kind not in KINDS:
        raise Http404
    item = get_object_or_404(KINDS[kind].model, programme=programme, pk=item_pk)
    return _item_page(request, programme, kind, item)


@login_required
@require_POST
def item_remove(request, pk: int, kind: str, item_pk: int):
    programme = _programme(request, pk, Action.CHANGE)
    if kind not in REMOVABLE:
        raise Http404
    item = get_object_or_404(REMOVABLE[kind], programme=programme, pk=item_pk)
    try:
        services.setup_item_remove(
            user=request.user, programme=programme, item=item, **audit_context(request)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(reverse("programmes:setup", args=[programme.pk]) + f"#{kind}")


@login_required
def document_add(request, pk: int):
    programme = _programme(request, pk, Action.CHANGE)
    form = DocumentForm(request.POST or None, request.FILES or None)

    def save(data):
        services.document_add(
            user=request.user, programme=programme, title=data["title"], upload=data["file"],
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The document was added."))
        return redirect(reverse("programmes:setup", args=[programme.pk]) + "#documents")
    return render(
        request,
        "programmes/document_form.html",
        {"form": form, "programme": programme},
    )


@login_required
def document_download(request, pk: int):
    document = get_object_or_deny(request, Document.objects.all(), Action.VIEW, pk=pk)
    return private_download(
        document.file.open("rb"), filename=document.original_name,
        content_type=document.content_type,
    )  # fmt: skip


# --- Action areas ----------------------------------------------------------------------------


@login_required
def area_list(request):
    if not can(request.user, Action.LIST, ActionArea):
        raise PermissionDenied
    areas = visible(request.user, ActionArea.objects.select_related("municipality"), Action.VIEW)
    areas = areas.prefetch_related("districts").order_by("municipality__name", "name")
    changeable = set(
        visible(request.user, ActionArea.objects.all(), Action.CHANGE).values_list("pk", flat=True)
    )
    return render(
        request,
        "programmes/area_list.html",
        {
            "areas": areas,
            "changeable": changeable,
            "can_create": can(request.user, Action.CREATE, ActionArea),
        },
    )


def _area_page(request, area: ActionArea):
    municipalities = area_municipalities(request.user).order_by("name")
    ids = [area.municipality_id] if area.pk else list(municipalities.values_list("pk", flat=True))
    form = ActionAreaForm(
        request.POST or None,
        instance=copy.copy(area) if area.pk else area,
        municipalities=municipalities,
        districts=District.objects.filter(municipality_id__in=ids).order_by("name"),
        initial={"version": area.version} if area.pk else {"municipality": ids[0] if ids else None},
    )

    def save(data):
        fields = {"name": data["name"], "streets": data["streets"]}
        if not area.pk:
            fields["municipality"] = data["municipality"]
        services.area_save(
            user=request.user, area=area, fields=fields, districts=data.get("districts"),
            version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("programmes:areas")
    return render(
        request,
        "programmes/area_form.html",
        {"form": form, "area": area if area.pk else None, "several": len(ids) > 1},
    )


@login_required
def area_create(request):
    if not can(request.user, Action.CREATE, ActionArea):
        raise PermissionDenied
    return _area_page(request, ActionArea())


@login_required
def area_edit(request, pk: int):
    area = get_object_or_deny(request, ActionArea.objects.all(), Action.CHANGE, pk=pk)
    return _area_page(request, area)
