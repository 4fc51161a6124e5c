"""The workforce's pages: one's own profile and training, a staff member's profile with its
edit forms, the training events with their attendance, the norm check, and reflective
supervision: its sessions, their notes (the participants' alone) and its norm check. Every
object comes through the policy, and every read of a staff record is audited through
access.shortcuts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from earlyhelp.access.policy import Action, can, visible, visible_of
from earlyhelp.access.shortcuts import (
    audit_context,
    audit_export,
    audit_list,
    audit_read,
    get_object_or_deny,
    open_record,
)
from earlyhelp.core.downloads import private_download
from earlyhelp.core.forms import saved
from earlyhelp.organisations.models import Institution, Membership, Municipality, Role, Service
from earlyhelp.programmes.services import programmes_shown
from earlyhelp.workforce import selectors, services
from earlyhelp.workforce.access import event_municipalities, profile_candidates
from earlyhelp.workforce.forms import (
    AttendanceForm,
    EmploymentForm,
    EventForm,
    NormForm,
    NoteForm,
    ProfileCreateForm,
    ProfileForm,
    QualificationForm,
    SessionForm,
    SupervisionNormForm,
)
from earlyhelp.workforce.models import (
    Attendance,
    Employment,
    Qualification,
    StaffProfile,
    SupervisionNorm,
    SupervisionNote,
    SupervisionSession,
    TrainingEvent,
    TrainingNorm,
)

PROFILE_PURPOSE = "staff record"


def _profile_page(request, profile: StaffProfile, template: str, extra: dict | None = None):
    year = timezone.localdate().year
    attendances = (
        visible_of(request.user, profile, Attendance.objects.select_related("event"))
        .filter(event__ends_on__year=year)
        .order_by("-event__ends_on")
    )
    return render(
        request,
        template,
        {
            "profile": profile,
            "qualifications": visible_of(request.user, profile, Qualification.objects.all()),
            "employments": visible_of(
                request.user, profile, Employment.objects.select_related("service")
            ),
            "institutions": profile.institutions.order_by("name"),
            "attendances": attendances,
            "check": selectors.norm_check(request.user, profile, year),
            "supervision": selectors.supervision_checks_of([profile], timezone.localdate())[0],
            "year": year,
            "may_change": can(request.user, Action.CHANGE, profile),
            **(extra or {}),
        },
    )


# --- Profiles --------------------------------------------------------------------------------


@login_required
def me(request):
    profile = (
        visible(request.user, StaffProfile.objects.select_related("user", "municipality"))
        .filter(user=request.user)
        .first()
    )
    if profile is None:
        return render(request, "workforce/me.html", {"profile": None})
    audit_read(request, profile, purpose=PROFILE_PURPOSE)
    return _profile_page(request, profile, "workforce/me.html")


@login_required
def staff_list(request):
    if not can(request.user, Action.LIST, StaffProfile):
        raise PermissionDenied
    profiles = list(
        visible(request.user, StaffProfile.objects.select_related("user", "municipality"))
        .prefetch_related("institutions")
        .exclude(user=request.user)[:500]
    )
    audit_list(
        request,
        object_type="workforce.staffprofile",
        purpose=PROFILE_PURPOSE,
        changes={"shown": [p.pk for p in profiles]},
    )
    return render(
        request,
        "workforce/staff_list.html",
        {
            "profiles": profiles,
            "can_create": can(request.user, Action.CREATE, StaffProfile),
            "can_events": can(request.user, Action.LIST, TrainingEvent),
        },
    )


def _institutions_of(municipality_ids):
    return Institution.objects.filter(municipality_id__in=municipality_ids).order_by("name")


@login_required
def staff_create(request):
    if not can(request.user, Action.CREATE, StaffProfile):
        raise PermissionDenied
    candidates = profile_candidates(request.user)
    municipalities = candidates.values("municipality_id")
    form = ProfileCreateForm(
        request.POST or None,
        candidates=candidates,
        institutions=_institutions_of(municipalities),
    )
    made = {}

    def save(data):
        made["profile"] = services.profile_create(
            user=request.user, staff=data["staff"], institutions=list(data["institutions"]),
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The staff profile was created."))
        return redirect("workforce:staff", pk=made["profile"].pk)
    return render(request, "workforce/staff_create.html", {"form": form})


def _profile(request, pk: int, action: str = Action.VIEW) -> StaffProfile:
    return get_object_or_deny(
        request, StaffProfile.objects.select_related("user", "municipality"), action, pk=pk
    )


@login_required
def staff(request, pk: int):
    profile, _path = open_record(
        request,
        StaffProfile.objects.select_related("user", "municipality"),
        purpose=PROFILE_PURPOSE,
        pk=pk,
    )
    return _profile_page(request, profile, "workforce/staff.html")


@login_required
def staff_edit(request, pk: int):
    profile = _profile(request, pk, Action.CHANGE)
    form = ProfileForm(
        request.POST or None,
        institutions=_institutions_of([profile.municipality_id]),
        initial={"version": profile.version, "institutions": list(profile.institutions.all())},
    )

    def save(data):
        services.profile_update(
            user=request.user, profile=profile, institutions=list(data["institutions"]),
            version=data.get("version") or 0, **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:staff", pk=profile.pk)
    audit_read(request, profile, purpose=PROFILE_PURPOSE, action=Action.CHANGE)
    return render(request, "workforce/staff_edit.html", {"form": form, "profile": profile})


# --- A profile's rows: qualifications and employment -----------------------------------------


@dataclass(frozen=True)
class Kind:
    model: type
    form: type
    title: str


KINDS = {
    "qualifications": Kind(Qualification, QualificationForm, gettext_lazy("Qualification")),
    "employment": Kind(Employment, EmploymentForm, gettext_lazy("Employment")),
}


def _kind(kind: str) -> Kind:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _record_form(request, profile: StaffProfile, kind: Kind, item):
    choices = Service.objects.filter(municipality_id=profile.municipality_id).order_by("name")
    initial = {"version": item.version} if item.pk else {}
    if item.pk:
        for name in services.ITEM_FIELDS[kind.model]:
            initial[name] = getattr(item, name)
    form = kind.form(request.POST or None, choices=choices, initial=initial)

    def save(data):
        services.record_save(
            user=request.user, profile=profile, item=item, data=data,
            version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:staff", pk=profile.pk)
    audit_read(request, profile, purpose=PROFILE_PURPOSE, action=Action.CHANGE)
    return render(
        request,
        "workforce/record_form.html",
        {"form": form, "profile": profile, "title": kind.title, "item": item},
    )


@login_required
def record_new(request, pk: int, kind: str):
    chosen = _kind(kind)
    profile = _profile(request, pk, Action.CHANGE)
    return _record_form(request, profile, chosen, chosen.model(profile=profile))


@login_required
def record_edit(request, pk: int, kind: str, item_pk: int):
    chosen = _kind(kind)
    profile = _profile(request, pk, Action.CHANGE)
    item = (
        visible_of(request.user, profile, chosen.model.objects.all(), Action.CHANGE)
        .filter(pk=item_pk)
        .first()
    )
    if item is None:
        raise Http404
    return _record_form(request, profile, chosen, item)


# --- Training ----------------------------------------------------------------------------


@login_required
def training_list(request):
    if not can(request.user, Action.LIST, TrainingEvent):
        raise PermissionDenied
    events = visible(request.user, TrainingEvent.objects.select_related("municipality"))
    return render(
        request,
        "workforce/training_list.html",
        {
            "events": events.order_by("-starts_on", "title")[:500],
            "can_create": can(request.user, Action.CREATE, TrainingEvent),
        },
    )


@login_required
def training_create(request):
    if not can(request.user, Action.CREATE, TrainingEvent):
        raise PermissionDenied
    municipalities = event_municipalities(request.user)
    first = municipalities.first()
    form = EventForm(
        request.POST or None,
        municipalities=municipalities,
        initial={"municipality": first.pk if first else None},
        user=request.user,
        offered_in=municipalities.values("pk"),
    )
    made = {}

    def save(data):
        made["event"] = services.event_create(
            user=request.user, municipality=data["municipality"], data=data,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The training event was added. Now record who attended."))
        return redirect("workforce:training", pk=made["event"].pk)
    return render(
        request,
        "workforce/training_form.html",
        {"form": form, "several": municipalities.count() > 1},
    )


@login_required
def training_edit(request, pk: int):
    event = _event(request, pk, Action.CHANGE)
    initial = {name: getattr(event, name) for name in services.EVENT_FIELDS}
    initial["programmes"] = list(event.programmes.all())
    form = EventForm(
        request.POST or None,
        initial={**initial, "version": event.version},
        user=request.user,
        offered_in=[event.municipality_id],
    )

    def save(data):
        services.event_update(
            user=request.user, event=event, data=data, version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:training", pk=event.pk)
    return render(
        request, "workforce/training_form.html", {"form": form, "event": event, "several": False}
    )


def _attendance_form(request, event: TrainingEvent, data=None, files=None) -> AttendanceForm:
    staff = (
        visible(request.user, StaffProfile.objects.select_related("user"), Action.CHANGE)
        .filter(municipality_id=event.municipality_id)
        .exclude(attendances__event=event)
    )
    return AttendanceForm(data, files, staff=staff)


def _event_page(request, event: TrainingEvent, form: AttendanceForm | None):
    attendances = list(
        visible(request.user, Attendance.objects.select_related("staff__user")).filter(event=event)
    )
    audit_read(
        request,
        event,
        purpose="training attendance",
        subjects=[f"workforce.staffprofile:{a.staff_id}" for a in attendances],
    )
    may_record = can(request.user, Action.CHANGE, event)
    if form is None and may_record:
        form = _attendance_form(request, event)
    return render(
        request,
        "workforce/training.html",
        {
            "event": event,
            "attendances": attendances,
            "form": form if may_record else None,
            "may_change": may_record,
            "linked_programmes": programmes_shown(request.user, event),
        },
    )


def _event(request, pk: int, action: str = Action.VIEW) -> TrainingEvent:
    return get_object_or_deny(
        request, TrainingEvent.objects.select_related("municipality"), action, pk=pk
    )


@login_required
def training(request, pk: int):
    return _event_page(request, _event(request, pk), None)


@login_required
@require_POST
def attendance_add(request, pk: int):
    event = _event(request, pk, Action.CHANGE)
    form = _attendance_form(request, event, request.POST, request.FILES)

    def save(data):
        services.attendance_add(
            user=request.user, event=event, staff=data["staff"], hours=data.get("hours"),
            upload=data.get("certificate"), **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The attendance was recorded."))
        return redirect("workforce:training", pk=event.pk)
    return _event_page(request, event, form)


@login_required
def certificate(request, pk: int):
    attendance = get_object_or_deny(request, Attendance.objects.select_related("event"), pk=pk)
    if not attendance.certificate:
        raise Http404
    audit_export(request, attendance, purpose="training certificate")
    return private_download(
        attendance.certificate.open("rb"), filename=attendance.certificate_name,
        content_type=attendance.certificate_type,
    )  # fmt: skip


# --- The norm ----------------------------------------------------------------------------


@login_required
def norm_check(request):
    if not can(request.user, Action.LIST, StaffProfile):
        raise PermissionDenied
    year = timezone.localdate().year
    checks = selectors.norm_checks(request.user, year)
    audit_list(
        request,
        object_type="workforce.staffprofile",
        purpose="training norm check",
        changes={"shown": [c.profile.pk for c in checks]},
    )
    managed = visible(request.user, Municipality.objects.all(), Action.MANAGE)
    return render(
        request,
        "workforce/norm_check.html",
        {
            "checks": checks,
            "year": year,
            "norms": {c.profile.municipality: c.norm for c in checks},
            "norm_places": list(managed) if can(request.user, Action.MANAGE, TrainingNorm) else [],
        },
    )


@login_required
def norm_edit(request, pk: int):
    municipality = get_object_or_deny(request, Municipality.objects.all(), Action.MANAGE, pk=pk)
    if not can(request.user, Action.MANAGE, TrainingNorm):
        raise PermissionDenied
    norm = TrainingNorm.objects.filter(municipality=municipality).first()
    initial = {}
    if norm is not None:
        initial = {"hours_per_year": norm.hours_per_year, "source": norm.source}
        initial["version"] = norm.version
    form = NormForm(request.POST or None, initial=initial)

    def save(data):
        services.norm_set(
            user=request.user, municipality=municipality, hours=data["hours_per_year"],
            source=data["source"], version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The norm was saved."))
        return redirect("workforce:norm_check")
    return render(
        request,
        "workforce/norm_form.html",
        {
            "form": form,
            "municipality": municipality,
            "current": selectors.norm_for(municipality.pk),
        },
    )


# --- Reflective supervision ----------------------------------------------------------------

SESSION_PURPOSE = "supervision attendance"
NOTES_PURPOSE = "supervision notes"


def _session(request, pk: int, action: str = Action.VIEW) -> SupervisionSession:
    return get_object_or_deny(
        request, SupervisionSession.objects.select_related("municipality"), action, pk=pk
    )


def _kept_staff(user):
    return visible(user, StaffProfile.objects.select_related("user"), Action.CHANGE)


def _internal_supervisors(user):
    from earlyhelp.accounts.models import User

    municipalities = event_municipalities(user).values("pk")
    return (
        User.objects.filter(
            is_active=True,
            memberships__in=Membership.objects.active().filter(
                role=Role.SUPERVISOR, municipality_id__in=municipalities
            ),
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def _participant_counts(session_ids) -> dict[int, int]:
    through = SupervisionSession.participants.through
    rows = (
        through.objects.filter(supervisionsession_id__in=session_ids)
        .values("supervisionsession_id")
        .annotate(total=Count("pk"))
    )
    return {row["supervisionsession_id"]: row["total"] for row in rows}


@login_required
def supervision_list(request):
    if not can(request.user, Action.LIST, SupervisionSession):
        raise PermissionDenied
    sessions = list(
        visible(request.user, SupervisionSession.objects.all()).order_by("-held_on", "-pk")[:500]
    )
    counts = _participant_counts([s.pk for s in sessions])
    for session in sessions:
        session.participant_count = counts.get(session.pk, 0)
    audit_list(
        request,
        object_type="workforce.supervisionsession",
        purpose=SESSION_PURPOSE,
        changes={"shown": [s.pk for s in sessions]},
    )
    return render(
        request,
        "workforce/supervision_list.html",
        {
            "sessions": sessions,
            "can_create": can(request.user, Action.CREATE, SupervisionSession),
            "can_check": can(request.user, Action.LIST, StaffProfile),
        },
    )


def _session_form(request, session: SupervisionSession | None):
    initial = {}
    if session is not None:
        initial = {name: getattr(session, name) for name in services.SESSION_FIELDS}
        initial["version"] = session.version
        initial["participants"] = list(
            _kept_staff(request.user).filter(supervision_sessions=session)
        )
    form = SessionForm(
        request.POST or None,
        participants=_kept_staff(request.user),
        supervisors=_internal_supervisors(request.user),
        required=session is None,
        initial=initial,
    )
    made = {}

    def save(data):
        if session is None:
            made["session"] = services.session_create(
                user=request.user, data=data, participants=list(data["participants"]),
                **audit_context(request),
            )  # fmt: skip
        else:
            made["session"] = services.session_update(
                user=request.user, session=session, data=data,
                participants=list(data["participants"]), version=data.get("version") or 0,
                **audit_context(request),
            )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The supervision session was saved."))
        return redirect("workforce:supervision", pk=made["session"].pk)
    if session is not None:
        audit_read(request, session, purpose=SESSION_PURPOSE, action=Action.CHANGE)
    return render(request, "workforce/supervision_form.html", {"form": form, "session": session})


@login_required
def supervision_create(request):
    if not can(request.user, Action.CREATE, SupervisionSession):
        raise PermissionDenied
    return _session_form(request, None)


@login_required
def supervision_edit(request, pk: int):
    return _session_form(request, _session(request, pk, Action.CHANGE))


def _session_page(request, session: SupervisionSession, form: NoteForm | None = None):
    participants = list(
        visible(request.user, StaffProfile.objects.select_related("user")).filter(
            supervision_sessions=session
        )
    )
    audit_read(
        request,
        session,
        purpose=SESSION_PURPOSE,
        subjects=[f"workforce.staffprofile:{p.pk}" for p in participants],
    )
    # The notes are the participants' alone: asked of their own rule, never of the session's.
    note = visible(
        request.user, SupervisionNote.objects.filter(session=session), Action.CHANGE
    ).first()
    if note is not None:
        audit_read(request, note, purpose=NOTES_PURPOSE, action=Action.CHANGE)
        if form is None:
            form = NoteForm(initial={"text": note.text, "version": note.version})
    return render(
        request,
        "workforce/supervision.html",
        {
            "session": session,
            "participants": participants,
            "participant_count": _participant_counts([session.pk]).get(session.pk, 0),
            "note": note,
            "form": form if note is not None else None,
            "may_change": can(request.user, Action.CHANGE, session),
        },
    )


@login_required
def supervision(request, pk: int):
    return _session_page(request, _session(request, pk))


@login_required
@require_POST
def supervision_notes(request, pk: int):
    session = _session(request, pk)
    note = visible(
        request.user, SupervisionNote.objects.filter(session=session), Action.CHANGE
    ).first()
    if note is None:
        raise PermissionDenied
    form = NoteForm(request.POST)

    def save(data):
        services.note_save(
            user=request.user, note=note, text=data.get("text") or "",
            version=data["version"], **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("The notes were saved."))
        return redirect("workforce:supervision", pk=session.pk)
    return _session_page(request, session, form)


@login_required
def supervision_norm_check(request):
    if not can(request.user, Action.LIST, StaffProfile):
        raise PermissionDenied
    today = timezone.localdate()
    checks = selectors.supervision_checks(request.user, today)
    audit_list(
        request,
        object_type="workforce.staffprofile",
        purpose="supervision norm check",
        changes={"shown": [c.profile.pk for c in checks]},
    )
    managed = visible(request.user, Municipality.objects.all(), Action.MANAGE)
    norms = {}
    for check in checks:
        place = check.profile.municipality
        if place not in norms:
            norms[place] = selectors.supervision_norm_for(place.pk)
    return render(
        request,
        "workforce/supervision_norms.html",
        {
            "checks": checks,
            "year": today.year,
            "today": today,
            "norms": norms,
            "norm_places": (
                list(managed) if can(request.user, Action.MANAGE, SupervisionNorm) else []
            ),
        },
    )


@login_required
def supervision_norm_edit(request, pk: int):
    municipality = get_object_or_deny(request, Municipality.objects.all(), Action.MANAGE, pk=pk)
    if not can(request.user, Action.MANAGE, SupervisionNorm):
        raise PermissionDenied
    current = selectors.supervision_norm_for(municipality.pk)
    norm = SupervisionNorm.objects.filter(municipality=municipality).first()
    initial = dict(current.sessions)
    if norm is not None:
        initial.update(source=norm.source, version=norm.version)
    form = SupervisionNormForm(request.POST or None, initial=initial)

    def save(data):
        services.supervision_norm_set(
            user=request.user, municipality=municipality,
            sessions={role: data[role] for role in selectors.SUPERVISION_ROLES},
            source=data["source"], version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The norm was saved."))
        return redirect("workforce:supervision_norms")
    return render(
        request,
        "workforce/supervision_norm_form.html",
        {"form": form, "municipality": municipality, "current": current},
    )
