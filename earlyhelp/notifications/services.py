"""Writing notifications (inside the caller's transaction) with their webhook deliveries, and
sending the e-mail outbox. Webhooks are sent by notifications/webhooks.py."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db import DatabaseBackend

from earlyhelp.notifications.models import (
    WEBHOOK_KINDS,
    Notification,
    WebhookDelivery,
    WebhookSubscription,
)

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A claim older than this is taken to have died with its sender and is sent again.
CLAIM_TIMEOUT = timedelta(minutes=10)


def notify(*, recipients, kind: str, url: str, event: str) -> int:
    """One notification per recipient for the event `event` (e.g. "concern:12:submitted").
    Call it inside the transaction that makes the change: the notification then exists
    exactly when the change does, and so do its webhook deliveries, one to each active
    subscription of a recipient that covers the kind. Replaying the event creates nothing new.
    Returns how many notifications are new; when one of them is to be e-mailed or delivered, a
    worker is asked to send it."""
    users = {f"{event}:{user.pk}"[:120]: user for user in recipients}
    existing = set(
        Notification.objects.filter(dedupe_key__in=users).values_list("dedupe_key", flat=True)
    )
    new = [
        Notification(recipient=user, kind=kind, url=url, dedupe_key=key)
        for key, user in users.items()
        if key not in existing
    ]
    # A concurrent replay may still win the race for a key: its conflict is skipped.
    Notification.objects.bulk_create(new, ignore_conflicts=True)
    if any(row.recipient.email for row in new):
        send_soon(EMAILS)
    if _webhook_deliveries_write(new, kind):
        send_soon(WEBHOOKS)
    return len(new)


def _webhook_deliveries_write(new: list[Notification], kind: str) -> int:
    """One delivery of each new notification to each deliverable subscription of its recipient
    that covers the kind, written in the caller's transaction like the notification (the
    outbox). Returns how many."""
    if kind not in WEBHOOK_KINDS or not new or not settings.EARLYHELP_WEBHOOK_HOSTS:
        return 0
    subscriptions = [
        subscription
        for subscription in WebhookSubscription.objects.deliverable().filter(
            user_id__in={row.recipient.pk for row in new}
        )
        if subscription.covers(kind)
    ]
    if not subscriptions:
        return 0
    # bulk_create(ignore_conflicts=True) gives the rows no primary key: read them back.
    subscribers = {s.user_id for s in subscriptions}
    written = Notification.objects.filter(
        dedupe_key__in=[row.dedupe_key for row in new if row.recipient.pk in subscribers]
    ).values_list("pk", "recipient_id")
    now = timezone.now()
    deliveries = [
        WebhookDelivery(
            subscription=subscription,
            notification_id=pk,
            kind=kind,
            next_attempt_at=now,
        )
        for pk, recipient_id in written
        for subscription in subscriptions
        if subscription.user_id == recipient_id
    ]
    WebhookDelivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    return len(deliveries)


# What a worker is asked to send: the task's name in tasks.py, and the sweep that sends what a
# lost task leaves unsent.
EMAILS = ("send_notification_batch", "the notification e-mails", "send_notifications")
WEBHOOKS = ("send_webhook_batch", "the webhook deliveries", "send_webhooks")


def send_soon(what: tuple[str, str, str]) -> None:
    """Ask a worker to send the outbox (`EMAILS`: `tasks.send_notification_batch`; `WEBHOOKS`:
    `tasks.send_webhook_batch`). The outbox rows stay the source of truth: what a lost or
    failed task leaves unsent, the scheduled sweep (`manage.py send_notifications`,
    `send_webhooks`) sends, so a failure here never fails the caller."""
    # Imported here because the tasks module imports this one.
    from earlyhelp.notifications import tasks

    task = getattr(tasks, what[0])
    if isinstance(task.get_backend(), DatabaseBackend):
        # The database backend's task is a row. Written now, in the caller's transaction, it
        # commits or rolls back with the notifications: a crash just after the commit cannot
        # lose it (as it would an on_commit callback), and no worker sees it before the
        # notifications are visible. The savepoint keeps a failed insert from aborting the
        # caller's transaction (PostgreSQL refuses every statement after an error).
        _enqueue(task, what, savepoint=True)
    else:
        # Any other backend (immediate runs the task at once, in this process) waits for the
        # commit: it would otherwise send before the notifications exist, or for a change
        # that is then rolled back.
        transaction.on_commit(lambda: _enqueue(task, what, savepoint=False))


def _enqueue(task, what: tuple[str, str, str], *, savepoint: bool) -> None:
    try:
        with transaction.atomic() if savepoint else nullcontext():
            task.enqueue()
    except Exception:
        logger.exception("Could not enqueue %s; the %s sweep will send them.", what[1], what[2])


def absolute_link(path: str) -> str:
    """A link of the site (a notification's `url`) as an absolute address, for an e-mail or a
    webhook read outside the site."""
    return f"{settings.EARLYHELP_SITE_URL.rstrip('/')}{path}"


def _subject(notification: Notification) -> str:
    return f"earlyhelp: {notification.get_kind_display()}"


def _body(notification: Notification) -> str:
    link = absolute_link(notification.url)
    if notification.kind == Notification.Kind.ACCOUNT_INVITATION:
        return "\n\n".join(
            [
                _("An account on earlyhelp was made for you."),
                _(
                    "Choose your password with this link. It works once, and only for "
                    "%(hours)s hours:"
                )
                % {"hours": settings.EARLYHELP_INVITATION_HOURS},
                link,
                _(
                    "Then sign in and set up two-factor sign-in with an authenticator app on "
                    "your phone."
                ),
                _("If you did not expect this e-mail, tell your administrator."),
            ]
        )
    return "\n\n".join(
        [
            str(notification.get_kind_display()),
            _("Sign in to earlyhelp to read it:"),
            link,
            _("For the child's privacy this e-mail holds no names or details."),
        ]
    )


def send_outbox(*, limit: int = 200) -> int:
    """Mail the notifications not yet mailed. A row is claimed in its own transaction before
    sending, so two senders never mail the same one; a sender that dies after claiming leaves a
    claim that expires and is retried. The Message-ID is the row's dedupe key, so a retry after
    a crash between sending and recording is recognised as the same message by mail systems."""
    sent = 0
    stale = timezone.now() - CLAIM_TIMEOUT
    candidates = (
        Notification.objects.filter(email_sent_at__isnull=True, email_attempts__lt=MAX_ATTEMPTS)
        .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale))
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in list(candidates):
        with transaction.atomic():
            claimed = (
                Notification.objects.filter(pk=pk, email_sent_at__isnull=True)
                .filter(Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=stale))
                .update(email_claimed_at=timezone.now(), email_attempts=F("email_attempts") + 1)
            )
        if not claimed:
            continue
        notification = Notification.objects.select_related("recipient").get(pk=pk)
        language = notification.recipient.preferred_language or settings.LANGUAGE_CODE
        with translation.override(language):
            message = EmailMessage(
                subject=_subject(notification),
                body=_body(notification),
                to=[notification.recipient.email],
                headers={"Message-ID": f"<{notification.dedupe_key}@earlyhelp>"},
            )
        try:
            message.send()
        except OSError:
            Notification.objects.filter(pk=pk).update(email_claimed_at=None)
            continue
        Notification.objects.filter(pk=pk).update(email_sent_at=timezone.now())
        sent += 1
    return sent
