"""Background tasks of the notifications, run by django-tasks (`manage.py db_worker` in
production, at once in the enqueuing process in development)."""

from django_tasks import task

from earlyhelp.notifications.services import send_outbox
from earlyhelp.notifications.webhooks import send_webhooks


@task()
def send_notification_batch() -> int:
    """One pass of the outbox sender; returns how many e-mails it sent. Safe to run any number
    of times, late or twice at once: the claims in `send_outbox` decide who mails what."""
    return send_outbox()


@task()
def send_webhook_batch() -> int:
    """One pass of the webhook sender; returns how many deliveries it delivered. Safe to run
    any number of times, late or twice at once: the claims in `send_webhooks` decide who sends
    what."""
    return send_webhooks()
