"""Running a service from a form, the same way on every page: every refusal (a validation
error, a stale version) lands on the form or in a message, in the user's language, and the
page keeps what was typed."""

from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from earlyhelp.core.dates import (
    REPEATED,
    check_period,
    local_moment,
    local_time_kind,
    validate_adult_birth_date,
    validate_birth_date_plausible,
    validate_child_birth_date,
    validate_date,
    validate_past_in_a_life,
)
from earlyhelp.core.versioning import StaleVersionError


def saved(form, save: Callable[[dict], object]) -> bool:
    """Validate the form and run `save` with its data; every refusal lands on the form, so the
    page is shown again with what was typed and the reason in the user's language."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except StaleVersionError as error:
        form.add_error(None, error.args[0])
    except ValidationError as error:
        form.add_error(None, error.messages)
    else:
        return True
    return False


def acted(request, form, act: Callable[[dict], object], done: str) -> None:
    """The same for the small POST-only actions, reported as messages on the record's page."""
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return
    try:
        act(form.cleaned_data)
    except StaleVersionError as error:
        messages.error(request, error.args[0])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def this_minute():
    """A date-time field's starting value: now, to the minute (a callable `initial`)."""
    return timezone.localtime().replace(second=0, microsecond=0)


def first_choices(queryset, limit: int):
    """The first `limit` rows of `queryset` as a form field's choices. A sliced queryset
    cannot be filtered, so a field would refuse every choice; this one is filtered by the ids
    and keeps the order."""
    ids = list(queryset.values_list("pk", flat=True)[:limit])
    return queryset.model._default_manager.filter(pk__in=ids).order_by(*queryset.query.order_by)


# --- Dates (the bounds and why: earlyhelp.core.dates, docs/data-model.md "Dates") ----------

# The years the week and month pages accept in their address (a hand-edited ?week=9999-12-31
# must not overflow the arithmetic that finds the next week).
SANE_YEARS = (2000, 2100)


def date_picker() -> forms.DateInput:
    """The browser's date picker, which sends and shows ISO dates whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(**kwargs) -> forms.DateField:
    """An ordinary date (an event, a meeting, an enrolment, a consent, a plan) typed in the
    browser's date picker: from 1 January of EARLYHELP_EARLIEST_YEAR to EARLYHELP_YEARS_AHEAD
    years after today."""
    return forms.DateField(widget=date_picker(), validators=[validate_date], **kwargs)


def past_date_field(**kwargs) -> forms.DateField:
    """A date in the past of an adult's life (a foster carer since …): it may lie before
    EARLYHELP_EARLIEST_YEAR, never in the future."""
    return forms.DateField(widget=date_picker(), validators=[validate_past_in_a_life], **kwargs)


class BirthDateField(forms.DateField):
    """A date of birth: never in the future, and an age within EARLYHELP_CHILD_AGE_YEARS (or
    EARLYHELP_ADULT_AGE_YEARS for an adult), with a message that says the range. The age
    range applies only to a date entered or changed: a form editing a record sets `stored` to
    its date of birth, so the record of someone who has since grown older than the range can
    still be edited (names, needs) while that date stays as it is."""

    def __init__(self, *, adult: bool = False, **kwargs):
        self.check_age = validate_adult_birth_date if adult else validate_child_birth_date
        self.stored = None
        kwargs.setdefault("widget", date_picker())
        super().__init__(validators=[validate_birth_date_plausible], **kwargs)

    def validate(self, value):
        super().validate(value)
        if value != self.stored:
            self.check_age(value)


def birth_date_field(*, adult: bool = False, **kwargs) -> BirthDateField:
    return BirthDateField(adult=adult, **kwargs)


def period_in_order(form, start: str, end: str, message: str | None = None) -> None:
    """In a form's clean(): a period ends on or after it starts; the error lands on the end."""
    try:
        check_period(
            form.cleaned_data.get(start), form.cleaned_data.get(end), end_field=end, message=message
        )
    except ValidationError as error:
        form.add_error(None, error)


def time_exists_on(form, days, time_name: str) -> None:
    """In the clean() of a form with a day (or a series of days) and a separate time of day:
    a time skipped by the clocks going forward on one of the days is refused on the time
    field. A time repeated when they go back is taken as the first (summer time), as
    timezone.make_aware reads it."""
    start = form.cleaned_data.get(time_name)
    if start is None:
        return
    for day in days:
        try:
            local_moment(datetime.combine(day, start), fold=0)
        except ValidationError as error:
            form.add_error(time_name, error)
            return


REPEATED_CHOICES = [
    ("", _("Which of the two?")),
    ("0", _("The first time (summer time)")),
    ("1", _("The second time (winter time)")),
]


def _parts(value) -> tuple[object, str]:
    if isinstance(value, list | tuple):
        value = [*value, "", ""]
        return value[0], value[1] or ""
    return value, ""


class MomentWidget(forms.MultiWidget):
    """A date and time typed in the browser's picker. When the time typed happens twice
    (the night the clocks go back), a choice of the two appears next to it; otherwise that
    choice is a hidden, empty input. The time keeps the field's own name, so a form posts
    `<name>` and, when needed, `<name>_fold`."""

    use_fieldset = False

    def __init__(self, attrs=None):
        super().__init__(
            {
                "": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                "fold": forms.Select(choices=REPEATED_CHOICES),
            },
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            local = timezone.localtime(value)
            naive = local.replace(tzinfo=None, fold=0)
            repeated = local_time_kind(naive) == REPEATED
            return [naive, str(local.fold) if repeated else ""]
        return [value, ""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        moment, fold = _parts(value if isinstance(value, list | tuple) else self.decompress(value))
        subwidgets = context["widget"]["subwidgets"]
        id_ = context["widget"]["attrs"].get("id")
        if id_:
            subwidgets[0]["attrs"]["id"] = id_
            subwidgets[1]["attrs"]["id"] = f"{id_}_fold"
        if not _is_repeated(moment):
            subwidgets[1] = forms.HiddenInput().get_context(
                f"{name}_fold", "", {"id": f"{id_}_fold"} if id_ else {}
            )["widget"]
        else:
            subwidgets[1]["attrs"]["aria-label"] = _("Which of the two times")
        return context

    def id_for_label(self, id_):
        return id_


def _is_repeated(value) -> bool:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return False
    if not isinstance(value, datetime) or timezone.is_aware(value):
        return False
    try:
        validate_date(value.date())
    except ValidationError:
        return False
    return local_time_kind(value) == REPEATED


class MomentField(forms.DateTimeField):
    """A date and time in local time, for every form with one. A time that does not exist
    (skipped when the clocks go forward) is refused; one that happens twice asks which is
    meant; a date outside the ordinary bounds is refused before any arithmetic on it."""

    widget = MomentWidget

    def prepare_value(self, value):
        # Keep the aware value: the widget reads its fold to show the right one of two times.
        return value

    def to_python(self, value):
        value, fold_text = _parts(value)
        fold = int(fold_text) if fold_text in ("0", "1") else None
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            moment = value
        else:
            try:
                moment = parse_datetime(str(value).strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if moment is None:
                moment = forms.fields.BaseTemporalField.to_python(self, value)
        validate_date(moment.date())
        if timezone.is_aware(moment):
            return moment
        return local_moment(moment, fold)


def moment_field(**kwargs) -> MomentField:
    """A date and time: see MomentField."""
    return MomentField(**kwargs)


class RowsField(forms.ModelMultipleChoiceField):
    """A choice of several rows. Django's own field looks the chosen ids up with `pk__in`, which
    the database driver refuses with an error (a 500) for an id beyond its integer column; such
    an id names no row, so it is refused like any other id that was not offered."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        column = self.queryset.model._meta.get_field(key) if key != "pk" else None
        column = column or self.queryset.model._meta.pk
        if isinstance(column, models.IntegerField):
            low, high = connection.ops.integer_field_range(column.get_internal_type())
            for item in value:
                try:
                    number = int(item)
                except (TypeError, ValueError):
                    continue  # Django's own check refuses it as not a number
                if (low is not None and number < low) or (high is not None and number > high):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)
