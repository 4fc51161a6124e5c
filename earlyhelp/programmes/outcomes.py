"""Outcomes for programmes recorded in a case: the form, the reading for the case page and the
changes. An outcome belongs to its case (programmes/access.py): it is read and changed where
the case is. Every change writes its chronology entry and one audit row in the same
transaction; a removal names the version it was based on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from earlyhelp.access.policy import Action, can, visible_of
from earlyhelp.audit.services import audit_record
from earlyhelp.cases.models import Case, ChronologyEntry
from earlyhelp.cases.outcomes import referred_on, resolution_days
from earlyhelp.cases.services import chronicle
from earlyhelp.core.forms import date_field
from earlyhelp.core.versioning import StaleVersionError
from earlyhelp.programmes.models import Outcome, OutcomeCategory, Programme


class OutcomeForm(forms.Form):
    category = forms.ModelChoiceField(label=gettext_lazy("Outcome reached"), queryset=None)
    achieved_on = date_field(initial=timezone.localdate, label=gettext_lazy("Reached on"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args, categories, named=None, **kwargs):
        """`named`: the ids of the programmes the reader may name (view or link); an outcome
        of another programme is offered without its programme's name."""
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        named = set(named or ())
        self.fields["category"].label_from_instance = lambda c: (
            f"{c.programme.name}: {c}"
            if c.programme_id in named
            else f"{_('another programme')}: {c}"
        )


class OutcomeRemoveForm(forms.Form):
    why = forms.CharField(
        label=gettext_lazy("Why it is removed"),
        max_length=500,
        help_text=gettext_lazy("E.g. recorded in the wrong case or for the wrong programme."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


def open_categories(case: Case):
    """The outcome categories of the programmes the case counts for, not yet reached in it."""
    return (
        OutcomeCategory.objects.filter(programme__cases=case)
        .exclude(outcomes__case=case)
        .select_related("programme")
        .order_by("programme__name", "position", "code")
    )


@dataclass
class CategoryRow:
    category: OutcomeCategory
    outcome: Outcome | None
    days: int | None


@dataclass
class ProgrammeOutcomes:
    programme: Programme
    rows: list[CategoryRow]


def case_outcomes(*, user, case: Case, named=None) -> list[ProgrammeOutcomes]:
    """For each programme the case counts for that the reader may name (view or link), its
    outcome categories with the outcome reached in the case (read through the policy) and the
    days from referral to it. The others are only counted, on the page (`programmes_shown`,
    whose list of named programmes a page that already holds it passes as `named`)."""
    from earlyhelp.programmes.services import programmes_shown

    if named is None:
        named, _more = programmes_shown(user, case)
    programmes = list(
        case.programmes.filter(pk__in=[p.pk for p in named])
        .order_by("name")
        .prefetch_related("outcome_categories")
    )
    if not programmes:
        return []
    recorded = {
        o.category_id: o
        for o in visible_of(user, case, Outcome.objects.filter(case=case)).select_related(
            "recorded_by"
        )
    }
    referred = referred_on(case) if recorded else None
    blocks = []
    for programme in programmes:
        rows = []
        for category in programme.outcome_categories.all():
            outcome = recorded.get(category.pk)
            days = (
                resolution_days(case, outcome.achieved_on, referred)
                if outcome is not None
                else None
            )
            rows.append(CategoryRow(category=category, outcome=outcome, days=days))
        blocks.append(ProgrammeOutcomes(programme=programme, rows=rows))
    return blocks


def _label(category: OutcomeCategory) -> str:
    return f"{category.programme.name}: {category}"


def _moment(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


@transaction.atomic
def outcome_record(
    *, user, case: Case, category: OutcomeCategory, achieved_on, note: str = "",
    role: str = "", request_id: str = "",
) -> Outcome:  # fmt: skip
    """An outcome of one of the case's programmes reached on a day: never in the future, never
    before the matter was referred, once per category and case."""
    if not can(user, Action.CHANGE, case):
        raise PermissionDenied
    if not case.programmes.filter(pk=category.programme_id).exists():
        raise ValidationError(_("The case does not count for this outcome's programme."))
    if achieved_on > timezone.localdate():
        raise ValidationError(_("An outcome is recorded once it is reached: not in the future."))
    referred = referred_on(case)
    if achieved_on < referred:
        raise ValidationError(
            _("The outcome cannot be reached before the matter was referred (%(day)s).")
            % {"day": referred.isoformat()}
        )
    if Outcome.objects.filter(case=case, category=category).exists():
        raise ValidationError(_("This outcome is already recorded in the case."))
    outcome = Outcome.objects.create(
        category=category, case=case, municipality_id=case.municipality_id,
        achieved_on=achieved_on, note=note.strip(), recorded_by=user,
    )  # fmt: skip
    days = resolution_days(case, achieved_on, referred)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.OUTCOME,
        _("Outcome reached: %(outcome)s") % {"outcome": _label(category)},
        "\n".join(
            part
            for part in (
                _("Days from referral to resolution: %(days)s") % {"days": days},
                outcome.note,
            )
            if part
        ),
        at=_moment(achieved_on),
    )
    audit_record(
        actor=user, action="change", obj=case, role=role, request_id=request_id,
        changes={"programme_outcome": [None, outcome.pk], "category": [None, category.code]},
    )  # fmt: skip
    return outcome


@transaction.atomic
def outcome_remove(
    *, user, case: Case, outcome: Outcome, version: int, why: str, role: str = "",
    request_id: str = "",
) -> None:  # fmt: skip
    """Remove an outcome recorded by mistake, naming the version it was based on; the
    chronology keeps both the recording and the removal with its reason."""
    if outcome.case_id != case.pk:
        raise ValidationError(_("The outcome belongs to another case."))
    if not visible_of(user, case, Outcome.objects.filter(pk=outcome.pk), Action.CHANGE).exists():
        raise PermissionDenied
    if not why.strip():
        raise ValidationError(_("Say why the outcome is removed."))
    label = _label(outcome.category)
    deleted, _rows = Outcome.objects.filter(pk=outcome.pk, version=version).delete()
    if not deleted:
        raise StaleVersionError(StaleVersionError.message)
    chronicle(
        case,
        user,
        ChronologyEntry.Kind.OUTCOME,
        _("Outcome removed as a mistake: %(outcome)s") % {"outcome": label},
        why.strip(),
    )
    audit_record(
        actor=user, action="change", obj=case, role=role, request_id=request_id,
        changes={
            "programme_outcome": [outcome.pk, None],
            "category": [outcome.category.code, None],
            "achieved_on": [outcome.achieved_on.isoformat(), None],
        },
    )  # fmt: skip
