"""Template filters that turn stored codes into words in the reader's language."""

from django import template
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from earlyhelp.organisations.models import Role

register = template.Library()

ACCESS_PATHS = {
    "team": _("named on the team"),
    "break_glass": _("break-glass"),
    "superuser": _("superuser"),
}


@register.filter
def role_label(code: str) -> str:
    """'social_helper' → 'Social helper'; also the access paths 'team' and 'break_glass'."""
    if code in Role.values:
        return Role(code).label
    return ACCESS_PATHS.get(code, code)


@register.filter
def field_label(name: str, object_type: str) -> str:
    """The verbose name of `name` on the model `object_type` ("people.child")."""
    try:
        return apps.get_model(object_type)._meta.get_field(name).verbose_name
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


@register.filter
def is_past(moment) -> bool:
    return moment is not None and moment < timezone.now()
