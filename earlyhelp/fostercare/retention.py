"""Foster care's kind of record for the retention job (privacy/retention.py): a child's
placement with a foster household that ended, counted from its last day. The household, its
carers, agreements and visits are the carers' records, kept while the household is (adults are
not erased yet, docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.fostercare.models import Placement, Respite
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, oldest_first, register

ERASED_FIELDS: dict[str, tuple[str, ...]] = {"fostercare.respite": ("note",)}
KEPT_FIELDS: dict[str, tuple[str, ...]] = {}


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
