from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "earlyhelp.imports"
    verbose_name = _("Roster imports")
