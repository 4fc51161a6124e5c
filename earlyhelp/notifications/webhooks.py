"""Webhooks: a partner system is told of its account's notifications (docs/api.md, "Webhooks").

A subscription belongs to one account and receives that account's notifications of the kinds
it chose: what the policy already lets the account see, with no second policy. `notify()`
writes a delivery beside each notification, in the same transaction (the outbox); the sender
here posts it, signed as the Standard Webhooks specification says (standardwebhooks.com),
claiming each delivery first as the e-mail outbox does, and retries it with backoff until it is
delivered or given up. The payload names no one: the kind, when, and a link the partner reads
through the API with its token, under the policy and the audit log.

Only hosts the operator allows (`EARLYHELP_WEBHOOK_HOSTS`) are ever called, checked when a
subscription is written and again before every attempt. The signing secret is derived from
the subscription's salt and SECRET_KEY, so the database alone never reveals it; it is shown
once, when it is made.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import logging
import secrets
import time
import urllib.error
import urllib.request
from datetime import UTC, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from earlyhelp.audit.services import audit_record
from earlyhelp.core.versioning import StaleVersionError, update_versioned
from earlyhelp.notifications.models import PING, WebhookDelivery, WebhookSubscription
from earlyhelp.notifications.services import WEBHOOKS, absolute_link, send_soon

logger = logging.getLogger(__name__)

# The waits after each failed attempt: about 18 hours in all, then the delivery is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# A claim older than this is taken to have died with its sender and is tried again.
CLAIM_TIMEOUT = timedelta(minutes=10)
# A subscription every attempt of which has failed for this long is set inactive.
DISABLE_AFTER = timedelta(days=1)
# A delivery still pending this long after it was written is given up: an old event is news
# to nobody. (One whose subscription can no longer be sent to is given up at once.)
EXPIRE_AFTER = timedelta(days=2)
# The log of deliveries a partner reads (GET /webhooks/{id}/deliveries) reaches this far back;
# older rows are deleted by the sweep.
KEEP_DELIVERIES = timedelta(days=30)
DELETE_BATCH = 5_000
TIMEOUT_SECONDS = 10
MAX_SUBSCRIPTIONS = 10
# Plain http:// is allowed to these (a receiver on the same machine), and to any allowed host
# with DEBUG on.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1"})
SECRET_PREFIX = "whsec_"  # noqa: S105 - the format's prefix, not a secret


class WebhooksOff(Exception):
    """The installation allows no host: webhooks are off."""

    def __init__(self):
        super().__init__(
            _(
                "Webhooks are off on this installation: its operator has allowed no host to "
                "receive them (EARLYHELP_WEBHOOK_HOSTS)."
            )
        )


# --- Where a webhook may be sent --------------------------------------------------------------


def webhooks_on() -> bool:
    return bool(settings.EARLYHELP_WEBHOOK_HOSTS)


def host_allowed(host: str) -> bool:
    """Whether the operator allows `host`: named exactly, or under a `*.example.org` entry (a
    subdomain of it, not example.org itself)."""
    host = host.lower()
    for allowed in settings.EARLYHELP_WEBHOOK_HOSTS:
        if allowed.startswith("*."):
            if host.endswith(allowed[1:]) and len(host) > len(allowed) - 1:
                return True
        elif host == allowed:
            return True
    return False


def _url_fault(url: str) -> str:
    """What keeps earlyhelp from calling `url`, as a code ("" if nothing does)."""
    if not webhooks_on():
        return "off"
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "invalid"
    if parts.scheme not in ("https", "http") or not host or not host.isascii():
        return "invalid"
    if parts.username is not None or parts.password is not None:
        return "credentials"
    if not host_allowed(host):
        return "host"
    if parts.scheme == "http" and not (settings.DEBUG or host in LOCAL_HOSTS):
        return "scheme"
    return ""


def _url_message(fault: str) -> str:
    return {
        "invalid": _("Give an absolute https:// address."),
        "credentials": _("Leave the user name and password out of the address."),
        "host": _("This host is not among those the operator allows for webhooks."),
        "scheme": _("Use https://."),
    }[fault]


def url_check(url: str) -> None:
    """Refuse an address earlyhelp may not call: webhooks off (WebhooksOff), or the address
    itself (a ValidationError naming `url`)."""
    fault = _url_fault(url)
    if fault == "off":
        raise WebhooksOff
    if fault:
        raise ValidationError({"url": [_url_message(fault)]})


# --- Secrets and signatures -------------------------------------------------------------------


def _new_salt() -> str:
    return secrets.token_hex(32)


def secret_key(subscription: WebhookSubscription) -> bytes:
    """The signing key: HMAC-SHA256 of the subscription's salt under SECRET_KEY. A new salt is
    a new secret; a new SECRET_KEY changes every subscription's secret."""
    message = f"earlyhelp webhook secret:{subscription.salt}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def secret_text(subscription: WebhookSubscription) -> str:
    """The secret as a partner configures it (`whsec_<base64>`, Standard Webhooks)."""
    return SECRET_PREFIX + base64.b64encode(secret_key(subscription)).decode()


def signature(key: bytes, message_id: str, timestamp: str, body: str) -> str:
    """The `webhook-signature` header: `v1,` and the base64 HMAC-SHA256 of id.timestamp.body."""
    signed = f"{message_id}.{timestamp}.{body}".encode()
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def payload(delivery: WebhookDelivery) -> dict:
    """What a delivery says: the event's id, kind, time and the page it is about; no name and
    no detail, as the notification e-mails."""
    notification = delivery.notification
    return {
        "id": str(delivery.pk),
        "type": delivery.kind,
        "occurred_at": (notification or delivery).created_at.astimezone(UTC).isoformat(),
        "link": absolute_link(notification.url if notification else "/"),
    }


# --- Subscriptions ----------------------------------------------------------------------------


def _audited(subscription: WebhookSubscription) -> dict:
    # The host, not the address: a receiver's address may carry a token of its own in its
    # path or query, which the append-only log must not keep.
    return {
        "host": urlsplit(subscription.url).hostname,
        "kinds": subscription.kinds,
        "active": subscription.active,
    }


@transaction.atomic
def subscription_create(
    *, user, url: str, kinds: list[str], role: str = "", request_id: str = ""
) -> tuple[WebhookSubscription, str]:
    """A new subscription of `user` (the account a partner's token acts as) to its own
    notifications of `kinds` (all if empty). Returns it with its secret, shown this once."""
    url_check(url)
    if WebhookSubscription.objects.filter(user=user).count() >= MAX_SUBSCRIPTIONS:
        raise ValidationError(
            _("An account may have at most %(count)s webhook subscriptions.")
            % {"count": MAX_SUBSCRIPTIONS}
        )
    subscription = WebhookSubscription.objects.create(
        user=user, url=url, kinds=list(kinds), salt=_new_salt()
    )
    audit_record(
        actor=user,
        action="create",
        obj=subscription,
        role=role,
        purpose="webhook subscribed",
        request_id=request_id,
        changes=_audited(subscription),
    )
    return subscription, secret_text(subscription)


def _give_up_pending(subscription: WebhookSubscription, why: str) -> int:
    return WebhookDelivery.objects.filter(
        subscription=subscription, delivered_at__isnull=True, gave_up_at__isnull=True
    ).update(gave_up_at=timezone.now(), claimed_at=None, last_error=why)


@transaction.atomic
def subscription_update(
    *,
    user,
    subscription: WebhookSubscription,
    version: int,
    changes: dict,
    role: str = "",
    request_id: str = "",
) -> WebhookSubscription:
    """Change the address, the kinds or whether it is active, if the subscription is still at
    `version` (StaleVersionError otherwise). Set inactive, its pending deliveries are given up;
    set active again, its record of failures starts afresh."""
    if "url" in changes:
        url_check(changes["url"])
    before = _audited(subscription)
    fields = {name: changes[name] for name in ("url", "kinds", "active") if name in changes}
    if changes.get("active") is True and not subscription.active:
        fields.update(failing_since=None, disabled_at=None)
    update_versioned(subscription, expected_version=version, fields=fields)
    if changes.get("active") is False:
        _give_up_pending(subscription, "subscription set inactive")
    after = _audited(subscription)
    audit_record(
        actor=user,
        action="change",
        obj=subscription,
        role=role,
        purpose="webhook subscription changed",
        request_id=request_id,
        changes={
            name: [before[name], after[name]] for name in after if before[name] != after[name]
        },
    )
    return subscription


@transaction.atomic
def subscription_delete(
    *, user, subscription: WebhookSubscription, version: int, role: str = "", request_id: str = ""
) -> None:
    """Delete the subscription and its deliveries, if it is still at `version`."""
    found = WebhookSubscription.objects.select_for_update().filter(
        pk=subscription.pk, version=version
    )
    if not found.exists():
        raise StaleVersionError(StaleVersionError.message)
    audit_record(
        actor=user,
        action="delete",
        obj=subscription,
        role=role,
        purpose="webhook unsubscribed",
        request_id=request_id,
        changes=_audited(subscription),
    )
    found.delete()


@transaction.atomic
def subscription_rotate(
    *,
    user,
    subscription: WebhookSubscription,
    version: int,
    role: str = "",
    request_id: str = "",
) -> str:
    """A new secret for the subscription (a new salt), if it is still at `version`; the old
    one signs nothing from now on. Returns the new secret, shown this once."""
    update_versioned(subscription, expected_version=version, fields={"salt": _new_salt()})
    audit_record(
        actor=user,
        action="change",
        obj=subscription,
        role=role,
        purpose="webhook secret rotated",
        request_id=request_id,
        changes={"secret": "rotated"},
    )
    return secret_text(subscription)


@transaction.atomic
def ping_queue(
    *, user, subscription: WebhookSubscription, role: str = "", request_id: str = ""
) -> WebhookDelivery:
    """A test event (`ping`) for this subscription alone, sent like any other delivery."""
    url_check(subscription.url)
    if not subscription.active:
        raise ValidationError(_("The subscription is inactive. Set it active first."))
    delivery = WebhookDelivery.objects.create(
        subscription=subscription, kind=PING, next_attempt_at=timezone.now()
    )
    audit_record(
        actor=user,
        action="create",
        obj=delivery,
        role=role,
        purpose="webhook ping",
        request_id=request_id,
        changes={"subscription": subscription.pk},
    )
    send_soon(WEBHOOKS)
    return delivery


# --- Sending ----------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, never followed: it could lead anywhere, past the allow list."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """One attempt: the status code the receiver answered (None without an answer), and what
    went wrong in a few words ("" for a 2xx)."""
    subscription = delivery.subscription
    fault = _url_fault(subscription.url)
    if fault:
        return None, f"not sent: address refused ({fault})"
    body = json.dumps(payload(delivery), separators=(",", ":"))
    # The same id on every attempt, so a receiver recognises a retry; a new time and signature.
    message_id, timestamp = str(delivery.pk), str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme was checked above
        subscription.url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "earlyhelp-webhooks",
            "webhook-id": message_id,
            "webhook-timestamp": timestamp,
            "webhook-signature": signature(secret_key(subscription), message_id, timestamp, body),
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            response.read(1024)
            status = response.status
    except urllib.error.HTTPError as error:
        error.close()
        return error.code, f"HTTP {error.code}"
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        return None, (str(reason) or type(error).__name__)[:200]
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def _delivered(delivery: WebhookDelivery, status: int) -> None:
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        delivered_at=now, claimed_at=None, last_status_code=status, last_error=""
    )
    WebhookSubscription.objects.filter(pk=delivery.subscription_id).update(
        failing_since=None, last_delivered_at=now
    )


def _failed(delivery: WebhookDelivery, status: int | None, error: str) -> None:
    """Try again after the next wait, or give up after the last attempt; a subscription that
    has failed for a day is set inactive."""
    now = timezone.now()
    retry = delivery.attempts < MAX_ATTEMPTS
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=None,
        last_status_code=status,
        last_error=error[:200],
        next_attempt_at=now + BACKOFF[delivery.attempts - 1] if retry else F("next_attempt_at"),
        gave_up_at=None if retry else now,
    )
    subscriptions = WebhookSubscription.objects.filter(pk=delivery.subscription_id)
    subscriptions.filter(failing_since__isnull=True).update(failing_since=now)
    with transaction.atomic():
        ended = subscriptions.filter(active=True, failing_since__lte=now - DISABLE_AFTER).update(
            active=False, disabled_at=now, version=F("version") + 1
        )
        if ended:
            subscription = subscriptions.get()
            _give_up_pending(subscription, "subscription set inactive after a day of failures")
            audit_record(
                actor=None,
                action="change",
                obj=subscription,
                role="system",
                purpose="webhook set inactive after a day of failures",
                changes={"active": [True, False]},
                municipality_id=getattr(subscription.user, "municipality_id", None),
            )
    if ended:
        logger.warning(
            "Webhook subscription %s set inactive: every attempt failed for a day.",
            delivery.subscription_id,
        )


def _delete_old_deliveries(before) -> int:
    """Deliveries written before `before`, deleted in batches: the first pass after a long
    pause is not one long transaction."""
    old = WebhookDelivery.objects.filter(created_at__lt=before).order_by("created_at")
    deleted = 0
    while batch := list(old.values_list("pk", flat=True)[:DELETE_BATCH]):
        deleted += WebhookDelivery.objects.filter(pk__in=batch).delete()[0]
    return deleted


def send_webhooks(*, limit: int = 200) -> int:
    """Post the deliveries that are due; returns how many were delivered. A delivery is claimed
    in its own transaction before it is sent, so two senders never send the same one; a sender
    that dies after claiming leaves a claim that expires and is tried again (the receiver
    recognises it by its `webhook-id`). Only deliverable subscriptions are sent to
    (`WebhookSubscription.objects.deliverable()`): what waits for another is given up.
    Deliveries older than KEEP_DELIVERIES are deleted."""
    now = timezone.now()
    stale = now - CLAIM_TIMEOUT
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale)
    pending = Q(delivered_at__isnull=True, gave_up_at__isnull=True)
    # A claim that expired after the last attempt: nothing more to try.
    WebhookDelivery.objects.filter(
        pending, claimed_at__lt=stale, attempts__gte=MAX_ATTEMPTS
    ).update(gave_up_at=now, claimed_at=None, last_error="no answer recorded")
    WebhookDelivery.objects.filter(pending, free, created_at__lt=now - EXPIRE_AFTER).update(
        gave_up_at=now, claimed_at=None, last_error="expired"
    )
    deliverable = WebhookSubscription.objects.deliverable().values("pk")
    # What waits for a subscription that can no longer be sent to (its account deactivated, its
    # last token revoked or expired) is given up, so that it does not stand in the queue.
    WebhookDelivery.objects.filter(pending, free).exclude(subscription__in=deliverable).update(
        gave_up_at=now, claimed_at=None, last_error="not deliverable"
    )
    _delete_old_deliveries(now - KEEP_DELIVERIES)
    due = pending & free & Q(attempts__lt=MAX_ATTEMPTS)
    candidates = (
        WebhookDelivery.objects.filter(due, next_attempt_at__lte=now, subscription__in=deliverable)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    delivered = 0
    for pk in list(candidates):
        with transaction.atomic():
            claimed = (
                WebhookDelivery.objects.filter(due, pk=pk)
                .filter(subscription__in=deliverable)
                .update(claimed_at=timezone.now(), attempts=F("attempts") + 1)
            )
        if not claimed:
            continue
        delivery = WebhookDelivery.objects.select_related("subscription__user", "notification").get(
            pk=pk
        )
        status, error = _post(delivery)
        if status is not None and 200 <= status < 300:
            _delivered(delivery, status)
            delivered += 1
        else:
            _failed(delivery, status, error)
    return delivered
