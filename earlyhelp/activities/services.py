"""Holding activities: planning them and their sessions, taking attendance, enrolling people,
and staff sparring. Every change is checked against the policy, done in one transaction and
audited."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can
from earlyhelp.activities.access import activity_institutions, sparring_institutions
from earlyhelp.activities.models import (
    SPARRING,
    Activity,
    ActivityType,
    Attendance,
    Participant,
    Session,
    SparringRequest,
)
from earlyhelp.audit.services import audit_record
from earlyhelp.concerns.access import triagers_for
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.duties.services import refresh
from earlyhelp.knowledge.catalogue import check_method
from earlyhelp.notifications.models import Notification
from earlyhelp.notifications.services import notify
from earlyhelp.people.access import is_named, unnamed
from earlyhelp.people.models import Consent, Relationship
from earlyhelp.programmes.services import programmes_link
from earlyhelp.protocols.selectors import profile_for, wellbeing_agreement

# A series is planned for at most a school year's worth of meetings at once.
MAX_SERIES = 60
STEP = {Activity.Recurrence.WEEKLY: 7, Activity.Recurrence.FORTNIGHTLY: 14}
ACTIVITY_FIELDS = (
    "type", "title", "description", "recurrence", "starts_on", "ends_on", "start_time",
    "minutes", "place", "theme", "capacity", "concern", "case", "method",
)  # fmt: skip
# The text fields a form may leave empty (None); the model keeps "" there.
TEXT_FIELDS = ("description", "place", "theme")


def _fields(data: dict) -> dict:
    """The activity's own fields in `data`, an empty text as ""."""
    fields = {name: data[name] for name in ACTIVITY_FIELDS if name in data}
    return {k: "" if v is None and k in TEXT_FIELDS else v for k, v in fields.items()}


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes
    )
    # Every change of an activity and its sessions passes here: its duties follow.
    activity = obj if isinstance(obj, Activity) else getattr(obj, "activity", None)
    if isinstance(activity, Activity):
        refresh(activity)


def _at(day: date, start: time | None) -> datetime:
    return timezone.make_aware(datetime.combine(day, start or time(9, 0)))


def series_dates(activity: Activity) -> list[date]:
    """The days of the activity's planned meetings: the first day only for a single one; every
    week or second week until the last day for a series; none for dates chosen one by one."""
    if activity.recurrence == Activity.Recurrence.ONCE:
        return [activity.starts_on]
    if activity.recurrence not in STEP:
        return []
    if activity.ends_on is None:
        raise ValidationError(_("A series needs its last day."))
    days, day = [], activity.starts_on
    while day <= activity.ends_on:
        days.append(day)
        day += timedelta(days=STEP[activity.recurrence])
    if len(days) > MAX_SERIES:
        raise ValidationError(
            _("That would be %(count)s meetings; plan at most %(max)s at once.")
            % {"count": len(days), "max": MAX_SERIES}
        )
    return days


def _check(activity: Activity, kept_type_id: int | None = None) -> None:
    # A type switched off is no longer offered, but an activity of it can still be changed.
    active = activity.type.active or activity.type_id == kept_type_id
    if activity.type.municipality_id != activity.municipality_id or not active:
        raise ValidationError(_("Choose a type from your municipality's catalogue."))
    if activity.ends_on and activity.ends_on < activity.starts_on:
        raise ValidationError(_("The last day is before the first day."))
    for linked in (activity.concern, activity.case):
        if linked is not None and linked.municipality_id != activity.municipality_id:
            raise ValidationError(_("Link a concern or case of the same municipality."))


def _check_links(user, data: dict, activity: Activity | None = None) -> None:
    """A concern or case is linked only by someone who may read its decision or the case, a
    method only by someone who sees it and only while it is in use (an unchanged link is kept
    as it was)."""
    for name, action in (("concern", Action.VIEW_DECISION), ("case", Action.VIEW)):
        linked = data.get(name)
        unchanged = activity is not None and getattr(activity, f"{name}_id") == getattr(
            linked, "pk", None
        )
        if linked is not None and not unchanged and not can(user, action, linked):
            raise PermissionDenied
    municipality_id = activity.municipality_id if activity else data["institution"].municipality_id
    check_method(
        user, data.get("method"), municipality_id, kept_id=activity.method_id if activity else None
    )


def _partners_set(activity: Activity, partners) -> None:
    """The partner organisations taking part: of the activity's municipality only."""
    if any(partner.municipality_id != activity.municipality_id for partner in partners):
        raise ValidationError(_("Choose partner organisations of the activity's municipality."))
    activity.partners.set(partners)


@transaction.atomic
def activity_create(*, user, data: dict, role: str = "", request_id: str = "") -> Activity:
    institution = data["institution"]
    if not activity_institutions(user).filter(pk=institution.pk).exists():
        raise PermissionDenied
    kind = data.get("type")
    if data.get("method") is None and kind is not None and kind.method_id is not None:
        # An activity of a type that follows a method follows it, unless another is chosen.
        data = {**data, "method": kind.method if kind.method.active else None}
    _check_links(user, data)
    activity = Activity(
        municipality_id=institution.municipality_id,
        institution=institution,
        lead=user,
        created_by=user,
        **_fields(data),
    )
    _check(activity)
    days = series_dates(activity)
    activity.save()
    if data.get("workers"):
        activity.workers.set(data["workers"])
    if data.get("partners"):
        _partners_set(activity, data["partners"])
    linked = programmes_link(user=user, record=activity, chosen=data.get("programmes"))
    Session.objects.bulk_create(
        Session(
            activity=activity,
            municipality_id=activity.municipality_id,
            lead_id=activity.lead_id,
            starts_at=_at(day, activity.start_time),
            minutes=activity.minutes,
            place=activity.place,
        )  # fmt: skip
        for day in days
    )
    _audit(user, "create", activity, {"title": [None, activity.title], **linked}, role, request_id)
    return activity


@transaction.atomic
def activity_update(
    *, user, activity: Activity, data: dict, version: int, role: str = "", request_id: str = ""
) -> Activity:
    _require(user, Action.CHANGE, activity)
    _check_links(user, data, activity)
    fields = _fields(data)
    if "status" in data:
        fields["status"] = data["status"]
    before = {name: getattr(activity, name) for name in fields}
    # The rules are checked on a copy with the new values, before anything is written.
    probe = proposed(activity, fields)
    _check(probe, kept_type_id=activity.type_id)
    update_versioned(activity, expected_version=version, fields=fields)
    if "workers" in data:
        activity.workers.set(data["workers"] or [])
    if "partners" in data:
        _partners_set(activity, data["partners"] or [])
    changes = {
        name: [str(before[name]), str(value)]
        for name, value in fields.items()
        if before[name] != value
    }
    if "programmes" in data:
        changes.update(programmes_link(user=user, record=activity, chosen=data["programmes"]))
    _audit(user, "change", activity, changes, role, request_id)
    return activity


@transaction.atomic
def sessions_plan(
    *, user, activity: Activity, days: list[date], start: time, minutes: int, place: str = "",
    role: str = "", request_id: str = "",
) -> list[Session]:  # fmt: skip
    """Add meetings on the given days (a custom series, or one more meeting)."""
    _require(user, Action.CHANGE, activity)
    if activity.status != Activity.Status.ACTIVE:
        raise ValidationError(_("The activity has ended. Reopen it first."))
    if not days:
        raise ValidationError(_("Choose at least one day."))
    if len(days) > MAX_SERIES:
        raise ValidationError(_("Plan at most %(max)s meetings at once.") % {"max": MAX_SERIES})
    sessions = Session.objects.bulk_create(
        Session(
            activity=activity,
            municipality_id=activity.municipality_id,
            lead_id=activity.lead_id,
            starts_at=_at(day, start),
            minutes=minutes,
            place=place or activity.place,
        )  # fmt: skip
        for day in sorted(set(days))
    )
    _audit(user, "change", activity, {"sessions planned": [None, len(sessions)]}, role, request_id)
    return sessions


def readable(user, participants: list[Participant]) -> tuple[list[Participant], int]:
    """The participants the user may see by name, and how many others there are: a child or
    adult on a restricted record is named only to those who may open the record."""
    hidden = unnamed(user, [person for p in participants for person in (p.child, p.adult)])
    shown = [p for p in participants if is_named(hidden, p.child) and is_named(hidden, p.adult)]
    return shown, len(participants) - len(shown)


def attendees(session: Session) -> list[Participant]:
    """Who is expected at a meeting: those who had joined by its day and not left before it."""
    day = timezone.localtime(session.starts_at).date()
    return [
        p
        for p in session.activity.participants.select_related(
            "child__municipality__jurisdiction", "adult__municipality__jurisdiction", "staff"
        )
        if p.joined_on <= day and (p.left_on is None or p.left_on > day)
    ]


@transaction.atomic
def session_record(
    *, user, session: Session, version: int, status: str, minutes: int, note: str,
    head_count: int | None, attendance: dict[int, str], role: str = "", request_id: str = "",
) -> Session:  # fmt: skip
    """What happened at a meeting, and who was there, in one save."""
    activity = session.activity
    _require(user, Action.CHANGE, activity)
    if status == Session.Status.HELD and not session.may_be_held():
        raise ValidationError(_("A meeting that has not started yet cannot be recorded as held."))
    expected = {p.pk for p in session.activity.participants.all()}
    unknown = set(attendance) - expected
    if unknown:
        raise ValidationError(_("Someone on the list does not take part in this activity."))
    if any(value not in Attendance.Status.values for value in attendance.values()):
        raise ValidationError(_("Choose present, absent or excused."))
    update_versioned(
        session,
        expected_version=version,
        fields={
            "status": status, "minutes": minutes, "note": note, "head_count": head_count,
            "recorded_by": user,
        },
    )  # fmt: skip
    existing = {a.participant_id: a for a in session.attendance.all()}
    changed = []
    for participant_id, value in attendance.items():
        row = existing.get(participant_id)
        if row is None:
            changed.append(Attendance(session=session, participant_id=participant_id, status=value))
        elif row.status != value:
            row.status = value
            row.save(update_fields=["status"])
    Attendance.objects.bulk_create(changed)
    if status == Session.Status.HELD and activity.type.code == SPARRING:
        SparringRequest.objects.filter(activity=activity).update(status=SparringRequest.Status.DONE)
    present = sum(1 for value in attendance.values() if value == Attendance.Status.PRESENT)
    _audit(
        user, "change", activity,
        {"session": [None, session.pk], "status": [None, status], "present": [None, present]},
        role, request_id,
    )  # fmt: skip
    return session


# --- Participants -----------------------------------------------------------------------------


def missing_agreements(
    child, on: date | None = None, *, consents=None, relationships=None
) -> list[str]:
    """What a wellbeing conversation with `child` still needs under the child's jurisdiction:
    "parent" (a consent given by an adult with parental responsibility) and/or "school" (the
    school's agreement), each recorded among the child's consents and valid on `on`. A page that
    has already read the child's consents and relationships passes them in."""
    on = on or timezone.localdate()
    needed = wellbeing_agreement(profile_for(child.municipality))
    if consents is None:
        consents = Consent.objects.filter(child=child)
    consents = [c for c in consents if c.is_valid_on(on)]
    have = set()
    if relationships is None:
        relationships = Relationship.objects.filter(child=child, parental_responsibility=True)
    responsible = {r.adult_id for r in relationships if r.parental_responsibility}
    for consent in consents:
        if (
            consent.purpose == Consent.Purpose.WELLBEING_CONVERSATION
            and consent.given_by_id in responsible
        ):
            have.add("parent")
        if consent.purpose == Consent.Purpose.SCHOOL_AGREEMENT and consent.given_by_id is None:
            # The school's agreement is given by the school (its head), not by a parent.
            have.add("school")
    return [need for need in needed if need not in have]


def agreement_message(missing: list[str]) -> str:
    parts = {
        "parent": _("the consent of a parent with parental responsibility"),
        "school": _("the school's agreement"),
    }
    return _(
        "A wellbeing conversation needs %(missing)s first. Record it on the child's page under "
        "Consents (what: wellbeing conversations, or the school's agreement to them)."
    ) % {"missing": _(" and ").join(str(parts[m]) for m in missing)}


@transaction.atomic
def participant_add(
    *, user, activity: Activity, child=None, adult=None, name: str = "", target_group: str = "",
    joined_on: date | None = None, role: str = "", request_id: str = "",
) -> Participant:  # fmt: skip
    _require(user, Action.CHANGE, activity)
    if sum(bool(x) for x in (child, adult, name.strip())) != 1:
        raise ValidationError(_("Choose a child or an adult, or write a name."))
    for person in (child, adult):
        if person is not None and (
            person.municipality_id != activity.municipality_id or not can(user, Action.VIEW, person)
        ):
            raise ValidationError(_("You cannot add this person."))
    if child is not None and activity.type.needs_agreement:
        missing = missing_agreements(child)
        if missing:
            raise ValidationError(agreement_message(missing))
    duplicate = activity.participants.filter(
        **({"child": child} if child else {"adult": adult} if adult else {"name": name.strip()})
    )
    if (child or adult) and duplicate.exists():
        raise ValidationError(_("This person already takes part."))
    try:
        with transaction.atomic():
            participant = Participant.objects.create(
                activity=activity, municipality_id=activity.municipality_id, child=child,
                adult=adult, name=name.strip(), target_group=target_group,
                joined_on=joined_on or timezone.localdate(),
            )  # fmt: skip
    except IntegrityError as error:  # the same person sent twice at once
        raise ValidationError(_("This person already takes part.")) from error
    _audit(user, "change", activity, {"participant": [None, participant.pk]}, role, request_id)
    return participant


@transaction.atomic
def participant_update(
    *, user, participant: Participant, left_on: date | None, left_reason: str, outcome: str,
    outcome_note: str, target_group: str, version: int, role: str = "", request_id: str = "",
) -> Participant:  # fmt: skip
    """A drop-out (left on, why), the outcome for this person, the target group."""
    _require(user, Action.CHANGE, participant.activity)
    if left_on and left_on < participant.joined_on:
        raise ValidationError(_("They cannot leave before they joined."))
    if left_on and not left_reason.strip():
        raise ValidationError(_("Say why they left."))
    before = {
        "left_on": participant.left_on, "outcome": participant.outcome,
        "target_group": participant.target_group,
    }  # fmt: skip
    update_versioned(
        participant,
        expected_version=version,
        fields={
            "left_on": left_on, "left_reason": left_reason.strip() if left_on else "",
            "outcome": outcome, "outcome_note": outcome_note.strip(),
            "target_group": target_group,
        },
    )  # fmt: skip
    after = {"left_on": left_on, "outcome": outcome, "target_group": target_group}
    _audit(
        user, "change", participant.activity,
        {f"participant {participant.pk} {k}": [str(before[k]), str(v)] for k, v in after.items()
         if before[k] != v},
        role, request_id,
    )  # fmt: skip
    return participant


# --- Workshops for staff ----------------------------------------------------------------------


def registration_open(*, activity: Activity, registration: Participant | None) -> bool:
    """Whether a member of staff with this registration (or none yet) may register: the type
    takes registrations and they are not registered now (cancelling, they may come back)."""
    return activity.type.registration and (registration is None or not registration.active)


def feedback_open(*, registration: Participant | None, started: bool) -> bool:
    """Feedback is given by those registered now, once a meeting of the workshop has begun."""
    return registration is not None and registration.active and started


@transaction.atomic
def workshop_register(*, user, activity: Activity, role: str = "", request_id: str = ""):
    _require(user, Action.REGISTER, activity)
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    earlier = locked.participants.filter(staff=user).first()
    if earlier is not None and earlier.active:
        raise ValidationError(_("You are already registered."))
    taken = locked.participants.filter(left_on__isnull=True).count()
    if locked.capacity is not None and taken >= locked.capacity:
        raise ValidationError(_("The workshop is full."))
    if earlier is not None:  # registering again after cancelling
        earlier.left_on, earlier.left_reason = None, ""
        earlier.save(update_fields=["left_on", "left_reason", "updated_at"])
        participant = earlier
    else:
        participant = Participant.objects.create(
            activity=locked, municipality_id=locked.municipality_id, staff=user,
            joined_on=timezone.localdate(),
        )  # fmt: skip
    _audit(user, "change", locked, {"registered": [None, user.pk]}, role, request_id)
    return participant


@transaction.atomic
def workshop_cancel_registration(*, user, activity: Activity, role: str = "", request_id: str = ""):
    _require(user, Action.VIEW, activity)
    participant = activity.participants.filter(staff=user, left_on__isnull=True).first()
    if participant is None:
        raise ValidationError(_("You are not registered."))
    participant.left_on = timezone.localdate()
    participant.left_reason = _("Cancelled the registration")
    participant.save(update_fields=["left_on", "left_reason", "updated_at"])
    _audit(user, "change", activity, {"registered": [user.pk, None]}, role, request_id)


@transaction.atomic
def workshop_feedback(
    *, user, activity: Activity, rating: int, feedback: str, role: str = "", request_id: str = ""
) -> Participant:
    _require(user, Action.VIEW, activity)
    participant = activity.participants.filter(staff=user, left_on__isnull=True).first()
    if participant is None:
        raise ValidationError(_("Only those who registered give feedback."))
    started = activity.sessions.filter(starts_at__lte=timezone.now()).exists()
    if not feedback_open(registration=participant, started=started):
        raise ValidationError(_("Feedback opens once the workshop has taken place."))
    if not 1 <= rating <= 5:
        raise ValidationError(_("Rate it from 1 to 5."))
    participant.feedback_rating = rating
    participant.feedback = feedback.strip()
    participant.save(update_fields=["feedback_rating", "feedback", "updated_at"])
    _audit(user, "change", activity, {"feedback": [None, rating]}, role, request_id)
    return participant


# --- Staff sparring ---------------------------------------------------------------------------


@transaction.atomic
def sparring_request(
    *, user, institution, about: str, topic: str, group=None, preferred_times: str = "",
    role: str = "", request_id: str = "",
) -> SparringRequest:  # fmt: skip
    if institution.pk not in sparring_institutions(user):
        raise PermissionDenied
    if group is not None and group.institution_id != institution.pk:
        raise ValidationError(_("Choose a class of the same institution."))
    if not topic.strip():
        raise ValidationError(_("Say what you would like to talk about."))
    helpers = [u for u in triagers_for(institution.pk) if u.pk != user.pk]
    if not helpers:
        raise ValidationError(_("No social helper works at this institution yet."))
    made = SparringRequest.objects.create(
        municipality_id=institution.municipality_id, institution=institution,
        requested_by=user, about=about, group=group, topic=topic.strip(),
        preferred_times=preferred_times.strip(),
    )  # fmt: skip
    notify(
        recipients=helpers,
        kind=Notification.Kind.SPARRING_REQUESTED,
        url=made.get_absolute_url(),
        event=f"sparring:{made.pk}:requested",
    )
    _audit(user, "create", made, {"about": [None, about]}, role, request_id)
    return made


def _answered(request: SparringRequest) -> None:
    notify(
        recipients=[request.requested_by],
        kind=Notification.Kind.SPARRING_ANSWERED,
        url=request.get_absolute_url(),
        event=f"sparring:{request.pk}:{request.status}:{request.version}",
    )


@transaction.atomic
def sparring_schedule(
    *, user, request: SparringRequest, version: int, starts_at: datetime, minutes: int,
    place: str, answer: str = "", role: str = "", request_id: str = "",
) -> SparringRequest:  # fmt: skip
    """Accept a request and schedule the sparring (or move it): a sparring activity with one
    meeting, the one who asked taking part."""
    _require(user, Action.CHANGE, request)
    activity = request.activity
    if activity is None:
        sparring = ActivityType.objects.filter(
            municipality_id=request.municipality_id, code=SPARRING
        ).first()
        if sparring is None:
            raise ValidationError(_("Staff sparring is not in your municipality's catalogue."))
        local = timezone.localtime(starts_at)
        activity = Activity.objects.create(
            municipality_id=request.municipality_id, institution=request.institution,
            type=sparring, title=_("Sparring: %(about)s") % {"about": request.get_about_display()},
            lead=user, created_by=user, starts_on=local.date(),
            start_time=local.time(), minutes=minutes, place=place,
        )  # fmt: skip
        Participant.objects.create(
            activity=activity, municipality_id=activity.municipality_id,
            staff=request.requested_by, joined_on=timezone.localdate(),
        )  # fmt: skip
        Session.objects.create(
            activity=activity, municipality_id=activity.municipality_id, lead=user,
            starts_at=starts_at, minutes=minutes, place=place,
        )  # fmt: skip
    else:
        session = activity.sessions.filter(status=Session.Status.PLANNED).first()
        if session is None:
            raise ValidationError(_("The sparring has already taken place."))
        session.starts_at, session.minutes, session.place = starts_at, minutes, place
        session.save(update_fields=["starts_at", "minutes", "place", "updated_at"])
    update_versioned(
        request,
        expected_version=version,
        fields={
            "status": SparringRequest.Status.SCHEDULED, "helper": user, "activity": activity,
            "answer": answer.strip(),
        },
    )  # fmt: skip
    _answered(request)
    _audit(user, "change", request, {"status": [None, "scheduled"]}, role, request_id)
    return request


@transaction.atomic
def sparring_decline(
    *, user, request: SparringRequest, version: int, answer: str, role: str = "",
    request_id: str = "",
) -> SparringRequest:  # fmt: skip
    _require(user, Action.CHANGE, request)
    if request.status != SparringRequest.Status.REQUESTED:
        raise ValidationError(_("Only a request nobody has answered yet can be declined."))
    if not answer.strip():
        raise ValidationError(_("Say why, and where else they might find help."))
    update_versioned(
        request,
        expected_version=version,
        fields={
            "status": SparringRequest.Status.DECLINED, "helper": user, "answer": answer.strip()
        },
    )  # fmt: skip
    _answered(request)
    _audit(user, "change", request, {"status": ["requested", "declined"]}, role, request_id)
    return request


@transaction.atomic
def sparring_withdraw(
    *, user, request: SparringRequest, role: str = "", request_id: str = ""
) -> SparringRequest:
    _require(user, Action.CLOSE, request)
    update_versioned(
        request, expected_version=request.version,
        fields={"status": SparringRequest.Status.WITHDRAWN},
    )  # fmt: skip
    _audit(user, "change", request, {"status": ["requested", "withdrawn"]}, role, request_id)
    return request
