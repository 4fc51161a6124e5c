"""The class register of absence: record, excuse, and see where a signal is due."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.absences import selectors, services
from earlyhelp.absences.access import absence_recording_children, recordable_children
from earlyhelp.absences.forms import AbsenceForm
from earlyhelp.absences.models import Absence
from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_context, audit_list, get_object_or_deny
from earlyhelp.core.versioning import StaleVersionError, posted_version
from earlyhelp.organisations.models import Institution


@login_required
def absence_register(request):
    if not can(request.user, Action.RECORD, Absence):
        raise PermissionDenied
    institutions = list(
        Institution.objects.filter(pk__in=absence_recording_children(request.user)).order_by("name")
    )
    if not institutions:
        raise PermissionDenied
    chosen = request.GET.get("institution") or request.POST.get("institution") or ""
    institution = next((i for i in institutions if str(i.pk) == chosen), institutions[0])
    unit = Absence.unit_for(institution)
    unit_label = Absence.Unit(unit).label
    form = AbsenceForm(
        request.POST if request.method == "POST" else None,
        children=recordable_children(user=request.user, institution=institution),
        unit_label=unit_label,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_record(
                user=request.user,
                child=form.cleaned_data["child"],
                institution=institution,
                day=form.cleaned_data["date"],
                amount=form.cleaned_data["amount"],
                excused=form.cleaned_data["excused"],
                note=form.cleaned_data["note"],
                **audit_context(request),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The absence is recorded."))
            return redirect(f"{reverse('absences:list')}?institution={institution.pk}")
    rows = selectors.register(
        user=request.user, institution=institution, today=timezone.localdate()
    )
    audit_list(
        request,
        object_type="absences.absence",
        purpose="absence register",
        changes={"institution": institution.pk, "rows": len(rows)},
    )
    return render(
        request,
        "absences/register.html",
        {
            "form": form,
            "rows": rows,
            "institution": institution,
            "institutions": institutions,
            "unit_label": unit_label,
            "threshold": services.threshold_for(institution),
        },
    )


@login_required
@require_POST
def absence_excuse(request, pk: int):
    absence = get_object_or_deny(request, Absence.objects.all(), Action.CHANGE, pk=pk)
    try:
        services.absence_excuse(
            user=request.user,
            absence=absence,
            version=posted_version(request.POST.get("version")),
            **audit_context(request),
        )
    except StaleVersionError as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("The absence is excused."))
    return redirect(f"{reverse('absences:list')}?institution={absence.institution_id}")
