"""Sign-in, two-factor verification and set-up."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from earlyhelp.access.policy import primary_role
from earlyhelp.accounts.forms import TokenForm
from earlyhelp.accounts.twofactor import (
    confirmed_device,
    device_secret,
    pending_device,
    qr_code_data_uri,
)
from earlyhelp.audit.services import audit_request


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = self.request.user
        if user.preferred_language:
            # Each person works in their own language, whichever browser they sign in from.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.preferred_language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_request(request, action="logout", role=primary_role(request.user))
        return super().post(request, *args, **kwargs)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse_lazy("home")


@login_required
def two_factor(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("accounts:two_factor_setup")
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            audit_request(
                request, action="login", role=primary_role(request.user), purpose="two-factor"
            )
            return redirect(_next_url(request))
        audit_request(
            request,
            action="login_failed",
            object_type="accounts.user",
            object_id=str(request.user.pk),
            purpose="wrong two-factor code",
        )
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def two_factor_setup(request):
    if confirmed_device(request.user) is not None and not request.user.is_verified():
        return redirect("accounts:two_factor")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect("home")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": device_secret(device), "qr_code": qr_code_data_uri(device)},
    )
