"""The versioned JSON API (django-ninja). Every endpoint goes through the same access policy and
services as the pages, and is audited. Systems authenticate with a bearer token that acts as one
user account. OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs.

The contract (docs/api.md): errors are RFC 9457 problem details in the account's language
(api/problems.py); every input schema forbids unknown fields; every string is an api.types.Text
(length limit, no control characters); writes need an Idempotency-Key."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta

from django.conf import settings
from django.core.signals import setting_changed
from django.db import connection
from django.db.models import BigIntegerField, ExpressionWrapper, F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.parser import Parser
from ninja.security import HttpBearer

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.access.shortcuts import audit_list, audit_read
from earlyhelp.api import (
    activities,
    adults,
    cases,
    child_records,
    contacts,
    fostercare,
    imports,
    organisations,
    people,
    problems,
    programmes,
    screening,
    webhooks,
)
from earlyhelp.api.common import StrictSchema, known_query, refused
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.models import ApiToken, Scope, TokenWindow, hash_token
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Id, Text, UniqueList
from earlyhelp.concerns import selectors, services
from earlyhelp.concerns.access import reporting_institutions
from earlyhelp.concerns.models import Category, Concern, ConcernChild
from earlyhelp.core.problems import PROBLEM_JSON
from earlyhelp.organisations.models import Institution

TOKEN_USE_PRECISION = timedelta(minutes=1)
# A request with one of these methods needs a token with the read scope, any other the write
# scope; an import needs the import scope as well (docs/api.md, "Tokens").
READING = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.objects.active().select_related("user").filter(key_hash=hash_token(token))
        api_token = found.first()
        if api_token is None:
            return None
        now = timezone.now()
        # When the token was last used, to the minute: not a write on every request.
        if api_token.last_used_at is None or now - api_token.last_used_at >= TOKEN_USE_PRECISION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        request.api_token = api_token
        if api_token.user.preferred_language:
            # The account's language, whatever the calling system's Accept-Language says.
            translation.activate(api_token.user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        needed = Scope.READ if request.method in READING else Scope.WRITE
        if not api_token.allows(needed):
            message = _("This token does not have the %(scope)s scope.")
            raise Problem(403, message % {"scope": needed.label})
        _count(api_token, now)
        return api_token.user


def _count(api_token: ApiToken, now) -> None:
    """Count the request in the token's minute; over the limit, 429 until the minute ends.
    One statement, atomic on both databases, so that workers share the count."""
    minute = now.replace(second=0, microsecond=0)
    table = TokenWindow._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token_id, minute, requests) VALUES (%s, %s, 1) "  # noqa: S608 - the model's own table name
            f"ON CONFLICT (token_id, minute) DO UPDATE SET requests = {table}.requests + 1 "
            "RETURNING requests",
            [api_token.pk, connection.ops.adapt_datetimefield_value(minute)],
        )
        (requests,) = cursor.fetchone()
    if requests == 1:
        TokenWindow.objects.filter(token=api_token, minute__lt=minute).delete()
    limit = settings.EARLYHELP_API_REQUESTS_PER_MINUTE
    if requests > limit:
        wait = 60 - now.second
        raise Problem(
            429,
            _("This token made more than %(limit)s requests this minute. Retry in %(seconds)s s.")
            % {"limit": limit, "seconds": wait},
            kind="rate-limited",
            headers={"Retry-After": str(wait)},
        )


class JsonParser(Parser):
    """JSON bodies only (415 otherwise), and each member once: a field sent twice would
    otherwise keep the last value silently."""

    def parse_body(self, request):
        content_type = request.content_type or ""
        if content_type != "application/json" and not content_type.endswith("+json"):
            raise problems.UnsupportedMediaType
        return json.loads(request.body, object_pairs_hook=_members_once)


def _members_once(pairs):
    names = [name for name, _value in pairs]
    for name in names:
        if names.count(name) > 1:
            raise problems.DuplicateKey(name)
    return dict(pairs)


# OpenAPI links: what a client (and Schemathesis's stateful run) may do with an answer.
LINKS = {
    "concern_create": {
        "ReadTheConcern": {
            "operationId": "concern_detail",
            "parameters": {"concern_id": "$response.body#/id"},
        }
    }
}


# Response headers an operation's successful answer carries, documented in the schema.
ETAG_HEADER = {"ETag": {"description": "The record's version.", "schema": {"type": "string"}}}
HEADERS = {
    "child_detail": ETAG_HEADER,
    "child_update": ETAG_HEADER,
    "session_detail": ETAG_HEADER,
    "session_record": ETAG_HEADER,
    "adult_detail": ETAG_HEADER,
    "adult_update": ETAG_HEADER,
    "webhook_detail": ETAG_HEADER,
    "webhook_update": ETAG_HEADER,
    "webhook_rotate_secret": ETAG_HEADER,
}
RATE_LIMITED = {
    "description": "Too Many Requests",
    "headers": {
        "Retry-After": {
            "description": "Seconds until the next minute.",
            "schema": {"type": "string"},
        }
    },
}


class EarlyhelpAPI(NinjaAPI):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas: dict = {}
        # A test that changes a setting may change what the schema says (a limit, a default).
        setting_changed.connect(self._forget_schemas, weak=False)

    def _forget_schemas(self, **kwargs) -> None:
        self._schemas.clear()

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The schema is built once per process and language (a quarter of a second each
        time): the operations do not change while the process runs. A copy is returned, so
        that no caller changes the one kept."""
        key = (path_prefix, json.dumps(path_params or {}, sort_keys=True), get_language())
        if key not in self._schemas:
            self._schemas[key] = self._build_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return copy.deepcopy(self._schemas[key])

    def _build_schema(self, **kwargs):
        """Error answers are documented with the media type they are sent with, and a created
        concern links to reading it."""
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                links = LINKS.get(operation.get("operationId"))
                headers = HEADERS.get(operation.get("operationId"))
                answers = operation.get("responses", {})
                # django-ninja's statuses are numbers until the schema is written as JSON.
                unauthorised = next((status for status in answers if str(status) == "401"), None)
                if unauthorised is not None:
                    # Whatever a token may call, it may call too often (TokenAuth's limit).
                    answers[type(unauthorised)(429)] = {**answers[unauthorised], **RATE_LIMITED}
                for status, answer in answers.items():
                    content = answer.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        answer["content"] = {PROBLEM_JSON: content["application/json"]}
                    elif int(status) < 300:
                        if links:
                            answer["links"] = links
                        if headers:
                            answer["headers"] = headers
        return schema


api = EarlyhelpAPI(
    title="earlyhelp API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    parser=JsonParser(),
    description=(
        "earlyhelp's records for other systems (concerns, children and their families, "
        "institutions, cases, activities, screening, contact, foster care, programmes), "
        "roster imports, and webhooks that tell a partner system of its account's "
        "notifications, under earlyhelp's access policy. Errors are RFC 9457 problem details "
        "(application/problem+json) in the account's language."
    ),
)
problems.install(api)
api.add_router("", people.router)
api.add_router("", cases.router)
api.add_router("", activities.router)
api.add_router("", screening.router)
api.add_router("", contacts.router)
api.add_router("", child_records.router)
api.add_router("", adults.router)
api.add_router("", organisations.router)
api.add_router("", fostercare.router)
api.add_router("", programmes.router)
api.add_router("", imports.router)
api.add_router("", webhooks.router)


def _limit(model, name: str, default: int) -> int:
    """A text field's limit, from the model where it declares one (the web form takes it from
    there too), else the API's own."""
    return model._meta.get_field(name).max_length or default


class ChildIn(StrictSchema):
    child_id: Id | None = None
    described_as: Text(_limit(ConcernChild, "described_as", 200)) = ""
    role: ConcernChild.Role = ConcernChild.Role.HARMED


class ConcernIn(StrictSchema):
    institution_id: Id
    children: list[ChildIn] = Field(..., min_length=1, max_length=services.MAX_CHILDREN)
    what_happened: Text(_limit(Concern, "what_happened", 20000), min_length=1, multiline=True)
    child_words: Text(_limit(Concern, "child_words", 20000), multiline=True) = ""
    categories: UniqueList(Category, min_length=1, max_length=len(Category))
    immediate_danger: bool = False
    already_done: Text(_limit(Concern, "already_done", 20000), multiline=True) = ""
    parents_know: Concern.ParentsKnow
    parents_not_told_why: Text(_limit(Concern, "parents_not_told_why", 5000), multiline=True) = ""
    feedback_requested: bool = True


class DeadlineOut(Schema):
    code: str
    label: str
    due_at: datetime
    met_at: datetime | None


class ConcernOut(Schema):
    id: int
    status: str
    institution_id: int
    received_at: datetime | None
    immediate_danger: bool
    deadlines: list[DeadlineOut] = []
    what_happened: str | None = None
    categories: list[str] | None = None


def _out(request, concern: Concern, details: bool | None = None) -> dict:
    """A concern as the API answers it; `details`: whether the account may read the report
    (asked of the policy here unless the caller asked it for a whole page at once)."""
    data = {
        "id": concern.pk,
        "status": concern.status,
        "institution_id": concern.institution_id,
        "received_at": concern.received_at,
        "immediate_danger": concern.immediate_danger,
        "deadlines": [
            {"code": d.code, "label": d.label, "due_at": d.due_at, "met_at": d.met_at}
            for d in concern.deadlines.all()
        ],
    }
    if details is None:
        details = can(request.user, Action.VIEW_DETAILS, concern)
    if details:
        data.update(what_happened=concern.what_happened, categories=concern.categories)
    return data


def _create(request, payload: ConcernIn) -> Concern:
    if not can(request.user, Action.REPORT, Concern):
        raise Problem(403, _("This account may not report concerns."))
    if payload.institution_id not in reporting_institutions(request.user):
        raise Problem(404, _("No such institution for this account."))
    institution = Institution.objects.select_related("municipality__jurisdiction").get(
        pk=payload.institution_id
    )
    allowed = selectors.reportable_children(user=request.user, institution_ids=[institution.pk])
    rows, named = [], set()
    for index, row in enumerate(payload.children):
        field = f"children.{index}"
        child = None
        if row.child_id is not None:
            if row.child_id in named:
                raise refused(f"{field}.child_id", _("This child is named twice."))
            named.add(row.child_id)
            child = allowed.filter(pk=row.child_id).first()
            if child is None:
                message = _("Child %(id)s is not among the children you report for.")
                raise refused(f"{field}.child_id", message % {"id": row.child_id})
        elif not row.described_as.strip():
            raise refused(field, _("Each child needs a child_id or a description."))
        rows.append({"child": child, "described_as": row.described_as, "role": row.role})
    data = payload.dict(exclude={"institution_id", "children"})
    who = {"role": primary_role(request.user), "request_id": getattr(request, "request_id", "")}
    return services.concern_report(
        user=request.user, institution=institution, data=data, children=rows, **who
    )


@api.post(
    "/concerns",
    response={
        200: ConcernOut,
        201: ConcernOut,
        **documented(400, 401, 403, 404, 409, 413, 415, 422),
    },
    url_name="concern_create",
    operation_id="concern_create",
)
def concern_create(request, payload: ConcernIn, idempotency_key: str = IDEMPOTENCY_KEY):
    """Report a concern. The same Idempotency-Key never creates two concerns: a retry gets the
    first answer again, with status 200 (see the header)."""
    known_query(request)
    return idempotent(
        request,
        idempotency_key,
        payload,
        create=lambda: _out(request, _create(request, payload)),
        out=ConcernOut,
    )


AFTER = Query(None, description="The last id of the previous page.")
LIMIT = Query(50, ge=1, le=100)
CONCERN_ID = Path(...)


@api.get(
    "/concerns",
    response={200: list[ConcernOut], **documented(401, 403, 422)},
    url_name="concern_list",
    operation_id="concern_list",
)
def concern_list(request, after: Id | None = AFTER, limit: int = LIMIT):
    """The concerns this account may see, newest first; page with `after` (the last id)."""
    known_query(request, "after", "limit")
    concerns = visible(request.user, Concern.objects.all(), Action.VIEW).prefetch_related(
        "deadlines"
    )
    if after is not None:
        concerns = concerns.filter(pk__lt=after)
    # Sorted by the id's value, not walked along its index: at national scale the newest
    # concerns are mostly other people's, and walking the primary key backwards would filter
    # millions of rows before finding a page of those the policy allows. Found through their
    # own indexes (institution, reporter), the allowed rows are few and sorted in memory.
    newest = ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField())
    rows = list(concerns.order_by(newest.desc())[:limit])
    readable = set(
        visible(
            request.user, Concern.objects.filter(pk__in=[c.pk for c in rows]), Action.VIEW_DETAILS
        ).values_list("pk", flat=True)
    )
    audit_list(request, object_type="concerns.concern", purpose="api", changes={"rows": len(rows)})
    return [_out(request, c, details=c.pk in readable) for c in rows]


@api.get(
    "/concerns/{concern_id}",
    response={200: ConcernOut, **documented(401, 403, 404, 422)},
    url_name="concern_detail",
    operation_id="concern_detail",
)
def concern_detail(request, concern_id: Id = CONCERN_ID):
    known_query(request)
    concern = (
        visible(request.user, Concern.objects.all(), Action.VIEW).filter(pk=concern_id).first()
    )
    if concern is None:
        raise Http404
    audit_read(request, concern, purpose="api")
    return _out(request, concern)
