from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "earlyhelp.duties"
    verbose_name = _("Duties")

    def ready(self):
        # Each capability declares what it asks of people in its own `<app>/duties.py`; the
        # duties app knows none of them (docs/duties.md).
        autodiscover_modules("duties")
