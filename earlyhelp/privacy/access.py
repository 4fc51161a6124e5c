"""Who may run the privacy operations of a municipality (docs/access-policy.md, "Privacy
operations").

The data-protection officers (`dpo`) of a municipality see its retention periods and batches,
approve or reject a batch, and place and lift legal holds. Its administrators see the same and
decide nothing: the erasure of records is the officer's decision. The register of the data
subjects' requests, and the copy of a person's data it produces, are the officers' alone.
Nobody else reaches any of them, a superuser neither. A batch and a hold name records by kind
and number only.
"""

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, register, scope_for
from earlyhelp.organisations.models import Role

READERS = (Role.DPO, Role.ADMIN)


def read_municipalities(user) -> set[int]:
    """The municipalities whose privacy operations the user reads."""
    return scope_for(user).municipality_ids(*READERS)


def deciding_municipalities(user) -> set[int]:
    """The municipalities whose batches the user decides and whose records they hold."""
    return scope_for(user).municipality_ids(Role.DPO)


def _rows(scope: Scope, action: str) -> Q | None:
    if action == Action.VIEW:
        municipalities = scope.municipality_ids(*READERS)
    elif action == Action.CHANGE:
        municipalities = scope.municipality_ids(Role.DPO)
    else:
        return None
    return Q(municipality_id__in=municipalities) if municipalities else None


def _model(scope: Scope, action: str) -> bool:
    if action == Action.LIST:
        return bool(scope.municipality_ids(*READERS))
    if action == Action.CREATE:
        return bool(scope.municipality_ids(Role.DPO))
    return False


def _request_rows(scope: Scope, action: str) -> Q | None:
    if action not in (Action.VIEW, Action.CHANGE):
        return None
    municipalities = scope.municipality_ids(Role.DPO)
    return Q(municipality_id__in=municipalities) if municipalities else None


def _request_model(scope: Scope, action: str) -> bool:
    return action in (Action.LIST, Action.CREATE) and bool(scope.municipality_ids(Role.DPO))


register("privacy.retentionbatch", "privacy.legalhold", rows=_rows, model=_model)
# The register of the data subjects' requests, and the copy of a person's data it gives: the
# officer's alone (an administrator reads no person's data).
register("privacy.subjectrequest", rows=_request_rows, model=_request_model)
