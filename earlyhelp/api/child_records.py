"""A child's rows in the API: the groups (enrolments), the consents and the adults in the
child's life (relationships), read and added as the child's page and its forms do, under the
same rules (people/access.py). Enrolments are read by all who see the child (the groups of
today only, for those who see the basics); consents and relationships with the full record
(403 for an educator or a lead, as the page's section). Each read is audited as a read of the
child's record, with purpose "api"; each create goes through the page's form and service, once
per Idempotency-Key."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from ninja import Router, Schema

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, get_object_or_deny, open_record
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    form_refused,
    known_query,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.people import CHILD_ID
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.organisations.models import Group
from earlyhelp.people import selectors, services
from earlyhelp.people.forms import AdultAddForm, ConsentForm, EnrolmentForm
from earlyhelp.people.models import Adult, Child, Consent, Enrolment, Relationship

router = Router(tags=["children"])
ENROLMENT_ORDER = [Key("starts_on", descending=True), Key("pk", descending=True)]
CONSENT_ORDER = [Key("given_on", descending=True), Key("pk", descending=True)]
RELATIONSHIP_ORDER = [Key("pk")]
WRITE_ERRORS = documented(400, 401, 403, 404, 409, 413, 415, 422)


class EnrolmentOut(Schema):
    id: int
    version: int
    group_id: int
    group: str
    institution_id: int
    institution: str
    starts_on: date
    ends_on: date | None


class EnrolmentIn(StrictSchema):
    """A group of the child's municipality (as the enrolment form offers), from `starts_on`."""

    group_id: Id
    starts_on: date


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next_cursor: str | None


class ConsentRowOut(Schema):
    id: int
    version: int
    purpose: str
    given_by_adult_id: int | None
    given_by_other: str
    given_on: date
    valid_until: date | None
    withdrawn_on: date | None
    note: str


class ConsentIn(StrictSchema):
    """Who gave it: one of the child's adults (`given_by_adult_id`) or, in words,
    `given_by_other` (the pupil, the school's head)."""

    purpose: Consent.Purpose
    given_by_adult_id: Id | None = None
    given_by_other: Text(150) = ""
    given_on: date
    valid_until: date | None = None
    note: Text(250) = ""


class ConsentPage(Schema):
    items: list[ConsentRowOut]
    next_cursor: str | None


class RelationshipRowOut(Schema):
    id: int
    version: int
    adult_id: int
    name: str
    kind: str
    parental_responsibility: bool
    lives_with_child: bool
    contact_restriction: bool
    note: str


class RelationshipPage(Schema):
    items: list[RelationshipRowOut]
    next_cursor: str | None


def _enrolment(e: Enrolment) -> dict:
    return {
        "id": e.pk,
        "version": e.version,
        "group_id": e.group_id,
        "group": e.group.name,
        "institution_id": e.group.institution_id,
        "institution": e.group.institution.name,
        "starts_on": e.starts_on,
        "ends_on": e.ends_on,
    }


def _consent(c: Consent) -> dict:
    return {
        "id": c.pk,
        "version": c.version,
        "purpose": c.purpose,
        "given_by_adult_id": c.given_by_id,
        "given_by_other": c.given_by_other,
        "given_on": c.given_on,
        "valid_until": c.valid_until,
        "withdrawn_on": c.withdrawn_on,
        "note": c.note,
    }


def _relationship(r: Relationship) -> dict:
    return {
        "id": r.pk,
        "version": r.version,
        "adult_id": r.adult_id,
        "name": r.adult.full_name,
        "kind": r.kind,
        "parental_responsibility": r.parental_responsibility,
        "lives_with_child": r.lives_with_child,
        "contact_restriction": r.contact_restriction,
        "note": r.note,
    }


def _read(request, child_id: int, action: str) -> Child:
    """The child whose rows are read, opened and audited as the page opens it: 404 outside
    the account's scope, 403 for a part of the record it may not read."""
    known_query(request, "cursor", "limit")
    children = Child.objects.select_related("municipality__jurisdiction")
    return open_record(request, children, action, purpose="api", pk=child_id)[0]


def _for_change(request, child_id: int) -> Child:
    """The child a row is added to: 404 outside the scope, 403 for those who only see it. The
    service audits the row it creates."""
    known_query(request)
    child = get_object_or_deny(
        request, Child.objects.select_related("municipality__jurisdiction"), pk=child_id
    )
    if not can(request.user, Action.CHANGE, child):
        raise Problem(403, _("This account may not change this child's record."))
    return child


def _page(rows, keys, cursor, limit, row) -> dict:
    page = keyset_page(rows, keys, check_cursor(cursor, rows, keys), limit)
    return {"items": [row(r) for r in page.rows], "next_cursor": page.next_cursor}


@router.get(
    "/children/{child_id}/enrolments",
    response={200: EnrolmentPage, **documented(401, 403, 404, 422)},
    url_name="child_enrolment_list",
    operation_id="child_enrolment_list",
)
def child_enrolment_list(
    request, child_id: Id = CHILD_ID, cursor: str | None = CURSOR, limit: int = LIMIT
):
    """The child's groups, newest first: the whole history to those who may read the full
    record, the groups of today to those who see the basics. Page with `next_cursor`."""
    child = _read(request, child_id, Action.VIEW)
    rows = selectors.child_enrolment_rows(user=request.user, child=child)
    return _page(rows, ENROLMENT_ORDER, cursor, limit, _enrolment)


@router.post(
    "/children/{child_id}/enrolments",
    response={200: EnrolmentOut, 201: EnrolmentOut, **WRITE_ERRORS},
    url_name="child_enrolment_create",
    operation_id="child_enrolment_create",
)
def child_enrolment_create(
    request, payload: EnrolmentIn, child_id: Id = CHILD_ID, idempotency_key: str = IDEMPOTENCY_KEY
):
    """Enrol the child in a group of its municipality from `starts_on`, as the enrolment form
    does; not twice in one group on one day. Needs an Idempotency-Key: a retry gets the first
    answer again, with status 200."""
    child = _for_change(request, child_id)

    def create() -> dict:
        groups = Group.objects.filter(institution__municipality=child.municipality)
        form = EnrolmentForm(
            {"group": payload.group_id, "starts_on": payload.starts_on},
            groups=groups.select_related("institution"),
        )
        if not form.is_valid():
            raise form_refused(form, {"group": "group_id"})
        enrolment = services.enrolment_add(
            child=child,
            group=form.cleaned_data["group"],
            starts_on=form.cleaned_data["starts_on"],
            user=request.user,
            **audit_context(request),
        )
        return _enrolment(enrolment)

    under = f"children/{child.pk}/enrolments"
    return idempotent(
        request, idempotency_key, payload, create=create, out=EnrolmentOut, under=under
    )


@router.get(
    "/children/{child_id}/consents",
    response={200: ConsentPage, **documented(401, 403, 404, 422)},
    url_name="child_consent_list",
    operation_id="child_consent_list",
)
def child_consent_list(
    request, child_id: Id = CHILD_ID, cursor: str | None = CURSOR, limit: int = LIMIT
):
    """The child's consents, the newest given first, to those who may read the full record
    (403 to those who see only the basics). Page with `next_cursor`."""
    child = _read(request, child_id, Action.VIEW_DETAILS)
    rows = selectors.child_consents(user=request.user, child=child)
    return _page(rows, CONSENT_ORDER, cursor, limit, _consent)


@router.post(
    "/children/{child_id}/consents",
    response={200: ConsentRowOut, 201: ConsentRowOut, **WRITE_ERRORS},
    url_name="child_consent_create",
    operation_id="child_consent_create",
)
def child_consent_create(
    request, payload: ConsentIn, child_id: Id = CHILD_ID, idempotency_key: str = IDEMPOTENCY_KEY
):
    """Record a consent, as the consent form does: given by one of the child's adults that the
    account may see, or by someone named in `given_by_other`; never given in the future.
    Needs an Idempotency-Key: a retry gets the first answer again, with status 200."""
    child = _for_change(request, child_id)

    def create() -> dict:
        adults = visible(request.user, Adult.objects.filter(relationships__child=child))
        data = payload.dict()
        data["given_by"] = data.pop("given_by_adult_id") or ""
        form = ConsentForm(data, adults=adults.distinct())
        if not form.is_valid():
            raise form_refused(form, {"given_by": "given_by_adult_id"})
        consent = services.consent_record(
            child=child, data=form.cleaned_data, user=request.user, **audit_context(request)
        )
        return _consent(consent)

    under = f"children/{child.pk}/consents"
    return idempotent(
        request, idempotency_key, payload, create=create, out=ConsentRowOut, under=under
    )


@router.get(
    "/children/{child_id}/relationships",
    response={200: RelationshipPage, **documented(401, 403, 404, 422)},
    url_name="child_relationship_list",
    operation_id="child_relationship_list",
)
def child_relationship_list(
    request, child_id: Id = CHILD_ID, cursor: str | None = CURSOR, limit: int = LIMIT
):
    """The adults in the child's life and how they are related, to those who may read the
    full record (403 to those who see only the basics); a restricted adult only to the
    child's team, as on the page. Page with `next_cursor`."""
    child = _read(request, child_id, Action.VIEW_DETAILS)
    rows = selectors.child_relationships(user=request.user, child=child)
    return _page(rows, RELATIONSHIP_ORDER, cursor, limit, _relationship)


class NewAdult(StrictSchema):
    """An adult in the child's life and how they are related, as the "add an adult" form
    takes them; the address only where the account may see addresses."""

    family_name: Text(100)
    given_name: Text(100)
    kind: Choice(Adult.Kind) = Adult.Kind.PARENT.value
    birth_date: date | None = None
    national_id: Text(20) = ""
    phone: Text(40) = ""
    email: Text(254) = ""
    relationship_kind: Choice(Relationship.Kind)
    parental_responsibility: bool = False
    lives_with_child: bool = False
    contact_restriction: bool = False
    note: Text(250) = ""


# The add-an-adult form's fields as this API names them, in a refusal's `errors`.
ADULT_FIELDS = {
    "relationship_kind": "relationship_kind",
    "relationship_parental_responsibility": "parental_responsibility",
    "relationship_lives_with_child": "lives_with_child",
    "relationship_contact_restriction": "contact_restriction",
    "relationship_note": "note",
}


@router.post(
    "/children/{child_id}/adults",
    response={
        200: RelationshipRowOut,
        201: RelationshipRowOut,
        **documented(400, 401, 403, 404, 409, 413, 415, 422),
    },
    url_name="child_adult_create",
    operation_id="child_adult_create",
)
def child_adult_create(
    request, payload: NewAdult, child_id: Id = CHILD_ID, idempotency_key: str = IDEMPOTENCY_KEY
):
    """Record a new adult in the child's life with how they are related (a parent, a
    grandparent), as the child's "add an adult" page does: the same checks (the identifier's
    checksum, a plausible date of birth), the same rule on who may. Answers the new
    relationship. Needs an Idempotency-Key: a retry gets the first answer again, with 200."""
    child = _for_change(request, child_id)

    def create() -> dict:
        data = payload.dict()
        data |= {
            "birth_date": payload.birth_date.isoformat() if payload.birth_date else "",
            "relationship_parental_responsibility": data.pop("parental_responsibility") or "",
            "relationship_lives_with_child": data.pop("lives_with_child") or "",
            "relationship_contact_restriction": data.pop("contact_restriction") or "",
            "relationship_note": data.pop("note"),
        }
        form = AdultAddForm(data, municipality=child.municipality)
        if not form.is_valid():
            raise form_refused(form, ADULT_FIELDS)
        relationship = services.adult_add(
            child=child, data=form.cleaned_data, user=request.user, **audit_context(request)
        )
        return _relationship(relationship)

    under = f"children/{child.pk}/adults"
    return idempotent(
        request, idempotency_key, payload, create=create, out=RelationshipRowOut, under=under
    )
