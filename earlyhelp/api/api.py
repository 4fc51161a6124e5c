"""The versioned JSON API (django-ninja). Every endpoint goes through the same access policy and
services as the pages, and is audited. Systems authenticate with a bearer token that acts as one
user account. OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from ninja import Field, Header, NinjaAPI, Schema, Status
from ninja.errors import HttpError
from ninja.security import HttpBearer

from earlyhelp.access.policy import Action, can, primary_role, visible
from earlyhelp.access.shortcuts import audit_list, audit_read
from earlyhelp.api.models import ApiToken, IdempotencyKey, hash_token
from earlyhelp.concerns import selectors, services
from earlyhelp.concerns.access import reporting_institutions
from earlyhelp.concerns.models import Category, Concern, ConcernChild
from earlyhelp.organisations.models import Institution

TOKEN_USE_PRECISION = timedelta(minutes=1)


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
        return api_token.user


api = NinjaAPI(
    title="earlyhelp API",
    version="1",
    urls_namespace="api-v1",
    auth=TokenAuth(),
    description="Concerns for other systems, under earlyhelp's access policy.",
)


class ChildIn(Schema):
    child_id: int | None = None
    described_as: str = Field("", max_length=200)
    role: ConcernChild.Role = ConcernChild.Role.HARMED


class ConcernIn(Schema):
    institution_id: int
    children: list[ChildIn] = Field(..., min_length=1, max_length=6)
    what_happened: str = Field(..., min_length=1, max_length=20000)
    child_words: str = Field("", max_length=20000)
    categories: list[Category] = Field(..., min_length=1)
    immediate_danger: bool = False
    already_done: str = Field("", max_length=20000)
    parents_know: Concern.ParentsKnow
    parents_not_told_why: str = Field("", max_length=5000)
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


def _out(request, concern: Concern) -> dict:
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
    if can(request.user, Action.VIEW_DETAILS, concern):
        data.update(what_happened=concern.what_happened, categories=concern.categories)
    return data


def _create(request, payload: ConcernIn) -> Concern:
    if not can(request.user, Action.REPORT, Concern):
        raise HttpError(403, "This account may not report concerns.")
    if payload.institution_id not in reporting_institutions(request.user):
        raise HttpError(404, "No such institution for this account.")
    institution = Institution.objects.select_related("municipality__jurisdiction").get(
        pk=payload.institution_id
    )
    allowed = selectors.reportable_children(user=request.user, institution_ids=[institution.pk])
    rows = []
    for row in payload.children:
        child = None
        if row.child_id is not None:
            child = allowed.filter(pk=row.child_id).first()
            if child is None:
                raise HttpError(
                    422, f"Child {row.child_id} is not among the children you report for."
                )
        elif not row.described_as.strip():
            raise HttpError(422, "Each child needs a child_id or a description.")
        rows.append({"child": child, "described_as": row.described_as, "role": row.role})
    data = payload.dict(exclude={"institution_id", "children"})
    who = {"role": primary_role(request.user), "request_id": getattr(request, "request_id", "")}
    return services.concern_report(
        user=request.user, institution=institution, data=data, children=rows, **who
    )


@api.post("/concerns", response={200: ConcernOut, 201: ConcernOut}, url_name="concern_create")
def concern_create(
    request,
    payload: ConcernIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key", min_length=8, max_length=200),
):
    """Report a concern. The same Idempotency-Key never creates two concerns: a retry gets the
    first answer again, with status 200."""
    earlier = IdempotencyKey.objects.filter(user=request.user, key=idempotency_key).first()
    if earlier is not None:
        return Status(200, earlier.response)
    try:
        with transaction.atomic():
            concern = _create(request, payload)
            body = ConcernOut(**_out(request, concern)).dict()
            IdempotencyKey.objects.create(
                user=request.user, key=idempotency_key, status=201, response=_json(body)
            )
    except IntegrityError:
        # The same key raced in from another request: that one won; answer as it did.
        earlier = IdempotencyKey.objects.get(user=request.user, key=idempotency_key)
        return Status(200, earlier.response)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from error
    except PermissionDenied as error:
        raise HttpError(403, "Not permitted.") from error
    return Status(201, body)


def _json(body: dict) -> dict:
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


@api.get("/concerns", response=list[ConcernOut], url_name="concern_list")
def concern_list(request, after: int | None = None, limit: int = 50):
    """The concerns this account may see, newest first; page with `after` (the last id)."""
    limit = max(1, min(limit, 100))
    concerns = visible(request.user, Concern.objects.all(), Action.VIEW).prefetch_related(
        "deadlines"
    )
    if after is not None:
        concerns = concerns.filter(pk__lt=after)
    rows = list(concerns.order_by("-pk")[:limit])
    audit_list(request, object_type="concerns.concern", purpose="api", changes={"rows": len(rows)})
    return [_out(request, c) for c in rows]


@api.get("/concerns/{concern_id}", response=ConcernOut, url_name="concern_detail")
def concern_detail(request, concern_id: int):
    concern = (
        visible(request.user, Concern.objects.all(), Action.VIEW).filter(pk=concern_id).first()
    )
    if concern is None:
        raise Http404
    audit_read(request, concern, purpose="api")
    return _out(request, concern)
