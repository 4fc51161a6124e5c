"""How often a password-reset e-mail may be asked for: per client address and per e-mail
address typed, in any hour. The answer never depends on whether an account has the address,
so the limit tells nobody which addresses belong to accounts."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from earlyhelp.accounts.models import PasswordResetSlot

WINDOW = timedelta(hours=1)


def _claim(key: str, limit: int, now) -> bool:
    taken = dict(PasswordResetSlot.objects.filter(key=key).values_list("slot", "used_at"))
    for slot in range(limit):
        if slot not in taken:
            try:
                with transaction.atomic():
                    PasswordResetSlot.objects.create(key=key, slot=slot, used_at=now)
                return True
            except IntegrityError:
                pass  # claimed by a parallel request just now; it may still be free below
        freed = PasswordResetSlot.objects.filter(key=key, slot=slot, used_at__lte=now - WINDOW)
        if freed.update(used_at=now):
            return True
    return False


def password_reset_allowed(*, address: str, email: str) -> bool:
    """Spend one request of the client address and then one of the typed e-mail address;
    False, with nothing to send, when either has used up its hour."""
    now = timezone.now()
    PasswordResetSlot.objects.filter(used_at__lte=now - WINDOW).delete()
    # Hashed with the secret key: the table must not become a list of typed e-mail addresses.
    account = salted_hmac("earlyhelp.password-reset", email.strip().lower()).hexdigest()
    return _claim(f"address:{address}", settings.EARLYHELP_PASSWORD_RESET_PER_ADDRESS, now) and (
        _claim(f"account:{account}", settings.EARLYHELP_PASSWORD_RESET_PER_ACCOUNT, now)
    )
