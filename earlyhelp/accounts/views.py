"""Sign-in, two-factor verification and set-up, the authenticators of an account, the
invitation link through which a new account's owner chooses their password, and password reset."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.access.policy import primary_role
from earlyhelp.accounts import services
from earlyhelp.accounts.client_address import client_address
from earlyhelp.accounts.forms import DeviceAddForm, DeviceRemoveForm, SignInForm, TokenForm
from earlyhelp.accounts.invitations import invitation_tokens
from earlyhelp.accounts.reset_limits import password_reset_allowed
from earlyhelp.accounts.twofactor import (
    confirmed_device,
    device_secret,
    pending_device,
    qr_code_data_uri,
)
from earlyhelp.audit.services import audit_request


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
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


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for a link by e-mail. The page answers alike whether or not an account has the
    address; too many requests from one client or for one address get no e-mail."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if password_reset_allowed(
            address=client_address(self.request), email=form.cleaned_data["email"]
        ):
            return super().form_valid(form)
        form.add_error(
            None,
            _(
                "Too many requests for a new password came from here or for this address, so "
                "no e-mail was sent. Try again in an hour, or ask your earlyhelp administrator."
            ),
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing the new password; it also lifts the lock on the account's user name, as the
    lockout page says (not a lock of the address, see accounts/lockout.py)."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_reset_done(user=form.user, request_id=self.request.request_id)
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
    """The first authenticator of an account that has none. Another one is added on the
    authenticators page, with the password and a current code."""
    if confirmed_device(request.user) is not None:
        if not request.user.is_verified():
            return redirect("accounts:two_factor")
        return redirect("accounts:device_add")
    device = pending_device(request.user)
    form = TokenForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_confirm_first(
                user=request.user, device=device, request_id=request.request_id
            )
        except ValidationError:
            return redirect("accounts:two_factor")
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect("home")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {"form": form, "secret": device_secret(device), "qr_code": qr_code_data_uri(device)},
    )


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


def _devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("id")


@login_required
def devices(request):
    return render(request, "accounts/devices.html", {"devices": list(_devices(request.user))})


@login_required
@sensitive_post_parameters("password")
def device_add(request):
    if confirmed_device(request.user) is None:
        return redirect("accounts:two_factor_setup")
    device = pending_device(request.user)
    form = DeviceAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_add(
                user=request.user,
                device=device,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                new_code=form.cleaned_data["new_code"],
                request_id=request.request_id,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The new authenticator is added."))
            return redirect("accounts:devices")
    return render(
        request,
        "accounts/device_add.html",
        {"form": form, "secret": device_secret(device), "qr_code": qr_code_data_uri(device)},
    )


@login_required
@sensitive_post_parameters("password")
def device_remove(request, pk: int):
    device = _devices(request.user).filter(pk=pk).first()
    if device is None:
        raise Http404
    form = DeviceRemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_remove(
                user=request.user,
                device=device,
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
                request_id=request.request_id,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The authenticator is removed."))
            return redirect("accounts:devices")
    return render(request, "accounts/device_remove.html", {"form": form, "device": device})


def _invited_user(uidb64: str):
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return get_user_model().objects.filter(pk=int(pk), is_active=True).first()
    except (TypeError, ValueError, OverflowError):
        return None


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation(request, uidb64: str, token: str):
    """A new account's owner chooses their password; the link works once and expires."""
    user = _invited_user(uidb64)
    valid = (
        user is not None
        and not user.has_usable_password()
        and invitation_tokens.check_token(user, token)
    )
    if not valid:
        return render(request, "accounts/invitation.html", {"validlink": False})
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.invitation_accept(
            user=user, password=form.cleaned_data["new_password1"], request_id=request.request_id
        )
        messages.success(
            request,
            _("Your password is set. Sign in now; then set up your authenticator app."),
        )
        return redirect("accounts:login")
    return render(
        request, "accounts/invitation.html", {"validlink": True, "form": form, "invited": user}
    )
