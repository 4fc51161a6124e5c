"""Template filters that turn stored codes into words in the reader's language."""

from django import template
from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

register = template.Library()

ACCESS_PATHS = {
    "team": _("named on the team"),
    "break_glass": _("break-glass"),
    "superuser": _("superuser"),
}


@register.filter
def role_label(code: str) -> str:
    """'social_helper' → 'Social helper'; also the access paths 'team' and 'break_glass'.

    The roles are read from the membership's field through the app registry: core imports no
    app above it."""
    roles = dict(apps.get_model("organisations", "Membership")._meta.get_field("role").flatchoices)
    if code in roles:
        return roles[code]
    return ACCESS_PATHS.get(code, code)


@register.filter
def is_past(moment) -> bool:
    return moment is not None and moment < timezone.now()
