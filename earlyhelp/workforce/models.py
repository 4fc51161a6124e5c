"""The workforce: who the staff are and the training they take.

A `StaffProfile` stands beside a user's account: their `Qualification`s, their `Employment`
rows (a service, hours per week, from–to) and the institutions they serve. A `TrainingEvent`
is a course or an event of a municipality, with its hours, topic and provider; an `Attendance`
row credits a staff member with hours of it, optionally with a certificate (checked by
`core.uploads`, served only through `core.downloads`). A `TrainingNorm` is the hours of training
a municipality expects of each staff member in a calendar year, with where the figure comes
from; a municipality without one is held to `DEFAULT_NORM` (docs/workforce.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import (
    check_period,
    period_constraint,
    validate_date,
    validate_past_in_a_life,
)
from earlyhelp.core.models import VersionedModel
from earlyhelp.organisations.models import Institution, Municipality, Service

# A week has 168 hours; nobody is employed for more than this in one service.
MAX_HOURS_PER_WEEK = Decimal(60)
# One training event or one year's norm: more than this is a typing error.
MAX_TRAINING_HOURS = Decimal(1000)


def _hours(label, maximum: Decimal, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(maximum)],
        **kwargs,
    )


class StaffProfile(VersionedModel):
    """A staff member's profile. Its municipality is the one that manages the account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="staff_profile",
        verbose_name=_("staff member"),
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="staff_profiles",
        verbose_name=_("municipality"),
    )
    institutions = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("institutions served"),
    )

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["user__last_name", "user__first_name", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()

    def get_absolute_url(self) -> str:
        return reverse("workforce:staff", args=[self.pk])


class Qualification(VersionedModel):
    profile = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="qualifications"
    )
    title = models.CharField(_("qualification"), max_length=200)
    awarded_by = models.CharField(_("awarded by"), max_length=200, blank=True)
    awarded_on = models.DateField(
        _("awarded on"), null=True, blank=True, validators=[validate_past_in_a_life]
    )

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["-awarded_on", "title"]

    def __str__(self) -> str:
        return self.title


class Employment(VersionedModel):
    """Employment in one of the municipality's services, for a number of hours a week."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="employments")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="employments", verbose_name=_("service")
    )
    hours_per_week = _hours(_("hours per week"), MAX_HOURS_PER_WEEK)
    starts_on = models.DateField(_("from"), validators=[validate_date])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[validate_date])

    class Meta:
        verbose_name = _("employment")
        verbose_name_plural = _("employments")
        ordering = ["-starts_on"]
        constraints = [period_constraint("starts_on", "ends_on", "employment_dates_in_order")]

    def __str__(self) -> str:
        return str(self.service)

    def clean(self) -> None:
        super().clean()
        check_period(self.starts_on, self.ends_on, end_field="ends_on")


class TrainingEvent(VersionedModel):
    """A course, workshop or conference of the municipality's staff."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="training_events",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    starts_on = models.DateField(_("starts on"), validators=[validate_date])
    ends_on = models.DateField(_("ends on"), validators=[validate_date])
    hours = _hours(_("hours"), MAX_TRAINING_HOURS)
    # The funded programmes the training counts for (the programmes issue): its attendees are
    # staff reached, as at a workshop.
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="trainings",
        verbose_name=_("programmes it counts for"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("training event")
        verbose_name_plural = _("training events")
        ordering = ["-starts_on", "title"]
        constraints = [period_constraint("starts_on", "ends_on", "training_dates_in_order")]
        indexes = [
            models.Index(fields=["municipality", "-starts_on"], name="training_municipality")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("workforce:training", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        check_period(self.starts_on, self.ends_on, end_field="ends_on")


class Attendance(VersionedModel):
    """A staff member took part in an event and is credited with hours of it (the event's
    hours, or fewer when they attended part of it)."""

    event = models.ForeignKey(TrainingEvent, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(
        StaffProfile,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("staff member"),
    )
    hours = _hours(_("hours credited"), MAX_TRAINING_HOURS)
    certificate = models.FileField(_("certificate"), upload_to="workforce/%Y/%m/", blank=True)
    certificate_name = models.CharField(_("file name"), max_length=200, blank=True)
    certificate_type = models.CharField(_("type"), max_length=50, blank=True)
    certificate_size = models.PositiveIntegerField(_("size"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["staff__user__last_name", "staff__user__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "staff"], name="attendance_once_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.staff} · {self.event}"


class TrainingNorm(VersionedModel):
    """The hours of training the municipality expects of each staff member in a calendar
    year, and where the figure comes from (a regulation, a collective agreement, a decision)."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="training_norm",
        verbose_name=_("municipality"),
    )
    hours_per_year = _hours(_("hours per person per year"), MAX_TRAINING_HOURS)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("training norm")
        verbose_name_plural = _("training norms")

    def __str__(self) -> str:
        return f"{self.municipality}: {self.hours_per_year}"


@dataclass(frozen=True)
class Norm:
    """The norm a municipality's staff are held to: its own, or earlyhelp's default."""

    hours: Decimal
    source: str
    default: bool


# The earlyhelp default: 24 hours a calendar year, the further education the Czech Social
# Services Act (No. 108/2006 Coll., § 111) requires of every social worker. It is the only
# yearly figure in hours among the three countries' rules (Hungary counts credit points over a
# multi-year cycle, Denmark sets none in law), and a modest one, so a municipality that has not
# set its own norm is held to a floor rather than to nothing.
DEFAULT_NORM_HOURS = Decimal(24)
DEFAULT_NORM_SOURCE = _(
    "earlyhelp default: 24 hours a year, after the Czech Social Services Act "
    "(No. 108/2006 Coll., § 111). The municipality has not set its own norm."
)


# --- Reflective supervision ------------------------------------------------------------------

# A session longer than a working day is a typing error.
MAX_SESSION_MINUTES = 600
# A norm of more than one session a week is a typing error.
MAX_SESSIONS_PER_YEAR = 52


class SupervisionSession(VersionedModel):
    """A reflective supervision session, individual or in a group: when, how long, who led it
    (often someone from outside, so a name and an organisation; an account when internal) and
    who took part. Only its attendance is kept here; what was said is in its `SupervisionNote`,
    which only the participants read."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="supervision_sessions",
        verbose_name=_("municipality"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("date"), validators=[validate_date])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )
    supervisor_name = models.CharField(_("supervisor"), max_length=200)
    supervisor_organisation = models.CharField(
        _("supervisor's organisation"), max_length=200, blank=True
    )
    supervisor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supervisor's account"),
    )
    participants = models.ManyToManyField(
        StaffProfile, related_name="supervision_sessions", verbose_name=_("participants")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-held_on"], name="supervision_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:supervision", args=[self.pk])


class SupervisionNote(VersionedModel):
    """What a session's participants keep of it. Confidential to them: its own model with its
    own rule, so that no page or export built on the session can reach it."""

    session = models.OneToOneField(
        SupervisionSession, on_delete=models.CASCADE, related_name="note"
    )
    text = models.TextField(_("notes"), blank=True, max_length=20000)

    class Meta:
        verbose_name = _("supervision note")
        verbose_name_plural = _("supervision notes")

    def __str__(self) -> str:
        return str(self.session)


class SupervisionNorm(VersionedModel):
    """The supervision sessions a year the municipality expects of each staff member, per role,
    and where the figures come from."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="supervision_norm",
        verbose_name=_("municipality"),
    )
    social_helper = models.PositiveSmallIntegerField(
        _("social helper: sessions a year"), validators=[MaxValueValidator(MAX_SESSIONS_PER_YEAR)]
    )
    case_worker = models.PositiveSmallIntegerField(
        _("case worker: sessions a year"), validators=[MaxValueValidator(MAX_SESSIONS_PER_YEAR)]
    )
    supervisor = models.PositiveSmallIntegerField(
        _("supervisor: sessions a year"), validators=[MaxValueValidator(MAX_SESSIONS_PER_YEAR)]
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("supervision norm")
        verbose_name_plural = _("supervision norms")

    def __str__(self) -> str:
        return str(self.municipality)


# The earlyhelp default, sessions per calendar year and role. No law of the three countries
# sets a figure: Hungarian methodology guides and the Czech standards of quality recommend
# regular supervision of helpers against burnout without a number, so these are earlyhelp's
# choice, for the municipality to replace with its own: about one session a month outside
# the summer holiday for those who work with families, six a year for their supervisors.
DEFAULT_SUPERVISION_SESSIONS = {"social_helper": 10, "case_worker": 10, "supervisor": 6}
DEFAULT_SUPERVISION_SOURCE = _(
    "earlyhelp default, chosen by earlyhelp (no law sets a figure): 10 sessions a year for "
    "social helpers and case workers, 6 for supervisors. The municipality has not set its own."
)
