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
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

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
        _("setting"), max_length=20, choices=Setting.choices, default=Setting.ANY
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
    items = models.JSONField(_("items"), default=list, blank=True)
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
    items = models.JSONField(_("items"), default=list, blank=True)
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


# The maintained figures of the outcomes per method (knowledge.outcomes writes them).
from earlyhelp.knowledge.aggregates import *  # noqa: E402, F403
