"""The organisation tree: jurisdiction → municipality (the tenant) → services, districts,
institutions → groups; and memberships, which give a user a role in a unit for a period."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.models import TimeStampedModel
from earlyhelp.core.shipped import shipped_text


class Jurisdiction(TimeStampedModel):
    class Code(models.TextChoices):
        HU = "HU", _("Hungary")
        CZ = "CZ", _("Czech Republic")
        DK = "DK", _("Denmark")

    code = models.CharField(_("country"), max_length=2, choices=Code.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    default_language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES
    )
    emergency_number = models.CharField(_("emergency number"), max_length=16, default="112")

    class Meta:
        ordering = ["code"]
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")

    def __str__(self) -> str:
        return self.display_name()

    def display_name(self) -> str:
        """The country's name in the reader's language. The rows shipped by protocols.0002
        carry the English name of their code; a name an administrator typed is shown as typed."""
        shipped = self.Code(self.code).label if self.code in self.Code.values else None
        return shipped_text(self.name, shipped)


class Municipality(TimeStampedModel):
    """The tenant: every person-level record carries its municipality."""

    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("jurisdiction"),
    )
    name = models.CharField(_("name"), max_length=150)
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class Service(TimeStampedModel):
    class Kind(models.TextChoices):
        FAMILY_CHILD_WELFARE = "family_child_welfare", _("Family and child welfare centre")
        SOCIAL_ASSISTANCE = "social_assistance", _("Social-assistance service")
        FOSTER_CARE = "foster_care", _("Foster-care service")
        EDUCATIONAL_CARE = "educational_care", _("Educational care centre")
        SCHOOL_SOCIAL_WORK = "school_social_work", _("School social work")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="services",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class District(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class Institution(TimeStampedModel):
    class Kind(models.TextChoices):
        SCHOOL = "school", _("School")
        KINDERGARTEN = "kindergarten", _("Kindergarten")
        DAYCARE = "daycare", _("Daycare")
        CLUB = "club", _("After-school club")
        HEALTH_VISITING = "health_visiting", _("Health visiting")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="institutions",
        verbose_name=_("municipality"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="institutions",
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("address"), max_length=250, blank=True)
    code = models.CharField(
        _("register code"),
        max_length=20,
        blank=True,
        help_text=_(
            "The institution's code in the national register (OM identifier, IZO, "
            "institution number): roster imports find the institution by it."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                condition=~Q(code=""),
                name="institution_unique_code",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.district_id and self.district.municipality_id != self.municipality_id:
            raise ValidationError(
                {"district": _("The district must belong to the institution's municipality.")}
            )


class Group(TimeStampedModel):
    """A class in a school or a group in a kindergarten or daycare."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="groups", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=100)
    school_year = models.CharField(_("school year"), max_length=9, blank=True)

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("group or class")
        verbose_name_plural = _("groups and classes")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "name", "school_year"], name="group_unique_name_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.institution})"


class DistrictPairing(TimeStampedModel):
    """A district pairs a school with the daycares and kindergartens that feed it (DK, seed 004)."""

    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="pairings", verbose_name=_("district")
    )
    school = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="paired_daycares",
        verbose_name=_("school"),
    )
    daycare = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="paired_schools",
        verbose_name=_("daycare or kindergarten"),
    )

    class Meta:
        verbose_name = _("district pairing")
        verbose_name_plural = _("district pairings")
        constraints = [models.UniqueConstraint(fields=["school", "daycare"], name="pairing_unique")]

    def __str__(self) -> str:
        return f"{self.school} ↔ {self.daycare}"

    def clean(self) -> None:
        errors = {}
        if self.school_id and self.school.kind != Institution.Kind.SCHOOL:
            errors["school"] = _("Choose a school.")
        if self.daycare_id and self.daycare.kind not in {
            Institution.Kind.DAYCARE,
            Institution.Kind.KINDERGARTEN,
        }:
            errors["daycare"] = _("Choose a daycare or kindergarten.")
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    EDUCATOR = "educator", _("Educator")
    INSTITUTION_LEAD = "institution_lead", _("Institution lead")
    SOCIAL_HELPER = "social_helper", _("Social helper")
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    MANAGER = "manager", _("Manager")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")
    # The data-protection officer: reads the audit log of the municipality, never a record.
    DPO = "dpo", _("Data-protection officer")


class Approval(models.TextChoices):
    """A membership that reaches children (or break-glass) takes effect only once a second
    person approved it (organisations/access.py decides who)."""

    PENDING = "pending", _("awaiting approval")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")


class MembershipQuerySet(models.QuerySet):
    def active(self, on: date | None = None) -> "MembershipQuerySet":
        """The memberships in force: approved, started and not ended. Everything that grants
        access (the policy's scope above all) starts here, so a membership awaiting approval
        or refused grants nothing."""
        on = on or date.today()
        return self.filter(
            Q(approval=Approval.APPROVED),
            Q(starts_on__lte=on),
            Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        )

    def pending(self) -> "MembershipQuerySet":
        return self.filter(approval=Approval.PENDING)


class Membership(TimeStampedModel):
    """A user's role in one unit for a period. The unit that matters depends on the role:
    a group or an institution for educators, an institution for leads and social helpers
    (one membership per assigned institution), a service for case workers and supervisors,
    the municipality for managers, analysts, administrators and data-protection officers."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("municipality"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("service"),
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("institution"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("group or class"),
    )
    starts_on = models.DateField(_("starts on"), default=date.today)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    # Set only by organisations.services: the administration's form shows them read-only.
    # A new membership awaits approval unless a service decided it needs none.
    approval = models.CharField(
        _("approval"), max_length=10, choices=Approval.choices, default=Approval.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    requested_at = models.DateTimeField(_("asked on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved or refused by"),
    )
    decided_at = models.DateTimeField(_("approved or refused on"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["user", "role"], name="membership_user_role")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="membership_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"

    @property
    def unit(self):
        return self.group or self.institution or self.service or self.municipality

    @property
    def is_pending(self) -> bool:
        return self.approval == Approval.PENDING

    def clean(self) -> None:
        errors = {}
        if (
            self.group_id
            and self.institution_id
            and self.group.institution_id != self.institution_id
        ):
            errors["group"] = _("The group must belong to the chosen institution.")
        for field in ("service", "institution"):
            unit = getattr(self, field)
            if unit is not None and unit.municipality_id != self.municipality_id:
                errors[field] = _("The unit must belong to the membership's municipality.")
        needs = {
            Role.EDUCATOR: ("institution",),
            Role.INSTITUTION_LEAD: ("institution",),
            Role.SOCIAL_HELPER: ("institution", "service"),
            Role.CASE_WORKER: ("service",),
            Role.SUPERVISOR: ("service",),
        }.get(self.role, ())
        for field in needs:
            if getattr(self, f"{field}_id") is None:
                errors[field] = _("Choose the unit this role works in: %(unit)s.") % {
                    "unit": self._meta.get_field(field).verbose_name
                }
        if errors:
            raise ValidationError(errors)
