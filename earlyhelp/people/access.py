"""Who may see and change children, adults and a child's enrolments, relationships and consents.

A child is reached through one of these paths (CHILD_RULES), and the first that grants an
action is written to the audit log as the reader's role:

  * "team": the user is named on the child's team, in a municipality where they still hold a
    role with person-level access. The only path to a restricted record.
  * social_helper: the child is enrolled in an institution assigned to the helper.
  * supervisor: the child is enrolled where a supervised social helper works, or a member of a
    supervised service is on the child's team.
  * educator: the child is in the educator's class (or institution, for an educator of the
    whole institution: a health visitor, a club worker). Basics only.
  * institution_lead: the child is in the lead's institution. Basics only.
  * "break_glass": an open break-glass grant of a manager or administrator. Never restricted.

An adult is seen where one of their children's full records is; a restricted adult only by the
child's team. An adult a case is about (its client) is also seen where that case is, by the
case's rules (`cases/access.py`); a restricted adult then only by the case's team. A child's
consents, enrolments and relationships are read where the child's full record is, and a
restricted adult stays hidden in the rows that name them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy

from earlyhelp.access.engine import (
    BREAK_GLASS,
    BREAK_GLASS_ROLES,
    PERSON_LEVEL_ROLES,
    TEAM,
    Action,
    Scope,
    any_of,
    can,
    granting_path,
    narrow,
    register,
    remember_answers,
    rules_for,
    scope_for,
    supervised_institutions,
    supervised_members,
    uncached,
    visible,
    visible_of,
)
from earlyhelp.organisations.models import Role
from earlyhelp.people.models import Adult, Child, ChildTeamMember, Enrolment, Relationship

QBuilder = Callable[[Scope], Q | None]

CHILD_CREATORS = (Role.SOCIAL_HELPER, Role.CASE_WORKER, Role.SUPERVISOR)
CHILD_LISTERS = tuple(PERSON_LEVEL_ROLES)


# --- The paths to a child -----------------------------------------------------------------------
# Scopes are written as EXISTS over the child's own rows (correlated on the child's id), not
# as "id IN (every child of the scope)": opening one record then probes that child's
# enrolments through an index instead of collecting every enrolment of the institutions, and a
# list still gets a semi-join.


def children_in_groups(group_ids: set[int]) -> Q | None:
    if not group_ids:
        return None
    enrolled = Enrolment.objects.current().filter(child_id=OuterRef("pk"), group_id__in=group_ids)
    return Q(Exists(enrolled))


def children_in_institutions(institution_ids: set[int]) -> Q | None:
    if not institution_ids:
        return None
    enrolled = Enrolment.objects.current().filter(
        child_id=OuterRef("pk"), group__institution_id__in=institution_ids
    )
    return Q(Exists(enrolled))


def unrestricted(q: Q | None) -> Q | None:
    return None if q is None else q & Q(restricted=False)


def _educator_children(scope: Scope) -> Q | None:
    groups = children_in_groups(scope.ids(Role.EDUCATOR, "group"))
    whole = children_in_institutions(scope.whole_institutions(Role.EDUCATOR))
    return unrestricted(any_of(groups, whole))


def _lead_children(scope: Scope) -> Q | None:
    return unrestricted(children_in_institutions(scope.ids(Role.INSTITUTION_LEAD, "institution")))


def _helper_children(scope: Scope) -> Q | None:
    return unrestricted(children_in_institutions(scope.ids(Role.SOCIAL_HELPER, "institution")))


def _team_children(scope: Scope) -> Q | None:
    """Children on whose team the user is named, in a municipality where the user still
    holds a role with person-level access: leaving the job ends the team's access too."""
    municipalities = scope.municipality_ids(*PERSON_LEVEL_ROLES)
    if scope.user_id is None or not municipalities:
        return None
    named = ChildTeamMember.objects.filter(child_id=OuterRef("pk"), user_id=scope.user_id)
    return Q(Exists(named), municipality_id__in=municipalities)


def _supervisor_children(scope: Scope) -> Q | None:
    """Everything of the team: children of institutions assigned to the supervised services'
    social helpers, and children on whose team a member of those services is named."""
    if not scope.ids(Role.SUPERVISOR, "service"):
        return None
    enrolled = Enrolment.objects.current().filter(
        child_id=OuterRef("pk"), group__institution_id__in=scope.memo(supervised_institutions)
    )
    on_team = ChildTeamMember.objects.filter(
        child_id=OuterRef("pk"), user_id__in=supervised_members(scope).values("user_id")
    )
    return (
        Q(restricted=False)
        & Q(municipality_id__in=scope.municipality_ids(Role.SUPERVISOR))
        & (Q(Exists(enrolled)) | Q(Exists(on_team)))
    )


@uncached
def _break_glass_children(scope: Scope) -> Q | None:
    from earlyhelp.access.models import BreakGlassGrant

    if scope.user_id is None or not scope.has(*BREAK_GLASS_ROLES):
        return None
    grants = BreakGlassGrant.objects.active().filter(user_id=scope.user_id)
    return Q(restricted=False) & Q(pk__in=grants.values("child_id"))


PROCESSING_ALLOWED = Q(processing_restricted_at__isnull=True)


def _processing_allowed(build: QBuilder) -> QBuilder:
    """`build`, but never on a child whose processing is restricted at their request (GDPR
    Art. 18, privacy app): the record is kept and read, not changed. The list form of the path
    (`CHILD_CANDIDATES`, `CHILD_COLUMNS`) follows below, from `built.unwrapped`."""

    def built(scope: Scope) -> Q | None:
        q = scope.memo(build)
        return None if q is None else q & PROCESSING_ALLOWED

    built.__name__ = f"{build.__name__}_while_processing_allowed"
    built.unwrapped = build
    # The same answer on a child already fetched with `build`'s (`with_child_paths`), from
    # its own column: no second subquery in the query.
    built.on_row = lambda child: child.processing_restricted_at is None
    return built


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
        TEAM: _processing_allowed(_team_children),
        Role.SOCIAL_HELPER: _processing_allowed(_helper_children),
        Role.SUPERVISOR: _processing_allowed(_supervisor_children),
    },
}


def child_q(scope: Scope, action: str) -> Q | None:
    """The condition on a child's row under which the user may do `action`."""
    return any_of(*(scope.memo(build) for build in CHILD_RULES.get(action, {}).values()))


def _child_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return scope.has(*CHILD_LISTERS)
    if action == Action.CREATE:
        return scope.has(*CHILD_CREATORS)
    if action == Action.BREAK_GLASS:
        return scope.has(*BREAK_GLASS_ROLES)
    return False


def _role_case(scope: Scope, action: str) -> Case | None:
    whens = [
        When(q, then=Value(str(path)))
        for path, build in CHILD_RULES.get(action, {}).items()
        if (q := scope.memo(build)) is not None
    ]
    if not whens:
        return None
    return Case(*whens, default=Value(""), output_field=CharField())


# Adults are reached through the children they are related to.
ADULT_ACTIONS = {Action.VIEW: Action.VIEW_DETAILS, Action.CHANGE: Action.CHANGE}


def _person_path(scope: Scope, action: str, obj) -> str:
    if isinstance(obj, Child):
        children = Child.objects.filter(pk=obj.pk)
    else:
        children = Child.objects.filter(relationships__adult=obj)
        action = ADULT_ACTIONS.get(action, action)
    case = _role_case(scope, action)
    paths = (
        children.annotate(path=case).exclude(path="").values_list("path", flat=True)
        if case is not None
        else []
    )
    path = next(iter(paths), "")
    if not path and isinstance(obj, Adult):
        path = _client_path(scope, action, obj)
    return path


# An adult a case is about (its client) is reached where the case is. The case's own rules
# decide; the case's team is the only path to a restricted adult this way.
_CLIENT_CASE_ACTIONS = {Action.VIEW_DETAILS: Action.VIEW, Action.CHANGE: Action.CHANGE}


def _client_cases(scope: Scope, action: str):
    from django.apps import apps

    case_action = _CLIENT_CASE_ACTIONS.get(action)
    if case_action is None:
        return None
    case_model = apps.get_model("cases", "Case")
    rules = rules_for(case_model)
    q = rules.rows(scope, case_action) if rules is not None and rules.rows else None
    if q is None:
        return None
    return case_model.objects.filter(
        q, participants__role="client", participants__adult_id=OuterRef("pk")
    )


def _client_adults(scope: Scope, action: str) -> Q | None:
    from django.apps import apps

    cases = _client_cases(scope, action)
    if cases is None or scope.user_id is None:
        return None
    on_team = apps.get_model("cases", "CaseMember").objects.filter(
        case__participants__role="client",
        case__participants__adult_id=OuterRef("pk"),
        user_id=scope.user_id,
        left_at__isnull=True,
    )
    return Q(Exists(cases)) & (Q(restricted=False) | Q(Exists(on_team)))


def _client_path(scope: Scope, action: str, adult) -> str:
    """The path to an adult through a case they are the client of: "team" for its team, else
    the supervisor's."""
    q = _client_adults(scope, action)
    if q is None or not Adult.objects.filter(q, pk=adult.pk).exists():
        return ""
    from django.apps import apps

    member = apps.get_model("cases", "CaseMember").objects.filter(
        case__participants__role="client",
        case__participants__adult=adult,
        user_id=scope.user_id,
        left_at__isnull=True,
    )
    return TEAM if member.exists() else Role.SUPERVISOR


def _adult_rows(scope: Scope, action: str) -> Q | None:
    # The children's change paths already leave out a restricted child; the adult's own
    # restriction is added below.
    child = child_q(scope, ADULT_ACTIONS.get(action, ""))
    client = _client_adults(scope, ADULT_ACTIONS.get(action, ""))
    if child is None:
        return client
    # Correlated on the row, as the children's scopes are: the scope is checked for the
    # children of this adult only, never for every child first.
    readable = Child.objects.filter(child, pk=OuterRef("child_id"))
    related = Relationship.objects.filter(adult_id=OuterRef("pk")).filter(Exists(readable))
    through_child = Q(Exists(related)) & (
        Q(restricted=False) | Q(relationships__child__team_members__user_id=scope.user_id)
    )
    rows = any_of(through_child, client)
    if action == Action.CHANGE and rows is not None:
        # An adult whose processing is restricted at their request is read, not changed.
        rows &= PROCESSING_ALLOWED
    return rows


def _fetch_child(user, queryset: QuerySet):
    """A child with the path of every action, in one query."""
    child = with_child_paths(user, queryset).first()
    if child is not None:
        remember_child_paths(user, child)
    return child


register("people.child", rows=child_q, model=_child_model, path=_person_path, fetch=_fetch_child)


def _adult_obj(scope: Scope, action: str, adult) -> bool | None:
    if action == Action.VIEW_CONTACT:
        return _address_shown(scope, adult)
    return None


def _address_shown(scope: Scope, adult) -> bool:
    """An adult's address and contact details, to those who see the adult: a protected address
    only to the teams of the adult's children; a foster carer's only to the foster side (those
    who see the carers' details of one of their households, by the foster-care rules), never to
    the workers of a placed child's birth family, even on the child's team."""
    from django.apps import apps

    households = apps.get_model("fostercare", "Household").objects.filter(carers__adult=adult)
    if households.exists():
        return narrow(scope, households, Action.VIEW_DETAILS).exists()
    if not narrow(scope, Adult.objects.filter(pk=adult.pk), Action.VIEW).exists():
        return False
    if not adult.address_protected:
        return True
    if adult.relationships.filter(child__team_members__user_id=scope.user_id).exists():
        return True
    # A protected address is also shown to the team of a case the adult is the client of.
    return adult.case_places.filter(
        role="client",
        case__members__user_id=scope.user_id,
        case__members__left_at__isnull=True,
    ).exists()


register("people.adult", rows=_adult_rows, obj=_adult_obj, path=_person_path, distinct=True)


# --- A child's rows -----------------------------------------------------------------------------
# A child's consents, enrolments and relationships are read where the child's full record is.
_CHILD_ROW_ACTIONS = {Action.VIEW: Action.VIEW_DETAILS}
# The column of each row that names an adult.
_CHILD_ROWS = {
    "people.consent": "given_by",
    "people.enrolment": None,
    "people.relationship": "adult",
}


def _named_adult_q(scope: Scope, label: str) -> Q:
    """A restricted adult stays hidden in the rows that name them, as on their own page,
    except from the child's team."""
    adult = _CHILD_ROWS.get(label)
    if adult is None:
        return Q()
    on_team = ChildTeamMember.objects.filter(user_id=scope.user_id).values("child_id")
    return (
        Q(**{f"{adult}__isnull": True})
        | Q(**{f"{adult}__restricted": False})
        | Q(child_id__in=on_team)
    )


def _child_row_rules(label: str) -> dict:
    def only_if(scope: Scope, action: str) -> Q:
        return _named_adult_q(scope, label)

    return {
        "parent": "child",
        "parent_action": lambda action: _CHILD_ROW_ACTIONS.get(action, action),
        "only_if": only_if,
    }


def _enrolment_rules() -> dict:
    """A child's whole history of classes is part of the full record; the classes a child is
    in today (LIST) are shown with the basics to everyone who sees the child."""

    def parent_action(action: str) -> str:
        return Action.VIEW if action == Action.LIST else _CHILD_ROW_ACTIONS.get(action, action)

    def only_if(scope: Scope, action: str) -> Q:
        if action != Action.LIST:
            return Q()
        today = date.today()
        return Q(starts_on__lte=today) & (Q(ends_on__isnull=True) | Q(ends_on__gte=today))

    return {"parent": "child", "parent_action": parent_action, "only_if": only_if}


register("people.consent", **_child_row_rules("people.consent"))
register("people.relationship", **_child_row_rules("people.relationship"))
register("people.enrolment", **_enrolment_rules())
# Who is named on a child's team is part of the child's full record.
register(
    "people.childteammember",
    parent="child",
    parent_action=lambda action: _CHILD_ROW_ACTIONS.get(action, action),
)


# --- Lists of children --------------------------------------------------------------------------
# For lists, each path also in a second form: the ids that name its children in an index (a
# group's enrolments, a user's team places, grants) and the conditions on the child's own
# columns (not restricted, the municipality). The UNION of the ids drives the list, so that it
# sorts a few thousand names instead of walking every name in the country and probing each
# child's scope. `test_policy.py` holds each path's two forms to the same children.


def _enrolled_ids(**lookup) -> QuerySet:
    return Enrolment.objects.current().filter(**lookup).order_by().values("child_id")


def _team_ids(scope: Scope) -> list[QuerySet]:
    named = ChildTeamMember.objects.filter(user_id=scope.user_id)
    return [named.order_by().values("child_id")]


def _institution_ids(role: str) -> Callable[[Scope], list[QuerySet]]:
    def candidates(scope: Scope) -> list[QuerySet]:
        return [_enrolled_ids(group__institution_id__in=scope.ids(role, "institution"))]

    return candidates


def _educator_ids(scope: Scope) -> list[QuerySet]:
    whole = scope.whole_institutions(Role.EDUCATOR)
    groups = scope.ids(Role.EDUCATOR, "group")
    parts = [_enrolled_ids(group_id__in=groups)] if groups else []
    return parts + ([_enrolled_ids(group__institution_id__in=whole)] if whole else [])


def _supervisor_ids(scope: Scope) -> list[QuerySet]:
    on_team = ChildTeamMember.objects.filter(
        user_id__in=supervised_members(scope).values("user_id")
    )
    return [
        _enrolled_ids(group__institution_id__in=scope.memo(supervised_institutions)),
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


def _columns_while_processing_allowed(columns: Callable[[Scope], Q]) -> Callable[[Scope], Q]:
    return lambda scope: columns(scope) & PROCESSING_ALLOWED


for _build in CHILD_RULES[Action.CHANGE].values():
    CHILD_CANDIDATES[_build] = CHILD_CANDIDATES[_build.unwrapped]
    CHILD_COLUMNS[_build] = _columns_while_processing_allowed(CHILD_COLUMNS[_build.unwrapped])


# Up to this many institutions, a list starts from the scope's children and sorts them; beyond
# it (a supervisor of a city's service), it walks the names in order and keeps those in scope,
# which finds a page sooner than sorting tens of thousands.
LIST_FROM_SCOPE_INSTITUTIONS = 20


def _scope_institutions(scope: Scope, paths: list[QBuilder]) -> int:
    paths = [getattr(build, "unwrapped", build) for build in paths]
    count = 0
    for role, build in (
        (Role.SOCIAL_HELPER, _helper_children),
        (Role.INSTITUTION_LEAD, _lead_children),
    ):
        if build in paths:
            count += len(scope.ids(role, "institution"))
    if _educator_children in paths:
        count += len(scope.whole_institutions(Role.EDUCATOR))
    if _supervisor_children in paths:
        count += len(scope.memo(supervised_institutions))
    return count


def visible_children(user, action: str = Action.VIEW) -> list[QuerySet]:
    """The children of `visible(user, Child.objects.all(), action)`, written for a list, as
    querysets whose UNION is that set; a list narrows each alike and unions them
    (`earlyhelp.core.keyset.keyset_page` takes such parts).

    For a scope of a few institutions, one part per path: its ids joined to the children, with
    its column conditions, so the list sorts the scope's few thousand children instead of
    walking every name in the country. For a larger scope, `visible` itself: the list walks
    the names in order, probes each child's scope, and stops at a page."""
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


# --- One query for every path of a child page ---------------------------------------------------


def _grant_builders(scope: Scope) -> dict[str, Q]:
    """Each path's condition once, whichever actions it grants; a path that only narrows
    another by the child's own columns (`on_row`) is answered from the fetched row instead."""
    return {
        build.__name__: q
        for rules in CHILD_RULES.values()
        for build in rules.values()
        if not hasattr(build, "on_row") and (q := scope.memo(build)) is not None
    }


def _granted(child, build, grants: dict[str, Q]) -> bool:
    if hasattr(build, "on_row"):
        return _granted(child, build.unwrapped, grants) and build.on_row(child)
    return build.__name__ in grants and getattr(child, f"_grant{build.__name__}")


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
    grants = _grant_builders(scope_for(user))
    if any(not hasattr(child, f"_grant{name}") for name in grants):
        return
    paths = {}
    for action, rules in CHILD_RULES.items():
        paths[action] = next(
            (str(path) for path, build in rules.items() if _granted(child, build, grants)), ""
        )
    remember_answers(user, child, paths)


def break_glass_target(user, record: str) -> Child | None:
    """The child a manager or administrator asks to open with break-glass, by record number or
    national identifier, among the children of their own municipalities (restricted ones
    included: the caller answers them as it answers "no such child")."""
    municipalities = scope_for(user).municipality_ids(*BREAK_GLASS_ROLES)
    number = record.strip().replace(" ", "").replace("-", "").replace("/", "")
    if not (number.isascii() and number.isdigit()):
        # Nothing to look up: an empty number would match every child without an identifier.
        return None
    match = Q(national_id=number)
    if int(number) < 2**63:  # a longer number is no record number (nor a valid database id)
        match |= Q(pk=int(number))
    return Child.objects.filter(match, municipality_id__in=municipalities).first()


# --- Naming a person on a page about another record ---------------------------------------------


def unnamed(user, people) -> set[tuple[str, int]]:
    """Of the children and adults a page about another record shows (an activity's
    participants, a case's children, a contact arrangement's visitor), those it may not name:
    a person on a restricted record is named only to those who may open the record. The page's
    own record decides everyone else. Answers (label, pk) pairs; asks only about the restricted."""
    restricted: dict[type, set[int]] = {}
    for person in people:
        if person is not None and person.restricted:
            restricted.setdefault(type(person), set()).add(person.pk)
    hidden = set()
    for model, ids in restricted.items():
        seen = set(visible(user, model.objects.filter(pk__in=ids)).values_list("pk", flat=True))
        hidden |= {(model._meta.label_lower, pk) for pk in ids - seen}
    return hidden


# Why a list row does not name a person: the words the page shows, decided here.
NOT_NAMED_RESTRICTED = gettext_lazy("Name not shown: restricted record")


def unnamed_reasons(user, people) -> dict[tuple[str, int], str]:
    """`unnamed`, with why each person is not named, in the words a list shows beside the row
    (a restricted record is named only to those who may open it)."""
    return {pair: NOT_NAMED_RESTRICTED for pair in unnamed(user, people)}


def findable_by_name(user, query: str, prefix: str = "child__") -> Q:
    """A condition on rows that name a child (`prefix` leads to it): the child's name holds
    the words of `query` and a list may name the child to the user, so that a search never
    reveals a record its rows would not name: an unrestricted child, or a restricted one the
    user may open (few, looked up once)."""
    from earlyhelp.people.selectors import name_filter

    restricted = visible(
        user, Child.objects.filter(name_filter(query), restricted=True), Action.VIEW
    ).values("pk")
    return name_filter(query, prefix) & (
        Q(**{f"{prefix}restricted": False}) | Q(**{f"{prefix}pk__in": restricted})
    )


def is_named(hidden: set[tuple[str, int]], person) -> bool:
    """Whether `person` (or nobody) is named, given the `unnamed` answer of the page."""
    return person is None or (person._meta.label_lower, person.pk) not in hidden


# --- The child's page and the choices of the child's forms --------------------------------------


def child_page_parts(user, child) -> dict[str, bool]:
    """What of a child's page the user sees. A break-glass reader sees the record (its details
    and who has seen it) but not the help around it (activities, contact arrangements) and
    opens no case from it: break-glass is for reading in an emergency, not for working."""
    emergency = granting_path(user, Action.VIEW, child) == BREAK_GLASS
    details = can(user, Action.VIEW_DETAILS, child)
    return {
        "break_glass": emergency,
        "details": details,
        "change": can(user, Action.CHANGE, child),
        "help": details and not emergency,
    }


def child_creation_places(user):
    """Where the user records a new child: the municipality of their first membership that
    creates children, and the groups of the institutions those memberships name."""
    from earlyhelp.organisations.models import Group

    scope = scope_for(user)
    memberships = [m for role in sorted(CHILD_CREATORS) for m in scope.roles.get(role, [])]
    if not memberships:
        return None, Group.objects.none()
    municipality = memberships[0].municipality
    groups = Group.objects.filter(
        institution__municipality=municipality,
        institution_id__in={m.institution_id for m in memberships if m.institution_id},
    ).select_related("institution")
    return municipality, groups


def household_children(*, user, child_ids=(), child=None) -> set[int]:
    """The children and their brothers and sisters, as far as the user reads the families: the
    adults of those children whose relationships the user may read (the full record), and
    every child of those adults. Ids only, to widen a search that the policy then narrows (the
    concerns about a household, which the user sees only where the concerns rules say)."""
    if child is not None:
        # One child fetched through the policy: decided on the child, no subquery per row.
        child_ids = [child.pk]
        ties = visible_of(user, child, Relationship.objects.all())
    else:
        ties = visible(user, Relationship.objects.filter(child_id__in=child_ids), Action.VIEW)
    adults = ties.values("adult_id")
    siblings = Relationship.objects.filter(adult_id__in=adults).values_list("child_id", flat=True)
    return set(child_ids) | set(siblings)
