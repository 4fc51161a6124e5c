"""The outcomes per method: a method's section (also shown on the method's page of the
catalogue through `outcomes_context` and `knowledge/_method_outcomes.html`), its standalone
page, and the overview of a municipality's methods. They read the maintained figures only
(`knowledge.aggregates.MethodOutcome`, rebuilt daily), through the policy, and print the
caveat that they are not causal evidence."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import get_object_or_deny
from earlyhelp.knowledge.access.outcomes import outcome_municipalities
from earlyhelp.knowledge.aggregates import MethodOutcome
from earlyhelp.knowledge.models import Method
from earlyhelp.knowledge.outcomes import CAVEAT, HIDDEN, SUPPRESSED, shown


def outcomes_context(user, method: Method) -> dict:
    """What `knowledge/_method_outcomes.html` needs for `method`, which the caller opened
    through the policy: its figures as printed (None before the first computation) and the
    caveat."""
    row = visible(user, MethodOutcome.objects.filter(method_id=method.pk)).first()
    return {
        "outcome_method": method,
        "outcome_figures": shown(row),
        "outcome_caveat": CAVEAT,
        "suppressed": SUPPRESSED,
        "hidden": HIDDEN,
    }


@login_required
def method_outcomes(request, pk: int):
    method = get_object_or_deny(request, Method.objects.select_related("municipality"), pk=pk)
    return render(
        request,
        "knowledge/outcomes_method.html",
        {"method": method, **outcomes_context(request.user, method)},
    )


@login_required
def overview(request):
    if not can(request.user, Action.LIST, MethodOutcome):
        raise PermissionDenied
    municipalities = list(outcome_municipalities(request.user))
    if not municipalities:
        raise PermissionDenied
    chosen = municipalities[0]
    wanted = request.GET.get("municipality", "")
    if wanted:
        matching = [m for m in municipalities if str(m.pk) == wanted]
        if not matching:
            raise Http404
        chosen = matching[0]
    methods = list(
        visible(request.user, Method.objects.filter(municipality=chosen, active=True))
        .only("pk", "name", "kind", "municipality_id")
        .order_by("kind", "name")
    )
    rows = {
        row.method_id: row
        for row in visible(request.user, MethodOutcome.objects.filter(municipality=chosen))
    }
    entries = [(method, shown(rows.get(method.pk))) for method in methods]
    computed = max((row.computed_at for row in rows.values()), default=None)
    return render(
        request,
        "knowledge/outcomes_overview.html",
        {
            "municipality": chosen,
            "municipalities": municipalities,
            "entries": entries,
            "computed_at": computed,
            "caveat": CAVEAT,
            "suppressed": SUPPRESSED,
        },
    )
