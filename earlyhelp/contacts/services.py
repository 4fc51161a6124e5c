"""Running assisted contact: arrangements and their stages, planning meetings (one, or a series,
and shifting a series) without clashes, recording what happened, cancellations and no-shows,
and reports that a supervisor reviews before release. Every change is checked against the
policy, done in one transaction and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.audit.services import audit_record, field_changes
from earlyhelp.contacts.access import contact_services
from earlyhelp.contacts.models import Arrangement, Meeting, Party, Report, StageChange
from earlyhelp.contacts.rules import Clash, clashes, limits_for
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.duties.services import refresh
from earlyhelp.knowledge.items import Kind, current_version
from earlyhelp.programmes.services import programmes_link
from earlyhelp.protocols.deadlines import WorkingCalendar

MAX_SERIES = 52
STEP_DAYS = {
    Arrangement.Frequency.WEEKLY: 7,
    Arrangement.Frequency.FORTNIGHTLY: 14,
    Arrangement.Frequency.MONTHLY: 28,
}
ARRANGEMENT_FIELDS = (
    "visitor", "carer", "case", "basis", "basis_reference", "may_attend", "restrictions",
    "restrictions_note", "competences", "frequency", "minutes", "room", "place",
    "school_hours_allowed", "starts_on", "ends_on",
)  # fmt: skip
TEXT_FIELDS = ("basis_reference", "may_attend", "restrictions_note", "place")
RECORD_FIELDS = (
    "visitor_arrived_at", "child_arrived_at", "handover_at", "ended_at", "present",
    "observations", "child_words", "incidents", "ended_early", "early_end_reason",
    "caused_by", "minutes_late", "reason",
)  # fmt: skip


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _require_active(arrangement: Arrangement) -> None:
    if arrangement.status != Arrangement.Status.ACTIVE:
        raise ValidationError(_("The arrangement has ended."))


def _lock_planning(arrangement: Arrangement, lead) -> None:
    """Serialise planning that could clash: the service's rooms, the child, and the worker (in
    that order, so that two planners never wait for each other the other way round)."""
    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import Child

    type(arrangement.service).objects.select_for_update().filter(pk=arrangement.service_id).first()
    Child.objects.select_for_update().filter(pk=arrangement.child_id).first()
    User.objects.select_for_update().filter(pk=lead.pk).first()


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str, **extra) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes,
        **extra,
    )  # fmt: skip
    # Every change of an arrangement, a meeting or a report passes here: its duties follow.
    refresh(obj.arrangement if isinstance(obj, Meeting) else obj)


def _fields(data: dict) -> dict:
    fields = {name: data[name] for name in ARRANGEMENT_FIELDS if name in data}
    return {k: "" if v is None and k in TEXT_FIELDS else v for k, v in fields.items()}


def _check_people(arrangement: Arrangement) -> None:
    """The visitor and the carer are two different adults, both related to the child."""
    from earlyhelp.people.models import Relationship

    if arrangement.carer_id and arrangement.carer_id == arrangement.visitor_id:
        raise ValidationError(_("The visitor and the carer are two different people."))
    related = set(
        Relationship.objects.filter(child_id=arrangement.child_id).values_list(
            "adult_id", flat=True
        )
    )
    for adult_id in (arrangement.visitor_id, arrangement.carer_id):
        if adult_id and adult_id not in related:
            raise ValidationError(
                _("Record the adult as a relative of the child first, on the child's page.")
            )
    if arrangement.room_id and arrangement.room.service_id != arrangement.service_id:
        raise ValidationError(_("Choose a room of the arrangement's service."))
    if (
        arrangement.case_id
        and not arrangement.case.case_children.filter(child_id=arrangement.child_id).exists()
    ):
        raise ValidationError(_("Link a case about this child."))
    arrangement.full_clean(
        exclude=["child", "visitor", "carer", "lead", "created_by", "case"],
        validate_unique=False,
    )


def _check_workers(child, workers) -> None:
    """Everyone who works the arrangement may see the child (on a restricted record: is named
    on the child's team)."""
    for worker in workers or []:
        if not can(worker, Action.VIEW, child):
            raise ValidationError(
                _("%(worker)s may not see this child's record, so cannot work on the contact.")
                % {"worker": worker.get_full_name() or worker.get_username()}
            )


def _ids(users) -> list[int]:
    return sorted(u.pk for u in users or [])


@transaction.atomic
def arrangement_create(
    *, user, service, child, data: dict, role: str = "", request_id: str = ""
) -> Arrangement:
    if service.pk not in contact_services(user):
        raise PermissionDenied
    if not can(user, Action.VIEW, child):
        raise PermissionDenied
    if child.municipality_id != service.municipality_id:
        raise ValidationError(_("The child and the service belong to different municipalities."))
    # The arrangement follows the service's method as it is today, for good.
    arrangement = Arrangement(
        municipality_id=service.municipality_id, service=service, child=child, lead=user,
        created_by=user, stages_version=current_version(service, Kind.CONTACT_STAGES),
        competences_version=current_version(service, Kind.CONTACT_COMPETENCES), **_fields(data),
    )  # fmt: skip
    arrangement.stage = arrangement.stages.codes[0]
    _check_people(arrangement)
    _check_workers(child, data.get("workers"))
    arrangement.save()
    if data.get("workers"):
        arrangement.workers.set(data["workers"])
    StageChange.objects.create(
        arrangement=arrangement, to_stage=arrangement.stage, changed_on=arrangement.starts_on,
        changed_by=user,
    )  # fmt: skip
    changes = {n: [None, str(v)] for n, v in _fields(data).items() if v not in (None, "", [])}
    changes["workers"] = [None, _ids(data.get("workers"))]
    changes.update(programmes_link(user=user, record=arrangement, chosen=data.get("programmes")))
    _audit(user, "create", arrangement, changes, role, request_id)
    return arrangement


@transaction.atomic
def arrangement_update(
    *, user, arrangement: Arrangement, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> Arrangement:  # fmt: skip
    _require(user, Action.CHANGE, arrangement)
    fields = _fields(data)
    if "status" in data:
        fields["status"] = data["status"]
    before = {name: getattr(arrangement, name) for name in fields}
    # The rules are checked on a copy with the new values, before anything is written.
    probe = proposed(arrangement, fields)
    _check_people(probe)
    workers_before = _ids(arrangement.workers.all())
    if "workers" in data:
        _check_workers(arrangement.child, data["workers"])
    update_versioned(arrangement, expected_version=version, fields=fields)
    changes = {n: [str(before[n]), str(v)] for n, v in fields.items() if before[n] != v}
    if "workers" in data:
        arrangement.workers.set(data["workers"] or [])
        if _ids(data["workers"]) != workers_before:
            changes["workers"] = [workers_before, _ids(data["workers"])]
    if before.get("status") == Arrangement.Status.ACTIVE and arrangement.status != before["status"]:
        # An ended arrangement keeps no room or person busy: its planned meetings are called off.
        ended = arrangement.meetings.filter(
            status=Meeting.Status.PLANNED, starts_at__gte=timezone.now()
        ).update(
            status=Meeting.Status.CANCELLED, caused_by=Party.SERVICE,
            reason=_("The arrangement ended."), notice_given_at=timezone.now(),
            updated_at=timezone.now(), version=F("version") + 1,
        )  # fmt: skip
        changes["meetings called off"] = [None, ended]
    if "programmes" in data:
        changes.update(programmes_link(user=user, record=arrangement, chosen=data["programmes"]))
    _audit(user, "change", arrangement, changes, role, request_id)
    return arrangement


@transaction.atomic
def arrangement_stage(
    *, user, arrangement: Arrangement, stage: str, on: date, reason: str, version: int,
    role: str = "", request_id: str = "",
) -> Arrangement:  # fmt: skip
    """Move the arrangement to another stage of the method; going back needs a reason."""
    _require(user, Action.CHANGE, arrangement)
    _require_active(arrangement)
    stages = arrangement.stages
    if stage not in stages.codes or stage == arrangement.stage:
        raise ValidationError(_("Choose a different stage."))
    if stages.position(stage) < stages.position(arrangement.stage) and not reason.strip():
        raise ValidationError(_("Say why the contact goes back a stage."))
    before = arrangement.stage
    update_versioned(arrangement, expected_version=version, fields={"stage": stage})
    StageChange.objects.create(
        arrangement=arrangement, from_stage=before, to_stage=stage, changed_on=on,
        reason=reason.strip(), changed_by=user,
    )  # fmt: skip
    # Meetings still to come take place at the new stage.
    arrangement.meetings.filter(status=Meeting.Status.PLANNED, starts_at__date__gte=on).update(
        stage=stage, updated_at=timezone.now()
    )
    _audit(user, "change", arrangement, {"stage": [before, stage]}, role, request_id)
    return arrangement


def _calendar(arrangement: Arrangement, limits, first: datetime | None) -> WorkingCalendar:
    """The working days of the arrangement's municipality: holidays and its closing days."""
    after = (timezone.localdate(first) if first else timezone.localdate()) - timedelta(days=1)
    return WorkingCalendar.for_place(limits.country, arrangement.municipality, after=after)


def _check_lead(arrangement: Arrangement, lead) -> None:
    """A meeting is led by the arrangement's worker or one of its other workers: they are the
    ones who may open it."""
    if lead.pk != arrangement.lead_id and not arrangement.workers.filter(pk=lead.pk).exists():
        raise ValidationError(_("Choose the arrangement's worker or one of its other workers."))


@dataclass
class Slot:
    """A proposed meeting time and the reasons it cannot take place, if any."""

    starts_at: datetime
    minutes: int
    clashes: list[Clash]

    @property
    def free(self) -> bool:
        return not self.clashes


def series_slots(
    arrangement: Arrangement, *, first_day: date, start: time, count: int, step_days: int,
    minutes: int, room=None, lead=None,
) -> list[Slot]:  # fmt: skip
    """The proposed meetings of a series, each with its clashes (a preview: nothing written)."""
    if not 1 <= count <= MAX_SERIES:
        raise ValidationError(
            _("Plan between 1 and %(max)s meetings at once.") % {"max": MAX_SERIES}
        )
    if step_days < 1:
        raise ValidationError(_("Choose how many days lie between the meetings."))
    limits = limits_for(arrangement.municipality)
    calendar = _calendar(
        arrangement, limits, timezone.make_aware(datetime.combine(first_day, start))
    )
    slots = []
    for n in range(count):
        day = first_day + timedelta(days=n * step_days)
        starts_at = timezone.make_aware(datetime.combine(day, start))
        found = clashes(
            arrangement, starts_at, minutes, room=room, lead=lead, calendar=calendar, limits=limits
        )
        slots.append(Slot(starts_at, minutes, found))
    # Meetings of the same series must not clash with each other either (a step shorter than
    # a meeting is refused by the step's minimum of one day).
    return slots


@transaction.atomic
def meetings_plan(
    *, user, arrangement: Arrangement, slots: list[Slot], room=None, lead=None,
    skip_clashes: bool = False, role: str = "", request_id: str = "",
) -> list[Meeting]:  # fmt: skip
    """Write the planned meetings. A slot with a clash is refused (with every reason), or left
    out when the worker chose to plan only the free ones. The clashes are checked again here,
    inside the transaction, so that two workers planning at once do not both get the room."""
    _require(user, Action.CHANGE, arrangement)
    _require_active(arrangement)
    lead = lead or arrangement.lead
    _check_lead(arrangement, lead)
    _lock_planning(arrangement, lead)
    limits = limits_for(arrangement.municipality)
    calendar = _calendar(arrangement, limits, min((s.starts_at for s in slots), default=None))
    free, refused = [], []
    for slot in slots:
        found = clashes(
            arrangement, slot.starts_at, slot.minutes, room=room, lead=lead, calendar=calendar,
            limits=limits,
        )  # fmt: skip
        # Two meetings of this same request may not overlap either.
        for other in free:
            if other.starts_at < slot.starts_at + timedelta(minutes=slot.minutes) and (
                slot.starts_at < other.starts_at + timedelta(minutes=other.minutes)
            ):
                found.append(Clash("series", _("Two meetings of this series overlap.")))
        (refused if found else free).append(Slot(slot.starts_at, slot.minutes, found))
    if refused and not skip_clashes:
        raise ValidationError(
            [
                _("%(when)s: %(why)s")
                % {
                    "when": timezone.localtime(s.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "why": " ".join(c.message for c in s.clashes),
                }
                for s in refused
            ]
        )
    if not free:
        raise ValidationError(_("No meeting is free of clashes. Choose another time."))
    meetings = Meeting.objects.bulk_create(
        Meeting(
            arrangement=arrangement,
            municipality_id=arrangement.municipality_id,
            child_id=arrangement.child_id,
            lead=lead,
            room=room,
            starts_at=s.starts_at,
            ends_at=s.starts_at + timedelta(minutes=s.minutes),
            stage=arrangement.stage,
        )  # fmt: skip
        for s in free
    )
    _audit(
        user, "change", arrangement,
        {"meetings planned": [None, len(meetings)], "left out for clashes": [None, len(refused)]},
        role, request_id,
    )  # fmt: skip
    return meetings


@transaction.atomic
def series_shift(
    *, user, arrangement: Arrangement, from_day: date, version: int, days: int = 0,
    minutes: int = 0, role: str = "", request_id: str = "",
) -> list[Meeting]:  # fmt: skip
    """Move every planned meeting from `from_day` on by `days` (same local time) and `minutes`,
    all or none: the first clash at a new time refuses the whole shift, with every reason. The
    arrangement's version guards against moving twice (a second click, a second tab)."""
    _require(user, Action.CHANGE, arrangement)
    _require_active(arrangement)
    if not days and not minutes:
        raise ValidationError(_("Say by how much to move the meetings."))
    moving = list(
        arrangement.meetings.select_for_update(of=("self",))
        .filter(
            status=Meeting.Status.PLANNED,
            starts_at__gte=timezone.make_aware(datetime.combine(from_day, time.min)),
        )
        .select_related("room", "lead")
    )
    if not moving:
        raise ValidationError(_("No planned meeting from that day on."))
    for lead in sorted({m.lead for m in moving}, key=lambda u: u.pk):
        _lock_planning(arrangement, lead)

    def moved(meeting: Meeting) -> tuple[datetime, datetime]:
        # By calendar days at the same local time (a change of summer time moves nothing),
        # then by minutes.
        local = timezone.localtime(meeting.starts_at)
        day = local.date() + timedelta(days=days)
        start = timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
        start += timedelta(minutes=minutes)
        return start, start + (meeting.ends_at - meeting.starts_at)

    new_times = {m.pk: moved(m) for m in moving}
    if min(start for start, _end in new_times.values()) < timezone.now():
        raise ValidationError(_("A meeting would move into the past."))
    limits = limits_for(arrangement.municipality)
    calendar = _calendar(arrangement, limits, min(start for start, _end in new_times.values()))
    ids = {m.pk for m in moving}
    problems = []
    for meeting in moving:
        start, end = new_times[meeting.pk]
        length = int((end - start).total_seconds() // 60)
        found = clashes(
            arrangement, start, length, room=meeting.room, lead=meeting.lead, exclude=ids,
            calendar=calendar, limits=limits,
        )  # fmt: skip
        if found:
            when = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
            problems.append(
                _("%(when)s: %(why)s") % {"when": when, "why": " ".join(c.message for c in found)}
            )
    if problems:
        raise ValidationError(problems)
    update_versioned(arrangement, expected_version=version, fields={})
    now = timezone.now()
    for meeting in moving:
        meeting.starts_at, meeting.ends_at = new_times[meeting.pk]
        meeting.updated_at = now
        meeting.version += 1
    Meeting.objects.bulk_update(moving, ["starts_at", "ends_at", "updated_at", "version"])
    _audit(
        user, "change", arrangement,
        {"meetings moved": [None, len(moving)], "by": [None, f"{days} d {minutes} min"]},
        role, request_id,
    )  # fmt: skip
    return moving


def _check_record(meeting: Meeting, fields: dict) -> None:
    times = [fields.get(n) for n in ("handover_at", "ended_at")]
    if all(times) and times[1] <= times[0]:
        raise ValidationError(_("The meeting ends before the child was handed over."))
    if fields.get("ended_early") and not (fields.get("early_end_reason") or "").strip():
        raise ValidationError(_("Say why the meeting ended early."))
    if fields.get("minutes_late") and not fields.get("caused_by"):
        raise ValidationError(_("Say who came late."))
    worked_on = set(meeting.arrangement.competences) or set(
        meeting.arrangement.competence_items.codes
    )
    observations = {
        k: v.strip() for k, v in (fields.get("observations") or {}).items() if v and v.strip()
    }
    if set(observations) - worked_on:
        raise ValidationError(_("Observe only the competences the arrangement works on."))
    fields["observations"] = observations


@transaction.atomic
def meeting_record(
    *, user, meeting: Meeting, data: dict, version: int, role: str = "", request_id: str = ""
) -> Meeting:
    """The record of a held meeting (a later correction is a new version of it)."""
    _require(user, Action.CHANGE, meeting.arrangement)
    if meeting.status not in (Meeting.Status.PLANNED, Meeting.Status.HELD):
        raise ValidationError(_("The meeting did not take place. Plan a new one instead."))
    if meeting.starts_at > timezone.now() + timedelta(minutes=30):
        raise ValidationError(_("The meeting has not started yet."))
    fields = {name: data[name] for name in RECORD_FIELDS if name in data}
    for name in ("present", "child_words", "incidents", "early_end_reason", "reason", "caused_by"):
        if name in fields and fields[name] is None:
            fields[name] = ""
    _check_record(meeting, fields)
    fields.update(status=Meeting.Status.HELD, recorded_by=user)
    # Every field before and after: a correction of the evidence a court reads is traceable.
    before = {name: getattr(meeting, name) for name in fields}
    before["recorded_by"] = meeting.recorded_by_id
    update_versioned(meeting, expected_version=version, fields=fields)
    after = {**fields, "recorded_by": user.pk}
    _audit(user, "change", meeting, field_changes(before, after), role, request_id)
    return meeting


@transaction.atomic
def meeting_cancel(
    *, user, meeting: Meeting, status: str, caused_by: str, reason: str, version: int,
    notice_given_at: datetime | None = None, role: str = "", request_id: str = "",
) -> Meeting:  # fmt: skip
    """A meeting cancelled ahead (with when the notice came) or missed (a no-show), and who
    caused it: the figures of the report count them per party."""
    _require(user, Action.CHANGE, meeting.arrangement)
    if status not in (Meeting.Status.CANCELLED, Meeting.Status.NO_SHOW):
        raise ValidationError(_("Choose cancelled or did not come."))
    if meeting.status != Meeting.Status.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled or marked as missed."))
    if caused_by not in Party.values:
        raise ValidationError(_("Say who caused it."))
    if status == Meeting.Status.NO_SHOW and meeting.starts_at > timezone.now():
        raise ValidationError(_("A meeting can be missed only once it was due to start."))
    if status == Meeting.Status.CANCELLED:
        notice_given_at = notice_given_at or timezone.now()
        if notice_given_at > meeting.starts_at:
            raise ValidationError(
                _("A cancellation comes before the meeting. Afterwards, record who did not come.")
            )
    update_versioned(
        meeting,
        expected_version=version,
        fields={
            "status": status, "caused_by": caused_by, "reason": reason.strip(),
            "notice_given_at": notice_given_at if status == Meeting.Status.CANCELLED else None,
            "recorded_by": user,
        },
    )  # fmt: skip
    _audit(
        user, "change", meeting, {"status": [Meeting.Status.PLANNED, status]}, role, request_id
    )  # fmt: skip
    return meeting


def _subject(report: Report) -> str:
    return f"people.child:{report.arrangement.child_id}"


@transaction.atomic
def report_create(
    *, user, arrangement: Arrangement, recipient: str, period_from: date, period_to: date,
    summary: str, role: str = "", request_id: str = "",
) -> Report:  # fmt: skip
    _require(user, Action.CHANGE, arrangement)
    report = Report(
        arrangement=arrangement, municipality_id=arrangement.municipality_id, recipient=recipient,
        period_from=period_from, period_to=period_to, summary=summary.strip(), written_by=user,
    )  # fmt: skip
    report.full_clean(exclude=["arrangement", "written_by"])
    report.save()
    _audit(
        user, "create", report, {"period": [None, f"{period_from} – {period_to}"]}, role,
        request_id, subject=_subject(report),
    )  # fmt: skip
    return report


@transaction.atomic
def report_update(
    *, user, report: Report, data: dict, version: int, role: str = "", request_id: str = ""
) -> Report:
    _require(user, Action.CHANGE, report)
    if report.status not in (Report.Status.DRAFT, Report.Status.RETURNED):
        raise ValidationError(_("A report waiting for review or released cannot be changed."))
    fields = {n: data[n] for n in ("recipient", "period_from", "period_to", "summary") if n in data}
    if (
        fields.get("period_from")
        and fields.get("period_to")
        and fields["period_to"] < fields["period_from"]
    ):
        raise ValidationError(_("The period ends before it starts."))
    if "summary" in fields and not fields["summary"].strip():
        raise ValidationError(_("Write the worker's summary."))
    before = {name: getattr(report, name) for name in fields}
    update_versioned(report, expected_version=version, fields=fields)
    _audit(
        user, "change", report, field_changes(before, fields), role, request_id,
        subject=_subject(report),
    )  # fmt: skip
    return report


@transaction.atomic
def report_submit(
    *, user, report: Report, version: int, role: str = "", request_id: str = ""
) -> Report:
    _require(user, Action.CHANGE, report)
    if report.status not in (Report.Status.DRAFT, Report.Status.RETURNED):
        raise ValidationError(_("The report is already waiting for review or released."))
    before = report.status
    update_versioned(report, expected_version=version, fields={"status": Report.Status.IN_REVIEW})
    _audit(
        user, "change", report, {"status": [before, report.status]}, role, request_id,
        subject=_subject(report),
    )  # fmt: skip
    return report


@transaction.atomic
def report_review(
    *, user, report: Report, release: bool, note: str, version: int, role: str = "",
    request_id: str = "",
) -> Report:  # fmt: skip
    """The supervisor releases the report (its PDF is then fixed) or returns it with a note.
    Nobody releases their own report."""
    from earlyhelp.contacts.pdf import report_pdf

    _require(user, Action.APPROVE, report)
    if report.status != Report.Status.IN_REVIEW:
        raise ValidationError(_("Only a report waiting for review can be reviewed."))
    if not release and not note.strip():
        raise ValidationError(_("Say what needs to change."))
    fields = {"reviewed_by": user, "review_note": note.strip()}
    if release:
        now = timezone.now()
        report.released_at = now
        report.reviewed_by = user
        fields.update(status=Report.Status.RELEASED, released_at=now, pdf=report_pdf(report, user))
    else:
        fields["status"] = Report.Status.RETURNED
    update_versioned(report, expected_version=version, fields=fields)
    _audit(
        user, "release" if release else "change", report, {"status": [None, report.status]},
        role, request_id, subject=_subject(report),
    )  # fmt: skip
    return report
