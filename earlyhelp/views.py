"""The project's own pages: the start page, which lists what waits for this user in every
capability (their duties, docs/duties.md) and what they can do, and the health probe."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_list
from earlyhelp.concerns.models import Concern
from earlyhelp.duties.selectors import duties_page
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
    duties = duties_page(user=request.user, cursor=request.GET.get("after", ""))
    if duties["named_people"]:
        audit_list(
            request,
            object_type="duties.duty",
            purpose="start page",
            changes={"named": duties["named_people"]},
        )
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "can_list_children": can(request.user, Action.LIST, Child),
            "can_report": can(request.user, Action.REPORT, Concern),
            "can_create_child": can(request.user, Action.CREATE, Child),
            "can_break_glass": can(request.user, Action.BREAK_GLASS, Child),
            "duty_groups": duties["groups"],
            "more_duties": duties["next_cursor"],
            "after": request.GET.get("after", ""),
        },
    )


def health(request):
    """Liveness probe for load balancers: no data, no session."""
    return HttpResponse("ok", content_type="text/plain")
