"""Writing notifications (inside the caller's transaction) and sending the outbox."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from earlyhelp.notifications.models import Notification

MAX_ATTEMPTS = 5
# A claim older than this is taken to have died with its sender and is sent again.
CLAIM_TIMEOUT = timedelta(minutes=10)


def notify(*, recipients, kind: str, url: str, event: str) -> int:
    """One notification per recipient for the event `event` (e.g. "concern:12:submitted").
    Call it inside the transaction that makes the change: the notification then exists
    exactly when the change does. Replaying the event creates nothing new."""
    rows = [
        Notification(recipient=user, kind=kind, url=url, dedupe_key=f"{event}:{user.pk}"[:120])
        for user in {user.pk: user for user in recipients}.values()
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(created)


def _subject(notification: Notification) -> str:
    return f"earlyhelp: {notification.get_kind_display()}"


def _body(notification: Notification) -> str:
    link = f"{settings.EARLYHELP_SITE_URL.rstrip('/')}{notification.url}"
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
