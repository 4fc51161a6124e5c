"""Keeping duties true: `refresh(record)` in the transaction that changes a source record,
`rebuild()` for everything at once (the `rebuild_duties` command)."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q

from earlyhelp.duties.models import Duty
from earlyhelp.duties.registry import KINDS, SOURCES, Due

BATCH = 5000


def _in_order(batch: list[Duty]) -> list[Duty]:
    """A batch written in one order whatever order the source's queries gave (PostgreSQL and
    SQLite may differ where a source reads without ORDER BY): the same rows get the same ids."""
    return sorted(batch, key=lambda d: (d.kind, d.source_type_id, d.source_id, d.owner_id))


def _rows(dues: Iterable[Due]):
    seen = set()
    for due in dues:
        if due.kind not in KINDS:
            raise ValueError(f"unknown duty kind {due.kind}")
        source_type = ContentType.objects.get_for_model(due.source[0])
        key = (due.owner_id, due.kind, source_type.pk, due.source[1])
        if key in seen:
            continue
        seen.add(key)
        yield Duty(
            owner_id=due.owner_id,
            kind=due.kind,
            due=due.due,
            all_day=due.all_day,
            source_type=source_type,
            source_id=due.source[1],
            target_type=ContentType.objects.get_for_model(due.target[0]),
            target_id=due.target[1],
            municipality_id=due.municipality_id,
        )


def refresh(record: Model) -> None:
    """Replace the duties `record` gives (and those of the records its source covers) by what
    its source computes now. Called by the capability's services inside their transaction; a
    record without a duty source is left alone."""
    source = SOURCES.get(record._meta.label_lower)
    if source is None:
        return
    covered = source.covers(record) if source.covers else {type(record): [record.pk]}
    where = Q()
    for model, ids in covered.items():
        where |= Q(source_type=ContentType.objects.get_for_model(model), source_id__in=ids)
    with transaction.atomic():
        Duty.objects.filter(where, kind__in=source.kinds).delete()
        Duty.objects.bulk_create(_in_order(list(_rows(source.duties(record)))))


def forget(record: Model) -> None:
    """Remove the duties `record` gives, before the record itself is deleted: a duty names its
    source by number, not by a foreign key, so nothing else removes them."""
    source = SOURCES.get(record._meta.label_lower)
    if source is None:
        return
    Duty.objects.filter(
        source_type=ContentType.objects.get_for_model(record),
        source_id=record.pk,
        kind__in=source.kinds,
    ).delete()


def rebuild(*, labels: Iterable[str] | None = None) -> dict[str, int]:
    """Recompute every duty of every source (or of the sources named), one transaction per
    source: the nightly job and the generated data's last step. Answers the count per source."""
    counts = {}
    for label, source in sorted(SOURCES.items()):
        if labels is not None and label not in labels:
            continue
        with transaction.atomic():
            Duty.objects.filter(kind__in=source.kinds).delete()
            rows = _rows(source.everything())
            total = 0
            while batch := list(islice(rows, BATCH)):
                Duty.objects.bulk_create(_in_order(batch))
                total += len(batch)
        counts[label] = total
    return counts
