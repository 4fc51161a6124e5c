"""The filter form above a list of records (concerns, cases, activities, contact
arrangements): a child's name, an institution, a status, a period and the order, read from the
query string. A value the form refuses is reported on the form and ignored; the list is shown
with the filters that were right, never an error page."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.forms import date_field, period_in_order
from earlyhelp.core.text import fold_text

# Longer than any name; a longer query is refused rather than searched.
MAX_NAME_QUERY = 100


class ListFilterForm(forms.Form):
    """Built with the choices the list offers: `institutions` (a queryset the policy gave; the
    field is left out when there is at most one; its value is the institution's id),
    `statuses` and `sorts` (choices; left out when empty or single), `child` (a name search)
    and `overdue` (a checkbox).
    `filters` gives the valid values only."""

    child = forms.CharField(
        label=_("Child's name"), required=False, max_length=MAX_NAME_QUERY, strip=True
    )
    # The institutions' ids and names read once (a model choice field would query them again
    # each time the select is drawn); the value is an institution's id.
    institution = forms.TypedChoiceField(
        label=_("Institution"), coerce=int, empty_value=None, required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    since = date_field(label=_("From"), required=False)
    until = date_field(label=_("To"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    sort = forms.ChoiceField(label=_("Order"), required=False)

    def __init__(
        self,
        data=None,
        *,
        institutions=None,
        statuses=(),
        status_label=None,
        sorts=(),
        period_label=None,
        child=True,
        overdue=False,
    ):
        super().__init__(data or None)
        self.bound = bool(data)
        offered = list(institutions.values_list("pk", "name")) if institutions is not None else []
        if len(offered) < 2:
            del self.fields["institution"]
        else:
            self.fields["institution"].choices = [("", _("All")), *offered]
        if statuses:
            self.fields["status"].choices = [("", _("All")), *statuses]
        else:
            del self.fields["status"]
        if len(sorts) > 1:
            self.fields["sort"].choices = list(sorts)
            self.default_sort = sorts[0][0]
        else:
            del self.fields["sort"]
            self.default_sort = sorts[0][0] if sorts else ""
        if status_label:
            self.fields["status"].label = status_label
        if period_label:
            self.fields["since"].help_text = period_label
        if not child:
            del self.fields["child"]
        if not overdue:
            del self.fields["overdue"]

    def clean_child(self) -> str:
        value = self.cleaned_data.get("child", "")
        if value and not fold_text(value).strip():
            raise forms.ValidationError(_("Type letters of the child's name."))
        return value

    def clean(self):
        cleaned = super().clean()
        period_in_order(self, "since", "until", _("The period ends before it starts."))
        return cleaned

    @property
    def filters(self) -> dict:
        """The values that passed, with the defaults for the rest (an unbound form has
        none). The period is given as `received_from` / `received_before`: aware moments
        from the start of the first day to the start of the day after the last."""
        if not self.bound:
            values = {}
        else:
            self.is_valid()
            values = {
                name: value
                for name, value in self.cleaned_data.items()
                if name not in self.errors and value not in (None, "", False)
            }
        if self.errors.get("__all__"):
            values.pop("since", None)
            values.pop("until", None)
        values.setdefault("sort", self.default_sort)
        if "since" in values:
            values["received_from"] = day_start(values["since"])
        if "until" in values:
            values["received_before"] = day_start(values["until"] + timedelta(days=1))
        return values

    @property
    def active(self) -> bool:
        """Whether a filter narrows the list (the form then stays open on a phone)."""
        return any(
            name in self.fields and self.data.get(name)
            for name in ("child", "institution", "status", "since", "until", "overdue")
        )


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def meeting_between(rows: QuerySet, meetings: QuerySet, filters: dict, *, at: str = "starts_at"):
    """The rows with a meeting within the filter's period: `meetings` is the rows' meetings as
    a correlated queryset (`Session.objects.filter(activity_id=OuterRef("pk"))`), `at` their
    time. Without a period, the rows as they are."""
    if not (filters.get("received_from") or filters.get("received_before")):
        return rows
    if filters.get("received_from"):
        meetings = meetings.filter(**{f"{at}__gte": filters["received_from"]})
    if filters.get("received_before"):
        meetings = meetings.filter(**{f"{at}__lt": filters["received_before"]})
    return rows.filter(Exists(meetings))
