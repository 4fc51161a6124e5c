"""Who may see, report and triage concerns.

The reporter sees their own concerns, drafts included; the institution's lead sees its
concerns' status; the social helpers assigned to the institution and their supervisors (the
triagers) see the content and triage. Nobody else sees a draft. Managers and analysts read
the maintained figures only, small cells suppressed (`figures_for`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy

from earlyhelp.access.engine import (
    AGGREGATE_ROLES,
    Action,
    Scope,
    any_of,
    helped_institutions,
    register,
    scope_for,
    visible,
)
from earlyhelp.organisations.access import workers
from earlyhelp.organisations.models import Membership, Role

REPORTING_ROLES = (Role.EDUCATOR, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER)
TRIAGE_OPEN = ("submitted", "acknowledged")


def _concern_rows(scope: Scope, action: str) -> Q | None:
    if scope.user_id is None:
        return None
    own = Q(reporter_id=scope.user_id)
    submitted = ~Q(status="draft")
    triagers = helped_institutions(scope)
    triage = Q(institution_id__in=triagers) & submitted if triagers else None
    leads = scope.ids(Role.INSTITUTION_LEAD, "institution")
    lead = Q(institution_id__in=leads) & submitted if leads else None

    def only(q: Q | None, condition: Q) -> Q | None:
        return None if q is None else q & condition

    parts = {
        Action.VIEW: [own, triage, lead],
        Action.VIEW_DETAILS: [own, triage],
        # A private person's report has no account to read a conversation.
        Action.MESSAGE: [own & submitted, only(triage, Q(reporter__isnull=False))],
        Action.CHANGE: [own & Q(status="draft")],
        Action.TRIAGE: [only(triage, Q(status__in=TRIAGE_OPEN))],
        # The decision itself is for triagers; what a reporter learns of it is the feedback
        # their jurisdiction allows.
        Action.VIEW_DECISION: [triage],
        Action.CLOSE: [only(triage, Q(status="triaged"))],
    }.get(action, [])
    return any_of(*parts)


def _concern_model(scope: Scope, action: str) -> bool:
    if action == Action.REPORT:
        return bool(_reporting_institutions(scope))
    if action == Action.LIST_QUEUE:
        return scope.has(Role.SOCIAL_HELPER, Role.SUPERVISOR)
    if action == Action.RECORD:
        return bool(helped_institutions(scope))
    if action == Action.LIST_INSTITUTION:
        return scope.has(Role.INSTITUTION_LEAD)
    if action == Action.VIEW_STATS:
        return scope.has(
            *AGGREGATE_ROLES, Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR
        )
    return False


register("concerns.concern", rows=_concern_rows, model=_concern_model)


def _reporting_institutions(scope: Scope) -> set[int]:
    return scope.ids_of(REPORTING_ROLES, "institution")


def reporting_institutions(user) -> set[int]:
    """The institutions on whose behalf the user may report a concern."""
    return _reporting_institutions(scope_for(user))


def own_group_institutions(user) -> set[int]:
    """The institutions of the groups or classes the user reports for as a member of the
    group itself (an educator's own class), not of the whole institution."""
    from earlyhelp.organisations.models import Group

    groups = scope_for(user).ids_of(REPORTING_ROLES, "group")
    if not groups:
        return set()
    return set(Group.objects.filter(pk__in=groups).values_list("institution_id", flat=True))


def triage_institutions(user) -> set[int]:
    """The institutions whose concerns the user triages: a social helper's assigned
    institutions, and those of the social helpers a supervisor supervises. A report that
    reaches them outside earlyhelp (a call, a letter) is recorded for one of these."""
    return helped_institutions(scope_for(user))


def led_institutions(user) -> set[int]:
    """The institutions whose concerns the user follows as their lead."""
    return scope_for(user).ids(Role.INSTITUTION_LEAD, "institution")


def _triage_memberships(institution_ids):
    """The memberships through which people triage these institutions' concerns: the social
    helpers assigned to them, and the supervisors of those helpers' services."""
    helpers = Membership.objects.active().filter(
        role=Role.SOCIAL_HELPER, institution_id__in=institution_ids
    )
    supervisors = Membership.objects.active().filter(
        role=Role.SUPERVISOR, service_id__in=helpers.values("service_id")
    )
    return helpers, supervisors


def triagers_for(institution_id: int):
    """The people who triage the institution's concerns: its assigned social helpers and the
    supervisors of their services."""
    from earlyhelp.accounts.models import User

    helpers, supervisors = _triage_memberships([institution_id])
    # One UNION of the two small sets of ids, not an OR that checks every user against both.
    ids = helpers.order_by().values("user_id").union(supervisors.order_by().values("user_id"))
    return User.objects.filter(pk__in=ids, is_active=True)


def receiving_institutions(institution_ids) -> set[int]:
    """Those of these institutions whose concerns someone receives: at least one of
    `triagers_for` holds an active account. A concern sent to any other would reach nobody,
    so it is neither offered nor accepted (`concerns.services.receiver_problems`)."""
    helpers, _supervisors = _triage_memberships(institution_ids)
    supervisor = Membership.objects.active().filter(
        role=Role.SUPERVISOR, service_id=OuterRef("service_id"), user__is_active=True
    )
    return set(
        helpers.filter(Q(user__is_active=True) | Exists(supervisor)).values_list(
            "institution_id", flat=True
        )
    )


def unreceived_institutions(institutions: QuerySet) -> QuerySet:
    """Those of these institutions where someone may report a concern that nobody would
    receive: the gaps the administration warns about and `concern_receivers_check` reports."""
    reporters = Membership.objects.active().filter(
        role__in=REPORTING_ROLES, institution_id=OuterRef("pk"), user__is_active=True
    )
    candidates = institutions.filter(Exists(reporters))
    receiving = receiving_institutions(list(candidates.values_list("pk", flat=True)))
    return candidates.exclude(pk__in=receiving)


def receiver_contacts(institution) -> QuerySet:
    """Whom a reporter is told to contact instead when nobody receives concerns for the
    institution: the active supervisors and administrators of its municipality, by name (the
    staff a municipality puts in charge; no child or family is named)."""
    return workers([Role.SUPERVISOR, Role.ADMIN], municipalities=[institution.municipality_id])


def figures_for(user, queryset: QuerySet) -> tuple[QuerySet, bool]:
    """The rows of maintained figures per institution (`concerns.InstitutionFigures`) the user
    may read, and whether small cells must be suppressed: a lead, social helper or supervisor
    reads the institutions they lead or triage, exactly; a manager or analyst their whole
    municipality, with counts below 5 hidden."""
    scope = scope_for(user)
    if scope.has(Role.INSTITUTION_LEAD, Role.SOCIAL_HELPER, Role.SUPERVISOR):
        institutions = scope.ids(Role.INSTITUTION_LEAD, "institution") | helped_institutions(scope)
        return queryset.filter(institution_id__in=institutions), False
    municipalities = scope.municipality_ids(*AGGREGATE_ROLES)
    if municipalities:
        return queryset.filter(municipality_id__in=municipalities), True
    return queryset.none(), True


# The children a concern names are read where its content is.
register(
    "concerns.concernchild",
    parent="concern",
    parent_action=lambda action: Action.VIEW_DETAILS if action == Action.VIEW else action,
)


# --- Who a list of concerns names --------------------------------------------------------------

# A lead follows the status of the institution's concerns (`view`), not their content.
NOT_NAMED_STATUS_ONLY = gettext_lazy(
    "Name not shown: you follow the status of your institution's concerns, not their content"
)


@dataclass
class Subjects:
    """Who and what one concern of a list is about, as far as the reader may know it: the
    children named (a record's name, or the words the reporter used for an unmatched child),
    the categories, and for whatever is not shown, why (the policy's words)."""

    names: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def concern_subjects(user, concerns, *, details: bool = False) -> dict[int, Subjects]:
    """For a page of concerns read through the policy: per concern, the `Subjects` the user
    may see. The content (children and categories) is read where the concern's details are
    (`view_details`; `details=True` when the list itself was read with that action); a
    restricted child is named only to those who may open the child's record
    (`people.access.unnamed_reasons`). Two or three queries for the whole page."""
    from earlyhelp.concerns.models import Concern, ConcernChild
    from earlyhelp.people.access import unnamed_reasons

    ids = [concern.pk for concern in concerns]
    if not ids:
        return {}
    if details:
        detailed = set(ids)
    else:
        detailed = set(
            visible(user, Concern.objects.filter(pk__in=ids), Action.VIEW_DETAILS).values_list(
                "pk", flat=True
            )
        )
    # The children a concern names are read where its details are (the rules of
    # `concerns.concernchild` follow the concern, with no condition of their own).
    links = list(
        ConcernChild.objects.filter(concern_id__in=detailed)
        .select_related("child__municipality__jurisdiction")
        .order_by("concern_id", "pk")
    )
    hidden = unnamed_reasons(user, [link.child for link in links if link.child_id])
    answers = {}
    for concern in concerns:
        if concern.pk in detailed:
            answers[concern.pk] = Subjects(categories=[str(c) for c in concern.category_labels()])
        else:
            answers[concern.pk] = Subjects(reasons=[str(NOT_NAMED_STATUS_ONLY)])
    for link in links:
        subjects = answers[link.concern_id]
        if link.child_id is None:
            if link.described_as:
                subjects.names.append(link.described_as)
            continue
        reason = hidden.get((link.child._meta.label_lower, link.child_id))
        if reason is None:
            subjects.names.append(link.child.full_name)
        elif str(reason) not in subjects.reasons:
            subjects.reasons.append(str(reason))
    return answers
