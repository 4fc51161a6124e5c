from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "earlyhelp.audit"
    verbose_name = _("Audit")

    def ready(self):
        from earlyhelp.audit.checks import check_audit_keys

        checks.register(check_audit_keys)
