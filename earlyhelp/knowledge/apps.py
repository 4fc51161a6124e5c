from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "earlyhelp.knowledge"
    verbose_name = _("Knowledge")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from earlyhelp.knowledge.catalogue import seed_new_municipality
        from earlyhelp.organisations.models import Municipality

        post_save.connect(seed_new_municipality, sender=Municipality, dispatch_uid="evidence_scale")
