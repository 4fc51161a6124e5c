"""Who sees and changes staff profiles, training and the training norm, and (in their own
sections below) reflective supervision, team case discussions, implementation support,
coverage and caseload.

A staff profile, its qualifications and employment, and the training a staff member was
credited with, are seen by the staff member themselves, by their supervisors and by the
administrators of the municipality that manages their account; only the supervisors and the
administrators change them, never the staff member (nor anyone their own). Nobody else sees
any of it: a manager, an analyst, an educator or a supervisor of another service gets 404.

"Their supervisors" are the holders of the supervisor role in a service in which the staff
member works as a social helper or case worker today: the line management every other
capability reads through `supervised_members`.

Training events are the municipality's: its supervisors and administrators list, create and
change them; a staff member sees an event they attended. The norm of training hours is
configuration the municipality's administrators set.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from earlyhelp.access.engine import (
    Action,
    Scope,
    any_of,
    configuration,
    narrow,
    register,
    scope_for,
    supervised_institutions,
    supervised_members,
)
from earlyhelp.organisations.models import Role

# Those who keep staff records: line management and the administration.
KEEPERS = (Role.SUPERVISOR, Role.ADMIN)
# Those who have a profile and a training record to look at.
WORKERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)


def _supervised(scope: Scope) -> Q | None:
    if not scope.ids(Role.SUPERVISOR, "service"):
        return None
    return Q(user_id__in=supervised_members(scope).values("user_id"))


def _administered(scope: Scope) -> Q | None:
    municipalities = scope.municipality_ids(Role.ADMIN)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _own(scope: Scope) -> Q | None:
    return Q(user_id=scope.user_id) if scope.user_id is not None else None


def _profile_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return any_of(_own(scope), scope.memo(_supervised), _administered(scope))
    if action in (Action.CHANGE, Action.MANAGE):
        keepers = any_of(scope.memo(_supervised), _administered(scope))
        if keepers is None:
            return None
        # Nobody keeps their own record, whatever else they hold.
        return keepers & ~Q(user_id=scope.user_id)
    return None


def _profile_model(scope: Scope, action: str) -> bool:
    if action in (Action.LIST, Action.CREATE):
        return scope.has(*KEEPERS)
    if action == Action.VIEW:
        # The page of one's own profile and training, offered in the navigation.
        return scope.has(*WORKERS)
    return False


register("workforce.staffprofile", rows=_profile_rows, model=_profile_model)


def _record_action(action: str) -> str | None:
    """A profile's rows (qualifications, employment, training credited) are read where the
    profile is read and changed where it is changed."""
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CHANGE, Action.CREATE, Action.MANAGE):
        return Action.CHANGE
    return None


register(
    "workforce.qualification",
    "workforce.employment",
    parent="profile",
    parent_action=_record_action,
)
register("workforce.attendance", parent="staff", parent_action=_record_action)


def _event_rows(scope: Scope, action: str) -> Q | None:
    municipalities = scope.municipality_ids(*KEEPERS)
    kept = Q(municipality_id__in=municipalities) if municipalities else None
    if action in (Action.VIEW, Action.LIST):
        from earlyhelp.workforce.models import Attendance

        attended = None
        if scope.user_id is not None:
            mine = Attendance.objects.filter(event_id=OuterRef("pk"), staff__user_id=scope.user_id)
            attended = Q(Exists(mine))
        return any_of(kept, attended)
    if action in (Action.CHANGE, Action.MANAGE):
        return kept
    return None


def _event_model(scope: Scope, action: str) -> bool:
    return action in (Action.LIST, Action.CREATE) and scope.has(*KEEPERS)


register("workforce.trainingevent", rows=_event_rows, model=_event_model)
register("workforce.trainingnorm", **configuration("municipality_id"))


# --- The capability's own questions ----------------------------------------------------------


def profile_candidates(user) -> QuerySet:
    """The accounts the user may start a staff profile for: the workers they supervise and the
    accounts their municipality manages, who have none yet (never their own)."""
    from earlyhelp.accounts.models import User

    scope = scope_for(user)
    parts = []
    if scope.ids(Role.SUPERVISOR, "service"):
        parts.append(Q(pk__in=supervised_members(scope).values("user_id")))
    municipalities = scope.municipality_ids(Role.ADMIN)
    if municipalities:
        parts.append(Q(municipality_id__in=municipalities, is_superuser=False))
    condition = any_of(*parts)
    if condition is None or scope.user_id is None:
        return User.objects.none()
    return (
        User.objects.filter(condition, is_active=True, municipality__isnull=False)
        .exclude(pk=scope.user_id)
        .exclude(staff_profile__isnull=False)
        .order_by("last_name", "first_name", "username")
    )


def event_municipalities(user) -> QuerySet:
    """The municipalities whose training events the user keeps."""
    from earlyhelp.organisations.models import Municipality

    ids = scope_for(user).municipality_ids(*KEEPERS)
    return Municipality.objects.filter(pk__in=ids).order_by("name")


# --- Reflective supervision ------------------------------------------------------------------
#
# A session's attendance (kind, date, duration, who led it, who took part) is seen by its
# participants, by the line supervisors of a participant and by the administrators of its
# municipality; those keepers record and change it. What was said (the `SupervisionNote`) is
# read and written by the session's participants only: never by a line supervisor or an
# administrator who did not take part, whatever else they hold.


def _participant(scope: Scope, prefix: str = "") -> Q | None:
    if scope.user_id is None:
        return None
    return Q(**{f"{prefix}participants__user_id": scope.user_id})


def _session_kept(scope: Scope, prefix: str = "") -> Q | None:
    municipalities = scope.municipality_ids(Role.ADMIN)
    administered = Q(**{f"{prefix}municipality_id__in": municipalities}) if municipalities else None
    supervised = None
    if scope.ids(Role.SUPERVISOR, "service"):
        users = scope.memo(supervised_members).values("user_id")
        supervised = Q(**{f"{prefix}participants__user_id__in": users})
    return any_of(administered, supervised)


def _session_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return any_of(_participant(scope), _session_kept(scope))
    if action in (Action.CHANGE, Action.MANAGE):
        return _session_kept(scope)
    return None


def _session_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return scope.has(*WORKERS, Role.ADMIN)
    return action == Action.CREATE and scope.has(*KEEPERS)


register("workforce.supervisionsession", rows=_session_rows, model=_session_model, distinct=True)


def _note_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.CHANGE):
        return _participant(scope, "session__")
    return None


register("workforce.supervisionnote", rows=_note_rows, distinct=True)
register("workforce.supervisionnorm", **configuration("municipality_id"))


# --- Team case discussions -------------------------------------------------------------------
#
# A discussion's attendance (date, length, facilitator, participants, what each learnt or
# decided) is seen by its participants, by the line supervisors of a participant and by the
# administrators of its municipality; those keepers record and change it. Each discussed item
# is seen where the discussion is seen, and an item about a case only by those who may open
# that case: to anybody else it is "a case you cannot open", never its number or its people.


def _discussion_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return any_of(_participant(scope), _session_kept(scope))
    if action in (Action.CHANGE, Action.MANAGE):
        return _session_kept(scope)
    return None


register("workforce.teamdiscussion", rows=_discussion_rows, model=_session_model, distinct=True)


def _case_readable(scope: Scope, action: str) -> Q | None:
    from earlyhelp.cases.models import Case

    cases = narrow(scope, Case.objects.all(), Action.VIEW).values("pk")
    return Q(case__isnull=True) | Q(case_id__in=cases)


def _item_action(action: str) -> str | None:
    return Action.VIEW if action in (Action.VIEW, Action.LIST) else None


register(
    "workforce.discusseditem",
    parent="discussion",
    parent_action=_item_action,
    only_if=_case_readable,
)


def _learning_action(action: str) -> str | None:
    if action in (Action.VIEW, Action.LIST):
        return Action.VIEW
    if action in (Action.CHANGE, Action.CREATE):
        return Action.CHANGE
    return None


register("workforce.discussionlearning", parent="discussion", parent_action=_learning_action)


# --- Implementation support ------------------------------------------------------------------
#
# A worker's implementation support is part of their staff record: seen by the worker, their
# line supervisors and the administrators of their municipality; kept by those keepers.


def _support_model(scope: Scope, action: str) -> bool:
    return action in (Action.LIST, Action.CREATE) and scope.has(*KEEPERS)


register(
    "workforce.implementationsupport",
    parent="staff",
    parent_action=_record_action,
    model=_support_model,
)
register("workforce.supportsession", parent="support", parent_action=_record_action)


# --- Coverage and caseload -------------------------------------------------------------------
#
# The coverage of an institution (children enrolled, helpers' hours) is seen by the supervisors
# of the social helpers assigned to it, and by the managers and administrators of its
# municipality. A count of children under SMALL_CELL leaves the team when it is not of a
# supervisor's own institutions, and is then shown as "<5" (`coverage_exact_institutions`).
# A worker's caseload is part of their staff record: it is read where the profile is kept
# (`visible(..., Action.CHANGE)`).
# The norms are configuration the municipality's administrators set.

OVERSEERS = (Role.MANAGER, Role.ADMIN)


def _coverage_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.LIST, Action.VIEW_STATS):
        return None
    municipalities = scope.municipality_ids(*OVERSEERS)
    institutions = scope.memo(supervised_institutions)
    return any_of(
        Q(municipality_id__in=municipalities) if municipalities else None,
        Q(institution_id__in=institutions) if institutions else None,
    )


def _coverage_model(scope: Scope, action: str) -> bool:
    return action == Action.VIEW_STATS and scope.has(Role.SUPERVISOR, *OVERSEERS)


register("workforce.institutioncoverage", rows=_coverage_rows, model=_coverage_model)
register("workforce.coveragenorm", "workforce.caseloadnorm", **configuration("municipality_id"))


def coverage_exact_institutions(user) -> set[int]:
    """The institutions whose count of children the user sees exactly: those of the social
    helpers they supervise (the count stays in their team). Everywhere else (a manager's or an
    administrator's view of the municipality) a count under SMALL_CELL is shown as "<5"."""
    return set(scope_for(user).memo(supervised_institutions))


def undisclosed_items(user, discussion) -> int:
    """How many of a discussion's items the user may not read (cases they may not open): the
    page says "n cases you cannot open", naming none of them. Asked only for a discussion the
    user may see."""
    from earlyhelp.workforce.models import DiscussedItem

    everything = DiscussedItem.objects.filter(discussion_id=discussion.pk).count()
    readable = narrow(
        scope_for(user), DiscussedItem.objects.filter(discussion_id=discussion.pk)
    ).count()
    return everything - readable
