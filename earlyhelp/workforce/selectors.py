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


# --- Team case discussions -------------------------------------------------------------------


@dataclass(frozen=True)
class DiscussionCount:
    """A worker's case discussions in a year: team discussions they took part in and the
    professionals' discussions held inside one case (`cases.CaseConference`, kind discussion)
    they attended."""

    profile: StaffProfile
    team: int
    in_case: int

    @property
    def total(self) -> int:
        return self.team + self.in_case


def discussion_counts(user, year: int) -> list[DiscussionCount]:
    """Each staff member whose record the user keeps, with their discussions in `year`. Counting
    attendance reads no case: only how many discussions each kept worker attended."""
    from earlyhelp.cases.models import CaseConference
    from earlyhelp.workforce.models import TeamDiscussion

    profiles = list(
        visible(user, StaffProfile.objects.select_related("user", "municipality"), Action.CHANGE)
    )
    ids = [p.pk for p in profiles]
    through = TeamDiscussion.participants.through
    team = dict(
        through.objects.filter(staffprofile_id__in=ids, teamdiscussion__held_on__year=year)
        .values("staffprofile_id")
        .annotate(n=Count("teamdiscussion_id"))
        .values_list("staffprofile_id", "n")
    )
    attendees = CaseConference.attendees.through
    by_user = dict(
        attendees.objects.filter(
            user_id__in=[p.user_id for p in profiles],
            caseconference__kind=CaseConference.Kind.DISCUSSION,
            caseconference__held_at__year=year,
        )
        .values("user_id")
        .annotate(n=Count("caseconference_id"))
        .values_list("user_id", "n")
    )
    counts = [
        DiscussionCount(profile=p, team=team.get(p.pk, 0), in_case=by_user.get(p.user_id, 0))
        for p in profiles
    ]
    return sorted(counts, key=lambda c: (c.total, str(c.profile)))


# --- Coverage and caseload -------------------------------------------------------------------


def coverage_norm_for(municipality_id: int):
    from earlyhelp.workforce.coverage import CoverageNormOf
    from earlyhelp.workforce.models import (
        DEFAULT_CHILDREN_PER_HELPER,
        DEFAULT_COVERAGE_SOURCE,
        DEFAULT_FULL_TIME_HOURS,
        CoverageNorm,
    )

    own = CoverageNorm.objects.filter(municipality_id=municipality_id).first()
    if own is not None:
        return CoverageNormOf(own.children_per_helper, own.full_time_hours, own.source, False)
    return CoverageNormOf(
        DEFAULT_CHILDREN_PER_HELPER, DEFAULT_FULL_TIME_HOURS, str(DEFAULT_COVERAGE_SOURCE), True
    )


@dataclass(frozen=True)
class CoverageRow:
    """An institution's coverage against its municipality's norm. `children` is None where
    the count is under the small-cell threshold and leaves the team ("<5")."""

    institution_id: int
    name: str
    children: int | None
    helper_hours: Decimal
    helpers: int
    full_time: Decimal  # the helpers' hours in full-time equivalents
    needed: Decimal  # full-time helpers the norm asks for the children
    computed_at: object

    @property
    def short(self) -> bool:
        return self.children is not None and self.full_time < self.needed

    @property
    def gap(self) -> Decimal:
        return max(self.needed - self.full_time, Decimal(0))


def coverage_places(user):
    """The municipalities of the coverage rows the user may see."""
    from earlyhelp.organisations.models import Municipality
    from earlyhelp.workforce.models import InstitutionCoverage

    ids = visible(user, InstitutionCoverage.objects.all(), Action.VIEW_STATS).values(
        "municipality_id"
    )
    return Municipality.objects.filter(pk__in=ids).order_by("name")


def coverage_rows(user, municipality_id: int) -> list[CoverageRow]:
    """The coverage of the institutions of one municipality the user may see, from the
    maintained aggregate only, shortest of the norm first."""
    from earlyhelp.access.policy import SMALL_CELL
    from earlyhelp.workforce.access import coverage_exact_institutions
    from earlyhelp.workforce.models import InstitutionCoverage

    norm = coverage_norm_for(municipality_id)
    exact = coverage_exact_institutions(user)
    rows = (
        visible(user, InstitutionCoverage.objects.all(), Action.VIEW_STATS)
        .filter(municipality_id=municipality_id)
        .values_list(
            "institution_id", "institution__name", "children", "helper_hours", "helpers",
            "computed_at",
        )
        .order_by("institution__name")
    )  # fmt: skip
    result = []
    for pk, name, children, hours, helpers, computed_at in rows:
        full_time = (hours / norm.full_time_hours).quantize(Decimal("0.01"))
        shown = children if pk in exact or children >= SMALL_CELL or children == 0 else None
        result.append(
            CoverageRow(
                institution_id=pk,
                name=name,
                children=shown,
                helper_hours=hours,
                helpers=helpers,
                full_time=full_time,
                # A suppressed count gives no need either: it would reveal the count.
                needed=norm.helpers_needed(children) if shown is not None else Decimal(0),
                computed_at=computed_at,
            )
        )
    return sorted(result, key=lambda r: (not r.short, -r.gap, r.name))


def caseload_norm_for(municipality_id: int) -> dict:
    from earlyhelp.workforce.models import DEFAULT_CASELOAD, DEFAULT_CASELOAD_SOURCE, CaseloadNorm

    own = CaseloadNorm.objects.filter(municipality_id=municipality_id).first()
    if own is not None:
        return {
            "open_cases": own.open_cases,
            "activities_per_week": own.activities_per_week,
            "open_arrangements": own.open_arrangements,
            "source": own.source,
            "default": False,
        }
    return {**DEFAULT_CASELOAD, "source": str(DEFAULT_CASELOAD_SOURCE), "default": True}


# The weeks over which activities a week are averaged.
CASELOAD_WEEKS = 4


@dataclass(frozen=True)
class Caseload:
    """A worker's load: open cases they lead, meetings of activities they led a week (held in
    the last CASELOAD_WEEKS weeks, averaged), open contact arrangements they lead, against
    their municipality's thresholds. Above a threshold is over; at it is not."""

    profile: StaffProfile
    open_cases: int
    activities_per_week: Decimal
    open_arrangements: int
    norm: dict

    @property
    def over(self) -> list[str]:
        return [
            name
            for name in ("open_cases", "activities_per_week", "open_arrangements")
            if getattr(self, name) > self.norm[name]
        ]


def caseloads(user, on: date) -> list[Caseload]:
    """The load of each staff member whose record the user keeps, those over a threshold
    first. Counts of their own work, read by worker; no case, activity or arrangement is
    read."""
    from earlyhelp.workforce.caseload import load_counts

    profiles = list(
        visible(user, StaffProfile.objects.select_related("user", "municipality"), Action.CHANGE)
    )
    cases, sessions, arrangements = load_counts([p.user_id for p in profiles], on, CASELOAD_WEEKS)
    norms: dict[int, dict] = {}
    loads = []
    for profile in profiles:
        if profile.municipality_id not in norms:
            norms[profile.municipality_id] = caseload_norm_for(profile.municipality_id)
        loads.append(
            Caseload(
                profile=profile,
                open_cases=cases.get(profile.user_id, 0),
                activities_per_week=(
                    Decimal(sessions.get(profile.user_id, 0)) / CASELOAD_WEEKS
                ).quantize(Decimal("0.1")),
                open_arrangements=arrangements.get(profile.user_id, 0),
                norm=norms[profile.municipality_id],
            )
        )
    return sorted(loads, key=lambda c: (not c.over, str(c.profile)))
