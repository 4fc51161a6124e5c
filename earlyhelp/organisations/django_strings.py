"""Strings of Django's own administration that Django 5.2's catalogues leave untranslated in
Hungarian or Czech (the Danish one has them all): among them the screen-reader headers of the
administration's index ("Model name", "Add link") and the password-based sign-in switch of the
user form. Listed here so that makemessages puts them in earlyhelp's catalogue, which Django
reads before its own. `organisations/tests/test_django_strings.py` fails when a Django upgrade
leaves others out."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_UNTRANSLATED = (
    # django/contrib/admin
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop(
        "This action will <strong>enable</strong> password-based authentication for this user."
    ),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    # django/contrib/auth
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Reset password"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, "
        "they may still be able to authenticate using other backends, such as Single Sign-On "
        "or LDAP."
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    # django/conf
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
)
