"""Reading the workforce: the norms a municipality's staff are held to, and each staff
member's training hours and supervision sessions in a calendar year against them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum

from earlyhelp.access.policy import Action, visible
from earlyhelp.organisations.models import Membership, Role
from earlyhelp.workforce.models import (
    DEFAULT_NORM_HOURS,
    DEFAULT_NORM_SOURCE,
    DEFAULT_SUPERVISION_SESSIONS,
    DEFAULT_SUPERVISION_SOURCE,
    Attendance,
    Norm,
    StaffProfile,
    SupervisionNorm,
    SupervisionSession,
    TrainingNorm,
)


def norm_for(municipality_id: int) -> Norm:
    """The municipality's own norm, or earlyhelp's default when it has set none."""
    own = TrainingNorm.objects.filter(municipality_id=municipality_id).first()
    if own is not None:
        return Norm(hours=own.hours_per_year, source=own.source, default=False)
    return Norm(hours=DEFAULT_NORM_HOURS, source=str(DEFAULT_NORM_SOURCE), default=True)


def training_hours(user, profile_ids, year: int) -> dict[int, Decimal]:
    """Hours credited per staff profile for the events that ended in `year` (a course counts
    in the year it is completed), as far as `user` may see them."""
    rows = (
        visible(user, Attendance.objects.filter(staff_id__in=profile_ids))
        .filter(event__ends_on__year=year)
        .values("staff_id")
        .annotate(total=Sum("hours"))
    )
    return {row["staff_id"]: row["total"] for row in rows}


@dataclass(frozen=True)
class NormCheck:
    profile: StaffProfile
    hours: Decimal
    norm: Norm

    @property
    def met(self) -> bool:
        # Exactly at the norm is met.
        return self.hours >= self.norm.hours

    @property
    def missing(self) -> Decimal:
        return max(self.norm.hours - self.hours, Decimal(0))


def norm_check(user, profile: StaffProfile, year: int) -> NormCheck:
    hours = training_hours(user, [profile.pk], year).get(profile.pk, Decimal(0))
    return NormCheck(profile=profile, hours=hours, norm=norm_for(profile.municipality_id))


def norm_checks(user, year: int) -> list[NormCheck]:
    """Each staff member whose record the user keeps, with their hours in `year` against
    their municipality's norm: behind first, then by name."""
    profiles = list(
        visible(user, StaffProfile.objects.select_related("user", "municipality"), Action.CHANGE)
    )
    hours = training_hours(user, [p.pk for p in profiles], year)
    norms: dict[int, Norm] = {}
    checks = []
    for profile in profiles:
        if profile.municipality_id not in norms:
            norms[profile.municipality_id] = norm_for(profile.municipality_id)
        checks.append(
            NormCheck(
                profile=profile,
                hours=hours.get(profile.pk, Decimal(0)),
                norm=norms[profile.municipality_id],
            )
        )
    return sorted(checks, key=lambda c: (c.met, str(c.profile)))


# --- Reflective supervision ------------------------------------------------------------------

# The roles a supervision norm is set for, in the order a staff member's role is named.
SUPERVISION_ROLES = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


@dataclass(frozen=True)
class SupervisionNormOf:
    """The sessions a year each role is held to in a municipality: its own, or the default."""

    sessions: dict[str, int]
    source: str
    default: bool


def supervision_norm_for(municipality_id: int) -> SupervisionNormOf:
    own = SupervisionNorm.objects.filter(municipality_id=municipality_id).first()
    if own is not None:
        sessions = {role: getattr(own, role) for role in SUPERVISION_ROLES}
        return SupervisionNormOf(sessions=sessions, source=own.source, default=False)
    return SupervisionNormOf(
        sessions=dict(DEFAULT_SUPERVISION_SESSIONS),
        source=str(DEFAULT_SUPERVISION_SOURCE),
        default=True,
    )


def _roles_today(profiles) -> dict[int, set[str]]:
    """The worker roles each profile's user holds today in the profile's municipality."""
    by_user = {p.user_id: p for p in profiles}
    roles: dict[int, set[str]] = {p.pk: set() for p in profiles}
    rows = (
        Membership.objects.active()
        .filter(user_id__in=by_user, role__in=SUPERVISION_ROLES)
        .values_list("user_id", "role", "municipality_id")
    )
    for user_id, role, municipality_id in rows:
        profile = by_user[user_id]
        if municipality_id in (None, profile.municipality_id):
            roles[profile.pk].add(role)
    return roles


@dataclass(frozen=True)
class SupervisionCheck:
    """A staff member's sessions in a calendar year against the norm of their role. When they
    hold several roles, the highest norm among them applies; with none, the social helper's.
    `due` is the part of the year's norm due by `on` (the norm times the share of the year
    gone, rounded down): below it, they are behind."""

    profile: StaffProfile
    role: str
    sessions: int
    norm: int
    due: int
    source: str
    default: bool

    @property
    def met(self) -> bool:
        # Exactly at the norm is met.
        return self.sessions >= self.norm

    @property
    def behind(self) -> bool:
        return self.sessions < self.due

    @property
    def missing(self) -> int:
        return max(self.norm - self.sessions, 0)

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)


def due_by(norm: int, on: date) -> int:
    """The part of a yearly norm due by the day `on`, rounded down."""
    start = date(on.year, 1, 1)
    days = (date(on.year + 1, 1, 1) - start).days
    return norm * ((on - start).days + 1) // days


def supervision_counts(profile_ids, year: int) -> dict[int, int]:
    """Sessions per staff profile held in `year`. Counting attendance is not a read of the
    sessions' content: callers pass only profiles the user may see."""
    through = SupervisionSession.participants.through
    rows = (
        through.objects.filter(
            staffprofile_id__in=profile_ids, supervisionsession__held_on__year=year
        )
        .values("staffprofile_id")
        .annotate(total=Count("supervisionsession_id"))
    )
    return {row["staffprofile_id"]: row["total"] for row in rows}


def supervision_checks_of(profiles, on: date) -> list[SupervisionCheck]:
    """Each of `profiles` with their sessions this year against their role's norm: behind
    first, then by name."""
    profiles = list(profiles)
    counts = supervision_counts([p.pk for p in profiles], on.year)
    roles = _roles_today(profiles)
    norms: dict[int, SupervisionNormOf] = {}
    checks = []
    for profile in profiles:
        if profile.municipality_id not in norms:
            norms[profile.municipality_id] = supervision_norm_for(profile.municipality_id)
        norm = norms[profile.municipality_id]
        held = roles[profile.pk] or {Role.SOCIAL_HELPER}
        role = max(sorted(held), key=lambda r: norm.sessions[r])
        sessions = norm.sessions[role]
        checks.append(
            SupervisionCheck(
                profile=profile,
                role=role,
                sessions=counts.get(profile.pk, 0),
                norm=sessions,
                due=due_by(sessions, on),
                source=norm.source,
                default=norm.default,
            )
        )
    return sorted(checks, key=lambda c: (not c.behind, c.met, str(c.profile)))


def supervision_checks(user, on: date) -> list[SupervisionCheck]:
    """The supervision check of each staff member whose record the user keeps."""
    profiles = visible(
        user, StaffProfile.objects.select_related("user", "municipality"), Action.CHANGE
    )
    return supervision_checks_of(profiles, on)
