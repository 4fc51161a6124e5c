"""Running a service from a form, the same way on every page: every refusal (a validation
error, a stale version) lands on the form or in a message, in the user's language, and the
page keeps what was typed."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

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


# Dates far outside any school year are typing mistakes (and overflow date arithmetic).
SANE_YEARS = (2000, 2100)


def sane_date(value):
    if value and not SANE_YEARS[0] <= value.year <= SANE_YEARS[1]:
        raise forms.ValidationError(_("Check the year of this date."))


def date_field(**kwargs) -> forms.DateField:
    """A date typed in the browser's date picker, refused if its year is implausible."""
    return forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[sane_date],
        **kwargs,
    )


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
