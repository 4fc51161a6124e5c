"""Reading children and adults, always through the access policy."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.core.keyset import Key, Page, keyset_page
from earlyhelp.core.text import fold_text
from earlyhelp.people.access import visible_children, visible_of_child
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship

MIN_SEARCH_LENGTH = 3
CHILD_ORDER = [Key("search_name"), Key("pk")]


def name_filter(query: str) -> Q:
    """Every word of the query must occur in the folded name, in any order."""
    q = Q()
    for word in fold_text(query).split():
        q &= Q(search_name__contains=word)
    return q


def child_list(*, user, query: str = "", cursor: str = "", page_size: int | None = None) -> Page:
    """One page of the children the user may see, by name, with keyset pagination."""
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
    page = keyset_page(parts, CHILD_ORDER, cursor, page_size)
    # Municipalities are few: fetched for the page's rows, not joined to every candidate.
    prefetch_related_objects(
        page.rows,
        "municipality__jurisdiction",
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.current().select_related("group__institution"),
            to_attr="current_enrolments",
        ),
    )
    return page


def child_queryset() -> QuerySet:
    return Child.objects.select_related("municipality__jurisdiction")


def child_details(*, user, child: Child) -> dict:
    """What the child page shows beyond the basics, each part through the policy."""
    relationships = visible_of_child(
        user, Relationship.objects.select_related("adult__municipality__jurisdiction"), child
    )
    consents = visible_of_child(
        user, Consent.objects.select_related("given_by__municipality__jurisdiction"), child
    )
    return {"relationships": list(relationships), "consents": list(consents)}


def child_enrolments(*, user, child: Child) -> list[Enrolment]:
    """The child's groups: the whole history for those with access to the full record, and
    for the others (an educator, a lead) only the groups the child is in today."""
    if can(user, Action.VIEW_DETAILS, child):
        enrolments = visible_of_child(user, Enrolment.objects.all(), child)
    else:
        enrolments = Enrolment.objects.filter(child=child).current()
    return list(enrolments.select_related("group__institution").order_by("-starts_on"))


def adult_address_visible(*, user, adult: Adult) -> bool:
    """A protected address is shown only to the teams of the adult's children; a foster
    carer's only to the foster side (those who may see one of their households), never to the
    workers of a placed child's birth family, even on the child's team."""
    from earlyhelp.fostercare.models import Household

    households = Household.objects.filter(carers__adult=adult)
    if households.exists():
        return visible(user, households, Action.VIEW_DETAILS).exists()
    if not adult.address_protected:
        return True
    return adult.relationships.filter(child__team_members__user=user).exists()


def adult_queryset() -> QuerySet:
    return Adult.objects.select_related("municipality__jurisdiction")
