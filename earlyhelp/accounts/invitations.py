"""The link a new account's owner opens to choose their own password.

An administrator never knows a working password: the account they create has none, and this
link goes to the account's e-mail address. The token is Django's password-reset token under
its own salt and time limit (`EARLYHELP_INVITATION_HOURS`): it covers the account's password
hash, so it works once (setting the password changes the hash) and a new invitation voids
the old one (a new unusable password is a new hash).
"""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "earlyhelp.accounts.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        try:
            stamp, _hash = token.split("-")
            timestamp = base36_to_int(stamp)
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return 0 <= age <= settings.EARLYHELP_INVITATION_HOURS * 3600


invitation_tokens = InvitationTokenGenerator()


def invitation_path(user) -> str:
    """The path of a fresh invitation link for `user`."""
    return reverse(
        "accounts:invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invitation_tokens.make_token(user),
        },
    )
