"""Assisted contact (DESIGN.md 3.6, seed 001): an arrangement under which a child meets a parent
or relative in a safe place with a worker present, its meetings planned around the child's time,
what happened at each meeting, and the reports to the court or the statutory authority."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earlyhelp.core.dates import check_period, period_constraint
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Municipality, Service
from earlyhelp.people.models import Adult, Child


class Competence(models.TextChoices):
    """The shipped parenting competences a contact plan works on; each meeting is observed
    against those of its arrangement. A service keeps its own list as a catalogue entry
    (`knowledge.items`); these are its shipped default, named by code."""

    NEEDS = "needs", _("Notices and answers the child's needs")
    WARMTH = "warmth", _("Shows warmth and interest in the child")
    LEVEL = "level", _("Talks and plays at the child's level")
    BOUNDARIES = "boundaries", _("Sets kind and clear boundaries")
    AGREEMENTS = "agreements", _("Keeps to the agreed time and rules")
    OTHER_PARENT = "other_parent", _("Speaks respectfully of the other parent")
    PARTING = "parting", _("Helps the child through the goodbye")


class Restriction(models.TextChoices):
    NO_UNSUPERVISED = "no_unsupervised", _("No unsupervised moment")
    NO_PROCEEDINGS = "no_proceedings", _("No talk about the court proceedings")
    NO_PROMISES = "no_promises", _("No promises about where the child will live")
    NO_RECORDING = "no_recording", _("No photos or recordings")
    NO_OTHERS = "no_others", _("Nobody else without the worker's agreement")


class Room(TimeStampedModel):
    """A room where contacts take place, so that two meetings never share it."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="contact_rooms", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=100)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("contact room")
        verbose_name_plural = _("contact rooms")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "name"], name="contact_room_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Arrangement(VersionedModel):
    """Who meets whom, on what basis, how often, where, with which rules, and at which stage of
    the method: agreement, then facilitated handover, then assisted contact (or back)."""

    class Basis(models.TextChoices):
        COURT_ORDER = "court_order", _("Court order")
        AUTHORITY = "authority", _("Recommendation of the statutory authority")
        AGREEMENT = "agreement", _("Written agreement of the parties")

    class Stage(models.TextChoices):
        """The shipped stages, in order; a service keeps its own (`knowledge.items`)."""

        AGREEMENT = "agreement", _("Agreement")
        HANDOVER = "handover", _("Facilitated handover")
        ASSISTED = "assisted", _("Assisted contact")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        FORTNIGHTLY = "fortnightly", _("Every second week")
        MONTHLY = "monthly", _("Monthly")
        CUSTOM = "custom", _("As agreed")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("contact arrangement", "Active")
        ENDED = "ended", pgettext_lazy("contact arrangement", "Ended")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="contact_arrangements",
        verbose_name=_("service"),
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        related_name="contact_arrangements",
        verbose_name=_("child"),
    )
    visitor = models.ForeignKey(
        Adult,
        on_delete=models.PROTECT,
        related_name="contact_visits",
        verbose_name=_("parent or relative meeting the child"),
    )
    carer = models.ForeignKey(
        Adult,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_handovers",
        verbose_name=_("parent or carer the child lives with"),
        help_text=_("Hands the child over and takes them back."),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contact_arrangements",
        verbose_name=_("case"),
    )
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="contact_arrangements",
        verbose_name=_("programmes it counts for"),
    )
    basis = models.CharField(_("basis"), max_length=12, choices=Basis.choices)
    basis_reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The court's file number or the date and parties of the agreement."),
    )
    may_attend = models.TextField(
        _("who may attend"),
        blank=True,
        help_text=_("Besides the child, the visitor and the worker."),
    )
    restrictions = models.JSONField(_("restrictions"), default=list, blank=True)
    restrictions_note = models.TextField(_("other restrictions"), blank=True)
    competences = models.JSONField(_("competences worked on"), default=list, blank=True)
    # The versions of the service's method the arrangement follows, kept from its creation:
    # its stages and the competences it may work on are read from them (empty: the shipped
    # default).
    stages_version = models.ForeignKey(
        "knowledge.MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    competences_version = models.ForeignKey(
        "knowledge.MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    frequency = models.CharField(
        _("how often"), max_length=12, choices=Frequency.choices, default=Frequency.FORTNIGHTLY
    )
    minutes = models.PositiveIntegerField(
        _("length (minutes)"),
        default=90,
        validators=[MinValueValidator(15), MaxValueValidator(480)],
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("room"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    school_hours_allowed = models.BooleanField(
        _("meetings in school hours allowed"),
        default=False,
        help_text=_("Only where the court, the authority or the parties have agreed to it."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_arrangements_led",
        verbose_name=_("worker"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contact_arrangements_worked",
        verbose_name=_("other workers"),
    )
    stage = models.CharField(_("stage"), max_length=20, default=Stage.AGREEMENT)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    # Set when the retention job erased what identifies anyone in it (privacy.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("contact arrangement")
        verbose_name_plural = _("contact arrangements")
        constraints = [
            period_constraint("starts_on", "ends_on", "arrangement_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["service", "status"], name="contact_arrangement_service"),
            models.Index(fields=["lead", "status"], name="contact_arrangement_lead"),
        ]

    def __str__(self) -> str:
        return f"{self.child} – {self.visitor}"

    @property
    def visitor_label(self):
        """The visitor as a page names them: by name only where the policy lets the reader
        (`visitor_named`, set where the arrangement was read; without it, a visitor on a
        restricted record stays unnamed)."""
        named = getattr(self, "visitor_named", not self.visitor.restricted)
        return self.visitor if named else _("a person on a restricted record")

    @property
    def heading(self) -> str:
        return f"{self.child} – {self.visitor_label}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day is before the first day.")})
        unknown = set(self.restrictions or []) - set(Restriction.values)
        if unknown:
            raise ValidationError(
                _("Unknown choice: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
            )
        self.competence_items.check(
            self.competences or [],
            message=_("Not a competence of this arrangement's method: %(codes)s"),
        )
        if self.stage not in [item.code for item in self.stages]:
            raise ValidationError(
                {"stage": _("Not a stage of this arrangement's method: %(codes)s")
                 % {"codes": self.stage}}
            )  # fmt: skip

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("contacts:detail", args=[self.pk])

    def restriction_labels(self) -> list[str]:
        return [
            str(Restriction(code).label) for code in self.restrictions if code in Restriction.values
        ]

    @cached_property
    def stages(self):
        """The stages of the method version the arrangement follows (`knowledge.items`)."""
        from earlyhelp.knowledge.items import Kind, items_of

        return items_of(self.stages_version, Kind.CONTACT_STAGES)

    @cached_property
    def competence_items(self):
        """The competences of the method version the arrangement follows."""
        from earlyhelp.knowledge.items import Kind, items_of

        return items_of(self.competences_version, Kind.CONTACT_COMPETENCES)

    def get_stage_display(self) -> str:
        return self.stages.label(self.stage)

    def competence_labels(self) -> list[tuple[str, str]]:
        return [(code, self.competence_items.label(code)) for code in self.competences]

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class StageChange(models.Model):
    """The arrangement's stages over time: forward as trust grows, or back."""

    arrangement = models.ForeignKey(
        Arrangement, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=20, blank=True)
    to_stage = models.CharField(max_length=20)
    changed_on = models.DateField(_("from"))
    reason = models.TextField(_("why"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"

    def get_from_stage_display(self) -> str:
        return self.arrangement.stages.label(self.from_stage) if self.from_stage else ""

    def get_to_stage_display(self) -> str:
        return self.arrangement.stages.label(self.to_stage)


class Party(models.TextChoices):
    """Who caused a cancellation, a no-show or a late start."""

    VISITOR = "visitor", _("The visiting parent or relative")
    CARER = "carer", _("The parent or carer the child lives with")
    CHILD = "child", _("The child (illness, refusal)")
    SERVICE = "service", _("The service")
    OTHER = "other", _("Someone else")


class Meeting(VersionedModel):
    """One contact: planned, then held (with its record), cancelled ahead, or missed."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("contact meeting", "Planned")
        HELD = "held", pgettext_lazy("contact meeting", "Held")
        CANCELLED = "cancelled", pgettext_lazy("contact meeting", "Cancelled")
        NO_SHOW = "no_show", pgettext_lazy("contact meeting", "Did not come")

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="meetings")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    # Kept on the meeting, for the clash checks: which child, which worker, which room.
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    room = models.ForeignKey(
        Room,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("room"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    stage = models.CharField(_("stage"), max_length=20)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    # The record of a held meeting.
    visitor_arrived_at = models.TimeField(_("visitor arrived"), null=True, blank=True)
    child_arrived_at = models.TimeField(_("child arrived"), null=True, blank=True)
    handover_at = models.TimeField(_("child handed over"), null=True, blank=True)
    ended_at = models.TimeField(_("ended"), null=True, blank=True)
    present = models.TextField(_("who was present"), blank=True)
    observations = models.JSONField(_("observations"), default=dict, blank=True)
    child_words = models.TextField(_("the child's reactions, in the child's own words"), blank=True)
    incidents = models.TextField(_("incidents"), blank=True)
    ended_early = models.BooleanField(_("ended early"), default=False)
    early_end_reason = models.TextField(_("why it ended early"), blank=True)
    # A cancellation, a no-show or a late arrival: who caused it and how late.
    caused_by = models.CharField(_("caused by"), max_length=10, choices=Party.choices, blank=True)
    notice_given_at = models.DateTimeField(_("notice given"), null=True, blank=True)
    minutes_late = models.PositiveIntegerField(_("minutes late"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("contact meeting")
        verbose_name_plural = _("contact meetings")
        constraints = [
            period_constraint("starts_at", "ends_at", "meeting_times_in_order"),
        ]
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["arrangement", "starts_at"], name="contact_meeting_arrangement"),
            models.Index(fields=["lead", "starts_at"], name="contact_meeting_lead"),
            models.Index(fields=["child", "starts_at"], name="contact_meeting_child"),
            models.Index(fields=["room", "starts_at"], name="contact_meeting_room"),
        ]

    def __str__(self) -> str:
        return f"{self.arrangement} · {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self) -> None:
        check_period(self.starts_at, self.ends_at, end_field="ends_at")

    @property
    def notice_hours(self) -> int | None:
        """How long before the start a cancellation was announced, in whole hours."""
        if self.notice_given_at is None:
            return None
        return max(0, int((self.starts_at - self.notice_given_at).total_seconds() // 3600))

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    def get_stage_display(self) -> str:
        return self.arrangement.stages.label(self.stage)


class Report(VersionedModel):
    """A report for the court or the statutory authority over a period, written from the
    meetings' records and the worker's summary, released only after the supervisor's review."""

    class Recipient(models.TextChoices):
        COURT = "court", pgettext_lazy("report recipient", "Court")
        AUTHORITY = "authority", pgettext_lazy("report recipient", "Statutory authority")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("report", "Draft")
        IN_REVIEW = "in_review", pgettext_lazy("report", "Waiting for review")
        RETURNED = "returned", pgettext_lazy("report", "Returned for changes")
        RELEASED = "released", pgettext_lazy("report", "Released")

    arrangement = models.ForeignKey(Arrangement, on_delete=models.CASCADE, related_name="reports")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    recipient = models.CharField(_("for"), max_length=10, choices=Recipient.choices)
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    summary = models.TextField(_("worker's summary"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    # The released document, as it was released: later changes to the records do not alter it.
    pdf = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("contact report")
        verbose_name_plural = _("contact reports")
        constraints = [
            period_constraint("period_from", "period_to", "report_period_in_order"),
        ]
        ordering = ["-period_to", "-pk"]

    def __str__(self) -> str:
        return f"{self.arrangement} · {self.period_from} – {self.period_to}"

    def clean(self) -> None:
        if self.period_from and self.period_to and self.period_to < self.period_from:
            raise ValidationError({"period_to": _("The period ends before it starts.")})

    @property
    def is_returned(self) -> bool:
        return self.status == self.Status.RETURNED

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED
