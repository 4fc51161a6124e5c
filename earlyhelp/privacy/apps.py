from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "earlyhelp.privacy"
    verbose_name = _("Privacy")

    def ready(self):
        # The kinds of records the retention job erases come from their capabilities: the
        # `<app>/retention.py` of every installed app registers its own (privacy.retention).
        autodiscover_modules("retention")
