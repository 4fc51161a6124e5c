"""Whose own methods (`knowledge.items`) a user may open: those of the services of every
municipality whose catalogue they see (the catalogue's rule, `access/catalogue.py`: everyone
with a role there). Who changes them is the catalogue entry's rule."""

from __future__ import annotations

from earlyhelp.access.engine import scope_for
from earlyhelp.organisations.models import Role, Service


def method_services(user):
    """The services whose methods the user may open."""
    scope = scope_for(user)
    services = Service.objects.select_related("municipality")
    if scope.is_superuser:
        return services
    return services.filter(municipality_id__in=scope.municipality_ids(*Role.values))
