"""Who sees a duty: its owner, and nobody else. A duty says only that something waits for its
owner; what it is about is asked of the target's own rules when the page is read
(`duties.selectors`), so a duty never opens a record its owner may no longer open."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, register


def _duty_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST) and scope.user_id is not None:
        return Q(owner_id=scope.user_id)
    return None


def _duty_model(scope: Scope, action: str) -> bool:
    return action == Action.LIST and scope.user_id is not None


register("duties.duty", rows=_duty_rows, model=_duty_model)
