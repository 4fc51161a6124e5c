"""THE access policy of earlyhelp, as the rest of the code asks it.

Every view, form, export, API call and fragment asks here:
  * `visible(user, queryset, action)` narrows any queryset to the rows the user may act on;
  * `can(user, action, obj_or_model)` says whether the user may do the action;
  * `granting_path(user, action, obj)` names the role (or "team", "break_glass") that grants it,
    as the audit log records it.

The engine behind these is `earlyhelp/access/engine.py`; the rules are each capability's own,
in `earlyhelp/<app>/access.py` (docs/access-policy.md says how to add one). The capabilities'
own questions (where may this user open a case, whose concerns do they triage, ...) are asked
of that capability's `access.py`.
"""

from earlyhelp.access.engine import (
    AGGREGATE_ROLES,
    BREAK_GLASS,
    SMALL_CELL,
    TEAM,
    Action,
    can,
    forget_scope,
    granting_path,
    primary_role,
    visible,
    visible_of,
    visible_prefetch,
)

__all__ = [
    "AGGREGATE_ROLES",
    "BREAK_GLASS",
    "SMALL_CELL",
    "TEAM",
    "Action",
    "can",
    "forget_scope",
    "granting_path",
    "primary_role",
    "visible",
    "visible_of",
    "visible_prefetch",
]
