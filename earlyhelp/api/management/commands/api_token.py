from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from earlyhelp.api.models import ApiToken


class Command(BaseCommand):
    help = (
        "Issue a bearer token for another system, acting as the given user account (whose "
        "memberships decide what the system may see). The token is printed once and only its "
        "hash is stored. --revoke PREFIX revokes the user's tokens starting with PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="system", help="Which system uses the token.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke instead of issuing.")

    def handle(self, *args, username, name, revoke, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        if revoke:
            count = (
                ApiToken.objects.active()
                .filter(user=user, prefix__startswith=revoke)
                .update(revoked_at=timezone.now())
            )
            self.stdout.write(f"Revoked {count} token(s).")
            return
        _token, raw = ApiToken.issue(user=user, name=name)
        self.stdout.write(raw)
