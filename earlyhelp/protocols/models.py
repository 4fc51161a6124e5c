"""Jurisdiction profiles: the rules of each country's signalling system as versioned data, and
the numbers a municipality sets where the law leaves them open.

A published profile version is never edited: a change of law or practice is a new version (a
new row), and every concern keeps a foreign key to the exact version it was received under.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import validate_date
from earlyhelp.core.models import TimeStampedModel
from earlyhelp.core.shipped import shipped_text
from earlyhelp.organisations.models import Jurisdiction, Municipality


class ReporterKind(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    CITIZEN = "citizen", _("Private person")


class Unit(models.TextChoices):
    """How a deadline is counted from the time of receipt (docs/protocols.md)."""

    HOURS = "hours", _("hours")
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class Condition(models.TextChoices):
    """Deadlines that apply only to some concerns name the flag that switches them on."""

    IMMEDIATE_DANGER = "immediate_danger", _("only if the child may be in immediate danger")
    REPORTER_REQUESTED_FEEDBACK = (
        "reporter_requested_feedback",
        _("only if the reporter asks for feedback"),
    )
    ORAL_SIGNAL = "oral_signal", _("only if the signal was given orally")


class Feedback(models.TextChoices):
    """What a reporter may be told after reporting, per profile and reporter kind."""

    NONE = "none", _("No further information")
    ACKNOWLEDGEMENT_AND_OUTCOME_TYPE = (
        "acknowledgement_and_outcome_type",
        _(
            "Acknowledgment of receipt; afterwards whether an investigation or measure was "
            "started and, where relevant to their own support of the child, its type"
        ),
    )
    WHETHER_AT_RISK_ON_REQUEST = (
        "whether_at_risk_on_request",
        _("On request: whether the child was found to be at risk"),
    )
    MUNICIPAL = "municipal", _("Feedback as the municipality's practice sets, by its deadline")


class ProfileQuerySet(models.QuerySet):
    def published(self) -> ProfileQuerySet:
        return self.filter(published_at__isnull=False)


class Profile(TimeStampedModel):
    """One version of one jurisdiction's rules. `rules` holds the data described in
    docs/protocols.md and checked by `validate_rules`."""

    class Key(models.TextChoices):
        HU = "HU", _("Hungary")
        CZ = "CZ", _("Czech Republic")
        DK = "DK", _("Denmark")
        GENERIC = "GENERIC", _("Generic (other places)")

    key = models.CharField(_("profile"), max_length=16, choices=Key.choices)
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="profiles",
        verbose_name=_("jurisdiction"),
        help_text=_("Empty for the generic profile."),
    )
    rules = models.JSONField(_("rules"), default=dict)
    published_at = models.DateTimeField(
        _("published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("A published version is never changed; a change is a new version."),
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("jurisdiction profile")
        verbose_name_plural = _("jurisdiction profiles")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="profile_unique_version"),
            models.CheckConstraint(
                condition=~Q(key="GENERIC") | Q(jurisdiction__isnull=True),
                name="profile_generic_has_no_jurisdiction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}@{self.version} · {self.display_name()}"

    def display_name(self) -> str:
        """The name in the reader's language while it is the one shipped in migration 0002
        (copied by every later version); a name an administrator gave a draft is shown as
        given. The laws' names are proper nouns and stay as they are."""
        return shipped_text(self.name, SHIPPED_NAMES.get(self.key))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.jurisdiction_id is not None:
            if self.key == self.Key.GENERIC:
                errors["jurisdiction"] = _("The generic profile belongs to no jurisdiction.")
            elif self.jurisdiction.code != self.key:
                errors["jurisdiction"] = _("Choose the jurisdiction of this profile's country.")
        newer = Profile.objects.published().filter(key=self.key, version__gte=self.version or 0)
        if not self.is_published and newer.exclude(pk=self.pk).exists():
            errors["version"] = _("A published version of this profile is as new or newer.")
        try:
            validate_rules(self.rules)
        except ValidationError as error:
            errors["rules"] = error.messages
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        # Concerns point at this exact row: what they were received under must not move.
        if (
            self.pk is not None
            and Profile.objects.filter(pk=self.pk, published_at__isnull=False).exists()
        ):
            raise ValidationError(
                _("%(profile)s is published and cannot be changed; add a new version instead.")
                % {"profile": f"{self.key}@{self.version}"}
            )
        super().save(*args, **kwargs)


# The names the shipped profiles were given (migration 0002), by key.
SHIPPED_NAMES = {
    Profile.Key.HU: _("Hungary: Gyvt. 17. §"),
    Profile.Key.CZ: _("Czech Republic: zákon 359/1999 Sb."),
    Profile.Key.DK: _("Denmark: Barnets Lov"),
    Profile.Key.GENERIC: _("Generic: municipal settings"),
}


class MunicipalSetting(TimeStampedModel):
    """A number the law leaves to the municipality. Without a row the profile's default
    (earlyhelp's default, not law) applies."""

    class Key(models.TextChoices):
        ACTING_WORKING_DAYS = "acting_working_days", _("Act on a concern within (working days)")
        URGENT_ACTING_HOURS = (
            "urgent_acting_hours",
            _("Act on a concern in immediate danger within (hours)"),
        )
        FEEDBACK_WORKING_DAYS = (
            "feedback_working_days",
            _("Give the reporter feedback within (working days)"),
        )
        WRITTEN_FOLLOW_UP_WORKING_DAYS = (
            "written_follow_up_working_days",
            _("Written signal after an oral urgent signal within (working days)"),
        )
        # How long records are kept (privacy.retention, docs/privacy.md), in months.
        RETENTION_CONCERN_NO_CASE_MONTHS = (
            "retention_concern_no_case_months",
            _("Keep a concern that led to no case for (months after it was closed)"),
        )
        RETENTION_CLOSED_CASE_MONTHS = (
            "retention_closed_case_months",
            _("Keep a closed case for (months after closure or the children's 18th birthday)"),
        )
        RETENTION_ACTIVITY_MONTHS = (
            "retention_activity_months",
            _("Keep an activity's participants for (months after it ended)"),
        )
        RETENTION_CONTACT_MONTHS = (
            "retention_contact_months",
            _("Keep a contact arrangement for (months after it ended)"),
        )
        RETENTION_FOSTER_CARE_MONTHS = (
            "retention_foster_care_months",
            _("Keep a foster-care placement for (months after it ended)"),
        )
        RETENTION_ATTACHMENTS_MONTHS = (
            "retention_attachments_months",
            _("Keep attached files for (months after their record was closed)"),
        )
        RETENTION_CHILD_MONTHS = (
            "retention_child_months",
            _(
                "Keep a child's identity for (months after their 18th birthday, once nothing "
                "else about them is kept)"
            ),
        )
        RETENTION_ADULT_MONTHS = (
            "retention_adult_months",
            _(
                "Keep an adult's identity for (months after the last change to their record, "
                "once nothing else about them is kept)"
            ),
        )

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="protocol_settings",
        verbose_name=_("municipality"),
    )
    key = models.CharField(_("setting"), max_length=60, choices=Key.choices)
    value = models.PositiveIntegerField(
        _("value"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Without this setting the profile's default applies: earlyhelp's default, not law."
        ),
    )

    class Meta:
        ordering = ["municipality", "key"]
        verbose_name = _("municipal protocol setting")
        verbose_name_plural = _("municipal protocol settings")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key"], name="municipal_setting_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_key_display()}: {self.value}"

    def clean(self) -> None:
        if not self.municipality_id or not self.key:
            return
        from earlyhelp.protocols.selectors import profile_for

        profile = profile_for(self.municipality)
        if self.key not in profile.rules.get("settings", {}):
            raise ValidationError(
                {
                    "key": _("The %(profile)s profile of this municipality does not use it.")
                    % {"profile": profile.display_name()}
                }
            )


class ClosingDay(TimeStampedModel):
    """A day the municipality's services are closed besides the country's public holidays:
    working-day deadlines skip it."""

    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="closing_days",
        verbose_name=_("municipality"),
    )
    date = models.DateField(_("date"), validators=[validate_date])
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["municipality", "date"]
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "date"], name="closing_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} · {self.reason}"


# --- The shape of a profile's rules ------------------------------------------------------------

RULE_KEYS = {"source", "authority", "emergency_number", "reporter_kinds", "reporters", "deadlines"}


def validate_rules(rules: Any) -> None:
    """Refuse rules the deadline computation could not follow (docs/protocols.md)."""
    problems: list[str] = []
    if not isinstance(rules, dict):
        raise ValidationError(_("The rules must be a JSON object."))
    missing = sorted(RULE_KEYS - set(rules))
    if missing:
        problems.append(_("Missing: %(keys)s.") % {"keys": ", ".join(missing)})
    kinds = rules.get("reporter_kinds", [])
    if not isinstance(kinds, list) or not set(kinds) <= set(ReporterKind.values) or not kinds:
        problems.append(
            _("reporter_kinds must list some of: %(kinds)s.")
            % {"kinds": ", ".join(ReporterKind.values)}
        )
        kinds = []
    reporters = rules.get("reporters", {})
    for kind in kinds:
        entry = reporters.get(kind) if isinstance(reporters, dict) else None
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("anonymous_allowed"), bool)
            or entry.get("feedback") not in Feedback.values
        ):
            problems.append(
                _("reporters.%(kind)s needs anonymous_allowed (true/false) and a known feedback.")
                % {"kind": kind}
            )
    settings = rules.get("settings", {})
    if not isinstance(settings, dict) or any(
        key not in MunicipalSetting.Key.values or not _positive(value)
        for key, value in settings.items()
    ):
        problems.append(_("settings must map known municipal settings to whole numbers ≥ 1."))
        settings = {}
    codes: set[str] = set()
    deadlines = rules.get("deadlines", [])
    for rule in deadlines if isinstance(deadlines, list) else [None]:
        problem = _deadline_problem(rule, kinds, settings, codes)
        if problem:
            problems.append(problem)
    if "retention" in rules and not _retention_ok(rules["retention"], settings):
        problems.append(
            _(
                "retention must map each kind of record to the event its period counts from "
                "and either months with their source or a municipal setting the profile has."
            )
        )
    if "assisted_contact" in rules and not _assisted_contact_ok(rules["assisted_contact"]):
        problems.append(
            _(
                "assisted_contact may set max_minutes_by_age (pairs of an age, or null for any "
                "older, and minutes, ages rising), school_day (two times, HH:MM) and "
                "school_from_age (years)."
            )
        )
    if problems:
        raise ValidationError(problems)


RETENTION_EVENTS = {"closed", "ended", "adult", "closed_or_adult", "last_change"}


def _retention_ok(retention: Any, settings: dict) -> bool:
    """The shape of the profile's retention periods (privacy/retention.py): {kind: {"from":
    event, "months": n, "source": law} or {"from": event, "setting": municipal setting}}."""
    if not isinstance(retention, dict):
        return False
    for entry in retention.values():
        if not isinstance(entry, dict) or entry.get("from") not in RETENTION_EVENTS:
            return False
        if "setting" in entry:
            if entry["setting"] not in settings or set(entry) - {"from", "setting", "source"}:
                return False
        elif not (_positive(entry.get("months")) and isinstance(entry.get("source"), str)):
            return False
    return True


def _assisted_contact_ok(rule: Any) -> bool:
    """The shape of the profile's assisted-contact limits (contacts/rules.py)."""
    from datetime import time

    if not isinstance(rule, dict) or set(rule) - {"max_minutes_by_age", "school_day",
                                                   "school_from_age"}:  # fmt: skip
        return False
    limits = rule.get("max_minutes_by_age", [[None, 180]])
    ages = []
    for pair in limits if isinstance(limits, list) and limits else [None]:
        if not isinstance(pair, list) or len(pair) != 2 or not _positive(pair[1]):
            return False
        if pair[0] is not None and not _positive(pair[0]):
            return False
        ages.append(pair[0])
    if None in ages[:-1] or ages[:-1] != sorted(ages[:-1]):
        return False
    day = rule.get("school_day", ["08:00", "15:00"])
    try:
        start, end = (time.fromisoformat(value) for value in day)
    except (TypeError, ValueError):
        return False
    return start < end and _positive(rule.get("school_from_age", 6))


def _deadline_problem(rule: Any, kinds: list[str], settings: dict, codes: set[str]) -> str:
    if not isinstance(rule, dict) or not rule.get("code") or not rule.get("label"):
        return _("Every deadline needs a code and a label.")
    code = rule["code"]
    if code in codes:
        return _("The deadline %(code)s appears twice.") % {"code": code}
    codes.add(code)
    if rule.get("unit") not in Unit.values:
        return _("The deadline %(code)s needs a unit: hours, working_days or calendar_days.") % {
            "code": code
        }
    has_amount, has_setting = "amount" in rule, "setting" in rule
    if has_amount == has_setting:
        return _("The deadline %(code)s needs either an amount or a setting.") % {"code": code}
    if has_amount and not _positive(rule["amount"]):
        return _("The amount of %(code)s must be a whole number ≥ 1.") % {"code": code}
    if has_setting and rule["setting"] not in settings:
        return _("The setting of %(code)s needs a default under settings.") % {"code": code}
    if not set(rule.get("when", [])) <= set(Condition.values):
        return _("The deadline %(code)s has an unknown condition.") % {"code": code}
    if not set(rule.get("reporter_kinds", kinds)) <= set(kinds):
        return _("The deadline %(code)s names an unknown reporter kind.") % {"code": code}
    return ""


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1
