"""The pages where a service's keepers change its own methods (the stages and competences of
assisted contact, the steps of the foster-care method, the Signs of Safety tools), and where
everyone of the municipality reads them with their history. Thin: the items and their rules
are in `knowledge/items.py`, who may do what in the policy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.core.forms import saved
from earlyhelp.knowledge.access.items import method_services
from earlyhelp.knowledge.forms_items import ItemsForm
from earlyhelp.knowledge.items import (
    KINDS,
    SERVICE_KINDS,
    Items,
    entry_for,
    entry_name,
    items_of,
    items_update,
)
from earlyhelp.knowledge.models import Method


def _followed(service, kinds_kept: set[str]) -> list[str]:
    """The methods the service follows: those of its kind of service, and any it keeps."""
    return [k for k in KINDS if service.kind in SERVICE_KINDS[k] or k in kinds_kept]


@login_required
def items_index(request):
    services = list(method_services(request.user).order_by("municipality__name", "name"))
    kept: dict[int, set[str]] = {}
    for service_id, kind in Method.objects.filter(service__in=services, kind__in=KINDS).values_list(
        "service_id", "kind"
    ):
        kept.setdefault(service_id, set()).add(kind)
    rows = [
        (
            service,
            [(k, Method.Kind(k).label) for k in _followed(service, kept.get(service.pk, set()))],
        )
        for service in services
    ]
    return render(request, "knowledge/items_index.html", {"rows": [r for r in rows if r[1]]})


@login_required
def items_page(request, service_pk: int, kind: str):
    service = method_services(request.user).filter(pk=service_pk).first()
    if service is None or kind not in KINDS:
        raise Http404
    kept = {kind} if Method.objects.filter(service=service, kind=kind).exists() else set()
    if kind not in _followed(service, kept):
        raise Http404
    entry = get_object_or_deny(request, Method.objects.all(), pk=entry_for(service, kind).pk)
    can_change = can(request.user, Action.CHANGE, entry)
    if request.method == "POST" and not can_change:
        raise PermissionDenied
    items = Items(kind, entry.items)
    form = None
    if can_change:
        form = ItemsForm(
            request.POST if request.method == "POST" else None,
            items=items,
            initial={"version": entry.version},
        )

        def save(data):
            items_update(
                user=request.user, entry=entry, rows=data["rows"], added=data["added"],
                version=data["version"], note=data["note"], **audit_context(request),
            )  # fmt: skip

        if request.method == "POST" and saved(form, save):
            messages.success(request, _("Saved as a new version. Records made before keep theirs."))
            return redirect("knowledge:items", service_pk=service.pk, kind=kind)
    versions = [
        (version, items_of(version, kind))
        for version in entry.versions.select_related("changed_by").order_by("-number")
    ]
    return render(
        request,
        "knowledge/items_page.html",
        {
            "service": service,
            "entry": entry,
            "name": entry_name(entry),
            "items": items,
            "form": form,
            "versions": versions,
        },
        status=400 if form is not None and form.errors else 200,
    )
