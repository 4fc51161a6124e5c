"""Who may read the audit log as a whole (the audit-log page, its exports and verifications).

The administrators and the data-protection officers (`dpo`) of a municipality read the rows of
that municipality's log: the rows about its records and, for rows about no record (a sign-in, a
list), the rows of the accounts it manages. A row written before rows carried their
municipality is read by the acting account's municipality. Nobody else reads the log this way,
a superuser neither; a record's own "changes" and "who has seen this record" panels follow the
record's rules (people/access.py).

Exports are their requester's alone. Verification runs concern the whole chain, which holds
no person's data: every administrator and data-protection officer sees their results; only an
administrator starts one from the page.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, register
from earlyhelp.organisations.models import Role

AUDIT_ROLES = (Role.ADMIN, Role.DPO)


def audit_municipalities(scope: Scope) -> set[int]:
    """The municipalities whose log the user reads."""
    return scope.municipality_ids(*AUDIT_ROLES)


def _event_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.LIST):
        return None
    municipalities = audit_municipalities(scope)
    if not municipalities:
        return None
    rows = Q(municipality_id__in=municipalities)
    unscoped_until = settings.EARLYHELP_AUDIT_UNSCOPED_UNTIL
    if unscoped_until:
        managed = get_user_model().objects.filter(municipality_id__in=municipalities)
        rows |= Q(
            id__lte=unscoped_until,
            municipality_id__isnull=True,
            actor_id__in=managed.values("pk"),
        )
    return rows


def _event_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return bool(audit_municipalities(scope))
    return False


def _export_rows(scope: Scope, action: str) -> Q | None:
    if action == Action.VIEW and scope.user_id and audit_municipalities(scope):
        return Q(requested_by_id=scope.user_id)
    return None


def _export_model(scope: Scope, action: str) -> bool:
    return action == Action.CREATE and bool(audit_municipalities(scope))


def _run_rows(scope: Scope, action: str) -> Q | None:
    return Q() if action == Action.VIEW and audit_municipalities(scope) else None


def _run_model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return bool(audit_municipalities(scope))
    if action == Action.CREATE:
        return bool(scope.municipality_ids(Role.ADMIN))
    return False


register("audit.auditevent", rows=_event_rows, model=_event_model)
register("audit.auditexport", rows=_export_rows, model=_export_model)
register("audit.verificationrun", rows=_run_rows, model=_run_model)
