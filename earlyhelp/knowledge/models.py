"""What the service knows: its catalogue of interventions and methods, the scale on which it
rates their evidence, and the partner organisations it works with.

A `Method` is an entry of a municipality's catalogue. Most are interventions (a group, a
programme of conversations, a parenting course); some are the municipality's own ways of
working that the software follows, such as the stages of assisted contact or the steps of the
foster-care method (`Method.Kind`). Every change of an entry is kept as a `MethodVersion`, a
snapshot of what the entry said, and records that follow a method point to the version they
used, so that renewing a method never rewrites what was done under the old one.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from earlyhelp.core.models import TimeStampedModel, VersionedModel
from earlyhelp.organisations.models import Municipality, Service

# The shipped scale of evidence, weakest first: after the Early Intervention Foundation's
# evidence standards (levels 1 to 4), with a step below for what rests on practice alone. A
# municipality replaces it with its own (for example the Danish Social Board's).
EVIDENCE_SCALE = {
    "practice": (
        _("Practice experience"),
        _("Used and described by practitioners; no stated theory of change and no evaluation."),
    ),
    "theory": (
        _("Theory of change"),
        _("A stated logic model: who it is for, what it does and why it should help (EIF 1)."),
    ),
    "preliminary": (
        _("Preliminary evidence"),
        _("Participants improve in a study without a comparison group (EIF 2)."),
    ),
    "efficacy": (
        _("Efficacy"),
        _("One rigorous study with a comparison group shows a benefit (EIF 3)."),
    ),
    "effectiveness": (
        _("Effectiveness"),
        _("Several rigorous studies in ordinary services show a benefit (EIF 4)."),
    ),
}


class EvidenceLevel(TimeStampedModel):
    """A step of a municipality's scale of evidence. The shipped steps are named in each
    language by their code; a municipality adds or renames its own."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="evidence_levels",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(
        _("name"),
        max_length=120,
        blank=True,
        help_text=_("Leave empty for a step of the shipped scale: it is named in each language."),
    )
    description = models.TextField(_("what it takes"), blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher is stronger evidence.")
    )

    class Meta:
        verbose_name = _("evidence level")
        verbose_name_plural = _("evidence levels")
        ordering = ["municipality", "rank", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"], name="evidence_level_unique_code"
            )
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        shipped = EVIDENCE_SCALE.get(self.code)
        return str(shipped[0]) if shipped else self.code

    @property
    def meaning(self) -> str:
        if self.description:
            return self.description
        shipped = EVIDENCE_SCALE.get(self.code)
        return str(shipped[1]) if shipped else ""


class Method(VersionedModel):
    """An entry of the catalogue of interventions and methods."""

    class Kind(models.TextChoices):
        INTERVENTION = "intervention", _("Intervention or method of help")
        CONTACT_STAGES = "contact_stages", _("Stages of assisted contact")
        CONTACT_COMPETENCES = "contact_competences", _("Parental competences in assisted contact")
        FOSTERCARE_STEPS = "fostercare_steps", _("Steps of the foster-care method")
        SAFETY_TOOLS = "safety_tools", _("Signs of Safety tools in use")

    class Stage(models.TextChoices):
        """Development stage, after the phases of the Danish playbook for developing social
        interventions (SUSI, Socialstyrelsen)."""

        IDEA = "idea", _("Idea")
        PROTOTYPE = "prototype", _("Prototype")
        TESTED = "tested", _("Tested")
        DOCUMENTED = "documented", _("Documented")

    class Setting(models.TextChoices):
        ANY = "any", _("Any setting")
        KINDERGARTEN = "kindergarten", _("Kindergarten and day care")
        SCHOOL = "school", _("School")
        FAMILY = "family", _("With the family, at home")
        COMMUNITY = "community", _("In the community")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="methods",
        verbose_name=_("municipality"),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="methods",
        verbose_name=_("service that keeps it"),
        help_text=_("Empty: the whole municipality's."),
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=Kind.choices, default=Kind.INTERVENTION
    )
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("what it is"), blank=True)
    target_group = models.CharField(_("for whom"), max_length=300, blank=True)
    age_from = models.PositiveSmallIntegerField(
        _("from age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_to = models.PositiveSmallIntegerField(
        _("to age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    setting = models.CharField(
        pgettext_lazy("where help is given", "setting"),
        max_length=20,
        choices=Setting.choices,
        default=Setting.ANY,
    )
    mechanism = models.TextField(
        _("how it is meant to help"),
        blank=True,
        help_text=_("The mechanism or theory of change: what it does and why that should help."),
    )
    evidence_level = models.ForeignKey(
        EvidenceLevel,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="methods",
        verbose_name=_("evidence"),
    )
    stage = models.CharField(
        _("development stage"), max_length=12, choices=Stage.choices, default=Stage.IDEA
    )
    sources = models.TextField(
        _("sources and links"), blank=True, help_text=_("One per line: a publication or a link.")
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="methods_responsible",
        verbose_name=_("people responsible"),
    )
    # The ordered items of a method the software follows (stages, competences, steps, tools):
    # a list of {"code": ..., "label": ...}. Empty for an intervention.
    items = models.JSONField(pgettext_lazy("of a method", "items"), default=list, blank=True)
    # A shipped entry's code (its items are then named in each language); empty for the
    # municipality's own.
    code = models.SlugField(max_length=40, blank=True, editable=False)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["municipality", "kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_from__isnull=True)
                | Q(age_to__isnull=True)
                | Q(age_from__lte=models.F("age_to")),
                name="method_ages_in_order",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "kind", "active"], name="method_kind")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:method", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.age_from is not None and self.age_to is not None and self.age_from > self.age_to:
            raise ValidationError({"age_to": _("The upper age is below the lower age.")})
        if (
            self.evidence_level_id is not None
            and self.municipality_id is not None
            and self.evidence_level.municipality_id != self.municipality_id
        ):
            raise ValidationError({"evidence_level": _("Choose a level of this municipality.")})


class MethodVersion(models.Model):
    """What a catalogue entry said at one version: written at every change, never edited.
    Records that follow a method keep the version they used."""

    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    items = models.JSONField(pgettext_lazy("of a method", "items"), default=list, blank=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("method version")
        verbose_name_plural = _("method versions")
        ordering = ["method", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["method", "number"], name="method_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.method} · {self.number}"


class Partner(VersionedModel):
    """An organisation the service works with: an authority, a health service, an NGO, the
    court. Referrals, conferences and round tables point to it."""

    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Statutory authority")
        HEALTH = "health", _("Health service")
        EDUCATION = "education", _("School or educational counselling")
        NGO = "ngo", _("Non-governmental organisation")
        COURT = "court", _("Court")
        POLICE = "police", _("Police")
        OTHER = "other", _("Other")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="partners",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    what_they_do = models.TextField(_("what they do"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    active = models.BooleanField(_("we work with them"), default=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="partner_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("knowledge:partner", args=[self.pk])


# --- Screening of promising interventions (seed 003) -----------------------------------------
#
# A review asks one question ("which interventions bring social-work competence into day care
# and school?"), sets the criteria an answer must meet, examines candidate interventions (an
# entry of the catalogue, or one described by name, description and source) and rates each
# against each criterion, with the sources and the experiences behind the rating. It ends in a
# recommendation and, after the SUSI playbook, a prototype: a new catalogue entry at stage
# "prototype" that the municipality goes on to test and document.

# The scale of a rating: how far a candidate meets a criterion.
RATING_SCALE = (
    (0, _("0 · does not meet it")),
    (1, _("1 · meets it in part")),
    (2, _("2 · largely meets it")),
    (3, _("3 · fully meets it")),
)
TOP_SCORE = 3
MAX_WEIGHT = 5


class Review(VersionedModel):
    """A screening of promising interventions: its question, criteria, candidates and ratings,
    the recommendation it ends in and the prototype made from it (at most one)."""

    class Phase(models.TextChoices):
        OPEN = "open", _("Setting up")
        RATING = "rating", _("Rating")
        RECOMMENDED = "recommended", _("Recommended")
        PROTOTYPE = "prototype", _("Prototype made")
        CLOSED = "closed", _("Closed")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("municipality"),
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"))
    target_group = models.CharField(_("for whom"), max_length=300, blank=True)
    background = models.TextField(_("why this review"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="reviews_led",
        verbose_name=_("lead"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="reviews_joined",
        verbose_name=_("review group"),
    )
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.OPEN)
    recommendation = models.TextField(_("recommendation"), blank=True)
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recommended by"),
    )
    prototype = models.OneToOneField(
        Method,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="review",
        verbose_name=_("prototype"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("review of interventions")
        verbose_name_plural = _("reviews of interventions")
        ordering = ["municipality", "-created_at"]
        indexes = [models.Index(fields=["municipality", "phase"], name="review_phase")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:review", args=[self.pk])

    @property
    def is_published(self) -> bool:
        """Recommended: from then on everyone of the municipality reads it."""
        return self.recommended_at is not None


class Criterion(TimeStampedModel):
    """What the review asks of a candidate (target group fit, evidence, feasibility in day
    care, ...), with its weight in the total."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=150)
    description = models.TextField(_("what it asks"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WEIGHT)],
        help_text=_("1 to 5: how much the criterion counts in the total."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["review", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="criterion_unique_name"),
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=MAX_WEIGHT), name="criterion_weight_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(TimeStampedModel):
    """An intervention the review examines: an entry of the catalogue, or one described here
    by name, description and source (a publication, another municipality, a link)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="candidates")
    method = models.ForeignKey(
        Method,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidacies",
        verbose_name=_("entry of the catalogue"),
    )
    name = models.CharField(_("intervention"), max_length=150)
    description = models.TextField(_("what it is"), blank=True)
    source = models.TextField(_("where it comes from"), blank=True)
    chosen = models.BooleanField(_("recommended"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("candidate intervention")
        verbose_name_plural = _("candidate interventions")
        ordering = ["review", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "name"], name="candidate_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Rating(VersionedModel):
    """One member's rating of one candidate against one criterion, with the sources and the
    experiences it rests on."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="ratings")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rated by"),
    )
    score = models.PositiveSmallIntegerField(
        pgettext_lazy("rating", "score"),
        choices=RATING_SCALE,
        validators=[MaxValueValidator(TOP_SCORE)],
    )
    sources = models.TextField(_("sources"), blank=True)
    experiences = models.TextField(_("experiences"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["review", "candidate", "criterion", "rated_by"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "criterion", "rated_by"], name="rating_one_per_rater"
            ),
            models.CheckConstraint(condition=Q(score__lte=TOP_SCORE), name="rating_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.criterion}: {self.score}"


# The maintained figures of the outcomes per method (knowledge.outcomes writes them).
from earlyhelp.knowledge.aggregates import *  # noqa: E402, F403
