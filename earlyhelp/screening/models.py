"""Screening rounds: educators rate each child of their class on a short wellbeing instrument;
the social helper ends each flag in an action or a recorded reason for none.

An `Instrument` is a list of `Item`s answered with a traffic light (green, amber, red) or on a
scale of 1 (serious worry) to 5 (thriving). Each answer is a worry level 0, 1 or 2; a child is
flagged when any item is at 2, or when `amber_flags` items or more are at 1. A `Round` runs
over classes of one institution from `opens_on` to `closes_on`; its `Rating`s hold one child's
answers and, for a flagged child, how the flag ended.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import check_period, period_constraint
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Group, Institution, Municipality
from earlyhelp.people.models import Child


class Instrument(TimeStampedModel):
    class Scale(models.TextChoices):
        TRAFFIC_LIGHT = "traffic_light", _("Traffic light (green, amber, red)")
        SCALE = "scale", _("Scale from 1 (serious worry) to 5 (thriving)")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="screening_instruments",
        verbose_name=_("municipality"),
        help_text=_("Empty for the instrument shipped with earlyhelp, offered everywhere."),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150, blank=True)
    scale = models.CharField(
        _("answers"), max_length=20, choices=Scale.choices, default=Scale.TRAFFIC_LIGHT
    )
    amber_flags = models.PositiveSmallIntegerField(
        _("flag a child with this many items at some worry"),
        default=2,
        validators=[MinValueValidator(1)],
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("screening instrument")
        verbose_name_plural = _("screening instruments")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="instrument_unique_code"),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(municipality__isnull=True),
                name="instrument_shipped_code",
            ),
        ]

    def __str__(self) -> str:
        from earlyhelp.screening.catalogue import shipped_name

        return self.name or shipped_name(self.code)

    def worry(self, value: int) -> int:
        """The worry level (0 none, 1 some, 2 serious) of an answer."""
        if self.scale == self.Scale.TRAFFIC_LIGHT:
            return value
        return 2 if value <= 2 else 1 if value == 3 else 0

    def flags(self, answers: dict[str, int]) -> bool:
        worries = [self.worry(value) for value in answers.values()]
        return 2 in worries or worries.count(1) >= self.amber_flags


class Item(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    text = models.CharField(
        _("question"),
        max_length=250,
        blank=True,
        help_text=_(
            "Leave empty for an item of the shipped instrument: it is worded in each language."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="item_unique_code")
        ]

    def __str__(self) -> str:
        from earlyhelp.screening.catalogue import shipped_item

        return self.text or shipped_item(self.code)


class Round(VersionedModel):
    """A screening round over classes of one institution."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open for ratings")
        CLOSED = "closed", _("Closed: flags to handle")
        COMPLETE = "complete", _("Complete")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="screening_rounds",
        verbose_name=_("institution"),
    )
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("instrument")
    )
    title = models.CharField(
        _("title"), max_length=150, help_text=_("For example: autumn term 2026.")
    )
    groups = models.ManyToManyField(
        Group, through="RoundGroup", related_name="screening_rounds", verbose_name=_("classes")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("screening round")
        verbose_name_plural = _("screening rounds")
        constraints = [
            period_constraint("opens_on", "closes_on", "round_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["institution", "-opens_on"], name="round_institution_opens")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_period(
            self.opens_on,
            self.closes_on,
            end_field="closes_on",
            message=_("The round closes before it opens."),
        )

    def get_absolute_url(self) -> str:
        return reverse("screening:round", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_complete(self) -> bool:
        return self.status == self.Status.COMPLETE


class RoundGroup(models.Model):
    """A class in a round, and when its educator said the class is done."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_groups")
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "group"], name="round_group_unique")
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.group_id}"


class Rating(VersionedModel):
    """One child's answers in a round, and for a flagged child how the flag ended."""

    class Outcome(models.TextChoices):
        WATCH = "watch", _("Watch and rate again")
        WELLBEING_CONVERSATION = "wellbeing_conversation", _("Wellbeing conversation")
        GROUP = "group", _("A group or club")
        SAFETY_MEETING = "safety_meeting", _("Signs of Safety meeting")
        CONCERN = "concern", _("A concern")
        NONE = "none", _("No action, for a recorded reason")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ratings")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="screening_ratings", verbose_name=_("child")
    )
    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="+")
    answers = models.JSONField(_("answers"), default=dict)
    worry = models.PositiveSmallIntegerField(
        _("worry score"), default=0, help_text=_("The sum of the answers' worry levels.")
    )
    flagged = models.BooleanField(_("flagged"), default=False)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("rated"))
    outcome = models.CharField(
        _("what follows"), max_length=30, choices=Outcome.choices, blank=True
    )
    outcome_reason = models.CharField(_("reason or note"), max_length=500, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    activity = models.ForeignKey(
        "activities.Activity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    concern = models.ForeignKey(
        "concerns.Concern", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    safety_meeting = models.ForeignKey(
        "safety.SafetyMeeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("screening rating")
        verbose_name_plural = _("screening ratings")
        constraints = [
            models.UniqueConstraint(fields=["round", "child"], name="rating_once_per_round")
        ]
        indexes = [
            models.Index(fields=["child", "rated_at"], name="rating_child"),
            models.Index(
                fields=["round", "group"],
                condition=models.Q(flagged=True),
                name="rating_round_flagged",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} · {self.child_id}"

    @property
    def open_flag(self) -> bool:
        return self.flagged and not self.outcome
