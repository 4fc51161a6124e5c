"""THE access policy of earlyhelp. Every view, form, export, API call and fragment asks it.

Two questions, one answer each:
  * `visible(user, queryset, action)` narrows any queryset to the rows the user may act on;
  * `can(user, action, obj_or_model)` says whether the user may do the action.

The rules are data: for each model, for each action, which roles grant it and within which
scope (a Q built from the user's active memberships). Besides the eight roles of DESIGN.md two
paths grant access to a person: being named on the child's team ("team") and an open
break-glass grant ("break_glass"). Restricted records are reachable only through "team".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from earlyhelp.organisations.models import (
    Membership,
    Role,
)

TEAM = "team"
BREAK_GLASS = "break_glass"
PERSON_LEVEL_ROLES = frozenset(
    {Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR}
)
BREAK_GLASS_ROLES = frozenset({Role.MANAGER, Role.ADMIN})


class Action(StrEnum):
    LIST = "list"
    VIEW = "view"
    VIEW_DETAILS = "view_details"
    CREATE = "create"
    CHANGE = "change"
    MANAGE = "manage"
    BREAK_GLASS = "break_glass"
    REVIEW_BREAK_GLASS = "review_break_glass"
    END_BREAK_GLASS = "end_break_glass"
    REPORT = "report"
    TRIAGE = "triage"
    MESSAGE = "message"
    LIST_QUEUE = "list_queue"
    LIST_INSTITUTION = "list_institution"
    VIEW_DECISION = "view_decision"
    CLOSE = "close"
    VIEW_STATS = "view_stats"
    RECORD = "record"
    ALLOCATE = "allocate"
    REGISTER = "register"
    APPROVE = "approve"


@dataclass
class Scope:
    """What a user's active memberships reach, computed once per request."""

    user_id: int | None
    is_superuser: bool = False
    roles: dict[str, list[Membership]] = field(default_factory=dict)
    # The conditions built from these memberships, kept for the rest of the request: a page
    # asks the policy a dozen times, and building the same conditions each time costs more
    # than the queries they go into.
    built: dict = field(default_factory=dict)

    def memo(self, build):
        # A break-glass grant ends at a moment: its condition is built afresh every time, so
        # that a user object kept longer than a request never outlives the grant.
        if build in UNCACHED_BUILDERS:
            return build(self)
        if build not in self.built:
            self.built[build] = build(self)
        return self.built[build]

    def has(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def ids(self, role: str, attr: str) -> set[int]:
        return {
            getattr(m, f"{attr}_id")
            for m in self.roles.get(role, [])
            if getattr(m, f"{attr}_id") is not None
        }

    def municipality_ids(self, *roles: str) -> set[int]:
        return {m.municipality_id for role in roles for m in self.roles.get(role, [])}

    @property
    def person_level(self) -> bool:
        return any(role in self.roles for role in PERSON_LEVEL_ROLES)


def scope_for(user) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope(user_id=None)
    cached = getattr(user, "_earlyhelp_scope", None)
    if cached is not None and cached[0] == date.today():
        return cached[1]
    scope = Scope(user_id=user.pk, is_superuser=user.is_superuser)
    memberships = Membership.objects.active().filter(user_id=user.pk).select_related("institution")
    for membership in memberships:
        scope.roles.setdefault(membership.role, []).append(membership)
    user._earlyhelp_scope = (date.today(), scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships changed."""
    if hasattr(user, "_earlyhelp_scope"):
        del user._earlyhelp_scope


# --- Scopes of children -------------------------------------------------------------------------

QBuilder = Callable[[Scope], Q | None]


def _current_enrolments():
    from earlyhelp.people.models import Enrolment

    return Enrolment.objects.current()


# Scopes are written as EXISTS over the child's own rows (correlated on the child's id), not
# as "id IN (every child of the scope)": opening one record then probes that child's
# enrolments through an index instead of collecting every enrolment of the institutions, and a
# list still gets a semi-join.


def _children_in_groups(group_ids: set[int]) -> Q | None:
    if not group_ids:
        return None
    enrolled = _current_enrolments().filter(child_id=OuterRef("pk"), group_id__in=group_ids)
    return Q(Exists(enrolled))


def _children_in_institutions(institution_ids: set[int]) -> Q | None:
    if not institution_ids:
        return None
    enrolled = _current_enrolments().filter(
        child_id=OuterRef("pk"), group__institution_id__in=institution_ids
    )
    return Q(Exists(enrolled))


def _unrestricted(q: Q | None) -> Q | None:
    return None if q is None else q & Q(restricted=False)


def _educator_children(scope: Scope) -> Q | None:
    groups = scope.ids(Role.EDUCATOR, "group")
    # An educator without a group (a health visitor, a club worker) covers the institution.
    whole = {m.institution_id for m in scope.roles.get(Role.EDUCATOR, []) if m.group_id is None}
    parts = [q for q in (_children_in_groups(groups), _children_in_institutions(whole)) if q]
    return _unrestricted(_any(parts))


def _lead_children(scope: Scope) -> Q | None:
    return _unrestricted(_children_in_institutions(scope.ids(Role.INSTITUTION_LEAD, "institution")))


def _helper_children(scope: Scope) -> Q | None:
    return _unrestricted(_children_in_institutions(scope.ids(Role.SOCIAL_HELPER, "institution")))


def _team_children(scope: Scope) -> Q | None:
    """Children on whose team the user is named, in a municipality where the user still
    holds a role with person-level access: leaving the job ends the team's access too."""
    from earlyhelp.people.models import ChildTeamMember

    municipalities = scope.municipality_ids(*PERSON_LEVEL_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    named = ChildTeamMember.objects.filter(child_id=OuterRef("pk"), user_id=scope.user_id)
    return Q(Exists(named), municipality_id__in=municipalities)


def _supervisor_children(scope: Scope) -> Q | None:
    """Everything of the team: children of institutions assigned to the supervised services'
    social helpers, and children on whose team a member of those services is named."""
    from earlyhelp.people.models import ChildTeamMember

    if not scope.ids(Role.SUPERVISOR, "service"):
        return None
    enrolled = _current_enrolments().filter(
        child_id=OuterRef("pk"), group__institution_id__in=scope.memo(_supervised_institutions)
    )
    on_team = ChildTeamMember.objects.filter(
        child_id=OuterRef("pk"), user_id__in=_supervised_members(scope).values("user_id")
    )
    return (
        Q(restricted=False)
        & Q(municipality_id__in=scope.municipality_ids(Role.SUPERVISOR))
        & (Q(Exists(enrolled)) | Q(Exists(on_team)))
    )


def _supervised_members(scope: Scope) -> QuerySet:
    return Membership.objects.active().filter(
        service_id__in=scope.ids(Role.SUPERVISOR, "service"),
        role__in=[Role.SOCIAL_HELPER, Role.CASE_WORKER],
    )


def _break_glass_children(scope: Scope) -> Q | None:
    from earlyhelp.access.models import BreakGlassGrant

    if scope.user_id is None or not scope.has(*BREAK_GLASS_ROLES):
        return None
    grants = BreakGlassGrant.objects.active().filter(user_id=scope.user_id)
    return Q(restricted=False) & Q(pk__in=grants.values("child_id"))


UNCACHED_BUILDERS = frozenset({_break_glass_children})


def _any(parts: list[Q]) -> Q | None:
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


# Which path grants which action on a child. Order matters only for the role written to audit:
# the most specific path is named.
CHILD_RULES: dict[str, dict[str, QBuilder]] = {
    Action.VIEW: {
        TEAM: _team_children,
        Role.SOCIAL_HELPER: _helper_children,
        Role.SUPERVISOR: _supervisor_children,
        Role.EDUCATOR: _educator_children,
        Role.INSTITUTION_LEAD: _lead_children,
        BREAK_GLASS: _break_glass_children,
    },
    Action.VIEW_DETAILS: {
        TEAM: _team_children,
        Role.SOCIAL_HELPER: _helper_children,
        Role.SUPERVISOR: _supervisor_children,
        BREAK_GLASS: _break_glass_children,
    },
    Action.CHANGE: {
        TEAM: _team_children,
        Role.SOCIAL_HELPER: _helper_children,
        Role.SUPERVISOR: _supervisor_children,
    },
}

# Adults are reached through the children they are related to.
ADULT_ACTIONS = {Action.VIEW: Action.VIEW_DETAILS, Action.CHANGE: Action.CHANGE}

# Roles that may create person records and see lists of children (subject to the rules above).
CHILD_CREATORS = {Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR}
CHILD_LISTERS = PERSON_LEVEL_ROLES


# For lists, each path also in a second form: the ids that name its children in an index (a
# group's enrolments, a user's team places, grants) and the conditions on the child's own
# columns (not restricted, the municipality). The UNION of the ids drives the list, so that it
# sorts a few thousand names instead of walking every name in the country and probing each
# child's scope.
# `test_policy.py` holds each path's two forms to the same children.


def _enrolled_ids(**lookup) -> QuerySet:
    return _current_enrolments().filter(**lookup).order_by().values("child_id")


def _team_ids(scope: Scope) -> list[QuerySet]:
    from earlyhelp.people.models import ChildTeamMember

    named = ChildTeamMember.objects.filter(user_id=scope.user_id)
    return [named.order_by().values("child_id")]


def _institution_ids(role: str) -> Callable[[Scope], list[QuerySet]]:
    def candidates(scope: Scope) -> list[QuerySet]:
        return [_enrolled_ids(group__institution_id__in=scope.ids(role, "institution"))]

    return candidates


def _educator_ids(scope: Scope) -> list[QuerySet]:
    whole = {m.institution_id for m in scope.roles.get(Role.EDUCATOR, []) if m.group_id is None}
    groups = scope.ids(Role.EDUCATOR, "group")
    parts = [_enrolled_ids(group_id__in=groups)] if groups else []
    return parts + ([_enrolled_ids(group__institution_id__in=whole)] if whole else [])


def _supervisor_ids(scope: Scope) -> list[QuerySet]:
    from earlyhelp.people.models import ChildTeamMember

    on_team = ChildTeamMember.objects.filter(
        user_id__in=_supervised_members(scope).values("user_id")
    )
    return [
        _enrolled_ids(group__institution_id__in=scope.memo(_supervised_institutions)),
        on_team.order_by().values("child_id"),
    ]


def _break_glass_ids(scope: Scope) -> list[QuerySet]:
    from earlyhelp.access.models import BreakGlassGrant

    grants = BreakGlassGrant.objects.active().filter(user_id=scope.user_id)
    return [grants.order_by().values("child_id")]


CHILD_CANDIDATES: dict[QBuilder, Callable[[Scope], list[QuerySet]]] = {
    _team_children: _team_ids,
    _helper_children: _institution_ids(Role.SOCIAL_HELPER),
    _lead_children: _institution_ids(Role.INSTITUTION_LEAD),
    _educator_children: _educator_ids,
    _supervisor_children: _supervisor_ids,
    _break_glass_children: _break_glass_ids,
}


def _restricted_excluded(scope: Scope) -> Q:
    return Q(restricted=False)


CHILD_COLUMNS: dict[QBuilder, Callable[[Scope], Q]] = {
    _team_children: lambda scope: Q(
        municipality_id__in=scope.municipality_ids(*PERSON_LEVEL_ROLES)
    ),
    _helper_children: _restricted_excluded,
    _lead_children: _restricted_excluded,
    _educator_children: _restricted_excluded,
    _supervisor_children: lambda scope: Q(
        restricted=False, municipality_id__in=scope.municipality_ids(Role.SUPERVISOR)
    ),
    _break_glass_children: _restricted_excluded,
}


# Up to this many institutions, a list starts from the scope's children and sorts them; beyond
# it (a supervisor of a city's service), it walks the names in order and keeps those in scope,
# which finds a page sooner than sorting tens of thousands.
LIST_FROM_SCOPE_INSTITUTIONS = 20


def _scope_institutions(scope: Scope, paths: list[QBuilder]) -> int:
    count = 0
    for role, build in (
        (Role.SOCIAL_HELPER, _helper_children),
        (Role.INSTITUTION_LEAD, _lead_children),
    ):
        if build in paths:
            count += len(scope.ids(role, "institution"))
    if _educator_children in paths:
        count += sum(1 for m in scope.roles.get(Role.EDUCATOR, []) if m.group_id is None)
    if _supervisor_children in paths:
        count += len(scope.memo(_supervised_institutions))
    return count


def visible_children(user, action: str = Action.VIEW) -> list[QuerySet]:
    """The children of `visible(user, Child.objects.all(), action)`, written for a list, as
    querysets whose UNION is that set; a list narrows each alike and unions them
    (`earlyhelp.core.keyset.keyset_page` takes such parts).

    For a scope of a few institutions, one part per path: its ids joined to the children, with
    its column conditions, so the list sorts the scope's few thousand children instead of
    walking every name in the country. For a larger scope, `visible` itself: the list walks
    the names in order, probes each child's scope, and stops at a page."""
    from earlyhelp.people.models import Child

    scope = scope_for(user)
    paths = [
        build for build in CHILD_RULES.get(action, {}).values() if scope.memo(build) is not None
    ]
    ids = {build: CHILD_CANDIDATES[build](scope) for build in paths}
    if _scope_institutions(scope, paths) > LIST_FROM_SCOPE_INSTITUTIONS:
        return [visible(user, Child.objects.all(), action)]
    return [
        Child.objects.filter(CHILD_COLUMNS[build](scope), pk__in=part)
        for build in paths
        for part in ids[build]
    ]


def _child_q(scope: Scope, action: str) -> Q | None:
    return _any([q for build in CHILD_RULES.get(action, {}).values() if (q := scope.memo(build))])


def _role_case(scope: Scope, action: str) -> Case | None:
    whens = [
        When(q, then=Value(str(path)))
        for path, build in CHILD_RULES.get(action, {}).items()
        if (q := scope.memo(build)) is not None
    ]
    if not whens:
        return None
    return Case(*whens, default=Value(""), output_field=CharField())


# --- Concerns -----------------------------------------------------------------------------------
# The reporter sees their own concerns, drafts included; the institution's lead sees its
# concerns' status; the social helpers assigned to the institution and their supervisors see
# the content and triage. Nobody else sees a draft.

REPORTING_ROLES = (Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER)
TRIAGE_OPEN = ("submitted", "acknowledged")


def _supervised_institutions(scope: Scope) -> set[int]:
    if not scope.ids(Role.SUPERVISOR, "service"):
        return set()
    members = _supervised_members(scope)
    return set(
        members.filter(role=Role.SOCIAL_HELPER, institution__isnull=False).values_list(
            "institution_id", flat=True
        )
    )


def _concern_q(scope: Scope, action: str) -> Q | None:
    if scope.user_id is None:
        return None
    own = Q(reporter_id=scope.user_id)
    submitted = ~Q(status="draft")
    triagers = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    triage = Q(institution_id__in=triagers) & submitted if triagers else None
    leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
    lead = Q(institution_id__in=leads) & submitted if leads else None
    parts = {
        Action.VIEW: [own, triage, lead],
        Action.VIEW_DETAILS: [own, triage],
        # A private person's report has no account to read a conversation.
        Action.MESSAGE: [
            own & submitted,
            triage & Q(reporter__isnull=False) if triage is not None else None,
        ],
        Action.CHANGE: [own & Q(status="draft")],
        Action.TRIAGE: [triage & Q(status__in=TRIAGE_OPEN) if triage is not None else None],
        # The decision itself is for triagers; what a reporter learns of it is the feedback
        # their jurisdiction allows.
        Action.VIEW_DECISION: [triage],
        Action.CLOSE: [triage & Q(status="triaged") if triage is not None else None],
    }.get(action, [])
    return _any([part for part in parts if part is not None])


# --- Absences ----------------------------------------------------------------------------------
# The class register: an educator records the absence of the children of their class, the
# institution's lead of the institution's children; the institution's social helpers read it.


def absence_recording_children(user) -> dict[int, Q]:
    """Per institution, the children whose absence the user records there."""
    return _absence_recording(scope_for(user))


# Institutions that keep a class register; health visiting and clubs do not.
REGISTER_KINDS = ("school", "kindergarten", "daycare")


def _absence_recording(scope: Scope) -> dict[int, Q]:
    found: dict[int, list[Q]] = {}
    for m in scope.roles.get(Role.EDUCATOR, []):
        if m.institution_id is None or m.institution.kind not in REGISTER_KINDS:
            continue
        q = _children_in_groups({m.group_id}) if m.group_id else None
        q = q or _children_in_institutions({m.institution_id})
        found.setdefault(m.institution_id, []).append(_unrestricted(q))
    for m in scope.roles.get(Role.INSTITUTION_LEAD, []):
        if m.institution_id is None or m.institution.kind not in REGISTER_KINDS:
            continue
        found.setdefault(m.institution_id, []).append(
            _unrestricted(_children_in_institutions({m.institution_id}))
        )
    return {institution_id: _any(parts) for institution_id, parts in found.items()}


def _absence_q(scope: Scope, action: str) -> Q | None:
    from earlyhelp.people.models import Child

    parts = [
        Q(institution_id=institution_id)
        & Q(Exists(Child.objects.filter(q, pk=OuterRef("child_id"))))
        for institution_id, q in _absence_recording(scope).items()
    ]
    if action == Action.VIEW:
        helped = scope.ids(Role.SOCIAL_HELPER, "institution")
        if helped:
            parts.append(Q(institution_id__in=helped))
    return _any(parts)


# --- Cases --------------------------------------------------------------------------------------
# A case is seen and worked by its team (the members who have not left), while they hold a role
# with person-level access in its municipality; the supervisors of its service see, work and
# allocate it, unless it is restricted: a restricted case is its team's alone.

CASE_OPENERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def _case_team_q(scope: Scope) -> Q | None:
    from earlyhelp.cases.models import CaseMember

    municipalities = scope.municipality_ids(*PERSON_LEVEL_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    on_team = CaseMember.objects.filter(
        case_id=OuterRef("pk"), user_id=scope.user_id, left_at__isnull=True
    )
    return Q(Exists(on_team), municipality_id__in=municipalities)


def _case_supervisor_q(scope: Scope) -> Q | None:
    services = scope.ids(Role.SUPERVISOR, "service")
    return Q(service_id__in=services, restricted=False) if services else None


def _case_q(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.CHANGE, Action.CLOSE):
        return _any([q for q in (_case_team_q(scope), _case_supervisor_q(scope)) if q])
    if action == Action.ALLOCATE:
        return _case_supervisor_q(scope)
    return None


def case_services(user) -> set[int]:
    """The services in which the user may open a case: those of their social-helper,
    case-worker and supervisor memberships."""
    scope = scope_for(user)
    return {m.service_id for r in CASE_OPENERS for m in scope.roles.get(r, []) if m.service_id}


def _case_child_q(scope: Scope, action: str) -> Q | None:
    """A case's team and chronology are read where the case is, and changed where it is."""
    from earlyhelp.cases.models import Case

    case_q = _case_q(scope, Action.VIEW if action == Action.VIEW else Action.CHANGE)
    if case_q is None:
        return None
    return Q(Exists(Case.objects.filter(case_q, pk=OuterRef("case_id"))))


# --- Signs of Safety meetings without a case ---------------------------------------------------
# A meeting about a staff worry is the institution's: its social helpers (and their supervisors)
# facilitate and change it; its lead reads it. It names no child.


def _safety_meeting_q(scope: Scope, action: str) -> Q | None:
    triagers = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    parts = [Q(institution_id__in=triagers)] if triagers else []
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        if leads:
            parts.append(Q(institution_id__in=leads))
    return _any(parts) if action in (Action.VIEW, Action.CHANGE) else None


def meeting_institutions(user) -> set[int]:
    """The institutions for which the user facilitates Signs of Safety meetings."""
    return scope_for(user).ids(Role.SOCIAL_HELPER, "institution")


# --- Activities: the toolkit of help -----------------------------------------------------------
# An activity is held at an institution: the social helpers assigned to it and their supervisors
# see and work it, and so do the people who deliver it (its lead and co-workers) while they hold
# a role with person-level access in its municipality. The institution's lead sees the
# activities held there, but not who took part. Staff see the workshops of their institution,
# to register for them.

ACTIVITY_OPENERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)
STAFF_ROLES = (Role.EDUCATOR, Role.INSTITUTION_LEAD)


def _activity_team_q(scope: Scope) -> Q | None:
    from earlyhelp.activities.models import Activity

    # Only while they still hold a role that delivers activities: a former social helper
    # who now teaches no longer reads their old groups.
    municipalities = scope.municipality_ids(*ACTIVITY_OPENERS)
    if scope.user_id is None or not municipalities:
        return None
    co_worker = Activity.workers.through.objects.filter(
        activity_id=OuterRef("pk"), user_id=scope.user_id
    )
    return (Q(lead_id=scope.user_id) | Q(Exists(co_worker))) & Q(municipality_id__in=municipalities)


def _staff_institutions(scope: Scope) -> set[int]:
    return {
        m.institution_id for r in STAFF_ROLES for m in scope.roles.get(r, []) if m.institution_id
    }


def _activity_q(scope: Scope, action: str) -> Q | None:
    helped = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    workers = [scope.memo(_activity_team_q), Q(institution_id__in=helped) if helped else None]
    workers = [q for q in workers if q is not None]
    staff = _staff_institutions(scope)
    workshops = (
        Q(type__registration=True, institution_id__in=staff) & ~Q(status="cancelled")
        if staff
        else None
    )
    if action in (Action.VIEW_DETAILS, Action.CHANGE):
        return _any(workers)
    if action == Action.REGISTER:
        return workshops & Q(status="active") if workshops is not None else None
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        # A sparring is between the member of staff who asked and the social helpers.
        led = Q(institution_id__in=leads) & ~Q(type__code="staff_sparring") if leads else None
        parts = [*workers, led, workshops]
        return _any([q for q in parts if q is not None])
    return None


def _activity_row_q(scope: Scope, action: str) -> Q | None:
    """An activity's sessions and participants are read and changed where the activity's
    details are."""
    from earlyhelp.activities.models import Activity

    activity_q = _activity_q(
        scope, Action.CHANGE if action == Action.CHANGE else Action.VIEW_DETAILS
    )
    if activity_q is None:
        return None
    return Q(Exists(Activity.objects.filter(activity_q, pk=OuterRef("activity_id"))))


def activity_institutions(user) -> QuerySet:
    """The institutions where the user may hold an activity: a social helper's assigned
    institutions, a supervisor's supervised ones, and for a case worker any of their
    municipality's."""
    from earlyhelp.organisations.models import Institution

    scope = scope_for(user)
    helped = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    q = Q(pk__in=helped)
    case_workers = scope.municipality_ids(Role.CASE_WORKER)
    if case_workers:
        q |= Q(municipality_id__in=case_workers)
    return Institution.objects.filter(q)


def _sparring_q(scope: Scope, action: str) -> Q | None:
    if scope.user_id is None:
        return None
    own = Q(requested_by_id=scope.user_id)
    helped = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    helpers = Q(institution_id__in=helped) if helped else None
    if action == Action.VIEW:
        return _any([q for q in (own, helpers) if q is not None])
    if action == Action.CHANGE:
        # Accept, decline, schedule: the institution's social helpers (and supervisors).
        return helpers & Q(status__in=["requested", "scheduled"]) if helpers is not None else None
    if action == Action.CLOSE:
        # Withdraw: the one who asked, while nobody has answered yet.
        return own & Q(status="requested")
    return None


def sparring_institutions(user) -> set[int]:
    """The institutions on whose behalf the user may ask for sparring: where they teach or
    lead."""
    return _staff_institutions(scope_for(user))


# --- Screening rounds ---------------------------------------------------------------------------
# A round is the institution's: its social helpers (and their supervisors) open it, see who is
# flagged and end each flag; its educators rate the children of their own classes in it; its
# lead follows the progress and the share of flagged children. Figures for managers and
# analysts come from `screening_figures_for`, with small cells suppressed.


def _round_q(scope: Scope, action: str) -> Q | None:
    from earlyhelp.screening.models import RoundGroup

    helped = scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)
    helpers = Q(institution_id__in=helped) if helped else None
    groups = scope.ids(Role.EDUCATOR, "group")
    whole = {m.institution_id for m in scope.roles.get(Role.EDUCATOR, []) if m.group_id is None}
    educator_parts = []
    if groups:
        rated = RoundGroup.objects.filter(round_id=OuterRef("pk"), group_id__in=groups)
        educator_parts.append(Q(Exists(rated)))
    if whole:
        educator_parts.append(Q(institution_id__in=whole))
    educators = _any(educator_parts)
    if action in (Action.VIEW_DETAILS, Action.CHANGE):
        return helpers
    if action == Action.RECORD:
        return educators
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        parts = [helpers, educators, Q(institution_id__in=leads) if leads else None]
        return _any([q for q in parts if q is not None])
    return None


def screening_institutions(user) -> set[int]:
    """The institutions where the user may open a screening round."""
    scope = scope_for(user)
    return scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)


def rating_groups(user, round_) -> set[int]:
    """The classes of `round_` whose children the user rates: their own classes, or all of the
    round's classes for an educator of the whole institution."""
    scope = scope_for(user)
    if not can(user, Action.RECORD, round_):
        return set()
    round_groups = set(round_.round_groups.values_list("group_id", flat=True))
    whole = {m.institution_id for m in scope.roles.get(Role.EDUCATOR, []) if m.group_id is None}
    if round_.institution_id in whole:
        return round_groups
    return round_groups & scope.ids(Role.EDUCATOR, "group")


def screening_figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """Rounds whose figures (share of flagged children per class and institution) the user may
    read, and whether small cells must be suppressed: exact for the institution's lead, social
    helpers and supervisors; for a manager or analyst their municipality, counts below 5
    hidden."""
    scope = scope_for(user)
    exact = scope.ids(Role.INSTITUTION_LEAD, "institution") | screening_institutions(user)
    if exact:
        return queryset.filter(institution_id__in=exact), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True


# --- Organisation objects (administration) ------------------------------------------------------

# Configuration an administrator manages, by model label: the path to its municipality.
# --- Assisted contact --------------------------------------------------------------------------
# An arrangement is worked by its worker and other workers (while they hold a role that works
# with families), and by the supervisors of its service. The service's case workers read its
# arrangements (their contact calendar), except those of children on restricted records. A
# supervisor of the service, never the report's writer, releases a report.

CONTACT_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.SOCIAL_HELPER)


def contact_services(user) -> set[int]:
    """The services in which the user may open a contact arrangement: those of their case-
    worker and supervisor memberships."""
    scope = scope_for(user)
    return {
        m.service_id
        for r in (Role.CASE_WORKER, Role.SUPERVISOR)
        for m in scope.roles.get(r, [])
        if m.service_id
    }


def _on_childs_team(scope: Scope, child_path: str) -> Q:
    """The child at `child_path` is not restricted, or the user is named on their team."""
    from earlyhelp.people.models import ChildTeamMember

    named = ChildTeamMember.objects.filter(child_id=OuterRef(child_path), user_id=scope.user_id)
    return Q(**{f"{child_path.replace('_id', '')}__restricted": False}) | Q(Exists(named))


def _contact_team_q(scope: Scope) -> Q | None:
    from earlyhelp.contacts.models import Arrangement

    municipalities = scope.municipality_ids(*CONTACT_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    co_worker = Arrangement.workers.through.objects.filter(
        arrangement_id=OuterRef("pk"), user_id=scope.user_id
    )
    # A restricted child's arrangement only for the workers named on the child's team.
    return (
        (Q(lead_id=scope.user_id) | Q(Exists(co_worker)))
        & Q(municipality_id__in=municipalities)
        & _on_childs_team(scope, "child_id")
    )


def _contact_q(scope: Scope, action: str) -> Q | None:
    team = scope.memo(_contact_team_q)
    supervised = scope.ids(Role.SUPERVISOR, "service")
    readers = supervised | scope.ids(Role.CASE_WORKER, "service")
    if action == Action.VIEW:
        service = Q(service_id__in=readers, child__restricted=False) if readers else None
        return _any([q for q in (team, service) if q is not None])
    if action == Action.CHANGE:
        service = Q(service_id__in=supervised, child__restricted=False) if supervised else None
        return _any([q for q in (team, service) if q is not None])
    return None


def _contact_row_q(scope: Scope, action: str, *, report: bool = False) -> Q | None:
    """Meetings and reports are read and changed where their arrangement is. A report is
    changed (and sent for review) only by its writer, and approved by a supervisor of the
    service who did not write it (named on the child's team if the child is restricted): so
    a report is always released by a second person."""
    from earlyhelp.contacts.models import Arrangement

    if action == Action.APPROVE:
        supervised = scope.ids(Role.SUPERVISOR, "service")
        if not report or not supervised or scope.user_id is None:
            return None
        return (
            Q(arrangement__service_id__in=supervised)
            & _on_childs_team(scope, "arrangement__child_id")
            & ~Q(written_by_id=scope.user_id)
        )
    arrangement_q = _contact_q(scope, Action.CHANGE if action == Action.CHANGE else Action.VIEW)
    if arrangement_q is None:
        return None
    q = Q(Exists(Arrangement.objects.filter(arrangement_q, pk=OuterRef("arrangement_id"))))
    if report and action == Action.CHANGE:
        q &= Q(written_by_id=scope.user_id)
    return q


# --- Foster care -------------------------------------------------------------------------------
# A foster household is seen and worked by the key worker of its support agreement (while they
# hold a role that works with families in its municipality) and by the case workers and
# supervisors of its service. Managers and analysts read only the service's figures, small
# cells suppressed (`fostercare_figures_for`). Nobody else sees a household, its carers or the
# children placed with it. The carers' address is shown only to those who see the household: a
# worker of the birth family's contact arrangement who does not support the foster family never
# sees it (and, with `address_protected`, the carers' own adult records hide it too).

FOSTER_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR)
FOSTER_ROWS = (
    "fostercare.carer",
    "fostercare.placement",
    "fostercare.supportagreement",
    "fostercare.visit",
    "fostercare.training",
    "fostercare.respite",
    "fostercare.developmentitem",
    "fostercare.checkliststep",
)


def fostercare_services(user) -> set[int]:
    """The services whose foster households the user supports (and where they may record a
    new one): those of their case-worker and supervisor memberships."""
    scope = scope_for(user)
    return {m.service_id for r in FOSTER_ROLES for m in scope.roles.get(r, []) if m.service_id}


def _key_worker_q(scope: Scope) -> Q | None:
    from earlyhelp.fostercare.models import SupportAgreement

    municipalities = scope.municipality_ids(*FOSTER_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    # Only the key worker of a current agreement: an ended or replaced one gives no access.
    today = date.today()
    agreements = SupportAgreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today),
        household_id=OuterRef("pk"),
        key_worker_id=scope.user_id,
        signed_on__lte=today,
    )
    return Q(Exists(agreements)) & Q(municipality_id__in=municipalities)


def _household_q(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.VIEW_DETAILS, Action.CHANGE):
        return None
    services = {m.service_id for r in FOSTER_ROLES for m in scope.roles.get(r, []) if m.service_id}
    parts = [scope.memo(_key_worker_q), Q(service_id__in=services) if services else None]
    # VIEW_DETAILS (the carers' address) is granted on the same foster side as VIEW: nobody on
    # the birth family's side holds it.
    return _any([q for q in parts if q is not None])


def _household_row_q(scope: Scope, action: str) -> Q | None:
    """Carers, placements, agreements and records are read and changed where their household
    is; a placement of a restricted child only by the child's team."""
    from earlyhelp.fostercare.models import Household

    household_q = _household_q(scope, Action.CHANGE if action == Action.CHANGE else Action.VIEW)
    if household_q is None:
        return None
    return Q(Exists(Household.objects.filter(household_q, pk=OuterRef("household_id"))))


def _placement_q(scope: Scope, action: str) -> Q | None:
    rows = _household_row_q(scope, action)
    if rows is None:
        return None
    return rows & _on_childs_team(scope, "child_id")


def fostercare_figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """Households whose compliance figures the user may read, and whether small cells must be
    suppressed: exact for the service's case workers and supervisors; for a manager or analyst
    their municipality, counts below 5 hidden."""
    scope = scope_for(user)
    services = fostercare_services(user)
    if services:
        return queryset.filter(service_id__in=services), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True


ORGANISATION_MUNICIPALITY_PATH = {
    "organisations.municipality": "pk",
    "organisations.service": "municipality_id",
    "organisations.district": "municipality_id",
    "organisations.institution": "municipality_id",
    "organisations.group": "institution__municipality_id",
    "organisations.districtpairing": "district__municipality_id",
    "organisations.membership": "municipality_id",
    "protocols.municipalsetting": "municipality_id",
    "protocols.closingday": "municipality_id",
    "activities.activitytype": "municipality_id",
    "screening.instrument": "municipality_id",
    "screening.item": "instrument__municipality_id",
    "contacts.room": "municipality_id",
    "fostercare.requirementrule": "municipality_id",
}


def _organisation_q(scope: Scope, model: type[Model]) -> Q | None:
    if scope.is_superuser:
        return Q()
    municipalities = scope.municipality_ids(Role.ADMIN)
    if not municipalities:
        return None
    path = ORGANISATION_MUNICIPALITY_PATH[model._meta.label_lower]
    return Q(**{f"{path}__in": municipalities})


def _user_q(scope: Scope) -> Q | None:
    if scope.is_superuser:
        return Q()
    municipalities = scope.municipality_ids(Role.ADMIN)
    if not municipalities:
        return None
    # An account belongs to the municipality that manages it; memberships elsewhere give no
    # other municipality's administrator a hold on it, and superusers are out of reach.
    return Q(municipality_id__in=municipalities, is_superuser=False)


# --- The two questions --------------------------------------------------------------------------


def visible(user, queryset: QuerySet, action: str = Action.VIEW) -> QuerySet:
    """The rows of `queryset` on which `user` may do `action`; none if the policy is silent."""
    from earlyhelp.access.models import BreakGlassGrant
    from earlyhelp.accounts.models import User
    from earlyhelp.people.models import (
        Adult,
        Child,
        Consent,
        Enrolment,
        Relationship,
    )

    scope = scope_for(user)
    model = queryset.model
    q: Q | None = None
    if model is Child:
        q = _child_q(scope, action)
    elif model is Adult:
        child_q = _child_q(scope, ADULT_ACTIONS.get(action, ""))
        if child_q is not None:
            # Correlated on the row, as the children's scopes are: the scope is checked for the
            # children of this adult only, never for every child first.
            readable = Child.objects.filter(child_q, pk=OuterRef("child_id"))
            related = Relationship.objects.filter(adult_id=OuterRef("pk")).filter(Exists(readable))
            q = Q(Exists(related))
            q &= Q(restricted=False) | Q(relationships__child__team_members__user_id=scope.user_id)
    elif model in (Consent, Enrolment, Relationship):
        child_q = _child_q(scope, _CHILD_ROW_ACTIONS.get(action, action))
        if child_q is not None:
            q = Q(Exists(Child.objects.filter(child_q, pk=OuterRef("child_id"))))
            q &= _named_adult_q(scope, model)
    elif model._meta.label_lower in ORGANISATION_MUNICIPALITY_PATH:
        q = _organisation_q(scope, model)
    elif model is User:
        q = _user_q(scope)
    elif model is BreakGlassGrant:
        q = _break_glass_log_q(scope, action)
    elif model._meta.label_lower == "concerns.concern":
        q = _concern_q(scope, action)
    elif model._meta.label_lower == "absences.absence":
        q = _absence_q(scope, action)
    elif model._meta.label_lower == "cases.case":
        q = _case_q(scope, action)
    elif model._meta.label_lower in ("cases.chronologyentry", "cases.casemember"):
        q = _case_child_q(scope, action)
    elif model._meta.label_lower == "safety.safetymeeting":
        q = _safety_meeting_q(scope, action)
    elif model._meta.label_lower == "activities.activity":
        q = _activity_q(scope, action)
    elif model._meta.label_lower in ("activities.session", "activities.participant"):
        q = _activity_row_q(scope, action)
    elif model._meta.label_lower == "activities.sparringrequest":
        q = _sparring_q(scope, action)
    elif model._meta.label_lower == "screening.round":
        q = _round_q(scope, action)
    elif model._meta.label_lower == "contacts.arrangement":
        q = _contact_q(scope, action)
    elif model._meta.label_lower in ("contacts.report", "contacts.meeting"):
        q = _contact_row_q(scope, action, report=model._meta.label_lower == "contacts.report")
    elif model._meta.label_lower == "fostercare.household":
        q = _household_q(scope, action)
    elif model._meta.label_lower == "fostercare.placement":
        q = _placement_q(scope, action)
    elif model._meta.label_lower in FOSTER_ROWS:
        q = _household_row_q(scope, action)
    if q is None:
        return queryset.none()
    return queryset.filter(q).distinct() if model is Adult else queryset.filter(q)


# A child's consents, enrolments and relationships are read where the child's full record is.
_CHILD_ROW_ACTIONS = {Action.VIEW: Action.VIEW_DETAILS}
_CHILD_ROWS = {
    "people.consent": "given_by",
    "people.enrolment": None,
    "people.relationship": "adult",
}


def _named_adult_q(scope: Scope, model) -> Q:
    """A restricted adult stays hidden in the rows that name them, as on their own page,
    except from the child's team."""
    from earlyhelp.people.models import ChildTeamMember

    adult = _CHILD_ROWS.get(model._meta.label_lower)
    if adult is None:
        return Q()
    on_team = ChildTeamMember.objects.filter(user_id=scope.user_id).values("child_id")
    return (
        Q(**{f"{adult}__isnull": True})
        | Q(**{f"{adult}__restricted": False})
        | Q(child_id__in=on_team)
    )


def visible_of_child(user, queryset: QuerySet, child, action: str = Action.VIEW) -> QuerySet:
    """`visible(user, queryset.filter(child=child), action)` for a child's consents, enrolments
    and relationships, decided by the child's own path (which a child fetched by `open_record`
    carries) instead of a subquery over the child's scope for every row."""
    rows = queryset.filter(child_id=child.pk)
    if queryset.model._meta.label_lower not in _CHILD_ROWS:
        return visible(user, rows, action)
    if not can(user, _CHILD_ROW_ACTIONS.get(action, action), child):
        return rows.none()
    return rows.filter(_named_adult_q(scope_for(user), queryset.model))


def _break_glass_log_q(scope: Scope, action: str) -> Q | None:
    """Supervisors review the break-glass openings in their municipality; managers and
    administrators see their own."""
    parts = []
    supervised = scope.municipality_ids(Role.SUPERVISOR)
    if supervised:
        parts.append(Q(municipality_id__in=supervised) & ~Q(user_id=scope.user_id))
    if action == Action.REVIEW_BREAK_GLASS:
        return _any(parts)
    if action == Action.VIEW and scope.user_id and scope.has(*BREAK_GLASS_ROLES):
        parts.append(Q(user_id=scope.user_id))
    return _any(parts)


def can(user, action: str, target) -> bool:
    """May `user` do `action` on `target` (an object, or a model class for list/create)?"""
    from earlyhelp.access.models import BreakGlassGrant
    from earlyhelp.people.models import Child

    scope = scope_for(user)
    if isinstance(target, type):
        if target is Child:
            if action == Action.LIST:
                return scope.has(*CHILD_LISTERS)
            if action == Action.CREATE:
                return scope.has(*CHILD_CREATORS)
            if action == Action.BREAK_GLASS:
                return scope.has(*BREAK_GLASS_ROLES)
        if target._meta.label_lower == "concerns.concern":
            if action == Action.REPORT:
                return any(
                    m.institution_id for r in REPORTING_ROLES for m in scope.roles.get(r, [])
                )
            if action == Action.LIST_QUEUE:
                return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR)
            if action == Action.RECORD:
                return bool(triage_institutions(user))
            if action == Action.LIST_INSTITUTION:
                return scope.has(Role.INSTITUTION_LEAD)
            if action == Action.VIEW_STATS:
                return scope.has(*AGGREGATE_ROLES) or scope.has(
                    Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR
                )
            return False
        if target._meta.label_lower == "cases.case":
            if action == Action.CREATE:
                return bool(case_services(user))
            if action == Action.LIST:
                return scope.has(*CASE_OPENERS)
            return False
        if target._meta.label_lower == "safety.safetymeeting":
            if action == Action.CREATE:
                return bool(meeting_institutions(user))
            if action == Action.LIST:
                return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD)
            return False
        if target._meta.label_lower == "activities.activity":
            if action == Action.CREATE:
                return scope.has(*ACTIVITY_OPENERS) and activity_institutions(user).exists()
            if action == Action.LIST:
                return scope.has(*ACTIVITY_OPENERS, Role.INSTITUTION_LEAD)
            return False
        if target._meta.label_lower == "activities.sparringrequest":
            if action == Action.CREATE:
                return bool(sparring_institutions(user))
            if action == Action.LIST:
                return bool(sparring_institutions(user)) or scope.has(
                    Role.SOCIAL_HELPER, Role.SUPERVISOR
                )
            return False
        if target._meta.label_lower == "screening.round":
            if action == Action.CREATE:
                return bool(screening_institutions(user))
            if action == Action.LIST:
                return scope.has(
                    Role.SOCIAL_HELPER, Role.SUPERVISOR, Role.INSTITUTION_LEAD, Role.EDUCATOR
                )
            if action == Action.VIEW_STATS:
                return scope.has(
                    Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR, *AGGREGATE_ROLES
                )
            return False
        if target._meta.label_lower == "contacts.arrangement":
            if action == Action.CREATE:
                return bool(contact_services(user))
            if action == Action.LIST:
                return scope.has(Role.CASE_WORKER, Role.SUPERVISOR)
            return False
        if target._meta.label_lower == "fostercare.household":
            if action == Action.CREATE:
                return bool(fostercare_services(user))
            if action == Action.LIST:
                return scope.has(*FOSTER_ROLES)
            if action == Action.VIEW_STATS:
                return scope.has(*FOSTER_ROLES, *AGGREGATE_ROLES)
            return False
        if target._meta.label_lower == "absences.absence" and action == Action.RECORD:
            return bool(_absence_recording(scope))
        if target is BreakGlassGrant and action == Action.LIST:
            return scope.has(Role.SUPERVISOR, *BREAK_GLASS_ROLES)
        if target._meta.label_lower in ORGANISATION_MUNICIPALITY_PATH and action == Action.MANAGE:
            return scope.is_superuser or scope.has(Role.ADMIN)
        return False
    if isinstance(target, BreakGlassGrant) and action == Action.END_BREAK_GLASS:
        return target.user_id == scope.user_id and target.is_active
    if isinstance(target, BreakGlassGrant) and action == Action.REVIEW_BREAK_GLASS:
        return target.user_id != scope.user_id and target.municipality_id in scope.municipality_ids(
            Role.SUPERVISOR
        )
    known = _known_paths(user, target)
    if known is not None and action in known:
        return bool(known[action])
    model = type(target)
    return visible(user, model._default_manager.filter(pk=target.pk), action).exists()


# A child fetched with `with_child_paths` carries, for the user who fetched it, the path that
# grants each action of CHILD_RULES, so that the page asks the database once, not per action.
_PATHS_ATTR = "_earlyhelp_paths"


def _grant_builders(scope: Scope) -> dict[str, Q]:
    """Each path's condition once, whichever actions it grants."""
    return {
        build.__name__: q
        for rules in CHILD_RULES.values()
        for build in rules.values()
        if (q := scope.memo(build)) is not None
    }


def with_child_paths(user, queryset: QuerySet) -> QuerySet:
    """`queryset` of children with one boolean per path that reaches this user's children
    (team, social helper, ...), each written once; `remember_child_paths` turns them into
    the path of every action, from which `can` and `granting_path` then answer."""
    grants = _grant_builders(scope_for(user))
    return queryset.annotate(
        **{
            f"_grant{name}": ExpressionWrapper(q, output_field=BooleanField())
            for name, q in grants.items()
        }
    )


def remember_child_paths(user, child) -> None:
    """Keep, for this user only, the path that grants each action on a child fetched by
    `with_child_paths` ("" where none does)."""
    scope = scope_for(user)
    grants = _grant_builders(scope)
    if any(not hasattr(child, f"_grant{name}") for name in grants):
        return
    paths = {}
    for action, rules in CHILD_RULES.items():
        paths[action] = next(
            (
                str(path)
                for path, build in rules.items()
                if build.__name__ in grants and getattr(child, f"_grant{build.__name__}")
            ),
            "",
        )
    setattr(child, _PATHS_ATTR, (scope.user_id, paths))


def _known_paths(user, target) -> dict[str, str] | None:
    known = getattr(target, _PATHS_ATTR, None)
    if known is None or known[0] != getattr(user, "pk", None):
        return None
    return known[1]


def granting_path(user, action: str, obj) -> str:
    """The role (or "team", "break_glass") through which `user` may do `action` on `obj`;
    "" if none. This is what the audit log records as the reader's role."""
    from earlyhelp.people.models import Adult, Child

    scope = scope_for(user)
    known = _known_paths(user, obj)
    if known is not None and action in known:
        return known[action]
    if isinstance(obj, Child | Adult):
        # An adult is reached through the children they are related to.
        children = (
            Child.objects.filter(pk=obj.pk)
            if isinstance(obj, Child)
            else Child.objects.filter(relationships__adult=obj)
        )
        action = action if isinstance(obj, Child) else ADULT_ACTIONS.get(action, action)
        case = _role_case(scope, action)
        if case is None:
            return ""
        paths = children.annotate(path=case).exclude(path="").values_list("path", flat=True)
        return next(iter(paths), "")
    return primary_role(user)


# Roles that see figures about concerns but no concern itself: counts below 5 are suppressed.
AGGREGATE_ROLES = (Role.MANAGER, Role.ANALYST)
SMALL_CELL = 5


def figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """The rows of maintained figures per institution (`concerns.InstitutionFigures`) the user
    may read, and whether small cells must be suppressed: a lead, social helper or supervisor
    reads the institutions they lead or triage, exactly; a manager or analyst their whole
    municipality, with counts below 5 hidden."""
    scope = scope_for(user)
    if scope.has(Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR):
        institutions = scope.ids(Role.INSTITUTION_LEAD, "institution") | triage_institutions(user)
        return queryset.filter(institution_id__in=institutions), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True


def triagers_for(institution_id: int):
    """The people who triage the institution's concerns: its assigned social helpers and the
    supervisors of their services."""
    from earlyhelp.accounts.models import User

    helpers = Membership.objects.active().filter(
        role=Role.SOCIAL_HELPER, institution_id=institution_id
    )
    supervisors = Membership.objects.active().filter(
        role=Role.SUPERVISOR, service_id__in=helpers.values("service_id")
    )
    # One UNION of the two small sets of ids, not an OR that checks every user against both.
    ids = helpers.order_by().values("user_id").union(supervisors.order_by().values("user_id"))
    return User.objects.filter(pk__in=ids, is_active=True)


def triage_institutions(user) -> set[int]:
    """The institutions whose concerns the user triages: a social helper's assigned
    institutions, and those of the social helpers a supervisor supervises. A report that
    reaches them outside earlyhelp (a call, a letter) is recorded for one of these."""
    scope = scope_for(user)
    return scope.ids(Role.SOCIAL_HELPER, "institution") | scope.memo(_supervised_institutions)


def reporting_institutions(user) -> set[int]:
    """The institutions on whose behalf the user may report a concern."""
    scope = scope_for(user)
    return {
        m.institution_id
        for r in REPORTING_ROLES
        for m in scope.roles.get(r, [])
        if m.institution_id
    }


def primary_role(user) -> str:
    """The role shown in the navigation and written to audit rows that concern no person."""
    scope = scope_for(user)
    for role in Role:
        if role in scope.roles:
            return role.value
    return "superuser" if scope.is_superuser else ""
