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
from earlyhelp.core.files import HashedFileField
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
    certificate = HashedFileField(_("certificate"), upload_to="workforce/%Y/%m/", blank=True)
    certificate_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
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


# --- Team case discussions -------------------------------------------------------------------

# A discussion longer than a working day is a typing error.
MAX_DISCUSSION_MINUTES = 600


class TeamDiscussion(VersionedModel):
    """A team case discussion (HU esetmegbeszélés) across cases: when, how long, who led it
    and which staff took part. What was discussed (cases, or situations told without names)
    is in its `DiscussedItem`s, each shown only to those who may open its case; what each
    participant learnt or decided is in their `DiscussionLearning`."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="team_discussions",
        verbose_name=_("municipality"),
    )
    held_on = models.DateField(_("date"), validators=[validate_date])
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_DISCUSSION_MINUTES)],
    )
    facilitator = models.CharField(_("facilitator"), max_length=200)
    participants = models.ManyToManyField(
        StaffProfile, related_name="team_discussions", verbose_name=_("participants")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("team case discussion")
        verbose_name_plural = _("team case discussions")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["municipality", "-held_on"], name="discussion_municipality")
        ]

    def __str__(self) -> str:
        return f"{_('Team case discussion')} · {self.held_on}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:discussion", args=[self.pk])


class DiscussedItem(models.Model):
    """One thing a team discussion was about: a case (shown only to those who may open it) or
    a situation told without names."""

    discussion = models.ForeignKey(
        TeamDiscussion, on_delete=models.CASCADE, related_name="discussed_items"
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    situation = models.TextField(
        _("situation, without names"),
        blank=True,
        max_length=2000,
        help_text=_("Describe the situation without names or anything that identifies a person."),
    )

    class Meta:
        verbose_name = _("discussed case or situation")
        verbose_name_plural = _("discussed cases and situations")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(case__isnull=False) & models.Q(situation=""))
                | (models.Q(case__isnull=True) & ~models.Q(situation="")),
                name="discussed_case_or_situation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.discussion_id} · {self.case_id or '—'}"


class DiscussionLearning(VersionedModel):
    """What one participant learnt or decided at a team discussion."""

    discussion = models.ForeignKey(
        TeamDiscussion, on_delete=models.CASCADE, related_name="learnings"
    )
    participant = models.ForeignKey(
        StaffProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    text = models.TextField(_("learnt or decided"), max_length=4000)

    class Meta:
        verbose_name = _("what a participant learnt or decided")
        verbose_name_plural = _("what the participants learnt or decided")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "participant"], name="learning_once_per_participant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.discussion_id} · {self.participant_id}"


# --- Implementation support ------------------------------------------------------------------


class ImplementationSupport(VersionedModel):
    """A worker supported while they introduce a method of the catalogue into their work (the
    Czech project's "at least 10 workers supported"): who supports them (an account, or a name
    from outside), from when to when, with its sessions. It may count for funded programmes:
    each supported worker once (`programmes.Indicator.Role.IMPLEMENTATION_SUPPORT`)."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="implementation_supports",
        verbose_name=_("municipality"),
    )
    staff = models.ForeignKey(
        StaffProfile,
        on_delete=models.PROTECT,
        related_name="implementation_supports",
        verbose_name=_("worker supported"),
    )
    method = models.ForeignKey(
        "knowledge.Method",
        on_delete=models.PROTECT,
        related_name="implementation_supports",
        verbose_name=_("method introduced"),
    )
    supporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supported by (account)"),
    )
    supporter_name = models.CharField(_("supported by (name)"), max_length=200, blank=True)
    starts_on = models.DateField(_("from"), validators=[validate_date])
    ends_on = models.DateField(_("to"), null=True, blank=True, validators=[validate_date])
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="implementation_supports",
        verbose_name=_("programmes it counts for"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("implementation support")
        verbose_name_plural = _("implementation supports")
        ordering = ["-starts_on", "-pk"]
        constraints = [period_constraint("starts_on", "ends_on", "support_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.method}"

    def get_absolute_url(self) -> str:
        return reverse("workforce:support", args=[self.pk])

    @property
    def supporter(self) -> str:
        if self.supporter_user_id:
            return self.supporter_user.get_full_name() or self.supporter_user.get_username()
        return self.supporter_name

    def clean(self) -> None:
        super().clean()
        check_period(self.starts_on, self.ends_on, end_field="ends_on")


class SupportSession(models.Model):
    """A session of implementation support: when, how long, and a note."""

    support = models.ForeignKey(
        ImplementationSupport, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("date"), validators=[validate_date])
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    note = models.TextField(_("note"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("support session")
        verbose_name_plural = _("support sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.support_id} · {self.held_on}"


# --- Coverage and caseload -------------------------------------------------------------------


class CoverageNorm(VersionedModel):
    """How many children one full-time social helper may cover in the municipality, and how
    many hours a week make full time, with where the figures come from."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="coverage_norm",
        verbose_name=_("municipality"),
    )
    children_per_helper = models.PositiveIntegerField(
        _("children per full-time social helper"),
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
    )
    full_time_hours = _hours(_("full-time hours per week"), MAX_HOURS_PER_WEEK)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("coverage norm")
        verbose_name_plural = _("coverage norms")

    def __str__(self) -> str:
        return str(self.municipality)


# The earlyhelp default of coverage (docs/workforce.md, "Coverage"): one full-time helper per
# 1,000 children, after the Hungarian staffing rule for kindergarten and school social help
# (15/1998. (IV. 30.) NM rendelet, annex 2), and 40 hours a week as full time (the general
# full-time working week of the Hungarian Labour Code, Mt. § 92, and the Czech, § 79).
DEFAULT_CHILDREN_PER_HELPER = 1000
DEFAULT_FULL_TIME_HOURS = Decimal(40)
DEFAULT_COVERAGE_SOURCE = _(
    "earlyhelp default: one full-time social helper (40 hours a week) per 1,000 children, "
    "after the Hungarian staffing rule for kindergarten and school social help (15/1998. "
    "(IV. 30.) NM rendelet, annex 2). The municipality has not set its own."
)


class CaseloadNorm(VersionedModel):
    """The thresholds of a worker's load in the municipality: open cases they lead, meetings
    of activities they led a week, open contact arrangements they lead."""

    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.PROTECT,
        related_name="caseload_norm",
        verbose_name=_("municipality"),
    )
    open_cases = models.PositiveSmallIntegerField(
        _("open cases at most"), validators=[MaxValueValidator(1000)]
    )
    activities_per_week = _hours(_("activities a week at most"), Decimal(100))
    open_arrangements = models.PositiveSmallIntegerField(
        _("open contact arrangements at most"), validators=[MaxValueValidator(1000)]
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("caseload norm")
        verbose_name_plural = _("caseload norms")

    def __str__(self) -> str:
        return str(self.municipality)


# earlyhelp's own choice (no law of the three countries sets these): see docs/workforce.md.
DEFAULT_CASELOAD = {
    "open_cases": 25,
    "activities_per_week": Decimal(15),
    "open_arrangements": 8,
}
DEFAULT_CASELOAD_SOURCE = _(
    "earlyhelp default, chosen by earlyhelp (no law sets a figure): at most 25 open cases, "
    "15 activities a week and 8 open contact arrangements. The municipality has not set its own."
)


class InstitutionCoverage(models.Model):
    """Maintained aggregate of one institution's coverage: the children enrolled today and the
    social helpers' hours a week serving it. Written only by `coverage.rebuild` (the nightly
    `manage.py rebuild_coverage`, and for the institutions a staff change touches); never
    typed."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, primary_key=True, related_name="coverage"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    children = models.PositiveIntegerField(default=0)
    helper_hours = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal(0))
    helpers = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["municipality", "institution"], name="coverage_read"),
        ]

    def __str__(self) -> str:
        return f"{self.institution_id}: {self.children} · {self.helper_hours}"
