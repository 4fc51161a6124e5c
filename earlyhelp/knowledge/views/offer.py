"""What an institution offers: the help on offer there, the methods it uses, who works there
and how to ask. For staff (anyone with a role in its municipality) as a page, and with
`?print=1` as a printable sheet for parents without navigation, which names no worker and no
child: only the help, the institution and how to get in touch."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from earlyhelp.access.policy import visible
from earlyhelp.activities.models import Activity
from earlyhelp.knowledge.access.partners import (
    offer_institutions,
    offer_workers,
    offered_activities,
)
from earlyhelp.knowledge.models import Method, Partner


@login_required
def offer(request, pk: int):
    institution = get_object_or_404(
        offer_institutions(request.user).select_related("municipality"), pk=pk
    )
    printed = request.GET.get("print") == "1"
    activities = list(offered_activities(institution)[:200])
    methods = list(
        visible(
            request.user,
            Method.objects.filter(
                activities__institution=institution,
                activities__status=Activity.Status.ACTIVE,
                active=True,
            ),
        )
        .distinct()
        .only("pk", "name", "description", "municipality_id")
        .order_by("name")
    )
    partners = list(
        visible(
            request.user,
            Partner.objects.filter(municipality_id=institution.municipality_id, active=True),
        ).order_by("kind", "name")
    )
    return render(
        request,
        "knowledge/offer_print.html" if printed else "knowledge/offer_page.html",
        {
            "institution": institution,
            "activities": activities,
            "methods": methods,
            "partners": partners,
            "workers": [] if printed else offer_workers(institution),
        },
    )
