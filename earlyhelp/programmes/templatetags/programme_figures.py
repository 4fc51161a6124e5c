"""Template filters of the programme pages."""

from django import template

register = template.Library()


@register.filter
def count_cell(count, suppress) -> str:
    """A count as the programme page shows it: 1–4 as "<5" where small cells are suppressed
    (the funder's report's rule, `reports.is_small`)."""
    from earlyhelp.programmes import reports
    from earlyhelp.programmes.words import number

    if suppress and reports.is_small(count):
        return reports.SUPPRESSED
    return number(count)
