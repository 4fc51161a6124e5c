"""Signs of Safety in a case: the three-column mapping, danger statements and safety goals in
plain words (each change a new version, the earlier ones kept), and scaling answers of several
people over time.

Nothing here is overwritten: a mapping item is added or withdrawn, a statement is rewritten as
a new version, an answer is one more point on a person's line.
"""

from functools import cached_property

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from earlyhelp.cases.models import Case
from earlyhelp.core.files import HashedFileField
from earlyhelp.core.models import VersionedModel


class Tool(models.TextChoices):
    """The shipped Signs of Safety tools, in the order of the page. A service keeps the tools
    it uses as a catalogue entry (`knowledge.items`); these are its shipped default."""

    MAPPING = "mapping", _("Mapping: worries, what's working, what needs to happen")
    STATEMENTS = "statements", _("Danger statements and safety goals")
    SCALING = "scaling", _("Scaling questions, 0 to 10")
    THREE_HOUSES = "three_houses", _("The child's voice: Three Houses")
    NETWORK = "network", _("Safety network")
    SAFETY_PLAN = "safety_plan", _("Safety plan and its rules")


class MappingItem(models.Model):
    """One line of the three-column map."""

    class Column(models.TextChoices):
        WORRIED = "worried", _("What are we worried about?")
        WORKING = "working", _("What's working well?")
        NEEDS = "needs", _("What needs to happen?")

    class Category(models.TextChoices):
        HARM = "harm", _("Past harm")
        DANGER = "danger", _("Future danger")
        COMPLICATING = "complicating", _("Complicating factors")
        STRENGTH = "strength", _("Strengths")
        SAFETY = "safety", _("Existing safety")
        NEXT_STEP = "next_step", _("Next steps")

    # Which categories belong to which column.
    COLUMN_OF = {
        Category.HARM: Column.WORRIED,
        Category.DANGER: Column.WORRIED,
        Category.COMPLICATING: Column.WORRIED,
        Category.STRENGTH: Column.WORKING,
        Category.SAFETY: Column.WORKING,
        Category.NEXT_STEP: Column.NEEDS,
    }

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mapping_items")
    category = models.CharField(_("kind"), max_length=20, choices=Category.choices)
    text = models.TextField(_("in plain words"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("mapping item")
        verbose_name_plural = _("mapping items")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def column(self) -> str:
        return self.COLUMN_OF[self.category]


class Statement(models.Model):
    """A danger statement or a safety goal, in words the family understands. Rewriting it adds
    a version; the latest is current, the earlier ones stay for the record."""

    class Kind(models.TextChoices):
        DANGER = "danger", _("Danger statement")
        GOAL = "goal", _("Safety goal")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("in plain words"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind", "number"], name="statement_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.number}"


class ScalingAnswer(models.Model):
    """One person's answer to the scaling question on a day: 0 (the child is not safe, the
    danger is so great that the child must be protected now) to 10 (everyone is confident the
    child is safe enough for the case to close)."""

    class Respondent(models.TextChoices):
        PARENT = "parent", _("Parent")
        CHILD = "child", _("Child")
        TEACHER = "teacher", _("Teacher")
        WORKER = "worker", _("Worker")
        NETWORK = "network", _("Network member")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="scaling_answers")
    respondent = models.CharField(_("who answered"), max_length=10, choices=Respondent.choices)
    respondent_name = models.CharField(_("name"), max_length=100)
    score = models.PositiveSmallIntegerField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    answered_on = models.DateField(_("answered on"))
    note = models.CharField(_("what they said"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("scaling answer")
        verbose_name_plural = _("scaling answers")
        ordering = ["answered_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=10), name="score_0_to_10")
        ]

    def __str__(self) -> str:
        return f"{self.respondent_name} {self.score} ({self.answered_on})"


class ThreeHouses(models.Model):
    """The child's voice: the house of worries, of good things and of dreams, in the child's
    own words, with the drawing if the child made one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="three_houses")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="+", verbose_name=_("child")
    )
    held_on = models.DateField(_("talked on"))
    worries = models.TextField(_("house of worries"), blank=True)
    good_things = models.TextField(_("house of good things"), blank=True)
    dreams = models.TextField(_("house of dreams"), blank=True)
    drawing = HashedFileField(_("drawing"), upload_to="safety/%Y/%m/", blank=True)
    drawing_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    drawing_type = models.CharField(max_length=50, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Three Houses")
        verbose_name_plural = _("Three Houses")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.child_id} · {self.held_on}"


class NetworkMember(models.Model):
    """Someone of the family's safety network: who they are to the child, how to reach them,
    and what they have agreed to do."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="network")
    name = models.CharField(_("name"), max_length=100)
    relation = models.CharField(_("who they are to the child"), max_length=100)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    agreed = models.TextField(_("what they have agreed to"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("safety network member")
        verbose_name_plural = _("safety network")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.relation})"


class SafetyRule(models.Model):
    """A rule of the safety plan, who holds it, and when it is reviewed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="safety_rules")
    text = models.CharField(_("rule"), max_length=500)
    holder = models.ForeignKey(
        NetworkMember,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("who holds it"),
    )
    review_on = models.DateField(_("review on"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("safety rule")
        verbose_name_plural = _("safety plan")
        ordering = ["review_on", "pk"]

    def __str__(self) -> str:
        return self.text


class SafetyMeeting(VersionedModel):
    """A Signs of Safety meeting a social helper facilitates for an institution's staff about
    a worry that is not (yet) a case (seed 004): the three questions, how worried the staff are
    on a 0–10 scale, and the next steps; linkable to a concern and to a case opened later."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "organisations.Institution",
        on_delete=models.PROTECT,
        related_name="safety_meetings",
        verbose_name=_("institution"),
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    topic = models.CharField(
        _("the worry"),
        max_length=300,
        help_text=_("What the staff brought, without a child's name: “a pupil of 3.b who…”."),
    )
    participants = models.TextField(_("who took part"), help_text=_("Roles, one per line."))
    worried = models.TextField(_("What are we worried about?"), blank=True)
    working = models.TextField(_("What's working well?"), blank=True)
    needs = models.TextField(_("What needs to happen?"), blank=True)
    scale = models.PositiveSmallIntegerField(
        _("how safe the child is, 0–10"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    next_steps = models.TextField(_("next steps, who and by when"), blank=True)
    concern = models.ForeignKey(
        "concerns.Concern",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safety_meetings",
        verbose_name=_("concern"),
    )
    case = models.ForeignKey(
        Case,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="safety_meetings",
        verbose_name=_("case"),
    )
    # The version of the Signs of Safety tools the meeting followed, kept from its recording
    # (empty: the shipped default).
    tools_version = models.ForeignKey(
        "knowledge.MethodVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Signs of Safety meeting")
        verbose_name_plural = _("Signs of Safety meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} · {self.topic[:40]}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("safety:meeting", args=[self.pk])

    @cached_property
    def tools(self):
        """The tools of the version the meeting followed (`knowledge.items`)."""
        from earlyhelp.knowledge.items import Kind, items_of

        return items_of(self.tools_version, Kind.SAFETY_TOOLS)
