from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FostercareConfig(AppConfig):
    name = "earlyhelp.fostercare"
    verbose_name = _("Foster care")
