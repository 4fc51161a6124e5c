"""Forms of the screening pages. The class sheet is not a Django form: a class of 30 children
on a seven-item instrument is 210 radio groups, drawn by one template loop and read here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django import forms
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import RowsField, date_field, period_in_order
from earlyhelp.screening.models import Instrument, Item, Rating
from earlyhelp.screening.services import RowInput, answer_values


def _in_three_weeks() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=21)


class GroupChoiceField(RowsField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=150, help_text=_("For example: autumn term 2026.")
    )
    groups = GroupChoiceField(
        label=_("Classes"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Classes of one institution."),
    )
    instrument = forms.ModelChoiceField(label=_("Instrument"), queryset=None, empty_label=None)
    opens_on = date_field(
        label=_("Opens on"),
        initial=timezone.localdate,
    )
    closes_on = date_field(
        label=_("Closes on"),
        initial=_in_three_weeks,
        help_text=_("The last day for ratings. The round closes by itself after this day."),
    )

    def __init__(self, *args, groups, instruments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups
        self.fields["instrument"].queryset = instruments

    def clean(self):
        data = super().clean()
        period_in_order(self, "opens_on", "closes_on", _("The round closes before it opens."))
        return data


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class FlagForm(forms.Form):
    """How one flag ends. The records offered for linking are read once for the whole page
    and passed as choices (pk, label); the view turns the chosen pk back into the record and
    the service checks it."""

    outcome = forms.ChoiceField(
        label=_("What follows"), choices=Rating.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason or note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when nothing follows: why not."),
    )
    activity = forms.TypedChoiceField(
        label=_("Linked activity"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("For a wellbeing conversation or a group."),
    )
    safety_meeting = forms.TypedChoiceField(
        label=_("Linked Signs of Safety meeting"), coerce=int, required=False, empty_value=None
    )
    concern = forms.TypedChoiceField(
        label=_("Linked concern"), coerce=int, required=False, empty_value=None
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, activities=(), meetings=(), concerns=(), **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", _("None"))]
        self.fields["activity"].choices = none + list(activities)
        self.fields["safety_meeting"].choices = none + list(meetings)
        self.fields["concern"].choices = none + list(concerns)


# --- The class sheet ---------------------------------------------------------------------------

TRAFFIC_LIGHT = {
    0: (_("Green"), _("no worry"), "ok"),
    1: (_("Amber"), _("some worry"), "warn"),
    2: (_("Red"), _("serious worry"), "danger"),
}
SCALE = {
    5: ("5", _("thriving"), "ok"),
    4: ("4", "", "ok"),
    3: ("3", "", "warn"),
    2: ("2", "", "danger"),
    1: ("1", _("serious worry"), "danger"),
}


@dataclass
class Cell:
    item: Item
    label: str  # the item's question, worded once per sheet
    name: str  # the radio group's name: "r<child>-<item code>"
    value: int | None  # the answer chosen, if any
    fragments: list[tuple[int, str]]  # each answer's value and its label's HTML, shared

    @property
    def radios(self) -> str:
        """The item's radio buttons, each labelled by its word (and for screen readers its
        meaning). Written here rather than by a template loop: a class sheet holds hundreds
        of them, and this keeps the page fast. The labels were escaped once per sheet."""
        name = escape(self.name)
        return mark_safe(  # noqa: S308 - every part is escaped or our own markup
            "".join(
                f'<label class="choice" for="{name}-{v}"><input type="radio" id="{name}-{v}" '
                f'name="{name}" value="{v}"{" checked" if v == self.value else ""}> {html}'
                "</label>"
                for v, html in self.fragments
            )
        )


@dataclass
class SheetRow:
    child: object
    rating: Rating | None
    version: int
    comment: str
    all_fine: bool
    cells: list[Cell]
    errors: list[str] = field(default_factory=list)
    stale: Rating | None = None  # what someone else saved meanwhile
    stale_answers: list[tuple[Item, str]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return str(self.child.pk)


def answer_options(instrument: Instrument) -> list[tuple[int, str, str, str]]:
    """(value, label, hint, tone) of each answer, from no worry to the most serious."""
    words = TRAFFIC_LIGHT if instrument.scale == Instrument.Scale.TRAFFIC_LIGHT else SCALE
    return [(v, str(words[v][0]), str(words[v][1]), words[v][2]) for v in answer_values(instrument)]


class ClassSheet:
    """The rows of a class sheet, from the stored ratings or from what was typed."""

    def __init__(self, *, instrument: Instrument, items: list[Item], children, ratings, data=None):
        self.instrument = instrument
        self.items = items
        self.data = data
        self.options = answer_options(instrument)
        self.labels = {item.code: str(item) for item in items}
        self.fragments = [
            (
                value,
                format_html('<span class="pill pill--{}">{}</span>', tone, label)
                + (format_html('<span class="visually-hidden"> · {}</span>', hint) if hint else ""),
            )
            for value, label, hint, tone in self.options
        ]
        self.rows = [self._row(child, ratings.get(child.pk)) for child in children]

    def _value(self, raw) -> int | None:
        try:
            return int(raw)
        except (TypeError, ValueError):
            return None

    def _row(self, child, rating: Rating | None) -> SheetRow:
        pk = child.pk
        if self.data is not None:
            answers = {
                item.code: self._value(self.data.get(f"r{pk}-{item.code}")) for item in self.items
            }
            comment = self.data.get(f"c{pk}", "")
            version = self._value(self.data.get(f"v{pk}")) or 0
            all_fine = self.data.get(f"ok{pk}") == "1"
        else:
            answers = dict(rating.answers) if rating else {}
            comment = rating.comment if rating else ""
            version = rating.version if rating else 0
            all_fine = False
        cells = [
            Cell(
                item,
                self.labels[item.code],
                f"r{pk}-{item.code}",
                answers.get(item.code),
                self.fragments,
            )  # fmt: skip
            for item in self.items
        ]
        return SheetRow(child, rating, version, comment, all_fine, cells)

    def inputs(self) -> list[RowInput]:
        return [
            RowInput(
                child_id=row.child.pk,
                answers={cell.item.code: cell.value for cell in row.cells},
                comment=row.comment,
                version=row.version,
                all_fine=row.all_fine,
            )
            for row in self.rows
        ]

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        for row in self.rows:
            row.errors = errors.get(row.key, [])

    def mark_stale(self, current: dict[int, Rating]) -> None:
        """Show what someone else saved meanwhile next to what was typed, and take their
        version: saving again then replaces theirs knowingly."""
        labels = {v: label for v, label, _hint, _tone in self.options}
        for row in self.rows:
            if row.child.pk in current and current[row.child.pk] is not None:
                theirs = current[row.child.pk]
                row.stale = theirs
                row.version = theirs.version
                row.stale_answers = [
                    (item, labels.get(theirs.answers.get(item.code), "—")) for item in self.items
                ]

    @property
    def has_errors(self) -> bool:
        return any(row.errors for row in self.rows)
