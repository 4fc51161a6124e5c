"""Reading the workforce: the norm a municipality's staff are held to, and each staff
member's training hours in a calendar year against it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from earlyhelp.access.policy import Action, visible
from earlyhelp.workforce.models import (
    DEFAULT_NORM_HOURS,
    DEFAULT_NORM_SOURCE,
    Attendance,
    Norm,
    StaffProfile,
    TrainingNorm,
)


def norm_for(municipality_id: int) -> Norm:
    """The municipality's own norm, or earlyhelp's default when it has set none."""
    own = TrainingNorm.objects.filter(municipality_id=municipality_id).first()
    if own is not None:
        return Norm(hours=own.hours_per_year, source=own.source, default=False)
    return Norm(hours=DEFAULT_NORM_HOURS, source=str(DEFAULT_NORM_SOURCE), default=True)


def training_hours(user, profile_ids, year: int) -> dict[int, Decimal]:
    """Hours credited per staff profile for the events that ended in `year` (a course counts
    in the year it is completed), as far as `user` may see them."""
    rows = (
        visible(user, Attendance.objects.filter(staff_id__in=profile_ids))
        .filter(event__ends_on__year=year)
        .values("staff_id")
        .annotate(total=Sum("hours"))
    )
    return {row["staff_id"]: row["total"] for row in rows}


@dataclass(frozen=True)
class NormCheck:
    profile: StaffProfile
    hours: Decimal
    norm: Norm

    @property
    def met(self) -> bool:
        # Exactly at the norm is met.
        return self.hours >= self.norm.hours

    @property
    def missing(self) -> Decimal:
        return max(self.norm.hours - self.hours, Decimal(0))


def norm_check(user, profile: StaffProfile, year: int) -> NormCheck:
    hours = training_hours(user, [profile.pk], year).get(profile.pk, Decimal(0))
    return NormCheck(profile=profile, hours=hours, norm=norm_for(profile.municipality_id))


def norm_checks(user, year: int) -> list[NormCheck]:
    """Each staff member whose record the user keeps, with their hours in `year` against
    their municipality's norm: behind first, then by name."""
    profiles = list(
        visible(user, StaffProfile.objects.select_related("user", "municipality"), Action.CHANGE)
    )
    hours = training_hours(user, [p.pk for p in profiles], year)
    norms: dict[int, Norm] = {}
    checks = []
    for profile in profiles:
        if profile.municipality_id not in norms:
            norms[profile.municipality_id] = norm_for(profile.municipality_id)
        checks.append(
            NormCheck(
                profile=profile,
                hours=hours.get(profile.pk, Decimal(0)),
                norm=norms[profile.municipality_id],
            )
        )
    return sorted(checks, key=lambda c: (c.met, str(c.profile)))
