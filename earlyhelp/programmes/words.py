"""An indicator's definition said in words, the one sentence the set-up form, the programme
page and the funder's report all show: what is counted and how, which of it, in which target
group, over which period, and against which target. Each piece is translated whole with named
placeholders, so a language orders the words its own way."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from earlyhelp.programmes.models import Indicator

Unit = Indicator.Unit
Role = Indicator.Role

ROLE_WORDS = {
    Role.ANY: lambda: _("reached in any way"),
    Role.PARTICIPANT: lambda: _("taking part in an activity"),
    Role.CASE_CLIENT: lambda: _("in a case open"),
    Role.CONTACT_PARENT: lambda: _("meeting their child in assisted contact"),
    Role.CONTACT_CHILD: lambda: _("meeting a parent in assisted contact"),
    Role.FOSTER_CARER: lambda: _("with a support agreement in force"),
    Role.FOSTER_CHILD: lambda: _("placed with a supported foster household"),
    Role.IMPLEMENTATION_SUPPORT: lambda: _("supported in introducing a method"),
}

UNIT_WORDS = {
    Unit.CHILDREN: lambda: _("distinct children"),
    Unit.ADULTS: lambda: _("distinct adults"),
    Unit.CARERS: lambda: _("distinct foster carers"),
    Unit.STAFF: lambda: _("distinct members of staff"),
    Unit.HOUSEHOLDS: lambda: _("distinct foster households with a support agreement in force"),
    Unit.CASES: lambda: _("cases open"),
    Unit.ACTIVITIES: lambda: _("activities with at least one meeting held"),
    Unit.MEETINGS: lambda: _("meetings held"),
    Unit.ATTENDANCES: lambda: _("attendances at meetings held"),
    Unit.HOURS: lambda: _("hours spent at meetings held"),
    Unit.EVENTS: lambda: _("events held"),
    Unit.OUTCOMES: lambda: _("outcomes reached"),
    Unit.RESOLUTION_DAYS: lambda: _("median days from referral to resolution"),
}


def number(value) -> str:
    """A figure in words: whole numbers without decimals, the rest localised."""
    if value is None:
        return "–"
    value = Decimal(value)
    if value == value.to_integral_value():
        return formats.number_format(int(value), use_l10n=True, force_grouping=True)
    return formats.number_format(value, 1, use_l10n=True, force_grouping=True)


def _day(value) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def describe(indicator: Indicator, value=None, *, activity_types=None) -> str:
    """The indicator's definition in words, translated, e.g. "distinct foster carers with a
    support agreement in force during the period: 17 of 20" (with `value`). `activity_types`
    are the types chosen in a form (the many-to-many of a row not yet saved cannot be read);
    None reads them from the indicator."""
    if indicator.unit not in UNIT_WORDS:
        return ""
    what = UNIT_WORDS[indicator.unit]()
    if indicator.unit in (Unit.CHILDREN, Unit.ADULTS):
        what = _("%(people)s %(how)s") % {"people": what, "how": ROLE_WORDS[indicator.role]()}
    elif indicator.unit == Unit.CARERS:
        what = _("%(people)s %(how)s") % {"people": what, "how": ROLE_WORDS[Role.FOSTER_CARER]()}
    elif indicator.unit == Unit.STAFF:
        how = Role.IMPLEMENTATION_SUPPORT if indicator.role == Role.IMPLEMENTATION_SUPPORT else None
        what = _("%(people)s %(how)s") % {
            "people": what,
            "how": ROLE_WORDS[how or Role.PARTICIPANT](),
        }
    if indicator.outcome_id:
        what = _("%(what)s: %(outcome)s") % {"what": what, "outcome": indicator.outcome}
    if activity_types is None:
        cache = getattr(indicator, "_prefetched_objects_cache", {})
        if "activity_types" in cache:
            activity_types = cache["activity_types"]
        else:
            activity_types = indicator.activity_types.all() if indicator.pk else []
    names = ", ".join(sorted(str(t) for t in activity_types))
    if names:
        what = _("%(what)s (activities of the types: %(types)s)") % {"what": what, "types": names}
    if indicator.with_partners:
        what = _("%(what)s with partner organisations taking part") % {"what": what}
    if indicator.target_group_id:
        group = indicator.target_group.name
        if indicator.aggregation == Indicator.Aggregation.SHARE:
            what = _("share of the %(what)s who belong to the target group “%(group)s”, in %%") % {
                "what": what,
                "group": group,
            }
        else:
            what = _("%(what)s who belong to the target group “%(group)s”") % {
                "what": what,
                "group": group,
            }
    if indicator.programme_id and (indicator.period_starts or indicator.period_ends):
        what = _("%(what)s from %(starts)s to %(ends)s") % {
            "what": what,
            "starts": _day(indicator.starts()),
            "ends": _day(indicator.ends()),
        }
    else:
        what = _("%(what)s during the period") % {"what": what}
    if value is None:
        return what
    if indicator.lower_is_better:
        return _("%(definition)s: %(value)s, at most %(target)s") % {
            "definition": what,
            "value": number(value),
            "target": number(indicator.target_value),
        }
    return _("%(definition)s: %(value)s of %(target)s") % {
        "definition": what,
        "value": number(value),
        "target": number(indicator.target_value),
    }


def definition_in_words(indicator: Indicator, activity_types=None) -> str:
    """The definition with its target, as the set-up form shows it while it is chosen, e.g.
    "distinct foster carers with a support agreement in force during the period; target 20 by
    31/12/2021"."""
    sentence = describe(indicator, activity_types=activity_types)
    if not sentence or indicator.target_value is None:
        return sentence
    values = {"target": number(indicator.target_value)}
    if indicator.target_date:
        values["date"] = _day(indicator.target_date)
        if indicator.lower_is_better:
            target = _("at most %(target)s by %(date)s") % values
        else:
            target = _("target %(target)s by %(date)s") % values
    else:
        target = _("target %(target)s") % values
    return f"{sentence}; {target}"
