from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class _UserNameWithinItsLength:
    """Django's sign-in form shows the user name's length limit but does not check it, so a
    user name of thousands of characters reached the lockout's record (varchar(255)) and
    failed on PostgreSQL. A name longer than any account's is refused as a wrong sign-in,
    without a lookup, and says nothing about which accounts exist."""

    def clean_username(self):
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )
        return username


class SignInForm(_UserNameWithinItsLength, AuthenticationForm):
    pass


class AdminSignInForm(_UserNameWithinItsLength, AdminAuthenticationForm):
    pass


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code from your authenticator app"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args, device=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].strip()
        if not (token.isascii() and token.isdigit()):
            raise forms.ValidationError(_("The code has digits only."))
        if self.device is None or not self.device.verify_token(token):
            raise forms.ValidationError(
                _("This code is not right or has expired. Enter the code your app shows now.")
            )
        return token


class _IdentityForm(forms.Form):
    """The account's password and a code of an existing authenticator; the service checks
    them (a code can be checked only once)."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from an authenticator you already use"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class DeviceAddForm(_IdentityForm):
    new_code = forms.CharField(
        label=_("Code from the new authenticator"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )


class DeviceRemoveForm(_IdentityForm):
    pass
