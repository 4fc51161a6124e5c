"""Webhooks in the API: a partner system subscribes to the notifications of the account its
token acts as (docs/api.md, "Webhooks"). The events are what the policy already lets the
account see, so there is no second policy; a subscription itself is its account's alone
(notifications/access.py: 404 to anyone else, an administrator included). The secret that
signs the deliveries is answered once, when it is made (create, rotate-secret), and never
kept with an idempotency key. Every read and write is audited; the version is the ETag."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status

from earlyhelp.access.policy import Action, can, visible
from earlyhelp.access.shortcuts import audit_context, audit_list, open_record
from earlyhelp.api.common import (
    CURSOR,
    LIMIT,
    StrictSchema,
    check_cursor,
    etag,
    if_match_version,
    known_query,
    refused,
    stale,
)
from earlyhelp.api.idempotency import IDEMPOTENCY_KEY, idempotent
from earlyhelp.api.people import IF_MATCH
from earlyhelp.api.problems import Problem, documented
from earlyhelp.api.types import Id, Text, UniqueList
from earlyhelp.core.keyset import Key, keyset_page
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.notifications import webhooks
from earlyhelp.notifications.models import WEBHOOK_KINDS, WebhookDelivery, WebhookSubscription

router = Router(tags=["webhooks"])
WEBHOOK_ID = Path(...)
# Both lists: the newest first.
NEWEST = [Key("created_at", descending=True), Key("pk", descending=True)]

Kind = Literal[WEBHOOK_KINDS]
Kinds = UniqueList(Kind, max_length=len(WEBHOOK_KINDS))
Url = Text(500, min_length=1)


class WebhookIn(StrictSchema):
    """`kinds`: the notification kinds to deliver; empty or left out, all of them."""

    url: Url
    kinds: Kinds = []


class WebhookPatch(StrictSchema):
    """The fields a program may change; a field left out keeps its value."""

    url: Url | None = None
    kinds: Kinds | None = None
    active: bool | None = None


class Ping(StrictSchema):
    """A ping has no body: what the key is fingerprinted with."""


class WebhookOut(Schema):
    id: int
    version: int
    url: str
    kinds: list[str]
    active: bool
    created_at: datetime
    last_delivered_at: datetime | None
    failing_since: datetime | None
    disabled_at: datetime | None


class WebhookSecretOut(WebhookOut):
    """With the signing secret, answered once: `null` in a retry's answer."""

    secret: str | None


class WebhookPage(Schema):
    items: list[WebhookOut]
    next_cursor: str | None


class DeliveryOut(Schema):
    id: int
    type: str
    status: Literal["pending", "delivered", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    gave_up_at: datetime | None


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


def _subscription(subscription: WebhookSubscription) -> dict:
    return {
        "id": subscription.pk,
        "version": subscription.version,
        "url": subscription.url,
        "kinds": subscription.kinds,
        "active": subscription.active,
        "created_at": subscription.created_at,
        "last_delivered_at": subscription.last_delivered_at,
        "failing_since": subscription.failing_since,
        "disabled_at": subscription.disabled_at,
    }


def _delivery(delivery: WebhookDelivery) -> dict:
    pending = delivery.status == "pending"
    return {
        "id": delivery.pk,
        "type": delivery.kind,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_status_code": delivery.last_status_code,
        "last_error": delivery.last_error,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at if pending else None,
        "delivered_at": delivery.delivered_at,
        "gave_up_at": delivery.gave_up_at,
    }


def _open(request, webhook_id: int, action: str = Action.VIEW) -> WebhookSubscription:
    subscription, _path = open_record(
        request, WebhookSubscription.objects.all(), action, purpose="api", pk=webhook_id
    )
    return subscription


def _answer(response: HttpResponse, subscription: WebhookSubscription) -> dict:
    response["ETag"] = etag(subscription.version)
    return _subscription(subscription)


def _run(call):
    """A webhook service's refusals as the API answers them."""
    try:
        return call()
    except webhooks.WebhooksOff as error:
        raise Problem(403, str(error), kind="webhooks-off") from error
    except StaleVersionError as error:
        raise stale() from error


@router.get(
    "/webhooks",
    response={200: WebhookPage, **documented(401, 403, 422)},
    url_name="webhook_list",
    operation_id="webhook_list",
)
def webhook_list(request, cursor: str | None = CURSOR, limit: int = LIMIT):
    """The account's own webhook subscriptions, the newest first. Page with `next_cursor`."""
    known_query(request, "cursor", "limit")
    subscriptions = visible(request.user, WebhookSubscription.objects.all(), Action.VIEW)
    page = keyset_page(
        subscriptions,
        NEWEST,
        check_cursor(cursor, WebhookSubscription.objects.none(), NEWEST),
        limit,
    )
    audit_list(
        request,
        object_type="notifications.webhooksubscription",
        purpose="api",
        changes={"subscriptions": [s.pk for s in page.rows]},
    )
    return {"items": [_subscription(s) for s in page.rows], "next_cursor": page.next_cursor}


@router.post(
    "/webhooks",
    response={
        200: WebhookSecretOut,
        201: WebhookSecretOut,
        **documented(400, 401, 403, 409, 413, 415, 422),
    },
    url_name="webhook_create",
    operation_id="webhook_create",
)
def webhook_create(request, payload: WebhookIn, idempotency_key: str = IDEMPOTENCY_KEY):
    """Subscribe `url` to the account's notifications of `kinds` (all if empty). The answer
    holds the signing `secret`, this once: keep it. `url` must be https:// on a host the
    installation allows (422 naming `url` otherwise; 403 `webhooks-off` when it allows none).
    Needs an Idempotency-Key: a retry answers 200 with the subscription and `secret` null, as
    the secret is never stored with the key."""
    known_query(request)
    if not can(request.user, Action.CREATE, WebhookSubscription):
        raise Problem(403, _("This account may not subscribe to webhooks."))

    def create() -> dict:
        subscription, secret = _run(
            lambda: webhooks.subscription_create(
                user=request.user, url=payload.url, kinds=payload.kinds, **audit_context(request)
            )
        )
        return {**_subscription(subscription), "secret": secret}

    return idempotent(
        request,
        idempotency_key,
        payload,
        create=create,
        out=WebhookSecretOut,
        unstored=("secret",),
    )


@router.get(
    "/webhooks/{webhook_id}",
    response={200: WebhookOut, **documented(401, 403, 404, 422)},
    url_name="webhook_detail",
    operation_id="webhook_detail",
)
def webhook_detail(request, response: HttpResponse, webhook_id: Id = WEBHOOK_ID):
    """One of the account's subscriptions (another account's: 404). The `ETag` is its version,
    for `If-Match` on a change."""
    known_query(request)
    return _answer(response, _open(request, webhook_id))


@router.patch(
    "/webhooks/{webhook_id}",
    response={200: WebhookOut, **documented(400, 401, 403, 404, 412, 413, 415, 422, 428)},
    url_name="webhook_update",
    operation_id="webhook_update",
)
def webhook_update(
    request,
    response: HttpResponse,
    payload: WebhookPatch,
    webhook_id: Id = WEBHOOK_ID,
    if_match: str | None = IF_MATCH,
):
    """Change the subscription's `url`, `kinds` or `active`, with `If-Match` (428 without,
    412 if it changed since). Set inactive, its pending deliveries are given up; set active
    again, its failures are forgotten."""
    known_query(request)
    subscription = _open(request, webhook_id, Action.CHANGE)
    version = if_match_version(if_match)
    changes = payload.dict(exclude_unset=True)
    for name, value in changes.items():
        if value is None:
            raise refused(
                name, _("Leave the field out to keep it; it cannot be emptied with null.")
            )
    _run(
        lambda: webhooks.subscription_update(
            user=request.user,
            subscription=subscription,
            version=version,
            changes=changes,
            **audit_context(request),
        )
    )
    return _answer(response, subscription)


@router.delete(
    "/webhooks/{webhook_id}",
    response={204: None, **documented(401, 403, 404, 412, 422, 428)},
    url_name="webhook_delete",
    operation_id="webhook_delete",
)
def webhook_delete(request, webhook_id: Id = WEBHOOK_ID, if_match: str | None = IF_MATCH):
    """Delete the subscription and its deliveries, with `If-Match` (428 without, 412 if it
    changed since)."""
    known_query(request)
    subscription = _open(request, webhook_id, Action.CHANGE)
    version = if_match_version(if_match)
    _run(
        lambda: webhooks.subscription_delete(
            user=request.user, subscription=subscription, version=version, **audit_context(request)
        )
    )
    return Status(204, None)


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    response={200: WebhookSecretOut, **documented(401, 403, 404, 412, 422, 428)},
    url_name="webhook_rotate_secret",
    operation_id="webhook_rotate_secret",
)
def webhook_rotate_secret(
    request, response: HttpResponse, webhook_id: Id = WEBHOOK_ID, if_match: str | None = IF_MATCH
):
    """A new signing secret, answered this once, with `If-Match` (428 without, 412 if the
    subscription changed since, a retry included: nothing is rotated twice). Deliveries are
    signed with it from now on, retries of earlier ones too."""
    known_query(request)
    subscription = _open(request, webhook_id, Action.CHANGE)
    version = if_match_version(if_match)
    secret = _run(
        lambda: webhooks.subscription_rotate(
            user=request.user, subscription=subscription, version=version, **audit_context(request)
        )
    )
    return {**_answer(response, subscription), "secret": secret}


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response={200: DeliveryPage, **documented(401, 403, 404, 422)},
    url_name="webhook_delivery_list",
    operation_id="webhook_delivery_list",
)
def webhook_delivery_list(
    request, webhook_id: Id = WEBHOOK_ID, cursor: str | None = CURSOR, limit: int = LIMIT
):
    """The subscription's deliveries, the newest first: the event's id (the `webhook-id`
    header) and type, `status` (`pending`, `delivered`, `failed`), attempts, the last answer's
    status code and error, and when. Page with `next_cursor`."""
    known_query(request, "cursor", "limit")
    subscription = _open(request, webhook_id)
    deliveries = WebhookDelivery.objects.filter(subscription=subscription)
    page = keyset_page(
        visible(request.user, deliveries, Action.VIEW),
        NEWEST,
        check_cursor(cursor, WebhookDelivery.objects.none(), NEWEST),
        limit,
    )
    audit_list(
        request,
        object_type="notifications.webhookdelivery",
        purpose="api",
        changes={"subscription": subscription.pk, "deliveries": [d.pk for d in page.rows]},
    )
    return {"items": [_delivery(d) for d in page.rows], "next_cursor": page.next_cursor}


@router.post(
    "/webhooks/{webhook_id}/ping",
    response={200: DeliveryOut, 201: DeliveryOut, **documented(400, 401, 403, 404, 409, 422)},
    url_name="webhook_ping",
    operation_id="webhook_ping",
)
def webhook_ping(request, webhook_id: Id = WEBHOOK_ID, idempotency_key: str = IDEMPOTENCY_KEY):
    """Queue a test event (type `ping`) to this subscription alone, sent and retried like any
    other; follow it in the deliveries. Needs an Idempotency-Key; 422 for an inactive
    subscription."""
    known_query(request)
    subscription = _open(request, webhook_id, Action.CHANGE)

    def create() -> dict:
        delivery = _run(
            lambda: webhooks.ping_queue(
                user=request.user, subscription=subscription, **audit_context(request)
            )
        )
        return _delivery(delivery)

    return idempotent(
        request,
        idempotency_key,
        Ping(),
        create=create,
        out=DeliveryOut,
        under=f"/webhooks/{subscription.pk}/ping",
    )
