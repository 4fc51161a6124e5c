"""Sign-in lockout: failures are counted per user name at one address, per user name from
anywhere, and per client address.

A user name is locked at one address after `EARLYHELP_LOCKOUT_USER_FAILURES` failures on it
from that address, and everywhere after `EARLYHELP_LOCKOUT_USER_ANYWHERE_FAILURES` failures on
it from any addresses, so an attacker elsewhere cannot lock its owner out with a few tries,
while guessing spread over many addresses is still stopped. An address is locked after
`EARLYHELP_LOCKOUT_ADDRESS_FAILURES` failures from it on any names, so one client cannot try
one password on every account; that limit is higher because a school's staff share one
address. Failures of different people from different addresses never add up. A failure during
a lockout is not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so one wrong
password every few minutes cannot keep a lock going for ever.

django-axes compares one number with one limit (AXES_FAILURE_LIMIT, the user limit at one
address), so the other two counts are shifted by the difference between their limit and that
one before they are compared.
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
        address = request.axes_ip_address
        user_limit = settings.EARLYHELP_LOCKOUT_USER_FAILURES
        by_user_here = by_user_anywhere = 0
        if username:
            by_user = recent.filter(username=username)
            by_user_here = _failures(by_user.filter(ip_address=address))
            by_user_anywhere = _failures(by_user)
        by_address = _failures(recent.filter(ip_address=address))
        return max(
            by_user_here,
            by_user_anywhere + user_limit - settings.EARLYHELP_LOCKOUT_USER_ANYWHERE_FAILURES,
            by_address + user_limit - settings.EARLYHELP_LOCKOUT_ADDRESS_FAILURES,
        )

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        """A successful sign-in clears the failures on that user name only (from every address,
        so they leave those addresses' counts too). Clearing the address's other failures would
        let anyone with an account wipe the count of their guesses at someone else's password
        by signing in between them."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_lift(*, username: str) -> int:
    """End the lockout of a user name (its password was just reset). Failures are stored as
    rows per (user name, address, browser), so deleting the user name's rows also takes its
    failures out of each address's count; failures from an address on other names stay, and
    an address locked by them stays locked until its cool-off is over."""
    return reset(username=username) if username else 0
