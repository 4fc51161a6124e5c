"""Template filters of the programme pages."""

from django import template

register = template.Library()


@register.filter
def count_cell(count, suppress) -> str:
    """A count as the programme page shows it: 1–4 as "<5" where small cells are suppressed."""
    from earlyhelp.programmes.views.page import cell

    return cell(count, bool(suppress))
