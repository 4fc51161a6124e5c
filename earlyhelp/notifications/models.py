"""Notifications: shown in the app and sent by e-mail through an outbox.

A notification is written in the same transaction as the change it announces, so it exists
exactly when the change does (the outbox). A sender (`manage.py send_notifications`) mails the
unsent ones afterwards. E-mails carry no child's name or details, only a link.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
