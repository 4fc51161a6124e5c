"""The demo's class register: unexcused absences of one class."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from earlyhelp.organisations.models import (
    Role,
)
from earlyhelp.people.models import (
    Child,
)


def _absences(school, group, users) -> None:
    """A class register with one child past the threshold (where the profile sets one) and
    one close to it."""
    from earlyhelp.absences.models import Absence
    from earlyhelp.absences.services import absence_record

    if Absence.objects.filter(institution=school).exists():
        return
    children = list(
        Child.objects.filter(enrolments__group=group, restricted=False).order_by(
            "search_name", "pk"
        )[:2]
    )
    today = timezone.localdate()
    for child, hours in zip(children, ((4, 4, 3), (3, 3, 2)), strict=False):
        for back, amount in enumerate(hours, start=1):
            absence_record(
                user=users[Role.EDUCATOR],
                child=child,
                institution=school,
                day=max(today - timedelta(days=back), date(today.year, 1, 1)),
                amount=amount,
                excused=False,
            )
