"""Children in the API: the list a program may page through and one child's record, under the
same policy as the child list and the child page (people/access.py). What a role sees of a
child on the page it sees here: the basics (names, groups today) to all who see the child, the
full record (date of birth, identifier, needs, family, consents) to those who may read it, and
`null` for the rest. Every page and record read is audited with purpose "api". A change
(PATCH) goes through the child form's fields and the service the edit page uses, with the
record's version as ETag / If-Match."""

from __future__ import annotations

import copy
from datetime import date

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Header, Path, Router, Schema

from earlyhelp.access.policy import Action, can, primary_role
from earlyhelp.access.shortcuts import audit_list, open_record
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    etag,
    form_refused,
    if_match_version,
    known_query,
    refused,
    stale,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Id, Text
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.people import selectors, services
from earlyhelp.people.access import child_creation_places
from earlyhelp.people.forms import ChildForm
from earlyhelp.people.models import Child, Sex
from earlyhelp.people.selectors import CHILD_ORDER, MIN_SEARCH_LENGTH

router = Router(tags=["children"])
CHILD_ID = Path(...)
IF_MATCH = Header(
    None,
    alias="If-Match",
    max_length=100,
    description='The ETag of the record as read (`"7"`); a record changed since answers 412.',
)


class GroupOut(Schema):
    group_id: int
    group: str
    institution_id: int
    institution: str
    starts_on: date
    ends_on: date | None


class RelationshipOut(Schema):
    adult_id: int
    name: str
    kind: str
    parental_responsibility: bool
    lives_with_child: bool
    contact_restriction: bool


class ConsentOut(Schema):
    purpose: str
    given_by_adult_id: int | None
    given_on: date
    valid_until: date | None
    withdrawn_on: date | None


class ChildDetailsOut(Schema):
    birth_date: date
    sex: str
    national_id: str
    languages: str
    needs: str
    relationships: list[RelationshipOut]
    consents: list[ConsentOut]


class ChildOut(Schema):
    id: int
    version: int
    municipality_id: int
    given_name: str
    family_name: str
    full_name: str
    restricted: bool
    groups: list[GroupOut]
    details: ChildDetailsOut | None = None


class ChildPatch(StrictSchema):
    """The fields a program may change, and only those: a field left out keeps its value.
    Each is then checked by the child form's own field."""

    family_name: Text(100) | None = None
    given_name: Text(100) | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    national_id: Text(20) | None = None
    languages: Text(100) | None = None
    needs: Text(5000, multiline=True) | None = None


class NewChild(StrictSchema):
    """A child's record as the new-child page creates it; `group_id`: one of the groups of
    the account's own institutions (as the page offers), the child's from today."""

    family_name: Text(100)
    given_name: Text(100)
    birth_date: date
    sex: Sex = Sex.UNKNOWN
    national_id: Text(20) = ""
    languages: Text(100) = ""
    needs: Text(5000, multiline=True) = ""
    group_id: Id | None = None


class ChildPage(Schema):
    items: list[ChildOut]
    next_cursor: str | None


def _groups(enrolments) -> list[dict]:
    return [
        {
            "group_id": e.group_id,
            "group": e.group.name,
            "institution_id": e.group.institution_id,
            "institution": e.group.institution.name,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
        }
        for e in enrolments
    ]


def _basics(child: Child, enrolments) -> dict:
    return {
        "id": child.pk,
        "version": child.version,
        "municipality_id": child.municipality_id,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "full_name": child.full_name,
        "restricted": child.restricted,
        "groups": _groups(enrolments),
    }


def _details(user, child: Child) -> dict:
    found = selectors.child_details(user=user, child=child)
    return {
        "birth_date": child.birth_date,
        "sex": child.sex,
        "national_id": child.national_id,
        "languages": child.languages,
        "needs": child.needs,
        "relationships": [
            {
                "adult_id": r.adult_id,
                "name": r.adult.full_name,
                "kind": r.kind,
                "parental_responsibility": r.parental_responsibility,
                "lives_with_child": r.lives_with_child,
                "contact_restriction": r.contact_restriction,
            }
            for r in found["relationships"]
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "given_by_adult_id": c.given_by_id,
                "given_on": c.given_on,
                "valid_until": c.valid_until,
                "withdrawn_on": c.withdrawn_on,
            }
            for c in found["consents"]
        ],
    }


@router.get(
    "/children",
    response={200: ChildPage, **documented(401, 403, 422)},
    url_name="child_list",
    operation_id="child_list",
)
def child_list(
    request,
    q: Text(100) | None = None,
    institution_id: Id | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The children this account may see, by name (as the child list), with the groups they
    are in today. `q`: words of the name, at least three letters in all; `institution_id`:
    only children in a group of that institution today. Page with `next_cursor`."""
    known_query(request, "q", "institution_id", "cursor", "limit")
    if not can(request.user, Action.LIST, Child):
        raise Problem(403, _("This account may not list children."))
    page = selectors.child_list(
        user=request.user,
        query=q or "",
        cursor=check_cursor(cursor, Child.objects.none(), CHILD_ORDER),
        page_size=limit,
        institution_id=institution_id,
    )
    if page.query_too_short:
        message = ngettext(
            "Type at least %(n)s letter of the name.",
            "Type at least %(n)s letters of the name.",
            MIN_SEARCH_LENGTH,
        )
        raise refused("q", message % {"n": MIN_SEARCH_LENGTH})
    audit_list(request, object_type="people.child", purpose="api", changes={"rows": len(page.rows)})
    return {
        "items": [_basics(child, child.current_enrolments) for child in page.rows],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "/children",
    response={200: ChildOut, 201: ChildOut, **documented(400, 401, 403, 409, 413, 415, 422)},
    url_name="child_create",
    operation_id="child_create",
)
def child_create(request, payload: NewChild, idempotency_key: str = IDEMPOTENCY_KEY):
    """Record a new child, as the new-child page does: the same checks, in the account's
    municipality, with the account named on the child's team; optionally in one of its
    groups from today. Needs an Idempotency-Key: a retry gets the first answer again, with
    status 200."""
    known_query(request)
    if not can(request.user, Action.CREATE, Child):
        raise Problem(403, _("This account may not record children."))
    municipality, groups = child_creation_places(request.user)

    def create() -> dict:
        data = payload.dict(exclude={"group_id"})
        form = ChildForm(
            {**data, "group": payload.group_id or ""}, municipality=municipality, groups=groups
        )
        if not form.is_valid():
            raise form_refused(form, {"group": "group_id"})
        child = services.child_create(
            user=request.user,
            municipality=municipality,
            data=form.cleaned_data,
            group=form.cleaned_data.get("group"),
            role=primary_role(request.user),
            request_id=getattr(request, "request_id", ""),
        )
        return _record(request, child)

    return idempotent(request, idempotency_key, payload, create=create, out=ChildOut)


@router.get(
    "/children/{child_id}",
    response={200: ChildOut, **documented(401, 403, 404, 422)},
    url_name="child_detail",
    operation_id="child_detail",
)
def child_detail(request, response: HttpResponse, child_id: Id = CHILD_ID):
    """One child: the basics to all who see the child, `details` to those who may read the
    full record (otherwise `null`). Outside the account's scope: 404. The `ETag` is the
    record's version, for `If-Match` on a change."""
    known_query(request)
    return _answer(request, response, _open(request, child_id))


def _open(request, child_id: int) -> Child:
    child, _path = open_record(
        request,
        Child.objects.select_related("municipality__jurisdiction"),
        Action.VIEW,
        purpose="api",
        pk=child_id,
    )
    return child


def _record(request, child: Child) -> dict:
    data = _basics(child, selectors.child_enrolments(user=request.user, child=child))
    if can(request.user, Action.VIEW_DETAILS, child):
        data["details"] = _details(request.user, child)
    return data


def _answer(request, response: HttpResponse, child: Child) -> dict:
    response["ETag"] = etag(child.version)
    return _record(request, child)


@router.patch(
    "/children/{child_id}",
    response={200: ChildOut, **documented(400, 401, 403, 404, 412, 413, 415, 422, 428)},
    url_name="child_update",
    operation_id="child_update",
)
def child_update(
    request,
    response: HttpResponse,
    payload: ChildPatch,
    child_id: Id = CHILD_ID,
    if_match: str | None = IF_MATCH,
):
    """Change some of a child's details, as the child's edit page does: the same checks (the
    identifier's checksum, a plausible date of birth), the same rule on who may, one audit row
    with what changed. Send the `ETag` you read in `If-Match`: without it 428, and 412 if the
    record was changed since."""
    known_query(request)
    child = _open(request, child_id)
    if not can(request.user, Action.CHANGE, child):
        raise Problem(403, _("This account may not change this child's record."))
    version = if_match_version(if_match)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise refused(
                name, _("Leave the field out to keep it; it cannot be emptied with null.")
            )
    current = model_to_dict(child, fields=ChildForm._meta.fields)
    # The form checks a copy: the record itself changes only through the service.
    form = ChildForm({**current, **changes, "version": version}, instance=copy.copy(child),
                     municipality=child.municipality)  # fmt: skip
    if not form.is_valid():
        raise form_refused(form)
    try:
        services.child_update(
            user=request.user,
            child=child,
            data={name: form.cleaned_data[name] for name in changes},
            version=version,
            role=primary_role(request.user),
            request_id=getattr(request, "request_id", ""),
        )
    except StaleVersionError as error:
        raise stale() from error
    return _answer(request, response, child)
