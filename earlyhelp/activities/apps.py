from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "earlyhelp.activities"
    verbose_name = _("Activities")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from earlyhelp.activities.catalogue import seed_new_municipality
        from earlyhelp.organisations.models import Municipality

        post_save.connect(seed_new_municipality, sender=Municipality, dispatch_uid="activity_types")
