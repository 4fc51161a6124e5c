"""Sign-in lockout: failures are counted per user name and, separately, per client address.

A user name is locked after `EARLYHELP_LOCKOUT_USER_FAILURES` failures on it from anywhere, so
an attacker who changes address is still stopped; an address is locked after
`EARLYHELP_LOCKOUT_ADDRESS_FAILURES` failures from it on any names, so one client cannot try
one password on every account. The address limit is higher because a school's staff share one
address. Failures of different people from different addresses never add up.

django-axes compares one number with one limit (AXES_FAILURE_LIMIT, the user limit), so the
address count is shifted by the difference between the two limits before they are compared.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Sum


def _failures(attempts) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials: dict | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        by_user = _failures(recent.filter(username=username)) if username else 0
        by_address = _failures(recent.filter(ip_address=request.axes_ip_address))
        shift = (
            settings.EARLYHELP_LOCKOUT_USER_FAILURES - settings.EARLYHELP_LOCKOUT_ADDRESS_FAILURES
        )
        return max(by_user, by_address + shift)

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears the failures on that user name only. Clearing the
        address's too would let anyone with an account wipe the count of their guesses at
        someone else's password by signing in between them."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_lift(*, username: str) -> int:
    """End the lockout of a user name (its password was just reset); the failures counted
    against the address stay."""
    return reset(username=username) if username else 0
