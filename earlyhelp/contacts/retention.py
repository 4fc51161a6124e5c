"""Assisted contact's kind of record for the retention job (privacy/retention.py): a contact
arrangement that ended, with its meetings and reports, counted from its last day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import DateField, F, Q
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.contacts.models import Arrangement
from earlyhelp.privacy.retention import Holds, Kind, audit_rows_of, oldest_first, register

# What identifies anyone in an arrangement and the rows below it, emptied by the erasure. The
# child, visitor and carer stay linked (each is erased on their own rule, and an erased
# arrangement no longer keeps the child); the basis, frequency, stages, statuses, times and
# restrictions (codes) stay. privacy/tests/test_kinds.py checks every text field is declared.
ERASED_FIELDS: dict[str, tuple[str, ...]] = {
    "contacts.arrangement": ("basis_reference", "may_attend", "restrictions_note"),
    "contacts.meeting": ("present", "child_words", "incidents", "early_end_reason", "reason"),
    "contacts.stagechange": ("reason",),
    "contacts.report": ("summary", "review_note"),
}
KEPT_FIELDS: dict[str, tuple[str, ...]] = {
    "contacts.arrangement": ("place", "stage"),
    "contacts.meeting": ("stage",),
    "contacts.stagechange": ("from_stage", "to_stage"),
}


def arrangements_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    ended_on = Coalesce("ends_on", Cast("updated_at", DateField()))
    rows = (
        Arrangement.objects.filter(
            municipality_id=municipality_id,
            status=Arrangement.Status.ENDED,
            anonymised_at__isnull=True,
        )
        .annotate(ended=ended_on)
        .filter(ended__lte=cutoff)
        .exclude(child_id__in=holds.children)
        .exclude(case_id__in=holds.cases)
    )
    return oldest_first(rows, ids, "ended")


@transaction.atomic
def arrangements_erase(ids: list[int]) -> Q:
    now = timezone.now()
    about = Q()
    for label, fields in ERASED_FIELDS.items():
        model = apps.get_model(label)
        rows = model.objects.filter(
            **{"pk__in" if model is Arrangement else "arrangement_id__in": ids}
        )
        about |= audit_rows_of(rows)
        rows.update(**{name: "" for name in fields})
    Arrangement.objects.filter(pk__in=ids).update(
        anonymised_at=now, version=F("version") + 1, updated_at=now
    )
    return about


register(
    Kind(
        code="contact_arrangement",
        rule="contact_arrangement",
        label=_("Contact arrangements"),
        reference=_("Contact arrangement %(number)s"),
        model="contacts.arrangement",
        events=("ended",),
        due=arrangements_due,
        erase=arrangements_erase,
    )
)
