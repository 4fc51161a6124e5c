"""Reports that reached a triager outside earlyhelp (a call, a letter, a visit), the written
signal that follows an oral one, and keeping a reporter's identity confidential."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny
from earlyhelp.concerns import selectors, services
from earlyhelp.concerns.access import triage_institutions
from earlyhelp.concerns.forms import ConcernChildFormSet, RecordedConcernForm
from earlyhelp.concerns.models import Concern
from earlyhelp.core.versioning import StaleVersionError, posted_version
from earlyhelp.organisations.emergency import emergency_lines
from earlyhelp.organisations.models import Institution


@login_required
def concern_record(request):
    """A triager records a report received by phone, letter or in person. Nothing is stored
    until every part is right; what was typed stays on the page."""
    if not can(request.user, Action.RECORD, Concern):
        raise PermissionDenied
    institution_ids = triage_institutions(request.user)
    institutions = Institution.objects.filter(pk__in=institution_ids).select_related(
        "municipality__jurisdiction"
    )
    children = selectors.reportable_children(user=request.user, institution_ids=institution_ids)
    data = request.POST if request.method == "POST" else None
    form = RecordedConcernForm(
        data,
        institutions=institutions,
        reporters=selectors.institution_reporters(institution_ids=institution_ids),
    )
    formset = ConcernChildFormSet(data, prefix="children", form_kwargs={"children": children})
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows = [f.cleaned_data for f in formset if f.cleaned_data and f.is_filled]
        try:
            concern = services.concern_record(
                user=request.user,
                institution=form.cleaned_data["institution"],
                data=form.cleaned_data,
                children=rows,
                channel=form.cleaned_data["channel"],
                reporter_kind=form.cleaned_data["reporter_kind"],
                received_at=form.cleaned_data["received_at"],
                reporter=form.cleaned_data["reporter"],
                reporter_name=form.cleaned_data["reporter_name"],
                reporter_contact=form.cleaned_data["reporter_contact"],
                **audit_context(request),
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The report is recorded and in the queue."))
            return redirect(concern)
    return render(
        request,
        "concerns/record.html",
        {
            "form": form,
            "formset": formset,
            "emergency": institutions[0].municipality.jurisdiction.emergency_number
            if institutions
            else "112",
            "emergency_lines": emergency_lines(
                institutions[0].municipality.jurisdiction if institutions else None
            ),
        },
    )


@login_required
def written_signal(request, pk: int):
    """Where a reminder of a missing written signal leads: the reporter's draft that follows
    the oral signal, or a new report filled in from it."""
    oral = get_object_or_deny(request, Concern.objects.all(), Action.VIEW, pk=pk)
    if oral.reporter_id != request.user.pk or oral.channel != Concern.Channel.ORAL:
        raise PermissionDenied
    follow_up = visible(request.user, oral.written_follow_ups.filter(reporter=request.user)).first()
    if follow_up is None:
        return redirect(f"{reverse('concerns:report')}?follows={oral.pk}")
    if follow_up.status == Concern.Status.DRAFT:
        return redirect("concerns:edit", pk=follow_up.pk)
    return redirect(follow_up)


@login_required
@require_POST
def concern_mark_confidential(request, pk: int):
    concern = get_object_or_deny(request, Concern.objects.all(), Action.VIEW_DECISION, pk=pk)
    try:
        services.concern_mark_confidential(
            user=request.user,
            concern=concern,
            version=posted_version(request.POST.get("version")),
            **audit_context(request),
        )
    except StaleVersionError as error:
        messages.error(request, error.args[0])
    else:
        messages.success(request, _("The reporter's identity is kept confidential."))
    return redirect(concern)
