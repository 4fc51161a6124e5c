"""The navigation's count of what is overdue or due today: one COUNT over the owner's index."""

from earlyhelp.core.fragments import is_fragment
from earlyhelp.duties.selectors import due_count


def due_now(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_fragment(request):
        return {}
    return {"duties_due_now": due_count(user)}
