"""The page of memberships awaiting approval: the requester sees theirs, those who may decide
approve or refuse. Who is who is decided in organisations/access.py."""

from datetime import UTC, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can
from earlyhelp.organisations import services
from earlyhelp.organisations.access import (
    may_approve,
    pending_visible_to,
)
from earlyhelp.organisations.models import Membership


@login_required
def approvals(request):
    if not can(request.user, Action.APPROVE, Membership):
        raise PermissionDenied
    pending = (
        pending_visible_to(request.user)
        .select_related("user", "municipality", "service", "institution", "group", "requested_by")
        .order_by("requested_at", "pk")
    )
    rows = [(membership, may_approve(request.user, membership)) for membership in pending]
    return render(request, "organisations/approvals.html", {"rows": rows})


def _decidable(request, pk: int) -> Membership:
    """A pending membership the user sees (else 404) and may decide on (else 403)."""
    membership = pending_visible_to(request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404
    if not may_approve(request.user, membership):
        raise PermissionDenied
    return membership


def _requested_at(request) -> datetime | None:
    """The request's time as the page showed it. A value that reads as a date and time but
    does not exist (31 February) cannot match any request, so it is refused as a change."""
    try:
        return parse_datetime(request.POST.get("requested_at", ""))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)


def _decide(request, pk: int, service, done: str):
    membership = _decidable(request, pk)
    try:
        service(
            membership=membership,
            user=request.user,
            requested_at=_requested_at(request),
            request_id=request.request_id,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("organisations:approvals")


@login_required
@require_POST
def approve(request, pk: int):
    return _decide(request, pk, services.membership_approve, _("The membership is approved."))


@login_required
@require_POST
def refuse(request, pk: int):
    return _decide(request, pk, services.membership_refuse, _("The membership is refused."))
