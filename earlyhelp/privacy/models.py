"""Privacy operations of a municipality (docs/privacy.md): the legal holds that keep records
from the retention job, and the batches of records the job proposes to erase, which the
data-protection officer approves or rejects.

A batch names records by kind and number only: the officer decides without reading them, as
the officer reads no record (access-policy.md, "The data-protection officer").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.models import TimeStampedModel
from earlyhelp.organisations.models import Municipality


class LegalHold(TimeStampedModel):
    """While active (not lifted), nothing of the record it names is erased: a child (and every
    record about them), a case or a concern."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("child"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("case"),
    )
    concern = models.ForeignKey(
        "concerns.Concern",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_holds",
        verbose_name=_("concern"),
    )
    reason = models.TextField(
        _("reason"),
        max_length=2000,
        help_text=_("For example the court, authority or claim that needs the records kept."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("why it was lifted"), max_length=2000, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(child__isnull=False, case__isnull=True, concern__isnull=True)
                    | Q(child__isnull=True, case__isnull=False, concern__isnull=True)
                    | Q(child__isnull=True, case__isnull=True, concern__isnull=False)
                ),
                name="legal_hold_one_record",
            )
        ]
        indexes = [models.Index(fields=["municipality", "lifted_at"], name="legal_hold_active")]

    def __str__(self) -> str:
        return f"{self.record_reference()} · {self.placed_at:%Y-%m-%d}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None

    def record_reference(self) -> str:
        """The record by kind and number, as the officer sees it ("Child 12")."""
        if self.child_id:
            return _("Child %(number)s") % {"number": self.child_id}
        if self.case_id:
            return _("Case %(number)s") % {"number": self.case_id}
        return _("Concern %(number)s") % {"number": self.concern_id}


class RetentionBatch(TimeStampedModel):
    """The records of one kind in one municipality whose retention period has run out, as the
    daily job found them: erased only once the data-protection officer approves."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("waiting for approval")
        APPROVED = "approved", _("approved, being erased")
        APPLIED = "applied", _("erased")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    kind = models.CharField(_("kind of record"), max_length=40)
    months = models.PositiveIntegerField(_("kept for (months)"))
    event = models.CharField(_("counted from"), max_length=20)
    # The period in words when the batch was found, for the operators' command; the pages say
    # it again in the reader's language from `months` and `event`.
    basis = models.CharField(_("basis"), max_length=300)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PROPOSED
    )
    proposed_at = models.DateTimeField(_("proposed"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("note"), max_length=2000, blank=True)
    applied_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    erased = models.PositiveIntegerField(_("records erased"), default=0)
    skipped = models.PositiveIntegerField(_("records kept after all"), default=0)
    audit_rows_erased = models.PositiveBigIntegerField(_("audit rows erased"), default=0)
    failure = models.TextField(_("what went wrong"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = _("retention batch")
        verbose_name_plural = _("retention batches")
        constraints = [
            # One batch at a time waits for approval per municipality and kind: the daily job
            # adds what falls due to it.
            models.UniqueConstraint(
                fields=["municipality", "kind"],
                condition=Q(state="proposed"),
                name="retention_batch_one_proposed",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.proposed_at:%Y-%m-%d} {self.state}"


class RetentionItem(models.Model):
    """One record in a batch, by kind and number, with the day its period began."""

    class State(models.TextChoices):
        PENDING = "pending", _("to be erased")
        ERASED = "erased", _("erased")
        KEPT = "kept", _("kept: no longer due or under a legal hold")

    batch = models.ForeignKey(
        RetentionBatch, on_delete=models.CASCADE, related_name="items", verbose_name=_("batch")
    )
    object_id = models.BigIntegerField(_("record number"))
    event_on = models.DateField(_("period counted from"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )

    class Meta:
        ordering = ["event_on", "object_id"]
        verbose_name = _("record in a retention batch")
        verbose_name_plural = _("records in retention batches")
        constraints = [
            models.UniqueConstraint(fields=["batch", "object_id"], name="retention_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.batch.kind}:{self.object_id}"


class SubjectRequest(TimeStampedModel):
    """A request by a person (or on their behalf) under GDPR Articles 15 to 18, in the register
    of the municipality's data-protection officers, with its statutory deadline: one month from
    receipt, extendable by two further months with a reason (Article 12(3))."""

    class Right(models.TextChoices):
        ACCESS = "access", _("Access: a copy of their data (Art. 15)")
        RECTIFICATION = "rectification", _("Rectification (Art. 16)")
        ERASURE = "erasure", _("Erasure (Art. 17)")
        RESTRICTION = "restriction", _("Restriction of processing (Art. 18)")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("answered")
        REFUSED = "refused", _("refused")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("child"),
    )
    adult = models.ForeignKey(
        "people.Adult",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subject_requests",
        verbose_name=_("adult"),
    )
    right = models.CharField(_("right"), max_length=20, choices=Right.choices)
    received_on = models.DateField(_("received on"))
    requester = models.CharField(
        _("who asked, and how"),
        max_length=300,
        help_text=_("For example: the mother, by letter; the young person, in person."),
    )
    details = models.TextField(_("what is asked"), max_length=5000, blank=True)
    due_on = models.DateField(_("answer due"))
    extended_on = models.DateField(_("extended"), null=True, blank=True)
    extension_reason = models.TextField(_("why it was extended"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    outcome = models.TextField(
        _("outcome"),
        max_length=5000,
        blank=True,
        help_text=_("What was done, what was corrected, or why the request was refused."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        ordering = ["state", "due_on", "pk"]
        verbose_name = _("data subject's request")
        verbose_name_plural = _("data subjects' requests")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(child__isnull=False, adult__isnull=True)
                    | Q(child__isnull=True, adult__isnull=False)
                ),
                name="subject_request_one_person",
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "state", "due_on"], name="subject_request_due")
        ]

    def __str__(self) -> str:
        return f"{self.get_right_display()} · {self.person_reference()}"

    @property
    def person(self):
        return self.child if self.child_id else self.adult

    def person_reference(self) -> str:
        if self.child_id:
            return _("Child %(number)s") % {"number": self.child_id}
        return _("Adult %(number)s") % {"number": self.adult_id}

    def is_overdue(self, today) -> bool:
        return self.state == self.State.OPEN and today > self.due_on
