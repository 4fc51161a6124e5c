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
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
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
from earlyhelp.core.text import plain_number
from earlyhelp.organisations.models import Institution, Membership, Municipality, Role, Service
from earlyhelp.programmes.services import programmes_shown
from earlyhelp.workforce import selectors, services
from earlyhelp.workforce.access import (
    event_municipalities,
    profile_candidates,
    undisclosed_items,
)
from earlyhelp.workforce.forms import (
    AttendanceForm,
    CaseloadNormForm,
    CoverageNormForm,
    DiscussionForm,
    EmploymentForm,
    EventForm,
    LearningForm,
    NormForm,
    NoteForm,
    ProfileCreateForm,
    ProfileForm,
    QualificationForm,
    SessionForm,
    SupervisionNormForm,
    SupportForm,
    SupportSessionForm,
)
from earlyhelp.workforce.models import (
    Attendance,
    CaseloadNorm,
    CoverageNorm,
    DiscussedItem,
    DiscussionLearning,
    Employment,
    ImplementationSupport,
    InstitutionCoverage,
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


# --- Team case discussions -------------------------------------------------------------------

DISCUSSION_PURPOSE = "team case discussion"


def _discussion(request, pk: int, action: str = Action.VIEW) -> TeamDiscussion:
    return get_object_or_deny(
        request, TeamDiscussion.objects.select_related("municipality"), action, pk=pk
    )


def _discussion_cases(user):
    from earlyhelp.cases.models import Case

    return visible(user, Case.objects.filter(status=Case.Status.OPEN)).order_by("-opened_at")


@login_required
def discussion_list(request):
    if not can(request.user, Action.LIST, TeamDiscussion):
        raise PermissionDenied
    discussions = list(
        visible(request.user, TeamDiscussion.objects.all())
        .annotate(participant_count=Count("participants", distinct=True))
        .order_by("-held_on", "-pk")[:500]
    )
    audit_list(
        request,
        object_type="workforce.teamdiscussion",
        purpose=DISCUSSION_PURPOSE,
        changes={"shown": [d.pk for d in discussions]},
    )
    return render(
        request,
        "workforce/discussion_list.html",
        {
            "discussions": discussions,
            "can_create": can(request.user, Action.CREATE, TeamDiscussion),
            "can_count": can(request.user, Action.LIST, StaffProfile),
        },
    )


@login_required
def discussion_create(request):
    if not can(request.user, Action.CREATE, TeamDiscussion):
        raise PermissionDenied
    form = DiscussionForm(
        request.POST or None,
        participants=_kept_staff(request.user),
        cases=_discussion_cases(request.user),
    )
    made = {}

    def save(data):
        made["discussion"] = services.discussion_create(
            user=request.user, data=data, participants=list(data["participants"]),
            cases=list(data.get("cases") or []), situations=form.situation_list(),
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The team case discussion was saved."))
        return redirect("workforce:discussion", pk=made["discussion"].pk)
    return render(request, "workforce/discussion_form.html", {"form": form, "discussion": None})


@login_required
def discussion_edit(request, pk: int):
    discussion = _discussion(request, pk, Action.CHANGE)
    initial = {name: getattr(discussion, name) for name in services.DISCUSSION_FIELDS}
    form = DiscussionForm(request.POST or None, initial={**initial, "version": discussion.version})

    def save(data):
        services.discussion_update(
            user=request.user, discussion=discussion, data=data,
            version=data.get("version") or 0, **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:discussion", pk=discussion.pk)
    audit_read(request, discussion, purpose=DISCUSSION_PURPOSE, action=Action.CHANGE)
    return render(
        request, "workforce/discussion_form.html", {"form": form, "discussion": discussion}
    )


def _learnable(request, discussion: TeamDiscussion):
    """The participants whose learning the user may record: all of them for a keeper of the
    discussion, only themselves for a participant."""
    if can(request.user, Action.CHANGE, discussion):
        return visible(
            request.user,
            StaffProfile.objects.filter(team_discussions=discussion).select_related("user"),
        )
    return visible(
        request.user,
        StaffProfile.objects.filter(team_discussions=discussion, user=request.user),
    )


def _discussion_page(request, discussion: TeamDiscussion, form: LearningForm | None = None):
    participants = list(
        visible(request.user, StaffProfile.objects.select_related("user")).filter(
            team_discussions=discussion
        )
    )
    items = list(
        visible_of(request.user, discussion, DiscussedItem.objects.select_related("case")).order_by(
            "pk"
        )
    )
    hidden = undisclosed_items(request.user, discussion)
    learnings = list(
        visible_of(
            request.user,
            discussion,
            DiscussionLearning.objects.select_related("participant__user"),
        )
    )
    audit_read(
        request,
        discussion,
        purpose=DISCUSSION_PURPOSE,
        subjects=[f"workforce.staffprofile:{p.pk}" for p in participants]
        + [f"cases.case:{i.case_id}" for i in items if i.case_id],
    )
    learnable = _learnable(request, discussion)
    if form is None and learnable.exists():
        form = LearningForm(participants=learnable)
    through = TeamDiscussion.participants.through
    total = through.objects.filter(teamdiscussion_id=discussion.pk).count()
    return render(
        request,
        "workforce/discussion.html",
        {
            "discussion": discussion,
            "participants": participants,
            "participant_count": total,
            "items": items,
            "hidden": hidden,
            "learnings": learnings,
            "form": form,
            "may_change": can(request.user, Action.CHANGE, discussion),
        },
    )


@login_required
def discussion(request, pk: int):
    return _discussion_page(request, _discussion(request, pk))


@login_required
@require_POST
def discussion_learning(request, pk: int):
    discussion = _discussion(request, pk)
    learnable = _learnable(request, discussion)
    if not learnable.exists():
        raise PermissionDenied
    form = LearningForm(request.POST, participants=learnable)

    def save(data):
        services.learning_save(
            user=request.user, discussion=discussion, participant=data["participant"],
            text=data["text"], version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:discussion", pk=discussion.pk)
    return _discussion_page(request, discussion, form)


@login_required
def discussion_counts(request):
    if not can(request.user, Action.LIST, StaffProfile):
        raise PermissionDenied
    year = timezone.localdate().year
    counts = selectors.discussion_counts(request.user, year)
    audit_list(
        request,
        object_type="workforce.staffprofile",
        purpose="case discussions per worker",
        changes={"shown": [c.profile.pk for c in counts]},
    )
    return render(request, "workforce/discussion_counts.html", {"counts": counts, "year": year})


# --- Implementation support ------------------------------------------------------------------

SUPPORT_PURPOSE = "implementation support"


def _support(request, pk: int, action: str = Action.VIEW) -> ImplementationSupport:
    return get_object_or_deny(
        request,
        ImplementationSupport.objects.select_related(
            "staff__user", "method", "supporter_user", "municipality"
        ),
        action,
        pk=pk,
    )


def _methods(user, municipality_ids):
    from earlyhelp.knowledge.models import Method

    return visible(
        user,
        Method.objects.filter(kind=Method.Kind.INTERVENTION, municipality_id__in=municipality_ids),
    ).order_by("name")


def _supporters(municipality_ids):
    from earlyhelp.accounts.models import User

    return User.objects.filter(
        is_active=True, municipality_id__in=municipality_ids, staff_profile__isnull=False
    ).order_by("last_name", "first_name", "username")


@login_required
def support_list(request):
    if not can(request.user, Action.LIST, ImplementationSupport):
        raise PermissionDenied
    supports = list(
        visible(
            request.user,
            ImplementationSupport.objects.select_related("staff__user", "method", "supporter_user"),
        ).order_by("-starts_on", "-pk")[:500]
    )
    audit_list(
        request,
        object_type="workforce.implementationsupport",
        purpose=SUPPORT_PURPOSE,
        changes={"shown": [s.pk for s in supports]},
    )
    workers = len({s.staff_id for s in supports})
    return render(
        request,
        "workforce/support_list.html",
        {"supports": supports, "workers": workers},
    )


@login_required
def support_create(request):
    if not can(request.user, Action.CREATE, ImplementationSupport):
        raise PermissionDenied
    staff = _kept_staff(request.user)
    places = event_municipalities(request.user).values("pk")
    form = SupportForm(
        request.POST or None,
        staff=staff,
        methods=_methods(request.user, places),
        supporters=_supporters(places),
        user=request.user,
        offered_in=places,
    )
    made = {}

    def save(data):
        made["support"] = services.support_create(
            user=request.user, staff=data["staff"], data=data, **audit_context(request)
        )

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The implementation support was saved."))
        return redirect("workforce:support", pk=made["support"].pk)
    return render(request, "workforce/support_form.html", {"form": form, "support": None})


@login_required
def support_edit(request, pk: int):
    support = _support(request, pk, Action.CHANGE)
    places = [support.municipality_id]
    initial = {name: getattr(support, name) for name in services.SUPPORT_FIELDS}
    initial.update(version=support.version, programmes=list(support.programmes.all()))
    form = SupportForm(
        request.POST or None,
        initial=initial,
        methods=_methods(request.user, places),
        supporters=_supporters(places),
        user=request.user,
        offered_in=places,
    )

    def save(data):
        services.support_update(
            user=request.user, support=support, data=data, version=data.get("version") or 0,
            **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("Saved."))
        return redirect("workforce:support", pk=support.pk)
    audit_read(request, support, purpose=SUPPORT_PURPOSE, action=Action.CHANGE)
    return render(request, "workforce/support_form.html", {"form": form, "support": support})


def _support_page(request, support: ImplementationSupport, form=None):
    audit_read(
        request,
        support,
        purpose=SUPPORT_PURPOSE,
        subjects=[f"workforce.staffprofile:{support.staff_id}"],
    )
    may_change = can(request.user, Action.CHANGE, support)
    if form is None and may_change:
        form = SupportSessionForm()
    sessions = list(visible_of(request.user, support, SupportSession.objects.all()))
    return render(
        request,
        "workforce/support.html",
        {
            "support": support,
            "sessions": sessions,
            "minutes": sum(s.minutes for s in sessions),
            "form": form if may_change else None,
            "may_change": may_change,
            "linked_programmes": programmes_shown(request.user, support),
        },
    )


@login_required
def support(request, pk: int):
    return _support_page(request, _support(request, pk))


@login_required
@require_POST
def support_session_add(request, pk: int):
    support = _support(request, pk, Action.CHANGE)
    form = SupportSessionForm(request.POST)

    def save(data):
        services.support_session_add(
            user=request.user, support=support, data=data, **audit_context(request)
        )

    if saved(form, save):
        messages.success(request, _("The session was recorded."))
        return redirect("workforce:support", pk=support.pk)
    return _support_page(request, support, form)


# --- Coverage and caseload -------------------------------------------------------------------


def _place_chosen(request, places):
    """The municipality asked for (`?municipality=`), else the first; 404 for one not offered."""
    wanted = request.GET.get("municipality", "")
    if not wanted:
        return places[0] if places else None
    for place in places:
        if place.pk == plain_number(wanted):
            return place
    raise Http404


def _coverage_rows_html(rows) -> str:
    """The coverage table's rows, written once in Python: a city has a few hundred
    institutions, and the template language (or a `format_html` per cell) spends most of the
    page's time on them. Numbers are written as the template would localise them."""
    point = get_format("DECIMAL_SEPARATOR")

    def number(value) -> str:
        return str(value).replace(".", point)

    label = {
        key: escape(text)
        for key, text in (
            ("institution", _("Institution")),
            ("children", _("Children enrolled")),
            ("helpers", _("Helpers")),
            ("hours", _("Helpers' hours a week")),
            ("fte", _("Full-time equivalent")),
            ("needed", _("Needed by the norm")),
            ("status", _("Against the norm")),
        )
    }
    met = f'<span class="pill pill--ok">{escape(_("Met"))}</span>'
    below = escape(_("Below: %(gap)s full-time to add"))
    lines = []
    for r in rows:
        if r.short:
            status = f'<span class="pill pill--warn">{below % {"gap": number(r.gap)}}</span>'
        else:
            status = "—" if r.children is None else met
        children = "&lt;5" if r.children is None else number(r.children)
        needed = "—" if r.children is None else number(r.needed)
        lines.append(
            f'<tr><td data-label="{label["institution"]}">{escape(r.name)}</td>'
            f'<td data-label="{label["children"]}">{children}</td>'
            f'<td data-label="{label["helpers"]}">{r.helpers}</td>'
            f'<td data-label="{label["hours"]}">{number(r.helper_hours)}</td>'
            f'<td data-label="{label["fte"]}">{number(r.full_time)}</td>'
            f'<td data-label="{label["needed"]}">{needed}</td>'
            f'<td data-label="{label["status"]}">{status}</td></tr>'
        )
    return mark_safe("\n".join(lines))  # noqa: S308 - every value above is escaped or a number


@login_required
def coverage(request):
    if not can(request.user, Action.VIEW_STATS, InstitutionCoverage):
        raise PermissionDenied
    places = list(selectors.coverage_places(request.user))
    place = _place_chosen(request, places)
    rows = selectors.coverage_rows(request.user, place.pk) if place else []
    norm = selectors.coverage_norm_for(place.pk) if place else None
    return render(
        request,
        "workforce/coverage.html",
        {
            "places": places,
            "place": place,
            "rows": rows,
            "rows_html": _coverage_rows_html(rows),
            "norm": norm,
            "short": sum(1 for r in rows if r.short),
            "computed_at": min((r.computed_at for r in rows), default=None),
            "may_set": place is not None
            and can(request.user, Action.MANAGE, CoverageNorm)
            and can(request.user, Action.MANAGE, place),
        },
    )


@login_required
def caseload(request):
    if not can(request.user, Action.LIST, StaffProfile):
        raise PermissionDenied
    loads = selectors.caseloads(request.user, timezone.localdate())
    audit_list(
        request,
        object_type="workforce.staffprofile",
        purpose="caseload",
        changes={"shown": [c.profile.pk for c in loads]},
    )
    managed = visible(request.user, Municipality.objects.all(), Action.MANAGE)
    norms = {}
    for load in loads:
        norms.setdefault(load.profile.municipality, load.norm)
    return render(
        request,
        "workforce/caseload.html",
        {
            "loads": loads,
            "weeks": selectors.CASELOAD_WEEKS,
            "norms": norms,
            "norm_places": list(managed) if can(request.user, Action.MANAGE, CaseloadNorm) else [],
        },
    )


@login_required
def coverage_norm_edit(request, pk: int):
    municipality = get_object_or_deny(request, Municipality.objects.all(), Action.MANAGE, pk=pk)
    if not can(request.user, Action.MANAGE, CoverageNorm):
        raise PermissionDenied
    current = selectors.coverage_norm_for(municipality.pk)
    norm = CoverageNorm.objects.filter(municipality=municipality).first()
    initial = {
        "children_per_helper": current.children_per_helper,
        "full_time_hours": current.full_time_hours,
    }
    if norm is not None:
        initial.update(source=norm.source, version=norm.version)
    form = CoverageNormForm(request.POST or None, initial=initial)

    def save(data):
        services.coverage_norm_set(
            user=request.user, municipality=municipality,
            children_per_helper=data["children_per_helper"],
            full_time_hours=data["full_time_hours"], source=data["source"],
            version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The norm was saved."))
        return redirect(f"{reverse('workforce:coverage')}?municipality={municipality.pk}")
    return render(
        request,
        "workforce/coverage_norm_form.html",
        {"form": form, "municipality": municipality, "current": current},
    )


@login_required
def caseload_norm_edit(request, pk: int):
    municipality = get_object_or_deny(request, Municipality.objects.all(), Action.MANAGE, pk=pk)
    if not can(request.user, Action.MANAGE, CaseloadNorm):
        raise PermissionDenied
    current = selectors.caseload_norm_for(municipality.pk)
    norm = CaseloadNorm.objects.filter(municipality=municipality).first()
    initial = {k: current[k] for k in ("open_cases", "activities_per_week", "open_arrangements")}
    if norm is not None:
        initial.update(source=norm.source, version=norm.version)
    form = CaseloadNormForm(request.POST or None, initial=initial)

    def save(data):
        services.caseload_norm_set(
            user=request.user, municipality=municipality,
            thresholds={
                k: data[k] for k in ("open_cases", "activities_per_week", "open_arrangements")
            },
            source=data["source"], version=data.get("version"), **audit_context(request),
        )  # fmt: skip

    if request.method == "POST" and saved(form, save):
        messages.success(request, _("The norm was saved."))
        return redirect("workforce:caseload")
    return render(
        request,
        "workforce/caseload_norm_form.html",
        {"form": form, "municipality": municipality, "current": current},
    )
