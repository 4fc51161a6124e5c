"""An indicator's definition said in words, as its set-up form shows it while it is chosen:
what is counted and how, which of it, in which target group, over which period. Each piece is
translated whole with named placeholders, so a language orders the words its own way."""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from earlyhelp.programmes.models import Indicator


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def _what(indicator: Indicator) -> str:
    unit = str(Indicator.Unit(indicator.unit).label) if indicator.unit else _("records")
    aggregation = indicator.aggregation
    if aggregation == Indicator.Aggregation.SUM:
        return _("the sum of %(unit)s") % {"unit": unit}
    if aggregation == Indicator.Aggregation.MEDIAN:
        return _("the median of %(unit)s") % {"unit": unit}
    if aggregation == Indicator.Aggregation.SHARE:
        return _("the share (%%) of the people reached who are %(unit)s") % {"unit": unit}
    return unit


def definition_in_words(indicator: Indicator, activity_types=None) -> str:
    """The indicator's definition as one sentence, e.g. "distinct foster carers with a support
    agreement in force, in target group “From the action area”, from 1 Jan 2020 to 31 Dec
    2021". `activity_types` are the types chosen in the form (the many-to-many of a row not yet
    saved cannot be read); None reads them from the saved indicator."""
    parts = [_what(indicator)]
    if indicator.role and indicator.role != Indicator.Role.ANY:
        parts.append(str(Indicator.Role(indicator.role).label))
    if activity_types is None:
        activity_types = list(indicator.activity_types.all()) if indicator.pk else []
    names = sorted(str(kind) for kind in activity_types)
    if names:
        parts.append(_("in activities of type %(types)s") % {"types": ", ".join(names)})
    if indicator.outcome_id:
        parts.append(_("of the outcome “%(outcome)s”") % {"outcome": indicator.outcome})
    if indicator.target_group_id:
        parts.append(_("in target group “%(group)s”") % {"group": indicator.target_group})
    starts = indicator.period_starts or (
        indicator.programme.starts_on if indicator.programme_id else None
    )
    ends = indicator.period_ends or (
        indicator.programme.ends_on if indicator.programme_id else None
    )
    if starts and ends:
        parts.append(_("from %(start)s to %(end)s") % {"start": _day(starts), "end": _day(ends)})
    sentence = ", ".join(parts)
    if indicator.target_value is not None:
        values = {
            "target": f"{indicator.target_value.normalize():f}",
            "date": _day(indicator.target_date),
        }
        if indicator.lower_is_better:
            target = _("at most %(target)s by %(date)s") % values
        else:
            target = _("target %(target)s by %(date)s") % values
        if not indicator.target_date:
            target = _("target %(target)s") % values
        sentence = f"{sentence}; {target}"
    return sentence
