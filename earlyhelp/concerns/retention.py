"""The concerns' kinds of records for the retention job (privacy/retention.py): a concern that
led to no case, counted from its closure; and the files attached to a closed concern."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.cases.models import CaseConcern
from earlyhelp.concerns.models import (
    Concern,
    ConcernAttachment,
    ConcernChild,
    ConcernMessage,
)
from earlyhelp.privacy.retention import (
    Holds,
    Kind,
    audit_rows_of,
    delete_with_files,
    oldest_first,
    register,
)

ERASED_MARK = "—"
# What identifies anyone in a concern, emptied by the erasure. Every other text field is a
# code or a text earlyhelp wrote (the deadlines' labels), kept for the figures; the test
# privacy/tests/test_kinds.py checks that each text field is in one list or the other.
ERASED_FIELDS = {
    Concern: (
        "reporter_name",
        "reporter_contact",
        "what_happened",
        "child_words",
        "already_done",
        "parents_not_told_why",
        "decision_reason",
        "form_token",
        "trigger",  # what drafted it, e.g. "absence:<child>:<institution>:<year>": names the child
    ),
    ConcernChild: ("described_as",),
    ConcernMessage: ("body",),
}
KEPT_FIELDS: dict = {}


def _closed(rows):
    return rows.filter(status=Concern.Status.CLOSED).annotate(
        closed_on=Coalesce("closed_at", "decided_at", "updated_at")
    )


def _unheld(rows, holds: Holds, prefix: str = ""):
    return rows.exclude(**{f"{prefix}pk__in": holds.concerns}).exclude(
        **{f"{prefix}children__child_id__in": holds.children}
    )


def _without_case():
    return ~Exists(CaseConcern.objects.filter(concern=OuterRef("pk")))


def concerns_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    rows = _closed(
        Concern.objects.filter(municipality_id=municipality_id, anonymised_at__isnull=True)
    ).filter(_without_case(), closed_on__date__lte=cutoff)
    return oldest_first(_unheld(rows, holds), ids, "closed_on", distinct=True)


@transaction.atomic
def concerns_erase(ids: list[int]) -> Q:
    now = timezone.now()
    Concern.objects.filter(pk__in=ids).update(
        **{name: "" for name in ERASED_FIELDS[Concern]},
        anonymised_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    # The link to the child goes; a link must name a child or describe one, and "—" describes
    # nobody (concernchild_known_or_described).
    ConcernChild.objects.filter(concern_id__in=ids).update(child=None, described_as=ERASED_MARK)
    ConcernMessage.objects.filter(concern_id__in=ids).update(body="")
    attachments = ConcernAttachment.objects.filter(concern_id__in=ids)
    return audit_rows_of(Concern.objects.filter(pk__in=ids)) | delete_with_files(
        attachments, "file"
    )


def attachments_due(
    municipality_id: int, event: str, cutoff: date, holds: Holds, ids: Iterable[int] | None
) -> list[tuple[int, date]]:
    concerns = _unheld(
        _closed(Concern.objects.filter(municipality_id=municipality_id)).filter(
            closed_on__date__lte=cutoff
        ),
        holds,
    )
    concerns = concerns.exclude(case_link__case_id__in=holds.cases)
    rows = ConcernAttachment.objects.filter(concern__in=concerns.values("pk"))
    closed_on = Coalesce("concern__closed_at", "concern__decided_at", "concern__updated_at")
    return oldest_first(rows.annotate(closed_on=closed_on), ids, "closed_on")


@transaction.atomic
def attachments_erase(ids: list[int]) -> Q:
    return delete_with_files(ConcernAttachment.objects.filter(pk__in=ids), "file")


register(
    Kind(
        code="concern_no_case",
        rule="concern_no_case",
        label=_("Concerns that led to no case"),
        reference=_("Concern %(number)s"),
        model="concerns.concern",
        events=("closed",),
        due=concerns_due,
        erase=concerns_erase,
    )
)
register(
    Kind(
        code="concern_attachment",
        rule="attachments",
        label=_("Files attached to closed concerns"),
        reference=_("Attachment %(number)s"),
        model="concerns.concernattachment",
        events=("closed",),
        due=attachments_due,
        erase=attachments_erase,
    )
)
