"""Foster care's kinds of record for the retention job (privacy/retention.py), both under the
profile's foster-care period:

- a child's placement with a foster household that ended, counted from its last day;
- a household no longer supported, counted from the last change to it (the day its support
  ended, unless it was changed since), once every placement with it has been erased. Its
  name, address and the texts of its agreements, visits, trainings and development plan go;
  the rows, dates, hours and codes that the requirements' figures count stay. The carers stay
  linked: each is an adult erased on their own rule, which the household no longer holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import DateField, Exists, F, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.fostercare.models import Household, Placement, Respite
from earlyhelp.people.models import Adult
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, oldest_first, register

# What identifies anyone in a placement or a household and the rows below them, emptied by the
# erasure. privacy/tests/test_kinds.py checks every text field is declared.
ERASED_FIELDS: dict[str, tuple[str, ...]] = {
    "fostercare.respite": ("note",),
    "fostercare.household": ("name", "address"),
    "fostercare.supportagreement": ("reference",),
    "fostercare.visit": ("note",),
    "fostercare.training": ("title",),
    "fostercare.developmentitem": ("goal", "how"),
}
# A done step of the method is a code.
KEPT_FIELDS: dict[str, tuple[str, ...]] = {"fostercare.checkliststep": ("step",)}
# The rows below a household whose texts go with it: every erased model but the household.
HOUSEHOLD_ROWS = tuple(label for label in ERASED_FIELDS if label != "fostercare.household")


def placements_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    rows = Placement.objects.filter(
        municipality_id=municipality_id, anonymised_at__isnull=True, ends_on__lte=cutoff
    ).exclude(child_id__in=holds.children)
    return oldest_first(rows, ids, "ends_on")


@transaction.atomic
def placements_erase(ids: list[int]) -> Q:
    respites = Respite.objects.filter(placement_id__in=ids)
    about = audit_rows_of(Placement.objects.filter(pk__in=ids)) | audit_rows_of(respites)
    respites.update(note="")
    Placement.objects.filter(pk__in=ids).update(anonymised_at=timezone.now())
    return about


def households_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    # A placement not yet erased (its period runs, or a hold keeps its child) keeps the household.
    placed = Placement.objects.filter(household_id=OuterRef("pk"), anonymised_at__isnull=True)
    rows = (
        Household.objects.filter(
            municipality_id=municipality_id, active=False, anonymised_at__isnull=True
        )
        .exclude(Exists(placed))
        .annotate(ended=Cast("updated_at", DateField()))
        .filter(ended__lte=cutoff)
    )
    return oldest_first(rows, ids, "ended")


@transaction.atomic
def households_erase(ids: list[int]) -> Q:
    now = timezone.now()
    about = audit_rows_of(Household.objects.filter(pk__in=ids))
    for label in HOUSEHOLD_ROWS:
        rows = apps.get_model(label).objects.filter(household_id__in=ids)
        about |= audit_rows_of(rows)
        rows.update(**{name: "" for name in ERASED_FIELDS[label]})
    Household.objects.filter(pk__in=ids).update(
        **{name: "" for name in ERASED_FIELDS["fostercare.household"]},
        address_protected=False,
        anonymised_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    # The household no longer keeps its carers: that is a change to their records, from which
    # an adult's own period counts (people/retention.py).
    Adult.objects.filter(foster_carers__household_id__in=ids).update(updated_at=now)
    return about


register(
    Kind(
        code="foster_care",
        rule="foster_care",
        label=_("Foster-care placements"),
        reference=_("Placement %(number)s"),
        model="fostercare.placement",
        events=("ended",),
        due=placements_due,
        erase=placements_erase,
    )
)
register(
    Kind(
        code="foster_household",
        rule="foster_care",
        label=_("Foster households no longer supported"),
        reference=_("Foster household %(number)s"),
        model="fostercare.household",
        events=("ended",),
        due=households_due,
        erase=households_erase,
    )
)
