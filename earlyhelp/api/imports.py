"""Roster imports through the API (docs/import.md, "Through the API"): a school system sends
its roster file, reads the check, decides on the rows that could be several children and
applies, as the administrator does on the import pages, under the same rules and services.
Every operation needs a token with the `import` scope besides `read` or `write`.

The file travels base64-encoded in a JSON body, so it is bounded by the API's body limit: a
system with a larger roster sends one file per institution (a full roster is per institution)."""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from earlyhelp.access.policy import Action, can
from earlyhelp.access.shortcuts import audit_list, get_object_or_deny
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    form_refused,
    known_query,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.models import Scope
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Choice, Id, Text
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.core.text import plain_number
from earlyhelp.imports import services
from earlyhelp.imports.access import import_municipalities
from earlyhelp.imports.fields import PRESETS
from earlyhelp.imports.forms import ImportForm
from earlyhelp.imports.models import RosterImport, RosterRow
from earlyhelp.organisations.models import Institution

router = Router(tags=["imports"])
ROW_KEYS = [Key("line")]
# The import form's fields as this API names them, in a refusal's `errors`.
FIELD_NAMES = {"municipality": "municipality_id", "file": "file_name", "mapping": "preset"}
# Base64 of a file within the API's body limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB).
CONTENT_LIMIT = 2_600_000


def _may_import(request) -> None:
    token = getattr(request, "api_token", None)
    if token is None or not token.allows(Scope.IMPORT):
        message = _("This token does not have the %(scope)s scope.")
        raise Problem(403, message % {"scope": Scope.IMPORT.label})


class ImportIn(StrictSchema):
    municipality_id: Id
    kind: Choice(RosterImport.Kind) = RosterImport.Kind.CHILDREN.value
    file_name: Text(200, min_length=5)
    content: str = Field(
        ..., min_length=4, max_length=CONTENT_LIMIT, description="The file, base64-encoded."
    )
    preset: str | None = Field(
        None, max_length=20, description=f"One of: {', '.join(PRESETS)}; or send mapping_id."
    )
    mapping_id: Id | None = None
    starts_on: date
    full_roster: bool = False
    create_groups: bool = False
    create_institutions: bool = False
    institution_kind: Choice(Institution.Kind) = Institution.Kind.SCHOOL.value


class ImportOut(Schema):
    id: int
    kind: str
    municipality_id: int
    file_name: str
    mapping_name: str
    state: str
    rows_total: int
    rows_done: int
    summary: dict
    applied_summary: dict
    missing: int
    failure: str
    created_at: datetime
    applied_at: datetime | None


class RowProblemOut(Schema):
    field: str | None
    message: str


class ChangeOut(Schema):
    field: str
    value: str


class RowOut(Schema):
    line: int
    outcome: str
    problems: list[RowProblemOut]
    changes: list[ChangeOut]
    child_id: int | None
    candidates: list[int]
    decision: str


class RowPage(Schema):
    items: list[RowOut]
    next_cursor: str | None


class DecisionIn(StrictSchema):
    line: int = Field(..., ge=1, le=10_000_000)
    decision: str = Field(
        ..., max_length=20, description='"new", "skip", a candidate child\'s id, or "" to undo.'
    )


class DecisionsIn(StrictSchema):
    decisions: list[DecisionIn] = Field(..., min_length=1, max_length=500)


class ApplyIn(StrictSchema):
    end_missing: bool = False


def _out(roster: RosterImport) -> dict:
    return {
        "id": roster.pk,
        "kind": roster.kind,
        "municipality_id": roster.municipality_id,
        "file_name": roster.file_name,
        "mapping_name": roster.mapping_name,
        "state": roster.state,
        "rows_total": roster.rows_total,
        "rows_done": roster.rows_done,
        "summary": roster.summary,
        "applied_summary": roster.applied_summary,
        "missing": len(roster.missing),
        "failure": roster.failure,
        "created_at": roster.created_at,
        "applied_at": roster.applied_at,
    }


def _form(request, payload: ImportIn) -> ImportForm:
    try:
        content = base64.b64decode(payload.content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise Problem(
            422,
            _("The content is not base64."),
            kind="validation",
            errors=[{"field": "content", "message": _("The content is not base64.")}],
        ) from error
    mapping = f"mapping:{payload.mapping_id}" if payload.mapping_id else f"preset:{payload.preset}"
    data = {
        "municipality": payload.municipality_id,
        "kind": payload.kind,
        "mapping": mapping,
        "starts_on": payload.starts_on.isoformat(),
        "institution_kind": payload.institution_kind,
        **{
            name: "on"
            for name in ("full_roster", "create_groups", "create_institutions")
            if getattr(payload, name)
        },
    }
    files = {"file": SimpleUploadedFile(payload.file_name, content)}
    form = ImportForm(data, files, municipalities=import_municipalities(request.user))
    if not form.is_valid():
        raise form_refused(form, FIELD_NAMES)
    return form


@router.post(
    "/imports",
    response={200: ImportOut, 201: ImportOut, **documented(400, 401, 403, 409, 413, 415, 422)},
    url_name="import_create",
    operation_id="import_create",
)
def import_create(request, payload: ImportIn, idempotency_key: str = IDEMPOTENCY_KEY):
    """Send a roster file to be checked (the dry run): nothing is written to the records until
    it is applied. Read the check with `GET /imports/{id}` until `state` is `checked`."""
    known_query(request)
    _may_import(request)
    if not can(request.user, Action.CREATE, RosterImport):
        raise Problem(403, _("This account may not import rosters."))
    form = _form(request, payload)

    def create() -> dict:
        data = form.cleaned_data
        roster = services.import_start(
            user=request.user,
            municipality=data["municipality"],
            upload=data["file"],
            columns=data["columns"],
            mapping_name=data["mapping_name"],
            options=form.options(),
        )
        return _out(roster)

    return idempotent(request, idempotency_key, payload, create=create, out=ImportOut)


def _roster(request, import_id: int, action: str = Action.VIEW) -> RosterImport:
    _may_import(request)
    return get_object_or_deny(request, RosterImport.objects.all(), action, pk=import_id)


@router.get(
    "/imports/{import_id}",
    response={200: ImportOut, **documented(401, 403, 404, 422)},
    url_name="import_detail",
    operation_id="import_detail",
)
def import_detail(request, import_id: Id):
    """An import's state, its progress and what the check found (`summary`) or the apply
    wrote (`applied_summary`)."""
    known_query(request)
    return _out(_roster(request, import_id))


@router.get(
    "/imports/{import_id}/rows",
    response={200: RowPage, **documented(401, 403, 404, 422)},
    url_name="import_rows",
    operation_id="import_rows",
)
def import_rows(
    request,
    import_id: Id,
    outcome: Choice(RosterRow.Outcome) | None = None,
    cursor: str | None = CURSOR,
    limit: int = LIMIT,
):
    """The rows of the file in line order, each with its outcome, every problem (the field
    and the reason) and what it would change; `outcome` filters (`bad`, `unsure`, ...)."""
    known_query(request, "outcome", "cursor", "limit")
    roster = _roster(request, import_id)
    rows = roster.rows.all()
    if outcome:
        rows = rows.filter(outcome=outcome)
    page = keyset_page(rows, ROW_KEYS, check_cursor(cursor, rows, ROW_KEYS), limit)
    audit_list(
        request,
        object_type="imports.rosterrow",
        object_id=str(roster.pk),
        purpose="api",
        changes={"rows": len(page.rows)},
    )
    return {
        "items": [
            {
                "line": r.line,
                "outcome": r.outcome,
                "problems": r.problems,
                "changes": [{"field": c["field"], "value": str(c["value"])} for c in r.changes],
                "child_id": r.child_id,
                "candidates": r.candidates,
                "decision": r.decision,
            }
            for r in page.rows
        ],
        "next_cursor": page.next_cursor,
    }


def _refused(error: ValidationError) -> Problem:
    """The import is not in a state for this (409), or the request is wrong (422)."""
    message = " ".join(error.messages)
    if getattr(error, "code", None) == services.STATE_REFUSED:
        return Problem(409, message, kind="import-state")
    return Problem(
        422, message, kind="validation", errors=[{"field": "decisions", "message": message}]
    )


@router.post(
    "/imports/{import_id}/decisions",
    response={200: ImportOut, **documented(400, 401, 403, 404, 409, 413, 415, 422)},
    url_name="import_decide",
    operation_id="import_decide",
)
def import_decide(request, import_id: Id, payload: DecisionsIn):
    """Decide on rows that could be one of several children: `new`, `skip` or one of the
    row's `candidates`. A decision on a row that is not waiting for one is ignored."""
    known_query(request)
    roster = _roster(request, import_id, Action.CHANGE)
    decisions = {d.line: d.decision for d in payload.decisions}
    for d in payload.decisions:
        if d.decision not in ("", "new", "skip") and plain_number(d.decision) is None:
            raise Problem(
                422,
                _("A decision is new, skip or a candidate's id."),
                kind="validation",
                errors=[
                    {
                        "field": "decisions",
                        "message": _("A decision is new, skip or a candidate's id."),
                    }
                ],
            )
    try:
        services.import_decide(user=request.user, roster=roster, decisions=decisions)
    except ValidationError as error:
        raise _refused(error) from error
    roster.refresh_from_db()
    return _out(roster)


@router.post(
    "/imports/{import_id}/apply",
    response={200: ImportOut, **documented(400, 401, 403, 404, 409, 413, 415, 422)},
    url_name="import_apply",
    operation_id="import_apply",
)
def import_apply(request, import_id: Id, payload: ApplyIn):
    """Apply a checked import: it is written in the background, batch by batch; read its
    `state` until `applied`. A second apply answers 409."""
    known_query(request)
    roster = _roster(request, import_id, Action.CHANGE)
    try:
        services.import_apply(user=request.user, roster=roster, end_missing=payload.end_missing)
    except ValidationError as error:
        raise _refused(error) from error
    roster.refresh_from_db()
    return _out(roster)
