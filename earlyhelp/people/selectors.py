"""Reading children and adults, always through the access policy."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, prefetch_related_objects

from earlyhelp.access.policy import Action, can, visible_of, visible_prefetch
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.core.text import fold_text
from earlyhelp.people.access import visible_children
from earlyhelp.people.models import Child, Consent, Enrolment, Relationship

MIN_SEARCH_LENGTH = 3
CHILD_ORDER = [Key("search_name"), Key("pk")]


def name_filter(query: str, prefix: str = "") -> Q:
    """Every word of the query must occur in the folded name, in any order. `prefix` leads
    from the filtered rows to the person (`child__`)."""
    q = Q()
    for word in fold_text(query).split()[:5]:
        q &= Q(**{f"{prefix}search_name__contains": word})
    return q


def child_list(
    *,
    user,
    query: str = "",
    cursor: str = "",
    page_size: int | None = None,
    institution_id: int | None = None,
) -> Page:
    """One page of the children the user may see, by name, with keyset pagination; only those
    in a group of `institution_id` today, if given."""
    page_size = page_size or settings.EARLYHELP_PAGE_SIZE
    # One part per path of the policy (earlyhelp.access.policy.visible_children), each
    # narrowed alike; their union is the list.
    parts = visible_children(user, Action.VIEW)
    # PostgreSQL text cannot hold NUL; nobody types one.
    query = query.replace("\x00", "").strip()
    if query:
        if len(fold_text(query).replace(" ", "")) < MIN_SEARCH_LENGTH:
            return Page(rows=[], next_cursor=None, query_too_short=True)
        parts = [part.filter(name_filter(query)) for part in parts]
    if institution_id is not None:
        enrolled = Enrolment.objects.current().filter(
            child_id=OuterRef("pk"), group__institution_id=institution_id
        )
        parts = [part.filter(Exists(enrolled)) for part in parts]
    page = keyset_page(parts, CHILD_ORDER, cursor, page_size)
    # Municipalities are few: fetched for the page's rows, not joined to every candidate.
    prefetch_related_objects(
        page.rows,
        "municipality__jurisdiction",
        # The classes a child is in today, shown with the basics to all who see the child.
        visible_prefetch(
            user,
            "enrolments",
            Enrolment.objects.select_related("group__institution"),
            Action.LIST,
            to_attr="current_enrolments",
        ),
    )
    return page


def child_relationships(*, user, child: Child):
    """The adults in the child's life the user may read, as the child's page shows them (a
    restricted adult only to the child's team)."""
    return visible_of(
        user, child, Relationship.objects.select_related("adult__municipality__jurisdiction")
    )


def child_consents(*, user, child: Child):
    """The child's consents the user may read (the full record's)."""
    return visible_of(
        user, child, Consent.objects.select_related("given_by__municipality__jurisdiction")
    )


def child_details(*, user, child: Child) -> dict:
    """What the child page shows beyond the basics, each part through the policy."""
    return {
        "relationships": list(child_relationships(user=user, child=child)),
        "consents": list(child_consents(user=user, child=child)),
    }


def child_enrolment_rows(*, user, child: Child):
    """The child's groups: the whole history for those with access to the full record, and
    for the others (an educator, a lead) only the groups the child is in today."""
    action = Action.VIEW if can(user, Action.VIEW_DETAILS, child) else Action.LIST
    return visible_of(user, child, Enrolment.objects.all(), action).select_related(
        "group__institution"
    )


def child_enrolments(*, user, child: Child) -> list[Enrolment]:
    """`child_enrolment_rows`, newest first, with what the child's page and the API show of
    each (the group and its institution by name, the dates, the version an end is sent with)."""
    rows = child_enrolment_rows(user=user, child=child).only(
        "version",
        "child_id",
        "starts_on",
        "ends_on",
        "group__name",
        "group__institution__name",
    )
    return list(rows.order_by("-starts_on"))
