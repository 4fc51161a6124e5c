"""Who sees and keeps the partner organisations, and what an institution's offer shows.

Partner organisations (an authority, a health service, an NGO, the court) are the
municipality's working knowledge, not anybody's personal data: everyone with a role in a
municipality sees its partners. They are kept (added, changed) by the municipality's
administrators, managers and supervisors.

What an institution offers is for everyone with a role in its municipality, and in its printed
form for parents: the running group and community activities held there (their type, method,
title, days, time and places, never who takes part, and never individual help or work with
staff, whose titles may name a child or a colleague), the methods its services use, the
workers who serve there (named on the staff's page only, by name and work role), how to report
a concern, and the partner organisations.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.access.engine import Action, Scope, register, scope_for
from earlyhelp.organisations.models import Role

# Those who keep a municipality's partner organisations.
KEEPERS = (Role.ADMIN, Role.MANAGER, Role.SUPERVISOR)


def _municipalities(scope: Scope, roles) -> Q | None:
    if scope.is_superuser:
        return Q()
    ids = scope.municipality_ids(*roles)
    return Q(municipality_id__in=ids) if ids else None


def _partner_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST):
        return _municipalities(scope, Role.values)
    if action in (Action.CHANGE, Action.MANAGE):
        return _municipalities(scope, KEEPERS)
    return None


def _partner_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return scope.is_superuser or bool(scope.roles)
    if action == Action.CREATE:
        return scope.is_superuser or scope.has(*KEEPERS)
    return False


register("knowledge.partner", rows=_partner_rows, model=_partner_model)


def partner_municipalities(user) -> QuerySet:
    """The municipalities whose partner organisations the user adds."""
    from earlyhelp.organisations.models import Municipality

    scope = scope_for(user)
    if scope.is_superuser:
        return Municipality.objects.order_by("name")
    return Municipality.objects.filter(pk__in=scope.municipality_ids(*KEEPERS)).order_by("name")


def offer_institutions(user) -> QuerySet:
    """The institutions whose offer the user may open: those of every municipality in which
    they hold a role."""
    from earlyhelp.organisations.models import Institution

    scope = scope_for(user)
    if scope.is_superuser:
        return Institution.objects.all()
    return Institution.objects.filter(municipality_id__in=scope.municipality_ids(*Role.values))


# The kinds of help an offer lists: what a family or a child can join.
OFFERED_MODES = ("group", "community")


def offered_activities(institution) -> QuerySet:
    """The help on offer at `institution`: its running group and community activities, with
    what may be shown of them (no participant, no worker)."""
    from earlyhelp.activities.models import Activity

    return (
        Activity.objects.filter(
            institution=institution,
            status=Activity.Status.ACTIVE,
            type__mode__in=OFFERED_MODES,
        )
        .select_related("type", "method")
        .only(
            "pk", "title", "description", "recurrence", "starts_on", "ends_on", "start_time",
            "minutes", "place", "capacity", "type__code", "type__name", "type__mode",
            "method__id", "method__name", "method__municipality_id",
        )
        .order_by("type__position", "title")
    )  # fmt: skip


def offer_workers(institution, roles=(Role.SOCIAL_HELPER, Role.CASE_WORKER)) -> list:
    """The workers who serve at `institution` today, as (name, work role) pairs: the social
    helpers assigned to it and the social helpers and case workers whose staff profile names
    it. Only their names and work roles are shown, and only
    on the staff's page."""
    from earlyhelp.organisations.models import Membership

    members = (
        Membership.objects.active()
        .filter(role__in=roles, user__is_active=True)
        .filter(
            Q(institution_id=institution.pk) | Q(user__staff_profile__institutions=institution.pk)
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "role")
    )
    seen: dict[tuple[int, str], tuple[str, str]] = {}
    for m in members:
        key = (m.user_id, m.role)
        if key not in seen:
            seen[key] = (m.user.get_full_name() or m.user.username, Role(m.role).label)
    return list(seen.values())


def partner_choices(user, municipality_ids) -> QuerySet:
    """The partner organisations a form offers (a referral, a conference, an activity): those
    of these municipalities that the user sees and the service still works with."""
    from earlyhelp.access.engine import visible
    from earlyhelp.knowledge.models import Partner

    partners = Partner.objects.filter(municipality_id__in=municipality_ids, active=True)
    return visible(user, partners).order_by("name")
