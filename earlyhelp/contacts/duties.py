"""What assisted contact asks of people (docs/duties.md):

- the arrangement's workers (its worker and other workers) hold its next planned meeting, due
  when it starts, and write it up (the oldest meeting still planned stays until it is written
  up, cancelled or recorded as missed);
- an active arrangement with no meeting planned waits for its family's contact: its first
  meeting from its first day, or the next one by its frequency after the last meeting;
- a report waiting for review is released or returned by the service's supervisors, never by
  its writer, from when it was sent.

An arrangement is one source (its meetings' duties too) and a report another; both are
refreshed by `contacts.services._audit`, which every change of an arrangement, a meeting or a
report passes through."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.db.models import Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.access.policy import Action
from earlyhelp.contacts.models import Arrangement, Meeting, Report
from earlyhelp.duties.registry import (
    Due,
    Kind,
    Source,
    Target,
    at_end_of,
    register_kind,
    register_source,
    register_target,
)
from earlyhelp.organisations.models import Membership, Role

MEETING = register_kind(Kind("contact_meeting", _("Hold and write up a contact meeting"))).code
DUE = register_kind(Kind("contact_due", _("Plan the family's next contact meeting"))).code
APPROVE = register_kind(
    Kind("contact_report_approve", _("Review a contact report"), Action.APPROVE)
).code

# The days between meetings by the arrangement's frequency (`contacts.services.STEP_DAYS`).
STEP_DAYS = {
    Arrangement.Frequency.WEEKLY: 7,
    Arrangement.Frequency.FORTNIGHTLY: 14,
    Arrangement.Frequency.MONTHLY: 28,
}
# Meetings held, planned or missed count as the last one; a cancelled one does not.
COUNTED = (Meeting.Status.PLANNED, Meeting.Status.HELD, Meeting.Status.NO_SHOW)


def _child_named(obj):
    return [obj.child]


register_target(
    Target(
        "contacts.arrangement",
        queryset=lambda: Arrangement.objects.select_related("child__municipality__jurisdiction"),
        url=lambda arrangement: arrangement.get_absolute_url(),
        people=_child_named,
        title=lambda arrangement: (
            _("Contact arrangement no. %(number)s") % {"number": arrangement.pk}
        ),
    )
)
register_target(
    Target(
        "contacts.meeting",
        queryset=lambda: Meeting.objects.select_related("child__municipality__jurisdiction"),
        url=lambda meeting: reverse("contacts:meeting", args=[meeting.arrangement_id, meeting.pk]),
        people=_child_named,
        title=lambda meeting: (
            _("contact meeting at %(when)s")
            % {"when": f"{timezone.localtime(meeting.starts_at):%Y-%m-%d %H:%M}"}
        ),
    )
)
register_target(
    Target(
        "contacts.report",
        queryset=lambda: Report.objects.select_related(
            "arrangement__child__municipality__jurisdiction"
        ),
        url=lambda report: reverse("contacts:report", args=[report.arrangement_id, report.pk]),
        people=lambda report: [report.arrangement.child],
        title=lambda report: (
            _("report for %(from)s – %(to)s") % {"from": report.period_from, "to": report.period_to}
        ),
    )
)


def _annotated(arrangements):
    """Active arrangements with their next planned meeting (the oldest still planned) and the
    start of their last counted meeting: two subqueries, read from the meetings' index."""
    planned = Meeting.objects.filter(
        arrangement_id=OuterRef("pk"), status=Meeting.Status.PLANNED
    ).order_by("starts_at", "pk")
    return (
        arrangements.filter(status=Arrangement.Status.ACTIVE)
        .annotate(
            planned_id=Subquery(planned.values("pk")[:1]),
            planned_at=Subquery(planned.values("starts_at")[:1]),
            last_at=Max("meetings__starts_at", filter=Q(meetings__status__in=COUNTED)),
        )
        .values_list(
            "pk",
            "municipality_id",
            "lead_id",
            "starts_on",
            "frequency",
            "planned_id",
            "planned_at",
            "last_at",
        )  # fmt: skip
    )


def _arrangement_dues(row, workers) -> list[Due]:
    pk, municipality_id, lead_id, starts_on, frequency, planned_id, planned_at, last_at = row
    owners = dict.fromkeys([lead_id, *workers])
    source = (Arrangement, pk)
    if planned_id is not None:
        return [
            Due(owner, MEETING, planned_at, source, (Meeting, planned_id), municipality_id)
            for owner in owners
        ]
    if last_at is None:
        on = starts_on
    else:
        on = timezone.localtime(last_at).date() + timedelta(days=STEP_DAYS.get(frequency, 14))
    return [
        Due(owner, DUE, at_end_of(on), source, source, municipality_id, True) for owner in owners
    ]


def arrangement_duties(arrangement: Arrangement) -> list[Due]:
    rows = list(_annotated(Arrangement.objects.filter(pk=arrangement.pk)))
    if not rows:
        return []
    workers = Arrangement.workers.through.objects.filter(arrangement_id=arrangement.pk)
    return _arrangement_dues(rows[0], list(workers.values_list("user_id", flat=True)))


def every_arrangement_duty():
    workers: dict[int, list[int]] = defaultdict(list)
    for arrangement_id, user_id in Arrangement.workers.through.objects.filter(
        arrangement__status=Arrangement.Status.ACTIVE
    ).values_list("arrangement_id", "user_id"):
        workers[arrangement_id].append(user_id)
    for row in _annotated(Arrangement.objects.all()).iterator(chunk_size=5000):
        yield from _arrangement_dues(row, workers[row[0]])


register_source(
    Source(
        "contacts.arrangement",
        kinds=(MEETING, DUE),
        duties=arrangement_duties,
        everything=every_arrangement_duty,
    )
)


def _supervisors(service_ids) -> dict[int, list[int]]:
    table: dict[int, list[int]] = defaultdict(list)
    for service_id, user_id in (
        Membership.objects.active()
        .filter(role=Role.SUPERVISOR, service_id__in=service_ids, user__is_active=True)
        .values_list("service_id", "user_id")
        .distinct()
    ):
        table[service_id].append(user_id)
    return table


def _waiting(reports):
    return reports.filter(status=Report.Status.IN_REVIEW).values_list(
        "pk", "municipality_id", "written_by_id", "updated_at", "arrangement__service_id"
    )


def _report_dues(rows) -> list[Due]:
    rows = list(rows)
    supervisors = _supervisors({row[4] for row in rows})
    return [
        Due(owner, APPROVE, sent_at, (Report, pk), (Report, pk), municipality_id)
        for pk, municipality_id, writer, sent_at, service_id in rows
        for owner in supervisors[service_id]
        if owner != writer
    ]


def report_duties(report: Report) -> list[Due]:
    return _report_dues(_waiting(Report.objects.filter(pk=report.pk)))


def every_report_duty():
    return _report_dues(_waiting(Report.objects.all()))


register_source(
    Source(
        "contacts.report",
        kinds=(APPROVE,),
        duties=report_duties,
        everything=every_report_duty,
    )
)
