"""The toolkit of help: individual, group and community work as one model.

An `Activity` is one piece of help of a type from the municipality's catalogue
(`ActivityType`): a wellbeing conversation with a pupil, a parent club meeting each week, a
health day, a workshop for staff. It is held in `Session`s (one for a single event, many for a
group), has `Participant`s (children, adults, staff, or people named only on the day) whose
`Attendance` is taken per session, and counts the time its workers spent. Staff ask for
sparring with a `SparringRequest`; accepting one schedules a sparring activity.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earlyhelp.core.dates import check_period, period_constraint
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Group, Institution, Municipality
from earlyhelp.people.models import Adult, Child


class Mode(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual help")
    GROUP = "group", _("Group or club")
    COMMUNITY = "community", _("Community event")
    STAFF = "staff", _("Work with staff")


# The shipped catalogue (DESIGN.md 3.4): code → (name, mode, needs the agreement of the
# jurisdiction for wellbeing conversations, staff register and give feedback).
CATALOGUE = {
    "individual_session": (_("Individual session"), Mode.INDIVIDUAL, False, False),
    "mentoring": (_("Mentoring"), Mode.INDIVIDUAL, False, False),
    "wellbeing_conversation": (_("Wellbeing conversation"), Mode.INDIVIDUAL, True, False),
    "catch_up_tutoring": (_("Catch-up tutoring"), Mode.GROUP, False, False),
    "parent_club": (_("Parent club"), Mode.GROUP, False, False),
    "baby_mama_club": (_("Baby-mama club"), Mode.GROUP, False, False),
    "household_club": (_("Household and debt counselling club"), Mode.GROUP, False, False),
    "mental_health_group": (_("Mental-health group"), Mode.GROUP, False, False),
    "mediation": (_("Mediation"), Mode.INDIVIDUAL, False, False),
    "job_readiness": (_("Job-readiness programme"), Mode.GROUP, False, False),
    "crime_prevention": (_("Crime-prevention programme"), Mode.GROUP, False, False),
    "health_day": (_("Health, screening or sport day"), Mode.COMMUNITY, False, False),
    "community_development": (_("Community development event"), Mode.COMMUNITY, False, False),
    "staff_sparring": (_("Staff sparring"), Mode.STAFF, False, False),
    "meeting_facilitation": (_("Meeting facilitation"), Mode.STAFF, False, False),
    "staff_workshop": (_("Workshop for staff"), Mode.STAFF, False, True),
    "round_table": (_("Round table"), Mode.STAFF, False, False),
    "help_with_authorities": (_("Help with authorities"), Mode.INDIVIDUAL, False, False),
}
SPARRING = "staff_sparring"
WORKSHOP = "staff_workshop"


class ActivityType(TimeStampedModel):
    """An entry of a municipality's catalogue. The shipped entries are named in each language
    by their code; a municipality adds its own with a name."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="activity_types",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_(
            "Leave empty for a type of the shipped catalogue: it is named in each language."
        ),
    )
    mode = models.CharField(_("kind of help"), max_length=20, choices=Mode.choices)
    needs_agreement = models.BooleanField(
        _("needs the agreement for wellbeing conversations"),
        default=False,
        help_text=_(
            "A child takes part only with the agreement the jurisdiction requires (parents' "
            "consent, the school's agreement), recorded among the child's consents."
        ),
    )
    registration = models.BooleanField(_("staff register and give feedback"), default=False)
    method = models.ForeignKey(
        "knowledge.Method",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activity_types",
        verbose_name=_("method it follows"),
    )
    active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="activity_type_unique_code"
            )
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        shipped = CATALOGUE.get(self.code)
        return str(shipped[0]) if shipped else self.code

    def clean(self) -> None:
        super().clean()
        method = self.method
        if method is not None and (
            method.municipality_id != self.municipality_id or method.kind != "intervention"
        ):
            raise ValidationError(
                {"method": _("Choose an intervention of the type's municipality's catalogue.")}
            )


class Activity(VersionedModel):
    class Recurrence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Every week")
        FORTNIGHTLY = "fortnightly", _("Every second week")
        CUSTOM = "custom", _("On dates I choose")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Running")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    class Theme(models.TextChoices):
        EARLY_INTERVENTION = (
            "early_intervention",
            _("Children and young people in vulnerable positions – early intervention"),
        )
        PARENT_COOPERATION = "parent_cooperation", _("Working with parents")
        CHILD_PERSPECTIVE = "child_perspective", _("Including the child's perspective")
        OTHER = "other", _("Another theme")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("institution"),
    )
    type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what it is about"), blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities_led",
        verbose_name=_("delivered by"),
    )
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="activities_worked",
        verbose_name=_("co-workers"),
    )
    recurrence = models.CharField(
        _("how often"), max_length=12, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(
        _("length (minutes)"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)],
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=30, choices=Theme.choices, blank=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    concern = models.ForeignKey(
        "concerns.Concern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("concern"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("case"),
    )
    method = models.ForeignKey(
        "knowledge.Method",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("method used"),
    )
    partners = models.ManyToManyField(
        "knowledge.Partner",
        blank=True,
        related_name="activities",
        verbose_name=_("partner organisations taking part"),
    )
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="activities",
        verbose_name=_("programmes it counts for"),
    )
    # Set when the retention job erased what identifies anyone in it (privacy.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            period_constraint("starts_on", "ends_on", "activity_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["lead", "status"], name="activity_lead_status"),
            models.Index(fields=["institution", "-starts_on"], name="activity_institution"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The last day is before the first day.")})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Session(VersionedModel):
    """One meeting of an activity: when, how long (the time spent), and what happened."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "Planned")
        HELD = "held", pgettext_lazy("meeting status", "Held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    # The activity's lead, kept on each meeting so that a worker's week and month are read
    # from this table's own index over the period, not through every activity they ever led.
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("led by"),
    )  # fmt: skip
    starts_at = models.DateTimeField(_("starts"))
    minutes = models.PositiveIntegerField(
        _("time spent (minutes)"), validators=[MinValueValidator(1), MaxValueValidator(24 * 60)]
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    note = models.TextField(_("session note"), blank=True)
    head_count = models.PositiveIntegerField(
        _("people present whose names were not taken"), null=True, blank=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["activity", "starts_at"], name="session_activity_start"),
            models.Index(fields=["municipality", "starts_at"], name="session_municipality_start"),
            models.Index(fields=["lead", "starts_at"], name="session_lead_start"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} · {self.starts_at:%Y-%m-%d %H:%M}"

    # A meeting may be recorded as held from an hour before it starts (a helper who fills in the
    # register as the group sits down), never earlier.
    HELD_EARLY = timedelta(hours=1)

    def may_be_held(self) -> bool:
        return self.starts_at <= timezone.now() + self.HELD_EARLY

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class Participant(VersionedModel):
    """Someone who takes part: a child, an adult, a member of staff, or a person named on
    the day only (a community event), with the target group they count for."""

    class TargetGroup(models.TextChoices):
        ACTION_AREA = "action_area", _("From the action area")
        ELSEWHERE = "elsewhere", _("From elsewhere")

    class Outcome(models.TextChoices):
        ACHIEVED = "achieved", _("Goal achieved")
        PARTLY = "partly", _("Partly achieved")
        NOT_ACHIEVED = "not_achieved", _("Not achieved")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participants")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_places",
        verbose_name=_("child"),
    )
    adult = models.ForeignKey(
        Adult,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_places",
        verbose_name=_("adult"),
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity_places",
        verbose_name=_("member of staff"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    target_group = models.CharField(
        _("target group"), max_length=20, choices=TargetGroup.choices, blank=True
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    left_reason = models.CharField(_("why they left"), max_length=250, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("about the outcome"), max_length=500, blank=True)
    feedback_rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    feedback = models.TextField(_("feedback"), blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            period_constraint("joined_on", "left_on", "participant_dates_in_order"),
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, adult__isnull=True, staff__isnull=True)
                    | models.Q(child__isnull=True, adult__isnull=False, staff__isnull=True)
                    | models.Q(child__isnull=True, adult__isnull=True, staff__isnull=False)
                    | (
                        models.Q(child__isnull=True, adult__isnull=True, staff__isnull=True)
                        & ~models.Q(name="")
                    )
                ),
                name="participant_is_one_person",
            ),
            models.UniqueConstraint(
                fields=["activity", "child"],
                condition=models.Q(child__isnull=False),
                name="participant_child_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "adult"],
                condition=models.Q(adult__isnull=False),
                name="participant_adult_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "staff"],
                condition=models.Q(staff__isnull=False),
                name="participant_staff_once",
            ),
        ]

    def __str__(self) -> str:
        person = self.child or self.adult or self.staff
        return str(person) if person else self.name

    def clean(self) -> None:
        check_period(self.joined_on, self.left_on, end_field="left_on")

    @property
    def active(self) -> bool:
        return self.left_on is None


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", pgettext_lazy("attendance", "Present")
        ABSENT = "absent", pgettext_lazy("attendance", "Absent")
        EXCUSED = "excused", pgettext_lazy("attendance", "Excused")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "participant"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.participant_id} · {self.status}"


class SparringRequest(VersionedModel):
    """An educator asks the institution's social helper for sparring about a worry or a
    class. Accepting it schedules a sparring activity; its session records what was done."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SCHEDULED = "scheduled", _("Scheduled")
        DONE = "done", _("Done")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class About(models.TextChoices):
        WORRY = "worry", _("A worry about a child")
        CLASS = "class", _("A class or group")
        PARENTS = "parents", _("Working with parents")
        OTHER = "other", _("Something else")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="sparring_requests",
        verbose_name=_("institution"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sparring_requests",
        verbose_name=_("asked by"),
    )
    about = models.CharField(_("about"), max_length=10, choices=About.choices)
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("class or group"),
    )
    topic = models.TextField(
        _("what you would like to talk about"),
        help_text=_(
            "Describe the worry without the child's name; only the social helpers read it."
        ),
    )
    preferred_times = models.CharField(_("when it suits you"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("social helper"),
    )
    answer = models.CharField(_("answer"), max_length=500, blank=True)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sparring_request",
    )

    class Meta:
        verbose_name = _("sparring request")
        verbose_name_plural = _("sparring requests")
        indexes = [
            models.Index(fields=["institution", "status"], name="sparring_institution_status")
        ]

    def __str__(self) -> str:
        return f"{self.get_about_display()} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("activities:sparring", args=[self.pk])

    @property
    def is_requested(self) -> bool:
        return self.status == self.Status.REQUESTED

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.SCHEDULED

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE
