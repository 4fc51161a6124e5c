"""A child's identity as a kind of record for the retention job (privacy/retention.py): erased
once the child has been an adult for the period, and nothing else about them is kept.

"Nothing else is kept" is decided by the records that name the child: every model with a
foreign key to `Child` is one that keeps the child identified while it exists (`KEEP`, with the
condition under which it still counts), one whose content goes with the child (`GOES`), or
both (a request of the child's keeps them while open, and loses its texts with them). The
test privacy/tests/test_kinds.py refuses a model that is in neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import add_years
from earlyhelp.people.models import Child
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, register

# Records that keep the child identified while they exist (until their own kind erases them).
KEEP: dict[str, Q] = {
    "concerns.concernchild": Q(concern__anonymised_at__isnull=True),
    "cases.casechild": Q(case__anonymised_at__isnull=True),
    "activities.participant": Q(activity__anonymised_at__isnull=True),
    "contacts.arrangement": Q(anonymised_at__isnull=True),
    "fostercare.placement": Q(anonymised_at__isnull=True),
    # A request of the child's own that is not answered yet (GDPR Articles 15 to 18).
    "privacy.subjectrequest": Q(state="open"),
}
# Records whose content goes with the child: deleted (None) or these text fields emptied.
GOES: dict[str, tuple[str, ...] | None] = {
    "people.relationship": None,  # the tie to the parents: it would name the child's family
    "people.childteammember": None,
    "people.enrolment": (),  # the class and dates stay for the figures
    "people.consent": ("given_by_other", "note"),
    "access.breakglassgrant": ("reason",),
    "absences.absence": ("note",),
    "screening.rating": ("comment", "outcome_reason"),
    # An answered request stays in the register, as the proof it was answered, without what
    # could name anyone.
    "privacy.subjectrequest": ("requester", "details", "extension_reason", "outcome"),
}
ERASED_FIELDS = ("given_name", "family_name", "search_name", "national_id", "languages", "needs")


def _kept_somewhere():
    return [
        Exists(apps.get_model(label).objects.filter(condition, child_id=OuterRef("pk")))
        for label, condition in KEEP.items()
    ]


def children_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    rows = Child.objects.filter(
        municipality_id=municipality_id,
        erased_at__isnull=True,
        birth_date__lte=add_years(cutoff, -18),
    ).exclude(pk__in=holds.children)
    for kept in _kept_somewhere():
        rows = rows.exclude(kept)
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    found = rows.order_by("birth_date", "pk").values_list("pk", "birth_date")
    return [(pk, add_years(born, 18)) for pk, born in found]


@transaction.atomic
def children_erase(ids: list[int]) -> Q:
    now = timezone.now()
    for year, pks in _by_birth_year(ids).items():
        Child.objects.filter(pk__in=pks).update(
            **{name: "" for name in ERASED_FIELDS},
            birth_date=date(year, 1, 1),
            home_district=None,
            erased_at=now,
            version=F("version") + 1,
            updated_at=now,
        )
    for label, fields in GOES.items():
        rows = apps.get_model(label).objects.filter(child_id__in=ids)
        if fields is None:
            rows.delete()
        elif fields:
            rows.update(**{name: "" for name in fields})
    children = Child.objects.filter(pk__in=ids)
    return Q(subject__in=[f"people.child:{pk}" for pk in ids]) | audit_rows_of(children)


def _by_birth_year(ids: list[int]) -> dict[int, list[int]]:
    years: dict[int, list[int]] = {}
    rows = Child.objects.filter(pk__in=ids).annotate(year=ExtractYear("birth_date"))
    for pk, year in rows.values_list("pk", "year"):
        years.setdefault(year, []).append(pk)
    return years


register(
    Kind(
        code="child",
        rule="child",
        label=_("Children's identities"),
        reference=_("Child %(number)s"),
        model="people.child",
        events=("adult",),
        due=children_due,
        erase=children_erase,
        subject=lambda pk: f"people.child:{pk}",
    )
)
