"""Start-up checks: the audit log is never chained without a key kept outside the database."""

from django.conf import settings
from django.core.checks import Error

from earlyhelp.audit.keys import key_problems


def check_audit_keys(app_configs=None, **kwargs) -> list[Error]:
    return [
        Error(problem, id="audit.E001")
        for problem in key_problems(list(settings.EARLYHELP_AUDIT_KEYS))
    ]
