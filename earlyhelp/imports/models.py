"""Roster imports: a school system's export of institutions, classes, children, their
parents and enrolments, checked in a dry run and then applied (docs/import.md).

An import keeps its file only until it is applied or discarded; its rows keep the values read
from the file, what the check found (the outcome and every problem) and, for a row that could
be one of several children already recorded, the administrator's decision."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.files import HashedFileField
from earlyhelp.core.models import TimeStampedModel
from earlyhelp.organisations.models import Institution, Municipality


class ColumnMapping(TimeStampedModel):
    """Which column of a municipality's export holds which value (`imports.fields.FIELDS`),
    saved under a name, started from a preset (`imports.presets`) or from nothing."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="column_mappings",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    preset = models.CharField(_("started from"), max_length=20, blank=True)
    columns = models.JSONField(_("columns"), default=dict)

    class Meta:
        ordering = ["name"]
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="mapping_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class RosterImport(TimeStampedModel):
    class Kind(models.TextChoices):
        CHILDREN = "children", _("Children, parents and classes")
        STAFF = "staff", _("Staff and their roles")

    class State(models.TextChoices):
        CHECKING = "checking", _("being checked")
        CHECKED = "checked", _("checked: ready to apply")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("failed")
        DISCARDED = "discarded", _("discarded")

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="roster_imports",
        verbose_name=_("municipality"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    file = HashedFileField(_("file"), upload_to="imports/%Y/%m/", blank=True)
    file_sha256 = models.CharField(_("checksum"), max_length=64, blank=True, editable=False)
    file_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(
        _("what the file lists"), max_length=10, choices=Kind.choices, default=Kind.CHILDREN
    )
    columns = models.JSONField(_("columns"), default=dict)
    mapping_name = models.CharField(_("column mapping"), max_length=100)
    starts_on = models.DateField(_("enrolments start on"))
    full_roster = models.BooleanField(_("full roster of its institutions"), default=False)
    create_groups = models.BooleanField(_("create missing classes"), default=False)
    create_institutions = models.BooleanField(_("create missing institutions"), default=False)
    institution_kind = models.CharField(
        _("kind of a new institution"),
        max_length=20,
        choices=Institution.Kind.choices,
        default=Institution.Kind.SCHOOL,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.CHECKING
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    # What the check found, and later what was applied: counts by kind (docs/import.md).
    summary = models.JSONField(_("summary"), default=dict, encoder=DjangoJSONEncoder)
    applied_summary = models.JSONField(
        _("applied"), default=dict, encoder=DjangoJSONEncoder, blank=True
    )
    # The enrolments a full roster would end (its institutions' children missing from it).
    missing = models.JSONField(_("missing from the roster"), default=list, blank=True)
    end_missing = models.BooleanField(_("end the missing enrolments"), default=False)
    failure = models.TextField(_("why it failed"), blank=True)
    # The uploader's language: the check writes each row's problems in it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    applied_at = models.DateTimeField(_("applied on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:detail", args=[self.pk])

    @property
    def working(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.APPLYING)

    @property
    def percent(self) -> int:
        if self.state in (self.State.CHECKED, self.State.APPLIED):
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class RosterRow(models.Model):
    class Outcome(models.TextChoices):
        CREATE = "create", _("new child")
        CHANGE = "change", _("changes")
        UNCHANGED = "unchanged", _("unchanged")
        UNSURE = "unsure", _("needs your decision")
        BAD = "bad", _("cannot be imported")
        SKIPPED = "skipped", _("left out")

    roster_import = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(_("line"))
    values = models.JSONField(_("values"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    # What would change, as field names and the file's values (never a record's stored ones).
    changes = models.JSONField(_("changes"), default=list, blank=True, encoder=DjangoJSONEncoder)
    child_id = models.BigIntegerField(_("child"), null=True, blank=True)
    candidates = models.JSONField(_("possible children"), default=list, blank=True)
    # A staff row: the account it matched or created (a child row: child_id).
    user_id = models.BigIntegerField(_("account"), null=True, blank=True)
    # For an unsure row: "new", "skip" or a candidate's id, as the administrator decided.
    decision = models.CharField(_("decision"), max_length=20, blank=True)

    class Meta:
        ordering = ["roster_import", "line"]
        verbose_name = _("roster row")
        verbose_name_plural = _("roster rows")
        constraints = [
            models.UniqueConstraint(fields=["roster_import", "line"], name="roster_row_line")
        ]
        indexes = [
            models.Index(fields=["roster_import", "outcome", "line"], name="roster_row_outcome")
        ]

    def __str__(self) -> str:
        return f"{self.roster_import_id}:{self.line} {self.outcome}"
