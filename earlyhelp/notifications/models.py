"""Notifications: shown in the app, sent by e-mail and to partner systems' webhooks through an
outbox.

A notification is written in the same transaction as the change it announces, so it exists
exactly when the change does (the outbox). A sender (`manage.py send_notifications`) mails the
unsent ones afterwards. E-mails carry no child's name or details, only a link.

A webhook subscription is an account's: it receives that account's notifications of the kinds
it chose (what the policy already lets the account see), each as a `WebhookDelivery` written
with the notification and sent by `manage.py send_webhooks` (docs/api.md, "Webhooks").
"""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.models import VersionedModel


class Notification(models.Model):
    class Kind(models.TextChoices):
        IMMEDIATE_DANGER = "immediate_danger", _("A child may be in danger right now")
        NEW_CONCERN = "new_concern", _("A new concern to triage")
        MESSAGE = "message", _("A new message on a concern")
        FEEDBACK = "feedback", _("Feedback on a concern you reported")
        WRITTEN_SIGNAL_DUE = "written_signal_due", _("Your oral signal needs a written signal")
        ABSENCE_THRESHOLD = "absence_threshold", _("Unexcused absence calls for a signal")
        CASE_ALLOCATED = "case_allocated", _("A case was allocated to you")
        SPARRING_REQUESTED = "sparring_requested", _("A member of staff asks for sparring")
        SPARRING_ANSWERED = "sparring_answered", _("Your request for sparring was answered")
        FOSTER_REQUIREMENT_DUE = (
            "foster_requirement_due",
            _("A foster family's requirement is due soon or was missed"),
        )
        ACCOUNT_INVITATION = "account_invitation", _("Your earlyhelp account: set your password")
        NO_RECEIVER = "no_receiver", _("Nobody receives the concerns of an institution")
        SUPERVISION_BEHIND = (
            "supervision_behind",
            _("You are behind the supervision sessions expected of you"),
        )

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    url = models.CharField(_("link"), max_length=200)
    # One notification per event and recipient, however often the event is replayed.
    dedupe_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["email_sent_at", "created_at"], name="notification_outbox"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_id}"

    @property
    def is_immediate_danger(self) -> bool:
        return self.kind == self.Kind.IMMEDIATE_DANGER


# The kinds a webhook may carry: every notification but the invitation, whose link is the
# credential that sets the account's password and is for its owner's eyes alone.
WEBHOOK_KINDS = tuple(
    kind for kind in Notification.Kind.values if kind != Notification.Kind.ACCOUNT_INVITATION
)
# A webhook's test event (`POST /webhooks/{id}/ping`), announcing nothing.
PING = "ping"


class WebhookSubscriptionQuerySet(models.QuerySet):
    def deliverable(self) -> "WebhookSubscriptionQuerySet":
        """Subscriptions events go to: active, of an active account that still holds an API
        token that authenticates. A partner whose every token was revoked or has expired
        cannot read or end its subscriptions, so nothing more is sent to it; a new token
        resumes them."""
        tokens = apps.get_model("api", "ApiToken").objects.active()
        return self.filter(
            Exists(tokens.filter(user=OuterRef("user"))), active=True, user__is_active=True
        )


class WebhookSubscription(VersionedModel):
    """A partner system's address for the notifications of the account its token acts as.
    The signing secret is never stored: it is derived from `salt` and the installation's
    SECRET_KEY (notifications/webhooks.py), so the database alone does not reveal it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("account"),
    )
    url = models.CharField(_("address"), max_length=500)
    # Notification kinds (WEBHOOK_KINDS) to deliver; empty: all of them.
    kinds = models.JSONField(_("kinds"), default=list, blank=True)
    salt = models.CharField(max_length=64, editable=False)
    active = models.BooleanField(_("active"), default=True)
    # Since when every attempt has failed (empty after a success); a day of it ends the
    # subscription (`disabled_at`) until its owner sets it active again.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    last_delivered_at = models.DateTimeField(_("last delivered"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("set inactive after failures"), null=True, blank=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        indexes = [models.Index(fields=["user", "active"], name="webhook_subscriber")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.url}"

    def covers(self, kind: str) -> bool:
        return kind in WEBHOOK_KINDS and (not self.kinds or kind in self.kinds)


class WebhookDelivery(models.Model):
    """One event sent to one subscription: a notification, or a test event (`ping`, without
    one). Claimed before each attempt like the e-mail outbox; retried with backoff until it
    is delivered or given up."""

    subscription = models.ForeignKey(
        WebhookSubscription,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook subscription"),
    )
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhook_deliveries",
        verbose_name=_("notification"),
    )
    kind = models.CharField(_("kind"), max_length=30)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(
        _("last status code"), null=True, blank=True
    )
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    gave_up_at = models.DateTimeField(_("given up"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "notification"], name="webhook_delivery_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(delivered_at__isnull=True, gave_up_at__isnull=True),
            ),
            models.Index(
                fields=["subscription", "-created_at", "-id"], name="webhook_delivery_recent"
            ),
            # The sweep deletes what is older than the log keeps (webhooks.KEEP_DELIVERIES).
            models.Index(fields=["created_at"], name="webhook_delivery_age"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.subscription_id}"

    @property
    def status(self) -> str:
        if self.delivered_at:
            return "delivered"
        if self.gave_up_at:
            return "failed"
        return "pending"
