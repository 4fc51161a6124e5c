"""Changing the workforce's records: staff profiles and their rows, training events, the
hours a staff member is credited with, supervision sessions and their notes, a
municipality's training and supervision norms, and the supervision reminders. Every change is
checked against the policy, done in one transaction and audited; an edit of a versioned row
is refused when someone else saved it since it was loaded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.audit.services import audit_record
from earlyhelp.core.uploads import checked_upload
from earlyhelp.core.versioning import proposed, update_versioned
from earlyhelp.organisations.models import Municipality
from earlyhelp.programmes.services import programmes_link
from earlyhelp.workforce.access import event_municipalities, profile_candidates
from earlyhelp.workforce.coverage import institutions_of
from earlyhelp.workforce.coverage import rebuild as coverage_rebuild
from earlyhelp.workforce.models import (
    Attendance,
    CaseloadNorm,
    CoverageNorm,
    DiscussedItem,
    DiscussionLearning,
    Employment,
    ImplementationSupport,
    Qualification,
    StaffProfile,
    SupervisionNorm,
    SupervisionNote,
    SupervisionSession,
    SupportSession,
    TeamDiscussion,
    TrainingEvent,
    TrainingNorm,
)

ITEM_FIELDS = {
    Qualification: ("title", "awarded_by", "awarded_on"),
    Employment: ("service", "hours_per_week", "starts_on", "ends_on"),
}
EVENT_FIELDS = ("title", "topic", "provider", "starts_on", "ends_on", "hours")


def _require(user, action: str, obj) -> None:
    if not can(user, action, obj):
        raise PermissionDenied


def _shown(value) -> object:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple | set):
        return sorted(str(item) for item in value)
    return None if value is None else str(value)


def _changes(before: dict, after: dict) -> dict:
    return {
        name: [_shown(before.get(name)), _shown(value)]
        for name, value in after.items()
        if _shown(before.get(name)) != _shown(value)
    }


def _audit(user, action: str, obj, changes: dict, role: str, request_id: str) -> None:
    audit_record(
        actor=user, action=action, obj=obj, role=role, request_id=request_id, changes=changes
    )


def _recover(institution_ids) -> None:
    """Recompute the coverage of the institutions a staff change touched, in the change's
    transaction (docs/workforce.md, "Coverage")."""
    coverage_rebuild(set(institution_ids))


def _in_municipality(institutions, municipality_id: int) -> None:
    if any(item.municipality_id != municipality_id for item in institutions):
        raise ValidationError(_("Choose institutions of the staff member's municipality."))


# --- Staff profiles --------------------------------------------------------------------------


@transaction.atomic
def profile_create(
    *, user, staff, institutions=(), role: str = "", request_id: str = ""
) -> StaffProfile:
    if not profile_candidates(user).filter(pk=staff.pk).exists():
        raise PermissionDenied
    _in_municipality(institutions, staff.municipality_id)
    profile = StaffProfile.objects.create(user=staff, municipality_id=staff.municipality_id)
    profile.institutions.set(institutions)
    _recover(institutions_of(profile))
    changes = _changes({}, {"user": staff, "institutions": list(institutions)})
    _audit(user, "create", profile, changes, role, request_id)
    return profile


@transaction.atomic
def profile_update(
    *, user, profile: StaffProfile, institutions, version: int, role: str = "", request_id=""
) -> StaffProfile:
    _require(user, Action.CHANGE, profile)
    _in_municipality(institutions, profile.municipality_id)
    before = {"institutions": list(profile.institutions.all())}
    update_versioned(profile, expected_version=version, fields={})
    profile.institutions.set(institutions)
    _recover({i.pk for i in before["institutions"]} | {i.pk for i in institutions})
    _audit(
        user, "change", profile, _changes(before, {"institutions": list(institutions)}), role,
        request_id,
    )  # fmt: skip
    return profile


@transaction.atomic
def record_save(
    *,
    user,
    profile: StaffProfile,
    item: Qualification | Employment,
    data: dict,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> Qualification | Employment:
    """Add a qualification or an employment row to the profile, or change one (`item.pk`)."""
    _require(user, Action.CHANGE, profile)
    model = type(item)
    fields = {name: data.get(name) for name in ITEM_FIELDS[model]}
    fields = {k: "" if v is None and k in ("title", "awarded_by") else v for k, v in fields.items()}
    service = fields.get("service")
    if service is not None and service.municipality_id != profile.municipality_id:
        raise ValidationError(_("Choose a service of the staff member's municipality."))
    if item.pk is None:
        item = model(profile=profile, **fields)
        item.full_clean()
        item.save()
        _audit(user, "create", item, _changes({}, fields), role, request_id)
        if model is Employment:
            _recover(institutions_of(profile))
        return item
    if item.profile_id != profile.pk:
        raise PermissionDenied
    before = {name: getattr(item, name) for name in fields}
    probe = proposed(item, fields)
    probe.full_clean(exclude=["profile"])
    update_versioned(item, expected_version=version or 0, fields=fields)
    _audit(user, "change", item, _changes(before, fields), role, request_id)
    if model is Employment:
        _recover(institutions_of(profile))
    return item


# --- Training ----------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, user, municipality: Municipality, data: dict, role: str = "", request_id: str = ""
) -> TrainingEvent:
    if not event_municipalities(user).filter(pk=municipality.pk).exists():
        raise PermissionDenied
    fields = {name: data.get(name) for name in EVENT_FIELDS}
    fields = {k: "" if v is None and k in ("topic", "provider") else v for k, v in fields.items()}
    event = TrainingEvent(municipality=municipality, created_by=user, **fields)
    event.full_clean()
    event.save()
    linked = programmes_link(user=user, record=event, chosen=data.get("programmes"))
    _audit(user, "create", event, {**_changes({}, fields), **linked}, role, request_id)
    return event


@transaction.atomic
def event_update(
    *, user, event: TrainingEvent, data: dict, version: int, role: str = "", request_id=""
) -> TrainingEvent:
    """Change an event's particulars (refused when stale). Its hours never drop below the
    hours already credited to one of its attendees."""
    _require(user, Action.CHANGE, event)
    fields = {name: data.get(name) for name in EVENT_FIELDS}
    fields = {k: "" if v is None and k in ("topic", "provider") else v for k, v in fields.items()}
    credited = event.attendances.aggregate(most=models.Max("hours"))["most"]
    if credited is not None and fields["hours"] is not None and fields["hours"] < credited:
        raise ValidationError(
            _("An attendee is credited with %(hours)s hours: the event cannot have fewer.")
            % {"hours": credited}
        )
    before = {name: getattr(event, name) for name in fields}
    probe = proposed(event, fields)
    probe.full_clean(exclude=["created_by", "municipality"])
    update_versioned(event, expected_version=version, fields=fields)
    changes = _changes(before, fields)
    if "programmes" in data:
        changes.update(programmes_link(user=user, record=event, chosen=data["programmes"]))
    _audit(user, "change", event, changes, role, request_id)
    return event


@transaction.atomic
def attendance_add(
    *,
    user,
    event: TrainingEvent,
    staff: StaffProfile,
    hours: Decimal | None = None,
    upload=None,
    role: str = "",
    request_id: str = "",
) -> Attendance:
    """Credit a staff member with hours of the event (all of its hours unless fewer are
    given), with their certificate if one is uploaded."""
    _require(user, Action.VIEW, event)
    _require(user, Action.CHANGE, staff)
    if staff.municipality_id != event.municipality_id:
        raise ValidationError(_("Choose a staff member of the event's municipality."))
    if Attendance.objects.filter(event=event, staff=staff).exists():
        raise ValidationError(_("This staff member is already recorded for this event."))
    hours = event.hours if hours is None else hours
    if hours > event.hours:
        raise ValidationError(_("No more hours can be credited than the event had."))
    attendance = Attendance(event=event, staff=staff, hours=hours)
    if upload is not None:
        checked = checked_upload(upload)
        attendance.certificate = checked.file
        attendance.certificate_name = checked.display_name
        attendance.certificate_type = checked.content_type
        attendance.certificate_size = checked.size
    attendance.full_clean()
    attendance.save()
    changes = _changes(
        {}, {"staff": staff, "hours": hours, "certificate": attendance.certificate_name or None}
    )
    _audit(user, "create", attendance, changes, role, request_id)
    return attendance


# --- The norm ----------------------------------------------------------------------------


def _configure(
    model, *, user, municipality: Municipality, fields: dict, version, role: str, request_id: str
):
    """Set the municipality's own row of a norm (`model`: one row per municipality), or change
    it (refused when stale)."""
    if not can(user, Action.MANAGE, model) or not can(user, Action.MANAGE, municipality):
        raise PermissionDenied
    norm = model.objects.filter(municipality=municipality).first()
    if norm is None:
        norm = model(municipality=municipality, **fields)
        norm.full_clean()
        norm.save()
        _audit(user, "create", norm, _changes({}, fields), role, request_id)
        return norm
    before = {name: getattr(norm, name) for name in fields}
    probe = proposed(norm, fields)
    probe.full_clean(exclude=["municipality"])
    update_versioned(norm, expected_version=version or 0, fields=fields)
    _audit(user, "change", norm, _changes(before, fields), role, request_id)
    return norm


@transaction.atomic
def norm_set(
    *,
    user,
    municipality: Municipality,
    hours: Decimal,
    source: str,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> TrainingNorm:
    """Set the municipality's own training norm, or change it (refused when stale)."""
    return _configure(
        TrainingNorm, user=user, municipality=municipality,
        fields={"hours_per_year": hours, "source": source}, version=version, role=role,
        request_id=request_id,
    )  # fmt: skip


# --- Reflective supervision ----------------------------------------------------------------

SESSION_FIELDS = (
    "kind",
    "held_on",
    "duration_minutes",
    "supervisor_name",
    "supervisor_organisation",
    "supervisor_user",
)


def _session_fields(data: dict) -> dict:
    fields = {name: data.get(name) for name in SESSION_FIELDS}
    if fields["supervisor_organisation"] is None:
        fields["supervisor_organisation"] = ""
    return fields


def _participants_checked(user, participants, municipality_id: int) -> list[StaffProfile]:
    participants = list(participants)
    if not participants:
        raise ValidationError(_("Choose at least one participant."))
    kept = visible(
        user, StaffProfile.objects.filter(pk__in=[p.pk for p in participants]), Action.CHANGE
    )
    if kept.count() != len({p.pk for p in participants}):
        raise PermissionDenied
    if any(p.municipality_id != municipality_id for p in participants):
        raise ValidationError(_("Choose participants of one municipality."))
    return participants


@transaction.atomic
def session_create(
    *, user, data: dict, participants, role: str = "", request_id: str = ""
) -> SupervisionSession:
    """Record a session the user's kept staff took part in. Its municipality is theirs; its
    (empty) notes are made with it, for the participants to write."""
    if not can(user, Action.CREATE, SupervisionSession):
        raise PermissionDenied
    participants = list(participants)
    municipality_id = participants[0].municipality_id if participants else 0
    participants = _participants_checked(user, participants, municipality_id)
    fields = _session_fields(data)
    session = SupervisionSession(municipality_id=municipality_id, created_by=user, **fields)
    session.full_clean()
    session.save()
    session.participants.set(participants)
    SupervisionNote.objects.create(session=session)
    _audit(
        user, "create", session, _changes({}, {**fields, "participants": participants}), role,
        request_id,
    )  # fmt: skip
    return session


@transaction.atomic
def session_update(
    *, user, session: SupervisionSession, data: dict, participants, version: int,
    role: str = "", request_id: str = "",
) -> SupervisionSession:  # fmt: skip
    """Change a session's attendance (refused when stale). A participant the user does not
    keep stays on it: the user can neither see nor remove them."""
    _require(user, Action.CHANGE, session)
    kept_ids = set(
        visible(user, StaffProfile.objects.all(), Action.CHANGE).values_list("pk", flat=True)
    )
    others = [p for p in session.participants.all() if p.pk not in kept_ids]
    chosen = (
        _participants_checked(user, participants, session.municipality_id) if participants else []
    )
    if not chosen and not others:
        raise ValidationError(_("Choose at least one participant."))
    fields = _session_fields(data)
    before = {name: getattr(session, name) for name in fields}
    before["participants"] = list(session.participants.all())
    probe = proposed(session, fields)
    probe.full_clean(exclude=["created_by", "municipality"])
    update_versioned(session, expected_version=version, fields=fields)
    session.participants.set([*chosen, *others])
    after = {**fields, "participants": [*chosen, *others]}
    _audit(user, "change", session, _changes(before, after), role, request_id)
    return session


@transaction.atomic
def note_save(
    *, user, note: SupervisionNote, text: str, version: int, role: str = "", request_id=""
) -> SupervisionNote:
    """A participant writes the session's notes (refused when stale). The audit row says the
    notes changed, never what they say."""
    _require(user, Action.CHANGE, note)
    probe = proposed(note, {"text": text})
    probe.full_clean(exclude=["session"])
    update_versioned(note, expected_version=version, fields={"text": text})
    _audit(user, "change", note, {"text": ["…", "…"]}, role, request_id)
    return note


@transaction.atomic
def supervision_norm_set(
    *,
    user,
    municipality: Municipality,
    sessions: dict[str, int],
    source: str,
    version: int | None = None,
    role: str = "",
    request_id: str = "",
) -> SupervisionNorm:
    """Set the municipality's own supervision norm, or change it (refused when stale)."""
    return _configure(
        SupervisionNorm, user=user, municipality=municipality,
        fields={**sessions, "source": source}, version=version, role=role, request_id=request_id,
    )  # fmt: skip


def supervision_reminders(today: date | None = None) -> int:
    """Remind every staff member who is behind their supervision norm (below the part of the
    year's sessions due by today), at most once a month however often this runs. Returns how
    many reminders are new."""
    from django.urls import reverse

    from earlyhelp.notifications.models import Notification
    from earlyhelp.notifications.services import notify
    from earlyhelp.workforce.selectors import supervision_checks_of

    today = today or timezone.localdate()
    profiles = StaffProfile.objects.filter(user__is_active=True).select_related("user")
    created = 0
    with transaction.atomic():
        for check in supervision_checks_of(profiles, today):
            if not check.behind:
                continue
            created += notify(
                recipients=[check.profile.user],
                kind=Notification.Kind.SUPERVISION_BEHIND,
                url=reverse("workforce:me"),
                event=f"supervision:{check.profile.pk}:{today:%Y-%m}",
            )
    return created


# --- Team case discussions -------------------------------------------------------------------

DISCUSSION_FIELDS = ("held_on", "duration_minutes", "facilitator")


def _items_checked(user, cases, situations: list[str]) -> list[DiscussedItem]:
    """The discussed items: cases the user may open, and situations told without names."""
    from earlyhelp.cases.models import Case

    cases = list(cases)
    if cases:
        seen = visible(user, Case.objects.filter(pk__in=[c.pk for c in cases]))
        if seen.count() != len({c.pk for c in cases}):
            raise PermissionDenied
    situations = [text.strip() for text in situations if text and text.strip()]
    if not cases and not situations:
        raise ValidationError(_("Name at least one case or describe one situation."))
    return [DiscussedItem(case=c) for c in cases] + [
        DiscussedItem(situation=text) for text in situations
    ]


@transaction.atomic
def discussion_create(
    *, user, data: dict, participants, cases=(), situations=(), role: str = "",
    request_id: str = "",
) -> TeamDiscussion:  # fmt: skip
    """Record a team case discussion the user's kept staff took part in, with the cases (the
    user may open) and the anonymous situations it discussed."""
    if not can(user, Action.CREATE, TeamDiscussion):
        raise PermissionDenied
    participants = list(participants)
    municipality_id = participants[0].municipality_id if participants else 0
    participants = _participants_checked(user, participants, municipality_id)
    items = _items_checked(user, cases, list(situations))
    fields = {name: data.get(name) for name in DISCUSSION_FIELDS}
    discussion = TeamDiscussion(municipality_id=municipality_id, created_by=user, **fields)
    discussion.full_clean()
    discussion.save()
    discussion.participants.set(participants)
    for item in items:
        item.discussion = discussion
        item.full_clean()
    DiscussedItem.objects.bulk_create(items)
    changes = _changes({}, {**fields, "participants": participants})
    # The audit row names how many cases and situations, never which cases to whom.
    changes["items"] = [None, len(items)]
    _audit(user, "create", discussion, changes, role, request_id)
    return discussion


@transaction.atomic
def discussion_update(
    *, user, discussion: TeamDiscussion, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> TeamDiscussion:  # fmt: skip
    """Change a discussion's date, length and facilitator (refused when stale)."""
    _require(user, Action.CHANGE, discussion)
    fields = {name: data.get(name) for name in DISCUSSION_FIELDS}
    before = {name: getattr(discussion, name) for name in fields}
    probe = proposed(discussion, fields)
    probe.full_clean(exclude=["created_by", "municipality"])
    update_versioned(discussion, expected_version=version, fields=fields)
    _audit(user, "change", discussion, _changes(before, fields), role, request_id)
    return discussion


@transaction.atomic
def learning_save(
    *, user, discussion: TeamDiscussion, participant: StaffProfile, text: str,
    version: int | None = None, role: str = "", request_id: str = "",
) -> DiscussionLearning:  # fmt: skip
    """Record what a participant learnt or decided, or change it (refused when stale): the
    participant themselves or a keeper of the discussion."""
    _require(user, Action.VIEW, discussion)
    is_self = participant.user_id == user.pk
    if not is_self and not can(user, Action.CHANGE, discussion):
        raise PermissionDenied
    if not discussion.participants.filter(pk=participant.pk).exists():
        raise ValidationError(_("Choose a participant of this discussion."))
    learning = DiscussionLearning.objects.filter(
        discussion=discussion, participant=participant
    ).first()
    if learning is None:
        learning = DiscussionLearning(discussion=discussion, participant=participant, text=text)
        learning.full_clean()
        learning.save()
        _audit(user, "create", learning, {"text": [None, "…"]}, role, request_id)
        return learning
    probe = proposed(learning, {"text": text})
    probe.full_clean(exclude=["discussion", "participant"])
    update_versioned(learning, expected_version=version or 0, fields={"text": text})
    _audit(user, "change", learning, {"text": ["…", "…"]}, role, request_id)
    return learning


# --- Implementation support ------------------------------------------------------------------

SUPPORT_FIELDS = ("method", "supporter_user", "supporter_name", "starts_on", "ends_on")


def _support_fields(user, data: dict) -> dict:
    from earlyhelp.knowledge.models import Method

    fields = {name: data.get(name) for name in SUPPORT_FIELDS}
    fields["supporter_name"] = (fields["supporter_name"] or "").strip()
    method = fields["method"]
    if method is None or method.kind != Method.Kind.INTERVENTION:
        raise ValidationError(_("Choose a method of help from the catalogue."))
    if not visible(user, Method.objects.filter(pk=method.pk)).exists():
        raise PermissionDenied
    if fields["supporter_user"] is None and not fields["supporter_name"]:
        raise ValidationError(_("Say who supports the worker: an account or a name."))
    return fields


@transaction.atomic
def support_create(
    *, user, staff: StaffProfile, data: dict, role: str = "", request_id: str = ""
) -> ImplementationSupport:
    """Record that a worker the user keeps is supported in introducing a method."""
    if not can(user, Action.CREATE, ImplementationSupport):
        raise PermissionDenied
    _require(user, Action.CHANGE, staff)
    fields = _support_fields(user, data)
    if fields["method"].municipality_id != staff.municipality_id:
        raise ValidationError(_("Choose a method of the worker's municipality."))
    support = ImplementationSupport(
        municipality_id=staff.municipality_id, staff=staff, created_by=user, **fields
    )
    support.full_clean()
    support.save()
    linked = programmes_link(user=user, record=support, chosen=data.get("programmes"))
    _audit(user, "create", support, {**_changes({}, fields), **linked}, role, request_id)
    return support


@transaction.atomic
def support_update(
    *, user, support: ImplementationSupport, data: dict, version: int, role: str = "",
    request_id: str = "",
) -> ImplementationSupport:  # fmt: skip
    """Change a support (refused when stale); the worker stays the same."""
    _require(user, Action.CHANGE, support)
    fields = _support_fields(user, data)
    if fields["method"].municipality_id != support.municipality_id:
        raise ValidationError(_("Choose a method of the worker's municipality."))
    before = {name: getattr(support, name) for name in fields}
    probe = proposed(support, fields)
    probe.full_clean(exclude=["created_by", "municipality", "staff"])
    update_versioned(support, expected_version=version, fields=fields)
    changes = _changes(before, fields)
    if "programmes" in data:
        changes.update(programmes_link(user=user, record=support, chosen=data["programmes"]))
    _audit(user, "change", support, changes, role, request_id)
    return support


@transaction.atomic
def support_session_add(
    *, user, support: ImplementationSupport, data: dict, role: str = "", request_id: str = ""
) -> SupportSession:
    _require(user, Action.CHANGE, support)
    fields = {"held_on": data.get("held_on"), "minutes": data.get("minutes")}
    fields["note"] = data.get("note") or ""
    session = SupportSession(support=support, **fields)
    session.full_clean()
    session.save()
    _audit(user, "create", session, _changes({}, fields), role, request_id)
    return session


# --- Coverage and caseload norms --------------------------------------------------------------


@transaction.atomic
def coverage_norm_set(
    *, user, municipality: Municipality, children_per_helper: int, full_time_hours: Decimal,
    source: str, version: int | None = None, role: str = "", request_id: str = "",
) -> CoverageNorm:  # fmt: skip
    """Set the municipality's own coverage norm, or change it (refused when stale)."""
    return _configure(
        CoverageNorm, user=user, municipality=municipality,
        fields={
            "children_per_helper": children_per_helper, "full_time_hours": full_time_hours,
            "source": source,
        },
        version=version, role=role, request_id=request_id,
    )  # fmt: skip


@transaction.atomic
def caseload_norm_set(
    *, user, municipality: Municipality, thresholds: dict, source: str,
    version: int | None = None, role: str = "", request_id: str = "",
) -> CaseloadNorm:  # fmt: skip
    """Set the municipality's own caseload thresholds, or change them (refused when stale)."""
    return _configure(
        CaseloadNorm, user=user, municipality=municipality,
        fields={**thresholds, "source": source}, version=version, role=role,
        request_id=request_id,
    )  # fmt: skip
