"""Session limits and the two-factor requirement, applied to every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from earlyhelp.accounts.twofactor import needs_two_factor

SESSION_STARTED_KEY = "earlyhelp_session_started"


SESSION_RENEWED_KEY = "earlyhelp_session_renewed"


class SessionLimitMiddleware:
    """Ends a session 10 hours after sign-in, however active it was, and keeps an active one
    alive: the session's 15 minutes of idle expiry are renewed by a request at most once every
    `SESSION_RENEW_SECONDS` (a minute), not by a database write on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(settings.LOGIN_URL)
            renewed = request.session.get(SESSION_RENEWED_KEY, 0)
            if now - renewed >= settings.SESSION_RENEW_SECONDS:
                # Changing the session saves it, which moves its expiry 15 minutes on.
                request.session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Every role with access to children's records must prove a second factor before any
    page other than the two-factor pages themselves."""

    OPEN_PREFIXES = ("/static/", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(self.OPEN_PREFIXES)
            and request.path not in self._open_paths()
            and needs_two_factor(user)
        ):
            return redirect(f"{reverse('accounts:two_factor')}?next={request.path}")
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> set[str]:
        return {
            reverse("accounts:two_factor"),
            reverse("accounts:two_factor_setup"),
            reverse("accounts:logout"),
        }
