"""Coverage of institutions by social helpers, kept as a maintained aggregate.

`rebuild()` writes one `InstitutionCoverage` row per institution: the children enrolled there
today (distinct children with a current enrolment in one of its groups) and the social helpers'
hours a week serving it. A helper's hours are those of their employment rows in force today;
a helper who serves several institutions is counted in each with an even share of their
hours (40 hours over two schools: 20 in each), because earlyhelp records which institutions a
helper serves but not how they divide their week. The coverage page reads only these rows.

It runs nightly (`manage.py rebuild_coverage`: enrolments start and end with the date, and the
roster import writes them in bulk), and the workforce's own services rebuild the institutions
a change of a staff profile or its employment touches, at once.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from earlyhelp.organisations.models import Institution
from earlyhelp.people.models import Enrolment
from earlyhelp.workforce.models import Employment, InstitutionCoverage, StaffProfile

CENT = Decimal("0.01")


def _current(today: date) -> Q:
    return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))


def _helper_hours(institution_ids: set[int] | None, today: date) -> dict[int, tuple]:
    """(hours, helpers) per institution, each helper's hours shared evenly over the
    institutions they serve."""
    served = StaffProfile.institutions.through.objects.filter(staffprofile__user__is_active=True)
    if institution_ids is not None:
        profiles = served.filter(institution_id__in=institution_ids).values("staffprofile_id")
        served = served.filter(staffprofile_id__in=profiles)
    pairs = list(served.values_list("staffprofile_id", "institution_id"))
    profile_ids = {profile for profile, _institution in pairs}
    hours = dict(
        Employment.objects.filter(_current(today), profile_id__in=profile_ids)
        .values("profile_id")
        .annotate(total=Sum("hours_per_week"))
        .values_list("profile_id", "total")
    )
    served_by: dict[int, int] = defaultdict(int)
    for profile, _institution in pairs:
        served_by[profile] += 1
    result: dict[int, list] = defaultdict(lambda: [Decimal(0), 0])
    for profile, institution in pairs:
        if institution_ids is not None and institution not in institution_ids:
            continue
        result[institution][0] += Decimal(hours.get(profile) or 0) / served_by[profile]
        result[institution][1] += 1
    return {k: (v[0].quantize(CENT, ROUND_HALF_UP), v[1]) for k, v in result.items()}


def _children(institution_ids: set[int] | None, today: date) -> dict[int, int]:
    rows = Enrolment.objects.current(today)
    if institution_ids is not None:
        rows = rows.filter(group__institution_id__in=institution_ids)
    return dict(
        rows.order_by()
        .values("group__institution_id")
        .annotate(n=Count("child_id", distinct=True))
        .values_list("group__institution_id", "n")
    )


def rebuild(institution_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Recompute the coverage of the given institutions (all when None), in one transaction.
    Returns the rows written."""
    today = today or timezone.localdate()
    ids = None if institution_ids is None else set(institution_ids)
    if ids is not None and not ids:
        return 0
    children = _children(ids, today)
    hours = _helper_hours(ids, today)
    institutions = Institution.objects.order_by("pk")
    if ids is not None:
        institutions = institutions.filter(pk__in=ids)
    now = timezone.now()
    rows = [
        InstitutionCoverage(
            institution_id=pk,
            municipality_id=municipality_id,
            children=children.get(pk, 0),
            helper_hours=hours.get(pk, (Decimal(0), 0))[0],
            helpers=hours.get(pk, (Decimal(0), 0))[1],
            computed_at=now,
        )
        for pk, municipality_id in institutions.values_list("pk", "municipality_id")
    ]
    # An upsert, not delete-and-insert: the nightly job and a staff change may meet on one row.
    with transaction.atomic():
        InstitutionCoverage.objects.bulk_create(
            rows,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["institution"],
            update_fields=["municipality", "children", "helper_hours", "helpers", "computed_at"],
        )
    return len(rows)


def rebuild_all() -> tuple[int, float]:
    """The nightly job: every institution. Returns (rows, seconds)."""
    started = time.monotonic()
    rows = rebuild()
    return rows, time.monotonic() - started


def institutions_of(profile: StaffProfile) -> set[int]:
    return set(profile.institutions.values_list("pk", flat=True))


@dataclass(frozen=True)
class CoverageNormOf:
    """The coverage norm of a municipality: its own, or earlyhelp's default."""

    children_per_helper: int
    full_time_hours: Decimal
    source: str
    default: bool

    def helpers_needed(self, children: int) -> Decimal:
        """Full-time helpers the norm asks for that many children."""
        return (Decimal(children) / self.children_per_helper).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
