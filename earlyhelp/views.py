"""The project's own pages: the start page, which puts together what this user does in earlyhelp
from the capabilities, and the health probe."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from earlyhelp.access.policy import Action, can
from earlyhelp.cases.models import Case
from earlyhelp.cases.selectors import overdue_actions, overdue_contacts
from earlyhelp.concerns.models import Concern
from earlyhelp.organisations.models import Membership
from earlyhelp.people.models import Child


@login_required
def home(request):
    memberships = (
        Membership.objects.active()
        .filter(user=request.user)
        .select_related("municipality", "service", "institution", "group")
        .order_by("role")
    )
    works_cases = can(request.user, Action.LIST, Case)
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "can_list_children": can(request.user, Action.LIST, Child),
            "can_report": can(request.user, Action.REPORT, Concern),
            "can_create_child": can(request.user, Action.CREATE, Child),
            "can_break_glass": can(request.user, Action.BREAK_GLASS, Child),
            "overdue_steps": overdue_actions(user=request.user) if works_cases else [],
            "overdue_contacts": overdue_contacts(user=request.user) if works_cases else [],
        },
    )


def health(request):
    """Liveness probe for load balancers: no data, no session."""
    return HttpResponse("ok", content_type="text/plain")
