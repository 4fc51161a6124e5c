"""Children, adults and what ties them: relationships, enrolments, consents.

Every person-level record carries its municipality (the tenant) so that access can be decided
and a national deployment distributed by tenant. Names are folded into `search_name` on save so
that search is diacritics-insensitive on every database.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import (
    age_on,
    birth_date_constraint,
    check_period,
    period_constraint,
    validate_birth_date_plausible,
    validate_date,
)
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.core.text import fold_text
from earlyhelp.organisations.models import Group, Municipality
from earlyhelp.people.identifiers import clean_national_id


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Not recorded")


class Person(VersionedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, verbose_name=_("municipality")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    search_name = models.CharField(max_length=210, editable=False, db_index=True)
    national_id = models.CharField(_("national identifier"), max_length=20, blank=True)
    restricted = models.BooleanField(
        _("restricted record"),
        default=False,
        help_text=_("Only the named team members can see a restricted record."),
    )
    # Where the person lives, as far as programmes need it: a target group may admit only
    # people living in (or outside) an action area drawn from districts and streets.
    home_district = models.ForeignKey(
        "organisations.District",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district they live in"),
    )
    disadvantaged = models.BooleanField(
        _("socially disadvantaged"),
        default=False,
        help_text=_(
            "As the jurisdiction's law defines it (e.g. HU Gyvt. 67/A. §), recorded by the service."
        ),
    )

    # Set when the retention job erased the person's identity (privacy.retention): names,
    # identifiers and free texts are empty, and the birth date is the year's first day.
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True, editable=False)
    # Set while processing is restricted at the person's request (GDPR Art. 18, privacy app):
    # the record is kept and shown, and not changed or erased.
    processing_restricted_at = models.DateTimeField(
        _("processing restricted since"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        if not self.given_name and not self.family_name:
            return gettext("erased person")
        # Hungarian order puts the family name first; the others give it last.
        if self.municipality.jurisdiction.code == "HU":
            return f"{self.family_name} {self.given_name}"
        return f"{self.given_name} {self.family_name}"

    def clean(self) -> None:
        super().clean()
        if self.national_id and self.municipality_id:
            try:
                self.national_id = clean_national_id(
                    self.municipality.jurisdiction.code, self.national_id
                )
            except ValidationError as error:
                raise ValidationError({"national_id": error.messages}) from error

    def derived_fields(self) -> dict[str, str]:
        return {"search_name": fold_text(f"{self.family_name} {self.given_name}")}

    def save(self, *args, **kwargs):
        for name, value in self.derived_fields().items():
            setattr(self, name, value)
        super().save(*args, **kwargs)


def naming_fields(prefix: str = "") -> list[str]:
    """The fields a page reads to name a person at `prefix` ("child__"), and to ask the policy
    whether it may (`people.access.unnamed`): for `.only()` with
    `select_related(f"{prefix}municipality__jurisdiction")`, where a page reads no more."""
    return [
        f"{prefix}{name}"
        for name in ("given_name", "family_name", "restricted", "municipality__jurisdiction__code")
    ]


class Child(Person):
    birth_date = models.DateField(_("date of birth"), validators=[validate_birth_date_plausible])
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Languages spoken at home.")
    )
    needs = models.TextField(
        _("needs"),
        blank=True,
        help_text=_("Special educational, health or dietary needs staff should know about."),
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="ChildTeamMember",
        related_name="children_in_team",
        blank=True,
    )

    class Meta:
        verbose_name = _("child")
        verbose_name_plural = _("children")
        constraints = [birth_date_constraint("child_birth_date_plausible")]
        ordering = ["search_name", "id"]
        indexes = [
            models.Index(fields=["municipality", "search_name", "id"], name="child_tenant_name"),
            # Roster imports match children by identifier.
            models.Index(fields=["municipality", "national_id"], name="child_tenant_identifier"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("people:child_detail", args=[self.pk])

    @property
    def age(self) -> int | None:
        """Whole years today; None (shown as nothing) for a date of birth not yet reached."""
        return age_on(self.birth_date)


class ChildRecord(models.Model):
    """Something that belongs to one child's record; it carries the child's tenant so that
    every person-level table can be distributed by municipality."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        editable=False,
        related_name="+",
        verbose_name=_("municipality"),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._take_tenant()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self._take_tenant()
        super().clean_fields(exclude=exclude)

    def _take_tenant(self) -> None:
        if self.municipality_id is None and self.child_id is not None:
            self.municipality_id = self.child.municipality_id


class ChildTeamMember(ChildRecord, TimeStampedModel):
    """A professional named on a child's record: the only people who see it when restricted."""

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="team_members", verbose_name=_("child")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("user")
    )
    note = models.CharField(_("role in the team"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["child", "user"], name="team_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.child_id}"


class Adult(Person):
    class Kind(models.TextChoices):
        PARENT = "parent", _("Parent")
        GUARDIAN = "guardian", _("Guardian")
        FOSTER_CARER = "foster_carer", _("Foster carer")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PARENT)
    birth_date = models.DateField(
        _("date of birth"), null=True, blank=True, validators=[validate_birth_date_plausible]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    address_protected = models.BooleanField(
        _("protected address"),
        default=False,
        help_text=_("The address is hidden from everyone who is not on the child's team."),
    )

    class Meta:
        verbose_name = _("adult")
        verbose_name_plural = _("adults")
        constraints = [birth_date_constraint("adult_birth_date_plausible")]
        ordering = ["search_name", "id"]
        # Roster imports match parents by identifier.
        indexes = [
            models.Index(fields=["municipality", "national_id"], name="adult_tenant_identifier")
        ]

    def get_absolute_url(self) -> str:
        return reverse("people:adult_detail", args=[self.pk])


class Relationship(ChildRecord, VersionedModel):
    class Kind(models.TextChoices):
        MOTHER = "mother", _("Mother")
        FATHER = "father", _("Father")
        STEP_PARENT = "step_parent", _("Step-parent")
        GUARDIAN = "guardian", _("Guardian")
        FOSTER_CARER = "foster_carer", _("Foster carer")
        GRANDPARENT = "grandparent", _("Grandparent")
        SIBLING = "sibling", _("Adult sibling")
        OTHER = "other", _("Other relative or contact")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("child")
    )
    adult = models.ForeignKey(
        Adult, on_delete=models.CASCADE, related_name="relationships", verbose_name=_("adult")
    )
    kind = models.CharField(_("relationship"), max_length=20, choices=Kind.choices)
    parental_responsibility = models.BooleanField(_("parental responsibility"), default=False)
    contact_restriction = models.BooleanField(
        _("contact restricted"),
        default=False,
        help_text=_("A court or authority restricts this adult's contact with the child."),
    )
    lives_with_child = models.BooleanField(_("lives with the child"), default=False)
    note = models.CharField(_("note"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.UniqueConstraint(fields=["child", "adult", "kind"], name="relationship_unique")
        ]

    def __str__(self) -> str:
        return f"{self.adult} · {self.get_kind_display()} · {self.child}"


class EnrolmentQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> "EnrolmentQuerySet":
        on = on or date.today()
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Enrolment(ChildRecord, VersionedModel):
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="enrolments", verbose_name=_("child")
    )
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("group")
    )
    starts_on = models.DateField(_("starts on"), validators=[validate_date])
    ends_on = models.DateField(_("ends on"), null=True, blank=True, validators=[validate_date])

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-starts_on"]
        indexes = [models.Index(fields=["group", "ends_on"], name="enrolment_group_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} · {self.group} · {self.starts_on}"

    def clean(self) -> None:
        super().clean()
        check_period(
            self.starts_on,
            self.ends_on,
            end_field="ends_on",
            message=_("The last day is before the first day."),
        )


class Consent(ChildRecord, VersionedModel):
    class Purpose(models.TextChoices):
        WELLBEING_CONVERSATION = "wellbeing_conversation", _("Wellbeing conversations")
        GROUP_ACTIVITIES = "group_activities", _("Group activities")
        DATA_SHARING = "data_sharing", _("Sharing information with other services")
        SCREENING = "screening", _("Wellbeing screening")
        PHOTOS = "photos", _("Photos and drawings")
        SCHOOL_AGREEMENT = (
            "school_agreement",
            _("The school's agreement to wellbeing conversations"),
        )

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="consents", verbose_name=_("child")
    )
    purpose = models.CharField(_("what"), max_length=40, choices=Purpose.choices)
    given_by = models.ForeignKey(
        Adult,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_given",
        verbose_name=_("given by"),
        help_text=_("Leave empty when the child or the school gave it."),
    )
    given_by_other = models.CharField(
        _("given by (other)"),
        max_length=150,
        blank=True,
        help_text=_("For example: the pupil, or the school's head."),
    )
    given_on = models.DateField(_("given on"), validators=[validate_date])
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, validators=[validate_date]
    )
    withdrawn_on = models.DateField(
        _("withdrawn on"), null=True, blank=True, validators=[validate_date]
    )
    note = models.CharField(_("note"), max_length=250, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            period_constraint("given_on", "withdrawn_on", "consent_withdrawn_after_given"),
            period_constraint("given_on", "valid_until", "consent_valid_after_given"),
        ]
        ordering = ["-given_on"]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.child_id} · {self.given_on}"

    def clean(self) -> None:
        super().clean()
        if self.given_by_id is None and not self.given_by_other:
            raise ValidationError(
                {"given_by_other": _("Say who gave the consent: choose an adult or write who.")}
            )
        if self.given_on and self.given_on > date.today():
            raise ValidationError({"given_on": _("A consent cannot be given in the future.")})
        check_period(
            self.given_on,
            self.valid_until,
            end_field="valid_until",
            message=_("The end date is before the date it was given."),
        )
        check_period(
            self.given_on,
            self.withdrawn_on,
            end_field="withdrawn_on",
            message=_("A consent cannot be withdrawn before it was given."),
        )

    def is_valid_on(self, on: date | None = None) -> bool:
        on = on or date.today()
        if self.given_on > on:
            return False
        if self.withdrawn_on and self.withdrawn_on <= on:
            return False
        return not (self.valid_until and self.valid_until < on)
