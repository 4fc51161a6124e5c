"""Foster-carer support (DESIGN.md 3.7, issue 8): households of foster carers, the children
placed with them, the support agreement (CZ dohoda o výkonu pěstounské péče) with a service and
its key worker, and what the agreement requires: visits, training hours, respite days. The
requirements themselves are computed in `rules.py`."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import check_period, period_constraint, validate_past_in_a_life
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Municipality, Service
from earlyhelp.people.models import Adult, Child


class Household(VersionedModel):
    """A foster family: the carers living together and the children placed with them."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        related_name="foster_households",
        verbose_name=_("service"),
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("E.g. the carers' surname."))
    address = models.CharField(_("address"), max_length=250, blank=True)
    address_protected = models.BooleanField(
        _("protected address"),
        default=False,
        help_text=_(
            "The carers' address is never shown to the birth family's side, nor to anyone "
            "working the child's contacts who does not support the foster family."
        ),
    )
    active = models.BooleanField(_("supported"), default=True)
    # Set by the retention job once the household's records are erased (fostercare/retention.py).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The version of the service's support method the household follows, kept from its
    # creation: its checklist is read from it (empty: the shipped default).
    steps_version = models.ForeignKey(
        "knowledge.MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("foster household")
        verbose_name_plural = _("foster households")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["service", "active"], name="foster_household_service")]

    def __str__(self) -> str:
        if self.anonymised_at:
            return gettext("Foster household %(number)s (anonymised)") % {"number": self.pk}
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("fostercare:detail", args=[self.pk])

    @cached_property
    def method_steps(self):
        """The steps of the method version the household follows (`knowledge.items`)."""
        from earlyhelp.knowledge.items import Kind, items_of

        return items_of(self.steps_version, Kind.FOSTERCARE_STEPS)


class Carer(TimeStampedModel):
    """A foster carer of the household: an adult of the people register."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="carers")
    adult = models.ForeignKey(
        Adult, on_delete=models.PROTECT, related_name="foster_carers", verbose_name=_("carer")
    )
    since = models.DateField(
        _("foster carer since"), null=True, blank=True, validators=[validate_past_in_a_life]
    )

    class Meta:
        verbose_name = _("foster carer")
        verbose_name_plural = _("foster carers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "adult"], name="foster_carer_unique")
        ]

    def __str__(self) -> str:
        return str(self.adult)


class Placement(VersionedModel):
    """A child placed with the household, from a day to a day."""

    class Kind(models.TextChoices):
        LONG_TERM = "long_term", _("Long-term foster care")
        TEMPORARY = "temporary", _("Temporary foster care")
        RELATIVE = "relative", _("Foster care by a relative")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="placements")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="foster_placements", verbose_name=_("child")
    )
    kind = models.CharField(_("kind of placement"), max_length=10, choices=Kind.choices)
    starts_on = models.DateField(_("placed on"))
    ends_on = models.DateField(_("ended on"), null=True, blank=True)
    # Set when the retention job erased what identifies anyone in it (privacy.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            period_constraint("starts_on", "ends_on", "placement_dates_in_order"),
        ]
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return f"{self.child} · {self.get_kind_display()}"

    def clean(self) -> None:
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The placement ends before it starts.")})

    def is_current(self, on) -> bool:
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class SupportAgreement(VersionedModel):
    """The agreement on foster care (CZ dohoda o výkonu pěstounské péče) between the carers and
    the service, with the key worker who supports them."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="agreements")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    key_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="foster_agreements",
        verbose_name=_("key worker"),
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="support_agreements",
        verbose_name=_("programmes it counts for"),
    )

    class Meta:
        verbose_name = _("support agreement")
        verbose_name_plural = _("support agreements")
        constraints = [
            period_constraint("signed_on", "ends_on", "agreement_dates_in_order"),
        ]
        ordering = ["-signed_on", "-pk"]
        indexes = [models.Index(fields=["key_worker"], name="foster_agreement_worker")]

    def __str__(self) -> str:
        return self.reference or f"{self.household} · {self.signed_on}"

    def clean(self) -> None:
        if self.ends_on and self.signed_on and self.ends_on < self.signed_on:
            raise ValidationError({"ends_on": _("The agreement ends before it was signed.")})

    def is_current(self, on) -> bool:
        return self.signed_on <= on and (self.ends_on is None or self.ends_on >= on)


class Requirement(models.TextChoices):
    TRAINING = "training", _("Training")
    RESPITE = "respite", _("Respite")
    KEY_WORKER_CONTACT = "key_worker_contact", _("Contact with the key worker")
    COUNSELLING = "counselling", _("Counselling or professional help")


class RequirementRule(TimeStampedModel):
    """A municipality's own rule for one requirement; without one, the Czech defaults of
    zákon 359/1999 Sb. apply (`rules.DEFAULT_RULES`)."""

    class Period(models.TextChoices):
        MONTHS = "months", _("Months")
        CALENDAR_YEAR = "calendar_year", _("Calendar year")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    code = models.CharField(_("requirement"), max_length=20, choices=Requirement.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_("Hours of training, days of respite, or the number of contacts."),
    )
    period = models.CharField(
        _("period"), max_length=14, choices=Period.choices, default=Period.MONTHS
    )
    months = models.PositiveSmallIntegerField(
        _("months"), default=12, help_text=_("The length of the period, in months.")
    )
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("foster-care requirement")
        verbose_name_plural = _("foster-care requirements")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="foster_requirement_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())

    def clean(self) -> None:
        # Each requirement is counted over one kind of period (`rules.py`): training and the
        # contacts over a number of months, respite over the calendar year.
        supported = (
            self.Period.CALENDAR_YEAR if self.code == Requirement.RESPITE else self.Period.MONTHS
        )
        if self.code and self.period != supported:
            raise ValidationError(
                {
                    "period": _("Respite is counted per calendar year.")
                    if supported == self.Period.CALENDAR_YEAR
                    else _("This requirement is counted over a number of months.")
                }
            )
        if self.period == self.Period.MONTHS and not 1 <= (self.months or 0) <= 36:
            raise ValidationError({"months": _("Choose between 1 and 36 months.")})


class Visit(VersionedModel):
    """A contact with the carers: the key worker's visit, counselling or other help."""

    class Kind(models.TextChoices):
        KEY_WORKER_CONTACT = "key_worker_contact", _("Key worker's contact")
        COUNSELLING = "counselling", _("Counselling or professional help")
        OTHER = "other", pgettext_lazy("foster visit", "Other")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="visits")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("worker"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["household", "kind", "on"], name="foster_visit_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.on}"


class Training(VersionedModel):
    """Training a carer attended, with its hours."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="trainings")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        Carer, on_delete=models.CASCADE, related_name="trainings", verbose_name=_("carer")
    )
    on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-on", "-pk"]
        indexes = [models.Index(fields=["household", "on"], name="foster_training_on")]

    def __str__(self) -> str:
        return f"{self.title} · {self.hours} h"


class Respite(VersionedModel):
    """Days when someone else looked after a placed child, so that the carers could rest."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="respites")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="respites", verbose_name=_("child")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("who looked after the child"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("respite")
        verbose_name_plural = _("respites")
        constraints = [
            period_constraint("starts_on", "ends_on", "respite_dates_in_order"),
        ]
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["household", "starts_on"], name="foster_respite_on")]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"

    def clean(self) -> None:
        check_period(
            self.starts_on,
            self.ends_on,
            end_field="ends_on",
            message=_("The respite ends before it starts."),
        )

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class DevelopmentItem(VersionedModel):
    """A goal of the carers' own development plan."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="development_items"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    carer = models.ForeignKey(
        Carer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("carer"),
    )
    goal = models.CharField(_("goal"), max_length=250)
    how = models.TextField(_("how"), blank=True)
    due_on = models.DateField(_("to be reached by"), null=True, blank=True)
    done_on = models.DateField(_("reached on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("development goal")
        verbose_name_plural = _("development goals")
        ordering = ["done_on", "due_on", "pk"]

    def __str__(self) -> str:
        return self.goal


class MethodStep(models.TextChoices):
    """The shipped steps of the innovated support methodology, in their order. A service keeps
    its own list as a catalogue entry (`knowledge.items`); these are its shipped default."""

    INTAKE = "intake", _("First meeting: the family's needs and expectations mapped")
    AGREEMENT = "agreement", _("Support agreement signed and explained to the carers")
    SUPPORT_PLAN = "support_plan", _("Individual support plan agreed with the carers")
    TRAINING_PLAN = "training_plan", _("Training plan for the year agreed")
    RESPITE_PLAN = "respite_plan", _("Respite arranged: who looks after the child")
    NETWORK = "network", _("Support network mapped: family, school, doctor")
    BIRTH_FAMILY = "birth_family", _("Contact with the birth family arranged")
    LIFE_STORY = "life_story", _("Life-story work with the child started")
    REVIEW = "review", _("Half-year review of the support plan")
    EVALUATION = "evaluation", _("Yearly evaluation with the carers")


class ChecklistStep(models.Model):
    """A step of the methodology done for the household (a row exists only once done)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(max_length=20)
    done_on = models.DateField(_("done on"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "step"], name="foster_step_unique")
        ]

    def __str__(self) -> str:
        return self.household.method_steps.label(self.step)
