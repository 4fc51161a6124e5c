from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsencesConfig(AppConfig):
    name = "earlyhelp.absences"
    verbose_name = _("Absences")
