"""Programmes: the funded projects and services the work counts for.

A `Programme` is a funded project (or a standing service with targets): its funder, reference,
period, budget and aid rate, its `Partner`s, the services and institutions it covers, a lead and
its `Document`s. Its `TargetGroup`s say whom it is for (an age range, kinds of setting, people
recorded as socially disadvantaged, living inside or outside an `ActionArea` the municipality
draws), optionally with a target share of the people reached. Its `Indicator`s are definitions,
never typed values: a unit, filters and an aggregation, computed from the records that link to
the programme (activities, cases, contact arrangements, foster-care support agreements) by
`programmes.figures`. `OutcomeCategory`s are the outcomes its funder asks about, recorded on
cases as `Outcome`s. A `Report` is the funder's report of one period, released by a second
person and then fixed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earlyhelp.core.dates import check_period, period_constraint, validate_date
from earlyhelp.core.files import HashedFileField
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import District, Institution, Municipality, Service


class Currency(models.TextChoices):
    HUF = "HUF", "HUF"
    CZK = "CZK", "CZK"
    DKK = "DKK", "DKK"
    EUR = "EUR", "EUR"


class Programme(VersionedModel):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    reference = models.CharField(_("reference number"), max_length=80, blank=True)
    starts_on = models.DateField(_("starts on"), validators=[validate_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_date])
    budget = models.DecimalField(
        _("budget total"),
        max_digits=15,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    aid_rate = models.DecimalField(
        _("aid rate (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes_led",
        verbose_name=_("programme lead"),
    )
    services = models.ManyToManyField(
        Service, blank=True, related_name="programmes", verbose_name=_("services covered")
    )
    institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="programmes",
        verbose_name=_("institutions covered"),
    )
    description = models.TextField(_("what it sets out to do"), blank=True)
    # The shipped template it was set up from (programmes.templates), if any.
    template = models.CharField(_("template"), max_length=40, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-starts_on", "name"]
        constraints = [period_constraint("starts_on", "ends_on", "programme_dates_in_order")]
        indexes = [
            models.Index(fields=["municipality", "-starts_on"], name="programme_municipality")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_period(self.starts_on, self.ends_on, end_field="ends_on")

    def runs_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on


class Partner(VersionedModel):
    """An organisation taking part in the programme, and its role in it. A partner that is one
    of the municipality's services names it; others are named in words."""

    class Role(models.TextChoices):
        LEAD_APPLICANT = "lead_applicant", _("Lead applicant")
        CONSORTIUM = "consortium", _("Consortium partner")
        IMPLEMENTING = "implementing", _("Delivers part of the programme")
        COOPERATING = "cooperating", _("Cooperating organisation")
        FUNDER = "funder", _("Funder or managing authority")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service of the municipality"),
    )
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["programme", "role", "name"]

    def __str__(self) -> str:
        return self.name


class Document(TimeStampedModel):
    """A document of the programme (the grant agreement, a methodology, minutes): a PDF or a
    photo kept outside the web root and served only through the access policy."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = HashedFileField(_("file"), upload_to="programmes/%Y/%m/")
    file_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class ActionArea(VersionedModel):
    """The part of the municipality a programme concentrates on (HU akcióterület): a set of
    districts, and streets named one per line. A person lives in it when their home district
    is one of the districts or their address starts with one of the streets."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="action_areas",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    districts = models.ManyToManyField(
        District, blank=True, related_name="action_areas", verbose_name=_("districts")
    )
    streets = models.TextField(
        _("streets"),
        blank=True,
        help_text=_("One street per line, written as addresses begin (e.g. “Palotai út”)."),
    )

    class Meta:
        verbose_name = _("action area")
        verbose_name_plural = _("action areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def street_list(self) -> list[str]:
        return [line.strip() for line in self.streets.splitlines() if line.strip()]


class TargetGroup(VersionedModel):
    """Whom a programme is for. Every condition left empty admits everyone; a person reached
    counts for the group when they meet all of its conditions."""

    class People(models.TextChoices):
        ANY = "any", _("Children and adults")
        CHILDREN = "children", _("Children")
        ADULTS = "adults", _("Adults")

    class Area(models.TextChoices):
        ANYWHERE = "anywhere", _("Anywhere")
        INSIDE = "inside", _("Living in the action area")
        OUTSIDE = "outside", _("Living outside the action area")

    class ShareRule(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="target_groups")
    name = models.CharField(_("name"), max_length=150)
    people = models.CharField(
        _("people"), max_length=10, choices=People.choices, default=People.ANY
    )
    min_age = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    max_age = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    settings = models.JSONField(
        _("kinds of setting"),
        default=list,
        blank=True,
        help_text=_("The kinds of institution where they are reached; none chosen: any."),
    )
    disadvantaged = models.BooleanField(
        _("only people recorded as socially disadvantaged"), default=False
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=250,
        blank=True,
        help_text=_("Where the attribute is defined, e.g. “Gyvt. 67/A. §”."),
    )
    area = models.CharField(
        _("where they live"), max_length=10, choices=Area.choices, default=Area.ANYWHERE
    )
    action_area = models.ForeignKey(
        ActionArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="target_groups",
        verbose_name=_("action area"),
    )
    target_share = models.DecimalField(
        _("target share of the people reached (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    share_rule = models.CharField(
        _("the share must be"),
        max_length=10,
        choices=ShareRule.choices,
        default=ShareRule.AT_LEAST,
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(max_age__gte=models.F("min_age")),
                name="target_group_ages_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.min_age is not None and self.max_age is not None and self.max_age < self.min_age:
            errors["max_age"] = _("The upper age is below the lower age.")
        if self.area != self.Area.ANYWHERE and self.action_area_id is None:
            errors["action_area"] = _("Choose the action area the group is defined by.")
        if (
            self.action_area_id
            and self.programme_id
            and self.action_area.municipality_id != self.programme.municipality_id
        ):
            errors["action_area"] = _("Choose an action area of the programme's municipality.")
        kinds = set(Institution.Kind.values)
        if not isinstance(self.settings, list) or any(kind not in kinds for kind in self.settings):
            errors["settings"] = _("Choose kinds of setting from the list.")
        if errors:
            raise ValidationError(errors)


class OutcomeCategory(VersionedModel):
    """An outcome the programme's funder asks about, beside a case's generic outcome. The
    shipped categories are named in each language by their code; a programme adds its own with
    a name."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="outcome_categories"
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=150, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    SHIPPED = {
        "housing_kept": _("Housing kept"),
        "removal_prevented": _("A child's removal from the family prevented"),
        "attendance_restored": _("School attendance restored"),
        "application_resolved": _("An application resolved"),
    }

    class Meta:
        verbose_name = _("outcome category")
        verbose_name_plural = _("outcome categories")
        ordering = ["programme", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="outcome_category_code")
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        return str(self.SHIPPED.get(self.code, self.code))


class Outcome(VersionedModel):
    """An outcome of a category reached in a case that counts for the programme. The time from
    referral to resolution runs from the case's first concern's receipt (or its opening) to
    `achieved_on`."""

    category = models.ForeignKey(
        OutcomeCategory,
        on_delete=models.PROTECT,
        related_name="outcomes",
        verbose_name=_("outcome"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        related_name="programme_outcomes",
        verbose_name=_("case"),
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    achieved_on = models.DateField(_("reached on"), validators=[validate_date])
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("programme outcome")
        verbose_name_plural = _("programme outcomes")
        ordering = ["achieved_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["category", "case"], name="outcome_once_per_case")
        ]
        indexes = [models.Index(fields=["case"], name="outcome_case")]

    def __str__(self) -> str:
        return f"{self.category} · {self.achieved_on:%Y-%m-%d}"


class Indicator(VersionedModel):
    """A definition computed from the records, never a typed value: what is counted (the
    unit), which of it (the filters) and how (the aggregation), against a target by a date.
    `describe()` says it in words; `clean()` refuses a definition that cannot be computed."""

    class Unit(models.TextChoices):
        CHILDREN = "children", _("distinct children")
        ADULTS = "adults", _("distinct adults")
        CARERS = "carers", _("distinct foster carers")
        STAFF = "staff", _("distinct members of staff")
        HOUSEHOLDS = "households", _("distinct foster households")
        CASES = "cases", _("cases")
        ACTIVITIES = "activities", _("activities held")
        MEETINGS = "meetings", _("meetings held")
        ATTENDANCES = "attendances", _("attendances")
        HOURS = "hours", _("hours of work")
        EVENTS = "events", _("events of a type")
        OUTCOMES = "outcomes", _("outcomes reached")
        RESOLUTION_DAYS = "resolution_days", _("days from referral to resolution")

    class Role(models.TextChoices):
        """How a person took part: the filter on people."""

        ANY = "any", _("in any way")
        PARTICIPANT = "participant", _("taking part in an activity")
        CASE_CLIENT = "case_client", _("in a case")
        CONTACT_PARENT = "contact_parent", _("as the parent in assisted contact")
        CONTACT_CHILD = "contact_child", _("as the child in assisted contact")
        FOSTER_CARER = "foster_carer", _("with a support agreement in force")
        FOSTER_CHILD = "foster_child", _("placed with a supported foster household")
        # Staff supported in introducing a method (workforce.ImplementationSupport).
        IMPLEMENTATION_SUPPORT = "supported", _("supported in introducing a method")

    class Aggregation(models.TextChoices):
        COUNT = "count", pgettext_lazy("aggregation", "Count")
        SUM = "sum", pgettext_lazy("aggregation", "Sum")
        MEDIAN = "median", pgettext_lazy("aggregation", "Median")
        SHARE = "share", _("Share of the people reached (%)")

    # Which units are people, which roles each admits, which aggregations each admits.
    PEOPLE = {Unit.CHILDREN, Unit.ADULTS, Unit.CARERS, Unit.STAFF}
    ROLES = {
        Unit.CHILDREN: {
            Role.ANY,
            Role.PARTICIPANT,
            Role.CASE_CLIENT,
            Role.CONTACT_CHILD,
            Role.FOSTER_CHILD,
        },
        Unit.ADULTS: {Role.ANY, Role.PARTICIPANT, Role.CASE_CLIENT, Role.CONTACT_PARENT},
        Unit.CARERS: {Role.ANY, Role.FOSTER_CARER},
        Unit.STAFF: {Role.ANY, Role.PARTICIPANT, Role.IMPLEMENTATION_SUPPORT},
        Unit.HOUSEHOLDS: {Role.ANY, Role.FOSTER_CARER},
    }
    AGGREGATIONS = {
        Unit.HOURS: {Aggregation.SUM},
        Unit.RESOLUTION_DAYS: {Aggregation.MEDIAN},
        Unit.CHILDREN: {Aggregation.COUNT, Aggregation.SHARE},
        Unit.ADULTS: {Aggregation.COUNT, Aggregation.SHARE},
    }
    # Units counted from activities, which the activity-type filter narrows.
    FROM_ACTIVITIES = {
        Unit.ACTIVITIES,
        Unit.MEETINGS,
        Unit.ATTENDANCES,
        Unit.HOURS,
        Unit.EVENTS,
        Unit.STAFF,
    }

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("what is counted"), max_length=20, choices=Unit.choices)
    aggregation = models.CharField(
        _("how"), max_length=10, choices=Aggregation.choices, default=Aggregation.COUNT
    )
    role = models.CharField(
        _("how they took part"), max_length=20, choices=Role.choices, default=Role.ANY
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("target group"),
    )
    activity_types = models.ManyToManyField(
        "activities.ActivityType",
        blank=True,
        related_name="+",
        verbose_name=_("types of activity"),
    )
    outcome = models.ForeignKey(
        OutcomeCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("outcome"),
    )
    # A round table is an activity with partner organisations taking part (knowledge.Partner).
    with_partners = models.BooleanField(
        _("only with partner organisations taking part"),
        default=False,
        help_text=_("Count only activities at which partner organisations took part."),
    )
    period_starts = models.DateField(
        _("counted from"),
        null=True,
        blank=True,
        validators=[validate_date],
        help_text=_("Empty: from the programme's start."),
    )
    period_ends = models.DateField(
        _("counted until"),
        null=True,
        blank=True,
        validators=[validate_date],
        help_text=_("Empty: until the programme's end."),
    )
    target_value = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    target_date = models.DateField(_("to be reached by"), validators=[validate_date])
    lower_is_better = models.BooleanField(
        _("the target is a ceiling"),
        default=False,
        help_text=_("Tick when the value must stay at or below the target (e.g. days to resolve)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The shipped template's indicator it came from, if any.
    template = models.CharField(max_length=40, blank=True, editable=False)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "position", "pk"]
        constraints = [
            period_constraint("period_starts", "period_ends", "indicator_period_in_order")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def counts_people(self) -> bool:
        return self.unit in self.PEOPLE

    def starts(self):
        return self.period_starts or self.programme.starts_on

    def ends(self):
        return self.period_ends or self.programme.ends_on

    def clean(self, activity_types=None) -> None:
        """Refuse a definition that cannot be computed. `activity_types` are the types the
        form is about to save (the many-to-many is saved after the row)."""
        errors: dict[str, str] = {}
        unit = self.unit
        allowed = self.AGGREGATIONS.get(unit, {self.Aggregation.COUNT})
        if unit and self.aggregation not in allowed:
            errors["aggregation"] = _("%(unit)s can be added up only as: %(allowed)s.") % {
                "unit": self.Unit(unit).label,
                "allowed": ", ".join(str(self.Aggregation(a).label) for a in sorted(allowed)),
            }
        roles = self.ROLES.get(unit, {self.Role.ANY})
        if unit and self.role not in roles:
            errors["role"] = _("%(unit)s cannot be filtered by how people took part this way.") % {
                "unit": self.Unit(unit).label
            }
        if self.target_group_id and unit not in (self.Unit.CHILDREN, self.Unit.ADULTS):
            errors["target_group"] = _(
                "A target group narrows only the children or adults reached."
            )
        elif self.target_group_id and (unit, self.target_group.people) in (
            (self.Unit.CHILDREN, TargetGroup.People.ADULTS),
            (self.Unit.ADULTS, TargetGroup.People.CHILDREN),
        ):
            # A share (or count) of children in a group of adults only is always nothing.
            errors["target_group"] = (
                _("This target group is of adults only: choose a group that includes children.")
                if unit == self.Unit.CHILDREN
                else _(
                    "This target group is of children only: choose a group that includes adults."
                )
            )
        if self.aggregation == self.Aggregation.SHARE and not self.target_group_id:
            errors["target_group"] = _("A share needs the target group it is the share of.")
        if (
            self.target_group_id
            and self.programme_id
            and self.target_group.programme_id != self.programme_id
        ):
            errors["target_group"] = _("Choose a target group of this programme.")
        if unit in (self.Unit.OUTCOMES, self.Unit.RESOLUTION_DAYS) and not self.outcome_id:
            errors["outcome"] = _("Choose the outcome that is counted.")
        if self.outcome_id and unit not in (self.Unit.OUTCOMES, self.Unit.RESOLUTION_DAYS):
            errors["outcome"] = _("An outcome filters only outcomes and days to resolution.")
        if self.outcome_id and self.programme_id and self.outcome.programme_id != self.programme_id:
            errors["outcome"] = _("Choose an outcome of this programme.")
        if activity_types is not None:
            if unit == self.Unit.EVENTS and not activity_types:
                errors["activity_types"] = _("Choose the types of activity that are the events.")
            if activity_types and unit not in self.FROM_ACTIVITIES | {
                self.Unit.CHILDREN,
                self.Unit.ADULTS,
            }:
                errors["activity_types"] = _("Types of activity narrow only what activities count.")
            if activity_types and self.programme_id:
                municipality = self.programme.municipality_id
                if any(t.municipality_id != municipality for t in activity_types):
                    errors["activity_types"] = _("Choose types of the programme's municipality.")
        if self.with_partners and unit and unit not in self.FROM_ACTIVITIES:
            errors["with_partners"] = _(
                "Partner organisations taking part narrow only what activities count."
            )
        if self.period_starts and self.period_ends and self.period_ends < self.period_starts:
            errors["period_ends"] = _("This is before the start: the end must be on or after it.")
        if self.programme_id and self.target_date and self.target_date < self.programme.starts_on:
            errors["target_date"] = _("The target date is before the programme starts.")
        if (
            self.aggregation == self.Aggregation.SHARE
            and self.target_value is not None
            and self.target_value > 100
        ):
            errors["target_value"] = _("A share is at most 100 %.")
        if errors:
            raise ValidationError(errors)


class Report(VersionedModel):
    """The funder's report of one period. While a draft, its figures are computed afresh; a
    second person releases it, and from then on it is fixed: `figures` holds what was released,
    and a new period gives a new report."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RELEASED = "released", _("Released")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    period_starts = models.DateField(_("period from"), validators=[validate_date])
    period_ends = models.DateField(_("period to"), validators=[validate_date])
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )
    released_at = models.DateTimeField(_("released"), null=True, blank=True)
    # What was released: the figures as the funder received them (suppressed where they must).
    figures = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("funder's report")
        verbose_name_plural = _("funder's reports")
        ordering = ["programme", "-period_starts"]
        constraints = [
            period_constraint("period_starts", "period_ends", "funder_report_period_in_order"),
            models.UniqueConstraint(
                fields=["programme", "period_starts", "period_ends"],
                name="funder_report_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | (
                    models.Q(released_by__isnull=False, released_at__isnull=False)
                    & ~models.Q(released_by=models.F("prepared_by"))
                ),
                name="funder_report_second_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.period_starts:%Y-%m-%d} – {self.period_ends:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:report", args=[self.pk])

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED

    def overlapping(self) -> Report | None:
        """The first other report of the programme sharing a day with this one's period."""
        if not (self.programme_id and self.period_starts and self.period_ends):
            return None
        return (
            Report.objects.filter(
                programme_id=self.programme_id,
                period_starts__lte=self.period_ends,
                period_ends__gte=self.period_starts,
            )
            .exclude(pk=self.pk)
            .order_by("period_starts", "pk")
            .first()
        )

    def overlap_error(self, other: Report) -> ValidationError:
        """Why the period is refused: the same period, or one sharing days with `other`."""
        if (other.period_starts, other.period_ends) == (self.period_starts, self.period_ends):
            return ValidationError(_("There is already a report of this period."))
        return ValidationError(
            _(
                "The period overlaps the report of %(starts)s – %(ends)s. Reports of a "
                "programme never overlap, so that no figure can be found by subtracting "
                "one report from another."
            )
            % {
                "starts": formats.date_format(other.period_starts, "SHORT_DATE_FORMAT"),
                "ends": formats.date_format(other.period_ends, "SHORT_DATE_FORMAT"),
            }
        )

    def clean(self) -> None:
        check_period(self.period_starts, self.period_ends, end_field="period_ends")
        # Reports of a programme never overlap: two that did (January to March, January to
        # February) would give the funder a small count by subtracting one from the other,
        # whatever each hides.
        other = self.overlapping()
        if other is not None:
            raise self.overlap_error(other)


# The maintained aggregates of its figures (programmes.figures writes them).
from earlyhelp.programmes.aggregates import *  # noqa: E402, F403
