"""Cases: the work with a child and family, or with an adult, over time, by a service's team.

A case belongs to one service of one municipality and concerns one or more children (a sibling
group or household), or one adult or a household of adults living together (`Case.Subject`):
the adults a case is about take part in it as its clients (`CaseParticipant.Role.CLIENT`). Its
team (`CaseMember`) sees it; a restricted case is seen by its team alone. Everything that
happens in it is one time line, the chronology (`ChronologyEntry`): entries are never changed
or removed (a trigger refuses it at the database); a correction is a new entry that points to
the one it corrects.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import check_period, period_constraint
from earlyhelp.core.files import HashedFileField
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Municipality, Service
from earlyhelp.people.models import Child


class Case(VersionedModel):
    class Kind(models.TextChoices):
        FAMILY = "family", _("Family case work")
        CRISIS = "crisis", _("Crisis family care")
        AUTHORITY = "authority", _("One matter with an authority")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class ClosureReason(models.TextChoices):
        GOALS_MET = "goals_met", _("The goals were met")
        FAMILY_WITHDREW = "family_withdrew", _("The family ended the cooperation")
        MOVED_AWAY = "moved_away", _("The family moved away")
        AUTHORITY = "authority", _("Handed over to the statutory authority")
        OTHER_SERVICE = "other_service", _("Continued by another service")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        IMPROVED = "improved", _("The situation improved")
        UNCHANGED = "unchanged", _("The situation did not change")
        WORSENED = "worsened", _("The situation worsened")
        UNKNOWN = "unknown", _("Not known")

    class Subject(models.TextChoices):
        CHILDREN = "children", _("A child or children")
        ADULT = "adult", _("An adult")
        HOUSEHOLD = "household", _("A household of adults")

    # How often the plan is reviewed and the family contacted, by kind (days); DESIGN.md 3.2.
    REVIEW_DAYS = {Kind.FAMILY: 90, Kind.CRISIS: 14, Kind.AUTHORITY: 30}
    CONTACT_DAYS = {Kind.FAMILY: 30, Kind.CRISIS: 1, Kind.AUTHORITY: 14}

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="cases", verbose_name=_("service")
    )
    title = models.CharField(
        _("name of the case"),
        max_length=200,
        help_text=_("How the team refers to it, e.g. the family's name."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FAMILY)
    subject = models.CharField(
        _("the case is about"), max_length=10, choices=Subject.choices, default=Subject.CHILDREN
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    reason = models.TextField(_("why the case is opened"))
    restricted = models.BooleanField(
        _("restricted case"),
        default=False,
        help_text=_("Only the case's team can see a restricted case, not even the supervisor."),
    )
    lead_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lead worker"),
    )
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=ClosureReason.choices, blank=True
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="cases",
        verbose_name=_("programmes it counts for"),
    )
    # Set when the retention job erased what identifies anyone in the case (privacy.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # The version of the service's Signs of Safety tools the case follows, kept from the
    # first Signs of Safety record of the case (`earlyhelp/safety/services.py`).
    safety_tools_version = models.ForeignKey(
        "knowledge.MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        constraints = [
            period_constraint("opened_at", "closed_at", "case_dates_in_order"),
        ]
        indexes = [
            models.Index(fields=["service", "status", "-opened_at"], name="case_service_status"),
            models.Index(fields=["lead_worker", "status"], name="case_lead_status"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])

    def clean(self) -> None:
        check_period(self.opened_at, self.closed_at, end_field="closed_at")

    @property
    def review_every(self) -> timedelta:
        return timedelta(days=self.REVIEW_DAYS[self.kind])

    @property
    def contact_every(self) -> timedelta:
        return timedelta(days=self.CONTACT_DAYS[self.kind])

    @property
    def is_about_adults(self) -> bool:
        """An adult's or an adults' household's case: no child, the adults are its clients."""
        return self.subject != self.Subject.CHILDREN

    @property
    def domains(self) -> list:
        """The life domains its problem map and goals offer."""
        return list(ADULT_DOMAINS if self.is_about_adults else LifeDomain)

    @property
    def is_crisis(self) -> bool:
        return self.kind == self.Kind.CRISIS

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CaseChild(TimeStampedModel):
    """A child the case concerns; each will have their own plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_children")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="case_places", verbose_name=_("child")
    )

    class Meta:
        verbose_name = _("child of a case")
        verbose_name_plural = _("children of a case")
        constraints = [models.UniqueConstraint(fields=["case", "child"], name="case_child_unique")]


class CaseMember(TimeStampedModel):
    """A professional on the case's team; the team sees the case, restricted or not."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Lead worker")
        CO_WORKER = "co_worker", _("Co-worker")
        SOCIAL_HELPER = "social_helper", _("School social helper")
        OTHER = "other", _("Other professional")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("professional"),
    )
    role = models.CharField(_("role in the case"), max_length=20, choices=Role.choices)
    left_at = models.DateTimeField(_("left the team"), null=True, blank=True)

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"],
                condition=models.Q(left_at__isnull=True),
                name="case_member_once",
            )
        ]
        indexes = [models.Index(fields=["user", "left_at"], name="case_member_user")]

    @property
    def may_leave(self) -> bool:
        """Whether this member may leave the team: anyone but the lead worker, who leaves only
        by allocating the case to someone else (services.case_allocate)."""
        return self.role != self.Role.LEAD


class CaseConcern(TimeStampedModel):
    """A concern the case was opened from or that joined it later; a concern joins one case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_concerns")
    concern = models.OneToOneField(
        "concerns.Concern", on_delete=models.PROTECT, related_name="case_link"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("concern of a case")
        verbose_name_plural = _("concerns of a case")


class ChronologyEntry(models.Model):
    """One event of the case's time line. Written once, never changed (see the module note)."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        CONCERN = "concern", _("Concern")
        CONTACT = "contact", _("Contact with the family")
        SESSION = "session", _("Session with the child")
        PLAN = "plan", _("Plan")
        CONFERENCE = "conference", _("Case discussion or conference")
        REFERRAL = "referral", _("Referral")
        DOCUMENT = "document", _("Document")
        TEAM = "team", _("Team and allocation")
        NOTE = "note", _("Note")
        SAFETY = "safety", _("Signs of Safety")
        OUTCOME = "outcome", _("Outcome for a programme")
        CLOSED = "closed", _("Case closed or reopened")

    # The kinds a person writes by hand; the others are written by earlyhelp as things happen.
    MANUAL_KINDS = (Kind.CONTACT, Kind.SESSION, Kind.DOCUMENT, Kind.NOTE)

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="chronology")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    happened_at = models.DateTimeField(_("when it happened"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("what happened"), blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("chronology entry")
        verbose_name_plural = _("chronology entries")
        indexes = [
            models.Index(fields=["case", "-happened_at", "-id"], name="chronology_case_time"),
            models.Index(fields=["case", "kind", "-happened_at"], name="chronology_case_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.happened_at:%Y-%m-%d} · {self.title}"


class LifeDomain(models.TextChoices):
    """The life domains of a case's problem map."""

    HOUSING = "housing", _("Housing")
    FINANCES = "finances", _("Finances and debt")
    HEALTH = "health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SCHOOL = "school", _("School attendance and learning")
    FAMILY = "family", _("Family relationships")
    PARENTING = "parenting", _("Parenting")
    SAFETY = "safety", _("Safety")
    EMPLOYMENT = "employment", _("Employment")
    AUTHORITIES = "authorities", _("Authorities and benefits")


# The domains of an adult's or an adults' household's case: their work, money, home, health,
# relationships and safety and their dealings with authorities; not a child's school or the
# parenting of one.
ADULT_DOMAINS = (
    LifeDomain.EMPLOYMENT,
    LifeDomain.FINANCES,
    LifeDomain.HOUSING,
    LifeDomain.HEALTH,
    LifeDomain.MENTAL_HEALTH,
    LifeDomain.FAMILY,
    LifeDomain.SAFETY,
    LifeDomain.AUTHORITIES,
)


class ChronologyErasure(models.Model):
    """A case whose chronology the retention job may empty (privacy.retention): the one change
    the chronology's triggers allow is emptying the title and text of an entry whose case is
    here. A plain number, not a foreign key, and a table nothing else changes: on SQLite the
    chronology's update trigger names this table, and a migration that rebuilt it would have to
    install that trigger again (cases/0015)."""

    case_id = models.BigIntegerField(_("case"), primary_key=True)
    # The case's, so that the row lives beside its case when tables are distributed by
    # municipality (docs/architecture.md).
    municipality_id = models.BigIntegerField(_("municipality"))
    erased_at = models.DateTimeField(_("erased"))

    class Meta:
        verbose_name = _("erased chronology")
        verbose_name_plural = _("erased chronologies")

    def __str__(self) -> str:
        return f"{self.case_id}"


class ProblemAssessment(models.Model):
    """How severe one life domain is for the family on a day (1 = no problem, 5 = severe), and
    who assessed it. Assessments are kept, never overwritten: the map shows the latest of each
    domain and the change since the one before."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    severity = models.PositiveSmallIntegerField(
        _("severity"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 no problem · 2 small · 3 clear · 4 serious · 5 severe"),
    )
    assessed_on = models.DateField(_("assessed on"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("problem assessment")
        verbose_name_plural = _("problem assessments")
        indexes = [
            models.Index(fields=["case", "domain", "-assessed_on", "-id"], name="assessment_case"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(severity__gte=1, severity__lte=5), name="severity_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()} {self.severity} ({self.assessed_on})"


class Goal(VersionedModel):
    """A goal of one person's plan, in the family's own words: a child's in a case about
    children, an adult client's in a case about adults."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, related_name="+", verbose_name=_("child"),
        null=True, blank=True,
    )  # fmt: skip
    adult = models.ForeignKey(
        "people.Adult", on_delete=models.PROTECT, related_name="+", verbose_name=_("adult"),
        null=True, blank=True,
    )  # fmt: skip
    text = models.CharField(
        _("goal"),
        max_length=500,
        help_text=_("In the family's own words, e.g. “Dani goes to school every day.”"),
    )
    domain = models.CharField(
        _("life domain"), max_length=20, choices=LifeDomain.choices, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(child__isnull=False, adult__isnull=True)
                    | models.Q(child__isnull=True, adult__isnull=False)
                ),
                name="goal_of_one_person",
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class PlanAction(VersionedModel):
    """A step towards a goal: who does it, by when, and whether it is done."""

    class Owner(models.TextChoices):
        PROFESSIONAL = "professional", _("A professional")
        PARENT = "parent", _("A parent")
        CHILD = "child", _("The child")
        NETWORK = "network", _("Someone of the family's network")

    class Status(models.TextChoices):
        PLANNED = "planned", _("To do")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(_("what is to be done"), max_length=500)
    owner_kind = models.CharField(_("who does it"), max_length=20, choices=Owner.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("professional"),
    )
    owner_name = models.CharField(
        _("name"), max_length=200, blank=True, help_text=_("The parent, child or network member.")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    method = models.ForeignKey(
        "knowledge.Method",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actions",
        verbose_name=_("method"),
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["status", "due_on"], name="action_status_due"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def who(self) -> str:
        if self.owner_kind == self.Owner.PROFESSIONAL and self.owner is not None:
            return self.owner.get_full_name() or self.owner.get_username()
        return self.owner_name or str(self.get_owner_kind_display())

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED


class PlanReview(models.Model):
    """A review of the plan; the next one is due after the case kind's cadence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("reviewed on"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("what the review found"))
    next_review_on = models.DateField(_("next review"))

    class Meta:
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        indexes = [models.Index(fields=["case", "-reviewed_on"], name="review_case")]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.reviewed_on}"


class Referral(VersionedModel):
    """A referral of the family or a child to another service, followed to its outcome."""

    class To(models.TextChoices):
        MEDIATION = "mediation", _("Mediation")
        DEBT = "debt", _("Debt counselling")
        MENTAL_HEALTH = "mental_health", _("Mental-health care")
        HEALTH = "health", _("Health services")
        AUTHORITY = "authority", _("The statutory authority")
        OTHER = "other", _("Another service")

    class Status(models.TextChoices):
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        ENDED = "ended", _("Ended")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    to = models.CharField(_("referred to"), max_length=20, choices=To.choices)
    organisation = models.CharField(_("organisation"), max_length=200)
    partner = models.ForeignKey(
        "knowledge.Partner",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("partner organisation"),
    )
    method = models.ForeignKey(
        "knowledge.Method",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("method"),
    )
    reason = models.TextField(_("why"))
    referred_on = models.DateField(_("referred on"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_to_display()} · {self.organisation}"


class CaseConference(VersionedModel):
    """A case discussion of the professionals (HU esetmegbeszélés) or a case conference with the
    family and their network (CZ případová konference, DK netværksmøde): who took part, the
    agenda, the minutes, and decisions that can become steps of the plan."""

    class Kind(models.TextChoices):
        DISCUSSION = "discussion", _("Case discussion of the professionals")
        CONFERENCE = "conference", _("Case conference with the family and network")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conferences")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    held_at = models.DateTimeField(_("held"))
    agenda = models.TextField(_("agenda"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True, verbose_name=_("professionals")
    )
    external_attendees = models.TextField(
        _("others who took part"),
        blank=True,
        help_text=_("One per line, with their role: the mother, the class teacher, the GP."),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    partners = models.ManyToManyField(
        "knowledge.Partner",
        blank=True,
        related_name="conferences",
        verbose_name=_("partner organisations taking part"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("case conference")
        verbose_name_plural = _("case conferences")
        ordering = ["-held_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.held_at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("cases:conference", args=[self.case_id, self.pk])


class ConferenceDecision(models.Model):
    """A decision of a conference; it may have become a step of the plan."""

    conference = models.ForeignKey(
        CaseConference, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.CharField(_("decision"), max_length=500)
    step = models.OneToOneField(
        PlanAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decision",
        verbose_name=_("step of the plan"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text


class CaseDocument(TimeStampedModel):
    """A key document of the case (a court order, an assessment, a signed agreement): a PDF or
    a photo, kept outside the web root and served only through the access policy."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = HashedFileField(_("file"), upload_to="cases/%Y/%m/")
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


class CaseParticipant(TimeStampedModel):
    """An adult of the family who takes part in the case, and their role in it; in a case about
    adults, the adults it is about (`Role.CLIENT`)."""

    class Role(models.TextChoices):
        PARENT = "parent", _("Parent taking part in the plan")
        CARER = "carer", _("Carer or guardian")
        RELATIVE = "relative", _("Relative")
        OTHER = "other", _("Other")
        CLIENT = "client", _("Client: the case is about them")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    adult = models.ForeignKey(
        "people.Adult", on_delete=models.PROTECT, related_name="case_places",
        verbose_name=_("adult"),
    )  # fmt: skip
    role = models.CharField(_("role in the case"), max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["case", "adult"], name="case_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.adult_id} · {self.role}"
