"""Break-glass: opening a record outside one's scope, and the supervisors' review of it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.forms import BreakGlassForm
from earlyhelp.access.models import BreakGlassGrant
from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.services import (
    break_glass_end,
    break_glass_open,
    break_glass_refuse,
    break_glass_review,
)
from earlyhelp.access.shortcuts import get_object_or_deny
from earlyhelp.people.access import break_glass_target
from earlyhelp.people.models import Child


@login_required
def break_glass(request):
    if not can(request.user, Action.BREAK_GLASS, Child):
        raise PermissionDenied
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        child = break_glass_target(request.user, form.cleaned_data["record"])
        if child is None or child.restricted:
            # One answer for "no such child" and "restricted", so that break-glass cannot
            # probe which numbers belong to restricted records; every refusal is kept for the
            # supervisors with the number tried.
            break_glass_refuse(
                user=request.user,
                record=form.cleaned_data["record"],
                reason=form.cleaned_data["reason"],
                request_id=request.request_id,
            )
            form.add_error(
                "record", _("No record with this number can be opened with break-glass.")
            )
        else:
            try:
                grant = break_glass_open(
                    user=request.user,
                    child=child,
                    reason=form.cleaned_data["reason"],
                    minutes=form.cleaned_data["minutes"],
                    request_id=request.request_id,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _("Break-glass access is open until %(time)s. It is flagged to supervisors.")
                    % {"time": date_format(timezone.localtime(grant.expires_at), "TIME_FORMAT")},
                )
                return redirect(child)
    limit = settings.EARLYHELP_BREAK_GLASS_MAX_MINUTES
    return render(request, "access/break_glass.html", {"form": form, "limit": limit})


@login_required
def break_glass_log(request):
    if not can(request.user, Action.LIST, BreakGlassGrant):
        raise PermissionDenied
    grants = visible(
        request.user, BreakGlassGrant.objects.select_related("user", "reviewed_by"), Action.VIEW
    ).order_by(Case(When(reviewed_at__isnull=True, then=0), default=1), "-started_at")[:200]
    rows = [(grant, can(request.user, Action.REVIEW_BREAK_GLASS, grant)) for grant in grants]
    return render(request, "access/break_glass_log.html", {"rows": rows})


@login_required
@require_POST
def break_glass_reviewed(request, pk: int):
    grant = get_object_or_deny(
        request, BreakGlassGrant.objects.all(), Action.REVIEW_BREAK_GLASS, pk=pk
    )
    try:
        break_glass_review(user=request.user, grant=grant, request_id=request.request_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as reviewed."))
    return redirect("access:break_glass_log")


@login_required
@require_POST
def break_glass_ended(request, pk: int):
    grant = get_object_or_deny(
        request, BreakGlassGrant.objects.all(), Action.END_BREAK_GLASS, pk=pk
    )
    break_glass_end(user=request.user, grant=grant, request_id=request.request_id)
    messages.success(request, _("Your break-glass access is closed."))
    return redirect("home")
