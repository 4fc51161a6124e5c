from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "earlyhelp.access"
    verbose_name = _("Access")

    def ready(self):
        # The engine's rules come from the capabilities: `<app>/access.py` of every installed
        # app registers its models' rules, and the access app's own are the break-glass log's.
        from earlyhelp.access import rules  # noqa: F401

        autodiscover_modules("access")
