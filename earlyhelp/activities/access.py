"""Who may see and work activities, their meetings and participants, and staff sparring.

An activity is held at an institution: the social helpers assigned to it and their
supervisors see and work it, and so do the people who deliver it (its lead and co-workers)
while they hold a role that delivers activities in its municipality. The institution's lead
sees the activities held there, but not who took part, and no sparring. Staff see the
workshops of their institution, to register for them. An activity's meetings and
participants are read and changed where its details are.

A sparring request is between the member of staff who asked and the institution's social
helpers (and their supervisors).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from earlyhelp.access.engine import (
    Action,
    Scope,
    any_of,
    configuration,
    helped_institutions,
    register,
    scope_for,
    visible,
)
from earlyhelp.activities.models import Activity, Session
from earlyhelp.organisations.models import Institution, Role

ACTIVITY_OPENERS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)
STAFF_ROLES = (Role.EDUCATOR, Role.INSTITUTION_LEAD)


def _activity_team(scope: Scope) -> Q | None:
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
    return scope.ids_of(STAFF_ROLES, "institution")


def _activity_rows(scope: Scope, action: str) -> Q | None:
    helped = helped_institutions(scope)
    workers = any_of(scope.memo(_activity_team), Q(institution_id__in=helped) if helped else None)
    staff = _staff_institutions(scope)
    workshops = (
        Q(type__registration=True, institution_id__in=staff) & ~Q(status="cancelled")
        if staff
        else None
    )
    if action in (Action.VIEW_DETAILS, Action.CHANGE):
        return workers
    if action == Action.REGISTER:
        return workshops & Q(status="active") if workshops is not None else None
    if action == Action.VIEW:
        leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
        # A sparring is between the member of staff who asked and the social helpers.
        led = Q(institution_id__in=leads) & ~Q(type__code="staff_sparring") if leads else None
        return any_of(workers, led, workshops)
    return None


def _activity_institutions(scope: Scope) -> QuerySet:
    q = Q(pk__in=helped_institutions(scope))
    case_workers = scope.municipality_ids(Role.CASE_WORKER)
    if case_workers:
        q |= Q(municipality_id__in=case_workers)
    return Institution.objects.filter(q)


def _activity_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return scope.has(*ACTIVITY_OPENERS) and _activity_institutions(scope).exists()
    if action == Action.LIST:
        return scope.has(*ACTIVITY_OPENERS, Role.INSTITUTION_LEAD)
    return False


def _sparring_rows(scope: Scope, action: str) -> Q | None:
    if scope.user_id is None:
        return None
    own = Q(requested_by_id=scope.user_id)
    helped = helped_institutions(scope)
    helpers = Q(institution_id__in=helped) if helped else None
    if action == Action.VIEW:
        return any_of(own, helpers)
    if action == Action.CHANGE:
        # Accept, decline, schedule: the institution's social helpers (and supervisors).
        return helpers & Q(status__in=["requested", "scheduled"]) if helpers is not None else None
    if action == Action.CLOSE:
        # Withdraw: the one who asked, while nobody has answered yet.
        return own & Q(status="requested")
    return None


def _sparring_model(scope: Scope, action: str) -> bool:
    if action == Action.CREATE:
        return bool(_staff_institutions(scope))
    if action == Action.LIST:
        return bool(_staff_institutions(scope)) or scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR)
    return False


register("activities.activity", rows=_activity_rows, model=_activity_model)


def _activity_action(action: str) -> str:
    """An activity's meetings and participants are read and changed where its details are;
    LIST (the schedule, how many take part, never who) wherever the activity is seen."""
    if action == Action.LIST:
        return Action.VIEW
    return Action.CHANGE if action == Action.CHANGE else Action.VIEW_DETAILS


def _through_activity(scope: Scope, action: str) -> Q | None:
    activity = _activity_rows(scope, _activity_action(action))
    if activity is None:
        return None
    return Q(Exists(Activity.objects.filter(activity, pk=OuterRef("activity_id"))))


def _session_rows(scope: Scope, action: str) -> Q | None:
    # The one who asked for a sparring sees when it is held.
    asked = Q(activity__sparring_request__requested_by_id=scope.user_id)
    own = asked if action in (Action.VIEW, Action.LIST) and scope.user_id else None
    return any_of(_through_activity(scope, action), own)


def _participant_rows(scope: Scope, action: str) -> Q | None:
    # A member of staff sees their own registration for a workshop.
    mine = Q(staff_id=scope.user_id) if action == Action.VIEW and scope.user_id else None
    return any_of(_through_activity(scope, action), mine)


register(
    "activities.session", rows=_session_rows, parent="activity", parent_action=_activity_action
)
register(
    "activities.participant",
    rows=_participant_rows,
    parent="activity",
    parent_action=_activity_action,
)
register("activities.sparringrequest", rows=_sparring_rows, model=_sparring_model)
register("activities.activitytype", **configuration("municipality_id"))


def own_activity_ids(user) -> QuerySet:
    """The ids of the activities the user leads or works on (the team path of the rules, by its
    index), as a union of two index scans (lead, co-worker): an `OR` of the two makes
    PostgreSQL read every meeting of the period in the country and join them to every
    activity."""
    led = Activity.objects.filter(lead_id=user.pk).values("pk")
    co_worked = Activity.workers.through.objects.filter(user_id=user.pk).values("activity_id")
    return led.union(co_worked, all=True)


def own_session_ids(user, start, end) -> list[int]:
    """The meetings between two moments of the activities the user delivers, found by the
    period first (those the user leads, and those of the few activities they co-work), so the
    cost follows the period, not the user's history. The policy then decides on just these
    (`visible` over sessions): leaving the job ends the view."""
    period = Session.objects.filter(starts_at__gte=start, starts_at__lt=end).order_by()
    led = period.filter(lead_id=user.pk).values_list("pk", flat=True)
    co_worked = period.filter(
        activity_id__in=Activity.workers.through.objects.filter(user_id=user.pk).values(
            "activity_id"
        )
    ).values_list("pk", flat=True)
    return list(led.union(co_worked))


def activity_institutions(user) -> QuerySet:
    """The institutions where the user may hold an activity: a social helper's assigned
    institutions, a supervisor's supervised ones, and for a case worker any of their
    municipality's."""
    return _activity_institutions(scope_for(user))


def sparring_institutions(user) -> set[int]:
    """The institutions on whose behalf the user may ask for sparring: where they teach or
    lead."""
    return _staff_institutions(scope_for(user))


def listed_institutions(user) -> QuerySet:
    """The institutions an activity list offers to filter by: where the user may hold an
    activity (`activity_institutions`) and the institutions they lead (whose activities they
    follow)."""
    scope = scope_for(user)
    led = scope.ids(Role.INSTITUTION_LEAD, "institution")
    return Institution.objects.filter(
        Q(pk__in=_activity_institutions(scope).values("pk")) | Q(pk__in=led)
    )


# --- Whom a list of activities names ------------------------------------------------------------

# A lead sees the activities held at the institution (`view`), not who takes part.
NOT_NAMED_NOT_PARTICIPANTS = gettext_lazy(
    "Name not shown: you see the activities held at your institution, not who takes part"
)


@dataclass
class Subjects:
    """Whom one activity of a list is about, as far as the reader may know it: for help given
    to one child or family (a type of individual help), the children and adults taking part
    the reader may name, and for the others why not (the policy's words)."""

    names: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def activity_subjects(user, activities) -> dict[int, Subjects]:
    """For a page of activities read through the policy: per activity of individual help, the
    `Subjects` the user may see. Who takes part is read where the activity's details are
    (`view_details`); a person on a restricted record is named only to those who may open the
    record (`people.access.unnamed_reasons`). A group, community event or work with staff names
    nobody in a list. Two queries for the page, and one per kind of restricted person."""
    from earlyhelp.activities.models import Mode, Participant
    from earlyhelp.people.access import unnamed_reasons

    individual = [a.pk for a in activities if a.type.mode == Mode.INDIVIDUAL]
    answers = {a.pk: Subjects() for a in activities}
    if not individual:
        return answers
    detailed = set(
        visible(user, Activity.objects.filter(pk__in=individual), Action.VIEW_DETAILS).values_list(
            "pk", flat=True
        )
    )
    for pk in individual:
        if pk not in detailed:
            answers[pk].reasons.append(str(NOT_NAMED_NOT_PARTICIPANTS))
    # Who takes part is read where the activity's details are (the rules of
    # `activities.participant` follow the activity).
    places = list(
        Participant.objects.filter(activity_id__in=detailed)
        .filter(Q(child__isnull=False) | Q(adult__isnull=False))
        .select_related("child__municipality__jurisdiction", "adult__municipality__jurisdiction")
        .order_by("activity_id", "pk")
    )
    hidden = unnamed_reasons(user, [p.child or p.adult for p in places])
    for place in places:
        person = place.child or place.adult
        subjects = answers[place.activity_id]
        reason = hidden.get((person._meta.label_lower, person.pk))
        if reason is None:
            subjects.names.append(person.full_name)
        elif str(reason) not in subjects.reasons:
            subjects.reasons.append(str(reason))
    return answers
