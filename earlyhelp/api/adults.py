"""Adults in the API: one adult as the adult's page shows them, and a change as the adult's
edit page makes it, under the same rules (people/access.py: an adult is seen where one of
their children's full records is, or a case they are the client of; a restricted adult only by
the team). The address (and whether it is protected) only to those the policy shows it to;
the date of birth and the identifier to those who may change the adult, as the edit form
shows them. Every read is audited with purpose "api"; the version is the ETag."""

from __future__ import annotations

import copy
from datetime import date

from django.forms.models import model_to_dict
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.access.shortcuts import open_record
from earlyhelp.api.common import (
    StrictSchema,
    etag,
    form_refused,
    if_match_version,
    known_query,
    refused,
    stale,
)
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Id, Text
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.people import services
from earlyhelp.people.forms import AdultForm
from earlyhelp.people.models import Adult
from earlyhelp.people.services import ADDRESS_FIELDS

router = Router(tags=["adults"])
ADULT_ID = Path(...)


class AdultChildOut(Schema):
    child_id: int
    name: str
    kind: str
    parental_responsibility: bool


class AdultOut(Schema):
    id: int
    version: int
    municipality_id: int
    given_name: str
    family_name: str
    full_name: str
    kind: str
    restricted: bool
    phone: str
    email: str
    address: str | None = None
    address_protected: bool | None = None
    birth_date: date | None = None
    national_id: str | None = None
    children: list[AdultChildOut]


class AdultPatch(StrictSchema):
    """The fields a program may change, and only those: a field left out keeps its value.
    Each is then checked by the adult form's own field."""

    family_name: Text(100) | None = None
    given_name: Text(100) | None = None
    kind: Adult.Kind | None = None
    birth_date: date | None = None
    national_id: Text(20) | None = None
    phone: Text(40) | None = None
    email: Text(254) | None = None
    address: Text(250) | None = None
    address_protected: bool | None = None


def _open(request, adult_id: int) -> Adult:
    adult, _path = open_record(
        request,
        Adult.objects.select_related("municipality__jurisdiction"),
        Action.VIEW,
        purpose="api",
        pk=adult_id,
    )
    return adult


def _answer(request, response: HttpResponse, adult: Adult) -> dict:
    relationships = visible(
        request.user,
        adult.relationships.select_related("child__municipality__jurisdiction").order_by("pk"),
        Action.VIEW,
    )
    data = {
        "id": adult.pk,
        "version": adult.version,
        "municipality_id": adult.municipality_id,
        "given_name": adult.given_name,
        "family_name": adult.family_name,
        "full_name": adult.full_name,
        "kind": adult.kind,
        "restricted": adult.restricted,
        "phone": adult.phone,
        "email": adult.email,
        "children": [
            {
                "child_id": r.child_id,
                "name": r.child.full_name,
                "kind": r.kind,
                "parental_responsibility": r.parental_responsibility,
            }
            for r in relationships
        ],
    }
    if can(request.user, Action.VIEW_CONTACT, adult):
        data.update(address=adult.address, address_protected=adult.address_protected)
    if can(request.user, Action.CHANGE, adult):
        data.update(birth_date=adult.birth_date, national_id=adult.national_id)
    response["ETag"] = etag(adult.version)
    return data


@router.get(
    "/adults/{adult_id}",
    response={200: AdultOut, **documented(401, 403, 404, 422)},
    url_name="adult_detail",
    operation_id="adult_detail",
)
def adult_detail(request, response: HttpResponse, adult_id: Id = ADULT_ID):
    """One adult, as the adult's page shows them: contact details, the address where the
    account may see it (otherwise `null`), and the children the account may see. Outside the
    account's scope: 404. The `ETag` is the record's version, for `If-Match` on a change."""
    known_query(request)
    return _answer(request, response, _open(request, adult_id))


@router.patch(
    "/adults/{adult_id}",
    response={200: AdultOut, **documented(400, 401, 403, 404, 412, 413, 415, 422, 428)},
    url_name="adult_update",
    operation_id="adult_update",
)
def adult_update(
    request,
    response: HttpResponse,
    payload: AdultPatch,
    adult_id: Id = ADULT_ID,
    if_match: str | None = IF_MATCH,
):
    """Change some of an adult's details, as the adult's edit page does: the same checks, the
    same rule on who may, one audit row with what changed. Who may not see the address may
    not change it (422 naming the field). Send the `ETag` you read in `If-Match`: without it
    428, and 412 if the record was changed since."""
    known_query(request)
    adult = _open(request, adult_id)
    if not can(request.user, Action.CHANGE, adult):
        raise Problem(403, _("This account may not change this adult's record."))
    version = if_match_version(if_match)
    changes = payload.dict(exclude_unset=True)
    show_address = can(request.user, Action.VIEW_CONTACT, adult)
    for name, value in changes.items():
        if value is None and name != "birth_date":
            raise refused(
                name, _("Leave the field out to keep it; it cannot be emptied with null.")
            )
        if name in ADDRESS_FIELDS and not show_address:
            raise refused(name, _("This account may not see or change this adult's address."))
    current = model_to_dict(adult, fields=AdultForm._meta.fields)
    # The form checks a copy: the record itself changes only through the service.
    form = AdultForm({**current, **changes, "version": version}, instance=copy.copy(adult),
                     municipality=adult.municipality, show_address=show_address)  # fmt: skip
    if not form.is_valid():
        raise form_refused(form)
    try:
        services.adult_update(
            user=request.user,
            adult=adult,
            data={name: form.cleaned_data[name] for name in changes},
            version=version,
            role=primary_role(request.user),
            request_id=getattr(request, "request_id", ""),
        )
    except StaleVersionError as error:
        raise stale() from error
    return _answer(request, response, adult)
