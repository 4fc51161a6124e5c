"""Institutions and their groups (classes) in the API: what a program acting for an account
needs to name where it works (a concern's institution, a child's class). The organisation tree
is configuration; who reads which part of it is the policy's answer (organisations/access.py:
the administrators of a municipality, and those who work in its institutions). It holds no
person's data, so its reads are not written to the audit log."""

from __future__ import annotations

from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, visible
from earlyhelp.access.shortcuts import get_object_or_deny
from earlyhelp.api.common import CURSOR, LIMIT, check_cursor, known_query
from earlyhelp.api.problems import documented
from earlyhelp.api.types import Id
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.organisations.models import Group, Institution

router = Router(tags=["organisations"])
INSTITUTION_ORDER = [Key("name"), Key("pk")]
GROUP_ORDER = [Key("name"), Key("school_year"), Key("pk")]
INSTITUTION_ID = Path(...)


class InstitutionGroupOut(Schema):
    id: int
    institution_id: int
    name: str
    school_year: str


class InstitutionOut(Schema):
    id: int
    municipality_id: int
    district_id: int | None
    name: str
    kind: str
    address: str


class InstitutionDetailOut(InstitutionOut):
    groups: list[InstitutionGroupOut]


class InstitutionPage(Schema):
    items: list[InstitutionOut]
    next_cursor: str | None


class GroupPage(Schema):
    items: list[InstitutionGroupOut]
    next_cursor: str | None


def _institution(institution: Institution) -> dict:
    return {
        "id": institution.pk,
        "municipality_id": institution.municipality_id,
        "district_id": institution.district_id,
        "name": institution.name,
        "kind": institution.kind,
        "address": institution.address,
    }


def _group(group: Group) -> dict:
    return {
        "id": group.pk,
        "institution_id": group.institution_id,
        "name": group.name,
        "school_year": group.school_year,
    }


@router.get(
    "/institutions",
    response={200: InstitutionPage, **documented(401, 403, 422)},
    url_name="institution_list",
    operation_id="institution_list",
)
def institution_list(
    request,
    municipality_id: Id | None = None,
    kind: Institution.Kind | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The institutions this account may read, by name: those it works in, and for those who
    enrol children every institution of their municipality. `municipality_id`, `kind`: only
    those. Page with `next_cursor`."""
    known_query(request, "municipality_id", "kind", "cursor", "limit")
    rows = visible(request.user, Institution.objects.all(), Action.LIST)
    if municipality_id is not None:
        rows = rows.filter(municipality_id=municipality_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    page = keyset_page(
        rows, INSTITUTION_ORDER, check_cursor(cursor, rows, INSTITUTION_ORDER), limit
    )
    return {"items": [_institution(i) for i in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/institutions/{institution_id}",
    response={200: InstitutionDetailOut, **documented(401, 403, 404, 422)},
    url_name="institution_detail",
    operation_id="institution_detail",
)
def institution_detail(request, institution_id: Id = INSTITUTION_ID):
    """One institution with its groups (classes). One the account may not read: 404."""
    known_query(request)
    institution = get_object_or_deny(request, Institution.objects.all(), pk=institution_id)
    groups = visible(request.user, Group.objects.filter(institution=institution), Action.VIEW)
    return {
        **_institution(institution),
        "groups": [_group(g) for g in groups.order_by("name", "school_year", "pk")],
    }


@router.get(
    "/groups",
    response={200: GroupPage, **documented(401, 403, 422)},
    url_name="group_list",
    operation_id="group_list",
)
def group_list(
    request,
    institution_id: Id | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The groups (classes) this account may read, by name; `institution_id`: only that
    institution's. Page with `next_cursor`."""
    known_query(request, "institution_id", "cursor", "limit")
    rows = visible(request.user, Group.objects.all(), Action.LIST)
    if institution_id is not None:
        rows = rows.filter(institution_id=institution_id)
    page = keyset_page(rows, GROUP_ORDER, check_cursor(cursor, rows, GROUP_ORDER), limit)
    return {"items": [_group(g) for g in page.rows], "next_cursor": page.next_cursor}
