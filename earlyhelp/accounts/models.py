"""Users of earlyhelp. What a user may do comes from memberships (organisations app)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("managed by"),
        help_text=_("The municipality whose administrators manage this account."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class PasswordResetSlot(models.Model):
    """One of the few password-reset e-mails a key may ask for within an hour: a key is a client
    address or (hashed) the e-mail address typed. A slot is claimed by an insert or by an
    update that sees it free, both atomic, so parallel requests never share one; the table is
    counted in the database because every web process must see the same counts."""

    key = models.CharField(max_length=80)
    slot = models.PositiveSmallIntegerField()
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "slot"], name="password_reset_slot_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.slot}"
