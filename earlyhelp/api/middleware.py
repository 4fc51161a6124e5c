"""Problem details also for the errors no API view answers: a path under /api/ that does not
exist (Django's 404), a method an operation does not take (ninja's plain 405)."""

from django.utils.translation import gettext as _

from earlyhelp.api.problems import problem
from earlyhelp.core.limits import API_PREFIX
from earlyhelp.core.problems import PROBLEM_JSON


class ProblemDetailsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            not request.path.startswith(API_PREFIX)
            or response.status_code < 400
            or response.get("Content-Type", "").startswith(PROBLEM_JSON)
        ):
            return response
        status = response.status_code
        if status == 405:
            detail = _("Allowed here: %(methods)s.") % {"methods": response.get("Allow", "")}
        elif status == 404:
            detail = _("There is no such resource for this account.")
        else:
            detail = _("The request cannot be answered.")
        converted = problem(request, status, detail)
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Vary"):
            if header in response:
                converted[header] = response[header]
        return converted
