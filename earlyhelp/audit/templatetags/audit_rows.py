"""`{{ event|described }}`: an audit row in words (audit.presentation.describe)."""

from django import template

from earlyhelp.audit.presentation import Described, describe

register = template.Library()


@register.filter
def described(event) -> Described:
    return describe(event)
