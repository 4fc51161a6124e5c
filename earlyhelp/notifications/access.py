"""Who sees a webhook subscription: the account it belongs to, and nobody else.

A subscription is an account's own, like its notifications: the account a partner's token acts
as lists, reads, changes and deletes its own subscriptions and their deliveries. Nobody else
reaches them, an administrator or a superuser neither (404, as for anything outside one's
scope). Every account may subscribe: what it receives is its own notifications, which the
capabilities' rules already decided it may see.
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.access.engine import Action, Scope, register


def _subscription_rows(scope: Scope, action: str) -> Q | None:
    if action in (Action.VIEW, Action.LIST, Action.CHANGE) and scope.user_id is not None:
        return Q(user_id=scope.user_id)
    return None


def _subscription_model(scope: Scope, action: str) -> bool:
    return action in (Action.LIST, Action.CREATE) and scope.user_id is not None


def _delivery_action(action: str) -> str | None:
    # A delivery is read wherever its subscription is, and never changed through the API.
    return Action.VIEW if action in (Action.VIEW, Action.LIST) else None


register("notifications.webhooksubscription", rows=_subscription_rows, model=_subscription_model)
register("notifications.webhookdelivery", parent="subscription", parent_action=_delivery_action)
