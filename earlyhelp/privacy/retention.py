"""Retention: how long each kind of record is kept, and the job that erases what is due.

The periods are the jurisdiction profile's (`rules["retention"]`, protocols): per kind of
record, the event the period counts from and either a number of months with its legal source or
a municipal setting (`MunicipalSetting`) whose default is earlyhelp's. The kinds of records come
from their capabilities: `<app>/retention.py` registers a `Kind` here, which says which of its
records are due and how they are erased. The engine knows no capability.

Every day `retention_propose` puts the records whose period has run out, and that no legal hold
keeps, into a batch per municipality and kind; nothing is erased until the municipality's
data-protection officer approves the batch (`retention_approve`). The erasure
(`retention_apply`) checks each record again, erases it, erases the content of the audit rows
about it (audit.services.audit_erase) and writes one audit row per record erased.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from earlyhelp.audit.models import AuditEvent
from earlyhelp.audit.services import audit_erase, audit_record
from earlyhelp.core.dates import add_months
from earlyhelp.core.files import delete_files_on_commit
from earlyhelp.duties.services import forget as forget_duties
from earlyhelp.duties.services import refresh as refresh_duties
from earlyhelp.organisations.models import Municipality, Role
from earlyhelp.people.models import Child
from earlyhelp.privacy.models import LegalHold, RetentionBatch, RetentionItem
from earlyhelp.protocols.models import MunicipalSetting, Profile
from earlyhelp.protocols.selectors import profile_for

# The kinds of records a profile gives a period, and the events a period counts from.
RULES: dict[str, Promise] = {
    "concern_no_case": _("Concerns that led to no case"),
    "closed_case": _("Closed cases"),
    "activity": _("Activities and their participants"),
    "contact_arrangement": _("Contact arrangements"),
    "foster_care": _("Foster-care placements and households"),
    "attachments": _("Attached files"),
    "child": _("Children's identities"),
    "adult": _("Adults' identities"),
}
EVENTS: dict[str, Promise] = {
    "closed": _("the record's closure"),
    "ended": _("the end"),
    "adult": _("the 18th birthday"),
    "closed_or_adult": _("the closure or the youngest child's 18th birthday, whichever is later"),
    "last_change": _("the last change to the record, once nothing else about the person is kept"),
}
# A batch the officer rejected: its records are not proposed again for this long.
REJECTED_RESTS = timedelta(days=30)


@dataclass(frozen=True)
class Holds:
    """The records the municipality's active legal holds keep, by number."""

    children: frozenset[int] = frozenset()
    cases: frozenset[int] = frozenset()
    concerns: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Kind:
    """One kind of record the job erases.

    due(municipality_id, event, cutoff, holds, ids) -> [(record id, the day its period began)]:
        the records of the municipality not yet erased whose period, counted from `event`,
        began on or before `cutoff`, that no hold keeps; only among `ids` if given.
    erase(ids) -> Q: erase those records (names, identifiers and free texts go; what the
        figures count stays) and say which audit rows are about them.
    """

    code: str
    rule: str
    label: Promise
    reference: Promise  # "Concern %(number)s"
    model: str
    events: tuple[str, ...]
    due: Callable[[int, str, date, Holds, Iterable[int] | None], list[tuple[int, date]]]
    erase: Callable[[list[int]], Q]
    subject: Callable[[int], str] = lambda pk: ""

    def name(self, pk: int) -> str:
        return self.reference % {"number": pk}


_KINDS: dict[str, Kind] = {}


def oldest_first(
    rows: QuerySet, ids: Iterable[int] | None, began: str, *, distinct: bool = False
) -> list[tuple[int, date]]:
    """What a kind's `due` answers: the records of `rows` (only among `ids` if given), oldest
    first, each with the day its period began, read from `began` (a date, or a moment taken as
    its day in the installation's time zone)."""
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    found = rows.order_by(began, "pk").values_list("pk", began)
    if distinct:
        found = found.distinct()
    return [(pk, timezone.localdate(on) if isinstance(on, datetime) else on) for pk, on in found]


def audit_rows_of(rows: QuerySet) -> Q:
    """The audit rows about the records of `rows`, by their kind and number: for a `Kind`'s
    `erase` to return, read before the records are changed or deleted."""
    numbers = [str(pk) for pk in rows.values_list("pk", flat=True)]
    return Q(object_type=rows.model._meta.label_lower, object_id__in=numbers)


def delete_with_files(rows: QuerySet, field_name: str) -> Q:
    """Delete `rows` and, once the transaction commits, their stored files; the audit rows
    about them."""
    about = audit_rows_of(rows)
    delete_files_on_commit(rows, field_name)
    rows.delete()
    return about


def register(kind: Kind) -> None:
    if kind.rule not in RULES:
        raise ValueError(f"unknown retention rule {kind.rule!r}")
    _KINDS[kind.code] = kind


def kinds() -> list[Kind]:
    return list(_KINDS.values())


def kind_of(code: str) -> Kind | None:
    return _KINDS.get(code)


# --- Periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    rule: str
    months: int
    event: str
    origin: str  # "law", "setting" (the municipality's own) or "default" (earlyhelp's)
    source: str = ""

    def basis(self) -> str:
        """The period in words, in the active language: "36 months from the record's closure
        (municipal setting, earlyhelp default)"."""
        if self.origin == "law":
            reason = gettext(self.source)
        elif self.origin == "setting":
            reason = gettext("municipal setting")
        else:
            reason = gettext("municipal setting, earlyhelp default")
        return gettext("%(months)s months from %(event)s (%(reason)s)") % {
            "months": self.months,
            "event": EVENTS[self.event],
            "reason": reason,
        }


def periods_for(municipality: Municipality, profile: Profile | None = None) -> dict[str, Period]:
    """The municipality's retention period of every kind of record its profile names."""
    profile = profile or profile_for(municipality)
    own = dict(
        MunicipalSetting.objects.filter(municipality=municipality).values_list("key", "value")
    )
    periods = {}
    for rule, entry in profile.rules.get("retention", {}).items():
        if "setting" in entry:
            key = entry["setting"]
            if key in own:
                months, origin = own[key], "setting"
            else:
                months, origin = profile.rules["settings"][key], "default"
        else:
            months, origin = entry["months"], "law"
        periods[rule] = Period(rule, months, entry["from"], origin, entry.get("source", ""))
    return periods


def cutoff_for(period: Period, today: date) -> date:
    """The last day a period may have begun on for its record to be due `today`."""
    return add_months(today, -period.months)


def active_holds(municipality_id: int) -> Holds:
    rows = LegalHold.objects.filter(municipality_id=municipality_id, lifted_at__isnull=True)
    # A child whose processing is restricted at their request is kept like one under a hold.
    children = set(
        Child.objects.filter(
            municipality_id=municipality_id, processing_restricted_at__isnull=False
        ).values_list("pk", flat=True)
    )
    cases, concerns = set(), set()
    for child_id, case_id, concern_id in rows.values_list("child_id", "case_id", "concern_id"):
        if child_id:
            children.add(child_id)
        if case_id:
            cases.add(case_id)
        if concern_id:
            concerns.add(concern_id)
    return Holds(frozenset(children), frozenset(cases), frozenset(concerns))


def due_now(
    kind: Kind, municipality: Municipality, period: Period, today: date
) -> list[tuple[int, date]]:
    """The records of `kind` due in `municipality` on `today` (the dry run)."""
    if period.event not in kind.events:
        return []
    cutoff = cutoff_for(period, today)
    return kind.due(municipality.pk, period.event, cutoff, active_holds(municipality.pk), None)


# --- The daily job: proposing ------------------------------------------------------------------


def _resting(municipality_id: int, kind: Kind, now) -> set[int]:
    """Records already waiting in a batch, or rejected lately."""
    return set(
        RetentionItem.objects.filter(batch__municipality_id=municipality_id, batch__kind=kind.code)
        .filter(
            Q(batch__state=RetentionBatch.State.APPROVED)
            | Q(
                batch__state=RetentionBatch.State.REJECTED,
                batch__decided_at__gt=now - REJECTED_RESTS,
            )
        )
        .values_list("object_id", flat=True)
    )


@transaction.atomic
def propose_for(municipality: Municipality, today: date | None = None) -> list[RetentionBatch]:
    """Bring the municipality's batches waiting for approval up to date: the records due today
    join the batch of their kind; a record no longer due (a hold was placed, the period was
    lengthened) leaves it; a batch left empty goes."""
    today = today or timezone.localdate()
    now = timezone.now()
    periods = periods_for(municipality)
    touched = []
    for kind in kinds():
        period = periods.get(kind.rule)
        waiting = RetentionBatch.objects.select_for_update().filter(
            municipality=municipality, kind=kind.code, state=RetentionBatch.State.PROPOSED
        )
        batch = waiting.first()
        due = due_now(kind, municipality, period, today) if period else []
        resting = _resting(municipality.pk, kind, now)
        due = [(pk, began) for pk, began in due if pk not in resting]
        if not due:
            if batch is not None:
                forget_duties(batch)
                batch.delete()
            continue
        if batch is None:
            batch = RetentionBatch(municipality=municipality, kind=kind.code, proposed_at=now)
        batch.months, batch.event, batch.basis = period.months, period.event, period.basis()[:300]
        batch.save()
        due_ids = {pk for pk, _began in due}
        batch.items.exclude(object_id__in=due_ids).delete()
        have = set(batch.items.values_list("object_id", flat=True))
        RetentionItem.objects.bulk_create(
            RetentionItem(batch=batch, object_id=pk, event_on=began)
            for pk, began in due
            if pk not in have
        )
        refresh_duties(batch)
        touched.append(batch)
    return touched


def retention_propose(today: date | None = None) -> int:
    """The daily job: every municipality's batches brought up to date; returns how many
    batches wait for approval."""
    for municipality in Municipality.objects.select_related("jurisdiction").order_by("pk"):
        propose_for(municipality, today)
    return RetentionBatch.objects.filter(state=RetentionBatch.State.PROPOSED).count()


# --- The officer's decision and the erasure ----------------------------------------------------


@transaction.atomic
def retention_decide(
    *, batch: RetentionBatch, user, approve: bool, items_seen: int, note: str = ""
) -> RetentionBatch:
    """Approve or reject a batch as the officer saw it: `items_seen` records. A batch that
    changed since (the daily job ran) is refused, so that nothing is approved unseen."""
    batch = RetentionBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != RetentionBatch.State.PROPOSED:
        raise ValidationError(gettext("This batch was already decided."))
    if batch.items.count() != items_seen:
        raise ValidationError(
            gettext(
                "The list changed since you opened it: the daily job added or removed records. "
                "Look at it again before deciding."
            )
        )
    if not approve and not note.strip():
        raise ValidationError(gettext("Say why the batch is rejected."))
    batch.state = RetentionBatch.State.APPROVED if approve else RetentionBatch.State.REJECTED
    batch.decided_by, batch.decided_at, batch.decision_note = user, timezone.now(), note.strip()
    batch.save()
    refresh_duties(batch)
    audit_record(
        actor=user,
        action=AuditEvent.Action.CHANGE,
        obj=batch,
        role=Role.DPO,
        purpose="retention batch approved" if approve else "retention batch rejected",
        changes={"state": ["proposed", batch.state], "records": items_seen},
    )
    return batch


def retention_apply(batch_id: int) -> RetentionBatch:
    """Erase an approved batch, all or nothing: each record is checked again (still due, no
    hold) and erased, with the content of the audit rows about it; one audit row says so."""
    batch = RetentionBatch.objects.select_related("municipality").get(pk=batch_id)
    if batch.state != RetentionBatch.State.APPROVED:
        return batch
    kind = kind_of(batch.kind)
    try:
        with transaction.atomic():
            _apply(batch, kind)
    except Exception as error:  # a batch that could not be erased must not stay "approved"
        RetentionBatch.objects.filter(pk=batch.pk).update(
            state=RetentionBatch.State.FAILED, failure=f"{type(error).__name__}: {error}"[:2000]
        )
        raise
    return batch


def _apply(batch: RetentionBatch, kind: Kind | None) -> None:
    items = batch.items.filter(state=RetentionItem.State.PENDING)
    ids = list(items.values_list("object_id", flat=True))
    period = periods_for(batch.municipality).get(kind.rule) if kind is not None else None
    still = []
    if kind is not None and period is not None and period.event in kind.events:
        cutoff = cutoff_for(period, timezone.localdate())
        holds = active_holds(batch.municipality_id)
        due = kind.due(batch.municipality_id, period.event, cutoff, holds, ids)
        still = [pk for pk, _began in due]
    erased_rows = 0
    if still:
        about = kind.erase(still)
        erased_rows, _format1 = audit_erase(
            AuditEvent.objects.filter(about), reason=f"retention batch {batch.pk}"
        )
        for pk in still:
            audit_record(
                actor=batch.decided_by,
                action=AuditEvent.Action.ERASE,
                object_type=kind.model,
                object_id=str(pk),
                subject=kind.subject(pk),
                role=Role.DPO,
                purpose=f"retention batch {batch.pk}",
                changes={"kind": kind.code, "months": period.months, "from": period.event},
                municipality_id=batch.municipality_id,
            )
    items.filter(object_id__in=still).update(state=RetentionItem.State.ERASED)
    items.exclude(object_id__in=still).update(state=RetentionItem.State.KEPT)
    batch.state = RetentionBatch.State.APPLIED
    batch.applied_at = timezone.now()
    batch.erased = len(still)
    batch.skipped = len(ids) - len(still)
    batch.audit_rows_erased = erased_rows
    batch.save()
