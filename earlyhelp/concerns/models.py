"""Concerns: a worry about one or more children, from the first report to triage and feedback.

The reporter describes; the system never asks them to label or diagnose. Each child in a
concern has their own role in it, so several children in one report never blur. A concern keeps
the jurisdiction profile version it was received under, and its deadlines are computed from
that profile at receipt and stored, never typed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.files import HashedFileField
from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Institution, Municipality
from earlyhelp.protocols.deadlines import basis_display


class Category(models.TextChoices):
    NEGLECT = "neglect", _("Neglect")
    PHYSICAL_HARM = "physical_harm", _("Physical harm")
    EMOTIONAL_HARM = "emotional_harm", _("Emotional harm")
    SEXUAL_HARM = "sexual_harm", _("Sexual harm")
    DOMESTIC_VIOLENCE = "domestic_violence", _("Domestic violence")
    ABSENCE = "absence", _("Absence from school or kindergarten")
    BEHAVIOUR = "behaviour", _("Behaviour")
    BULLYING = "bullying", _("Bullying")
    WELLBEING = "wellbeing", _("Wellbeing or mental health")
    FAMILY_CONFLICT = "family_conflict", _("Family conflict or divorce")
    POVERTY_HOUSING = "poverty_housing", _("Poverty or housing")
    HEALTH = "health", _("Health")
    SUBSTANCES = "substances", _("Alcohol or drugs")
    ONLINE_HARM = "online_harm", _("Online harm")
    OTHER = "other", _("Something else")


# Short guidance shown beside each category: what to describe, never what to conclude.
CATEGORY_GUIDANCE = {
    Category.NEGLECT: _("Hunger, hygiene, clothing for the weather, missed medical care."),
    Category.PHYSICAL_HARM: _("Marks or injuries you saw, and what the child said about them."),
    Category.EMOTIONAL_HARM: _("How the child is spoken to or about, fear of going home."),
    Category.SEXUAL_HARM: _(
        "Write down only what you saw or heard, in the child's words. Do not question the child."
    ),
    Category.DOMESTIC_VIOLENCE: _("What the child told or showed about violence at home."),
    Category.ABSENCE: _("Dates and hours missed, and what you were told about them."),
    Category.BEHAVIOUR: _("What changed in the child's behaviour, and since when."),
    Category.BULLYING: _("Who, where and how often, as far as you know."),
    Category.WELLBEING: _("Sadness, withdrawal, worries the child shared."),
    Category.FAMILY_CONFLICT: _("What the child experiences of the conflict or separation."),
    Category.POVERTY_HOUSING: _("What the child lacks; where the family lives, if it matters."),
    Category.HEALTH: _("What you noticed about the child's health."),
    Category.SUBSTANCES: _("Use by the child or by adults around the child."),
    Category.ONLINE_HARM: _("What happened online, on which service, and with whom."),
    Category.OTHER: _("Describe what worries you."),
}


class Concern(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        TRIAGED = "triaged", _("Triaged")
        CLOSED = "closed", _("Closed")

    class ReporterKind(models.TextChoices):
        PROFESSIONAL = "professional", _("Professional")
        CITIZEN = "citizen", _("Private person")

    class Channel(models.TextChoices):
        WRITTEN = "written", _("In writing")
        ORAL = "oral", _("Orally (by phone or in person)")

    class ParentsKnow(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        UNSURE = "unsure", _("I do not know")

    class Decision(models.TextChoices):
        NO_FURTHER_ACTION = "no_further_action", _("No further action")
        ADVICE = "advice", _("Advice to the reporter")
        WELLBEING_CONVERSATION = "wellbeing_conversation", _("Wellbeing conversation")
        SIGNS_OF_SAFETY = "signs_of_safety", _("Signs of Safety meeting")
        CASE = "case", _("Open or join a case")
        REFER = "refer", _("Refer to the statutory authority")
        ESCALATE = "escalate", _("Immediate-danger escalation")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="concerns",
        verbose_name=_("institution"),
    )
    # Empty only for a private person's report, which a triager records (`received_by`).
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns_reported",
        verbose_name=_("reporter"),
    )
    reporter_kind = models.CharField(
        _("kind of reporter"),
        max_length=20,
        choices=ReporterKind.choices,
        default=ReporterKind.PROFESSIONAL,
    )
    channel = models.CharField(
        _("received"), max_length=10, choices=Channel.choices, default=Channel.WRITTEN
    )
    # A report that reached a triager outside earlyhelp (a phone call, a letter, a visit) and
    # that they recorded.
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # A private person's name and how to reach them; both empty when they stay anonymous.
    reporter_name = models.CharField(_("reporter's name"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("how to reach the reporter"), max_length=200, blank=True)
    reporter_confidential = models.BooleanField(
        _("the reporter's identity is confidential"), default=False
    )
    # HU: the written signal that follows an oral urgent one.
    follows_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="written_follow_ups",
        verbose_name=_("written signal of the oral signal"),
    )
    # What made earlyhelp draft this concern for the reporter, e.g. "absence:<child>:<year>".
    trigger = models.CharField(max_length=100, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    profile = models.ForeignKey(
        "protocols.Profile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("protocol"),
    )
    received_at = models.DateTimeField(_("received"), null=True, blank=True)
    # The earliest deadline not yet met, kept by `refresh_next_due` whenever deadlines are
    # stored or met, so that queues sort and filter without aggregating every deadline.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, editable=False)
    immediate_danger = models.BooleanField(_("the child may be in danger right now"), default=False)
    # One length limit per text, for the form and the API alike (the API reads it from here).
    what_happened = models.TextField(_("what you saw or heard"), max_length=20000, blank=True)
    child_words = models.TextField(
        _("the child's own words"),
        max_length=20000,
        blank=True,
        help_text=_("Write exactly what the child said, even if it sounds odd. Do not translate."),
    )
    categories = models.JSONField(_("what it is about"), default=list, blank=True)
    already_done = models.TextField(_("what has already been done"), max_length=20000, blank=True)
    parents_know = models.CharField(
        _("do the parents know about this concern?"),
        max_length=10,
        choices=ParentsKnow.choices,
        blank=True,
    )
    parents_not_told_why = models.TextField(_("why not?"), max_length=5000, blank=True)
    feedback_requested = models.BooleanField(_("I ask to be told what came of it"), default=True)
    decision = models.CharField(_("decision"), max_length=30, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # Identifies the report form a draft was started from, so that a "Send" racing with the
    # first autosave finds the draft instead of creating a second concern.
    form_token = models.CharField(max_length=32, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # Set when the retention job erased what identifies anyone in it (privacy.retention).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "status"], name="concern_institution_status"),
            models.Index(fields=["reporter", "status"], name="concern_reporter_status"),
            models.Index(fields=["reporter", "-created_at"], name="concern_reporter_newest"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "form_token"],
                condition=~models.Q(form_token=""),
                name="concern_one_draft_per_form",
            ),
            models.CheckConstraint(
                condition=Q(reporter__isnull=False) | Q(reporter_kind="citizen"),
                name="concern_reporter_named_unless_private_person",
            ),
            models.UniqueConstraint(
                fields=["trigger"], condition=~Q(trigger=""), name="concern_one_per_trigger"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("concerns:detail", args=[self.pk])

    def category_labels(self) -> list[str]:
        return [Category(code).label for code in self.categories if code in Category.values]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_from_citizen(self) -> bool:
        return self.reporter_kind == self.ReporterKind.CITIZEN

    @property
    def decided_wellbeing_conversation(self) -> bool:
        return self.decision == self.Decision.WELLBEING_CONVERSATION


def refresh_next_due(concern_ids) -> None:
    """Recompute `Concern.next_due_at` of these concerns from their open deadlines. It is
    derived data: it does not change a concern's version."""
    open_deadlines = ConcernDeadline.objects.filter(
        concern_id=models.OuterRef("pk"), met_at__isnull=True
    ).order_by("due_at")
    Concern.objects.filter(pk__in=concern_ids).update(
        next_due_at=models.Subquery(open_deadlines.values("due_at")[:1])
    )


class ConcernChild(models.Model):
    """One child in a concern and their own role in it. A child who is not in the roster is
    described, and matched to a record later."""

    class Role(models.TextChoices):
        HARMED = "harmed", _("The child the worry is about")
        SIBLING = "sibling", _("A brother or sister")
        WITNESS = "witness", _("A child who saw or heard it")
        OTHER = "other", _("Another child involved")

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="children", verbose_name=_("concern")
    )
    child = models.ForeignKey(
        "people.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="concern_links",
        verbose_name=_("child"),
    )
    described_as = models.CharField(
        _("name and class, if the child is not in the list"), max_length=200, blank=True
    )
    role = models.CharField(_("role in the concern"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("child in a concern")
        verbose_name_plural = _("children in concerns")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False) | ~models.Q(described_as=""),
                name="concernchild_known_or_described",
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id or self.described_as} · {self.get_role_display()}"


class ConcernDeadline(models.Model):
    """A deadline computed from the profile at receipt; `met_at` is set when it is kept."""

    # HU: the written signal due after an oral urgent one (protocols, HU version 2).
    WRITTEN_FOLLOW_UP = "written_follow_up"

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("concern")
    )
    code = models.CharField(_("deadline"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"))
    met_at = models.DateTimeField(_("met"), null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("concern deadline")
        verbose_name_plural = _("concern deadlines")
        indexes = [models.Index(fields=["met_at", "due_at"], name="concern_deadline_open")]

    def __str__(self) -> str:
        return f"{self.code} · {self.due_at:%Y-%m-%d %H:%M}"

    def basis_display(self) -> str:
        """The rule in the reader's language ("2 munkanap (…)"): `basis` is stored in English."""
        return basis_display(self.basis)


class ConcernMessage(TimeStampedModel):
    """The conversation between reporter and triager ("please tell me more"). It never holds
    case content: the reporter reads every message."""

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="messages", verbose_name=_("concern")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("author")
    )
    body = models.TextField(_("message"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self) -> str:
        return f"{self.concern_id} · {self.author_id} · {self.created_at:%Y-%m-%d %H:%M}"


class ConcernFeedback(models.Model):
    """What the reporter was told, exactly as their jurisdiction allows, and when. Stored as a
    code so that each reader sees it in their own language."""

    class Kind(models.TextChoices):
        ACKNOWLEDGED = "acknowledged", _("Your report was received and is being assessed.")
        MEASURE_STARTED = "measure_started", _("An investigation or a measure was started.")
        NO_MEASURE = "no_measure", _("No investigation or measure was started.")
        AT_RISK = "at_risk", _("The child was found to be at risk.")
        NOT_AT_RISK = "not_at_risk", _("The child was not found to be at risk.")
        ASSESSED = "assessed", _("Your report was assessed, and the service is following it up.")

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("concern")
    )
    kind = models.CharField(_("feedback"), max_length=30, choices=Kind.choices)
    measure = models.CharField(
        _("type of measure"), max_length=30, choices=Concern.Decision.choices, blank=True
    )
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("feedback to the reporter")
        verbose_name_plural = _("feedback to reporters")
        constraints = [
            models.UniqueConstraint(fields=["concern", "kind"], name="feedback_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.concern_id} · {self.kind}"


class ConcernAttachment(TimeStampedModel):
    """A photo or PDF the reporter adds. Kept outside the web root and served only through the
    access policy; the type is checked from the file's content, not its name."""

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("concern")
    )
    file = HashedFileField(_("file"), upload_to="concerns/%Y/%m/")
    file_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    original_name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name


class InstitutionFigures(models.Model):
    """The figures page's numbers per institution, rebuilt from the concerns by
    `figures.rebuild_figures` (`manage.py rebuild_figures`, scheduled every few minutes), so
    that the page reads a row per institution instead of counting every concern. Derived data:
    a rebuild replaces it all, and the page says when it was computed."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    submitted = models.PositiveIntegerField(default=0)
    acknowledged = models.PositiveIntegerField(default=0)
    triaged = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    overdue = models.PositiveIntegerField(default=0)
    # Concerns with both a time of receipt and a decision, and their median hours between.
    decided = models.PositiveIntegerField(default=0)
    triage_median_hours = models.FloatField(null=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("figures of an institution")
        verbose_name_plural = _("figures of institutions")
        indexes = [models.Index(fields=["municipality"], name="figures_municipality")]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.computed_at:%Y-%m-%d %H:%M}"


class MonthFigures(models.Model):
    """Concerns received and decided per institution and calendar month, rebuilt with
    `InstitutionFigures` by `figures.rebuild_figures`, so that the figures page draws the trend
    of the last twelve months from a dozen rows per institution. Derived data, like
    `InstitutionFigures`."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the month's first day
    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("figures of an institution's month")
        verbose_name_plural = _("figures of institutions' months")
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "month"], name="month_figures_one_per_month"
            )
        ]
        indexes = [
            models.Index(fields=["municipality", "month"], name="month_figures_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} · {self.month:%Y-%m}"
