"""Reading absences, always through the access policy."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, Sum

from earlyhelp.absences.access import recordable_children
from earlyhelp.absences.models import Absence, school_year_start
from earlyhelp.access.policy import Action, visible


def register(*, user, institution, today: date) -> list[dict]:
    """Per child the user records for at `institution`: this school year's unexcused and
    excused absence, and the latest records."""
    start = school_year_start(today)
    children = list(recordable_children(user=user, institution=institution))
    absences = visible(
        user,
        Absence.objects.filter(
            institution=institution, child__in=children, date__gte=start
        ).order_by("-date", "-id"),
        Action.VIEW,
    )
    totals = {
        row["child_id"]: row
        for row in absences.order_by()
        .values("child_id")
        .annotate(
            unexcused=Sum("amount", filter=Q(excused=False)),
            excused=Sum("amount", filter=Q(excused=True)),
        )
    }
    latest: dict[int, list[Absence]] = {}
    for absence in absences[:500]:
        latest.setdefault(absence.child_id, []).append(absence)
    return [
        {
            "child": child,
            "unexcused": (totals.get(child.pk) or {}).get("unexcused") or 0,
            "excused": (totals.get(child.pk) or {}).get("excused") or 0,
            "absences": latest.get(child.pk, [])[:5],
        }
        for child in children
    ]
