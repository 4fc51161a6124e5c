from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from earlyhelp.api.models import Scope
from earlyhelp.api.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Issue a bearer token for another system, acting as the given user account (whose "
        "memberships decide what the system may see). The token is printed once and only its "
        "hash is stored; it expires after --days days (EARLYHELP_API_TOKEN_DAYS, default 90) and "
        "may do what its --scope options say (read and write unless given). "
        "--revoke PREFIX revokes the user's tokens starting with PREFIX. Issuing and revoking "
        "are written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="system", help="Which system uses the token.")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke instead of issuing.")
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Days until the token expires (default: EARLYHELP_API_TOKEN_DAYS).",
        )
        parser.add_argument(
            "--scope",
            action="append",
            choices=Scope.values,
            dest="scopes",
            help="What the token may do: read, write, import (repeat it; default read and write).",
        )

    def handle(self, *args, username, name, revoke, days, scopes, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username}.")
        if revoke:
            count = api_token_revoke(user=user, prefix=revoke)
            self.stdout.write(f"Revoked {count} token(s).")
            return
        days = settings.EARLYHELP_API_TOKEN_DAYS if days is None else days
        if days < 1:
            raise CommandError("--days must be at least 1.")
        token, raw = api_token_issue(
            user=user,
            name=name,
            days=days,
            scopes=scopes,
            purpose="API token issued (manage.py api_token)",
        )
        self.stdout.write(raw)
        expires = timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M")
        self.stderr.write(f"Expires {expires}. Scopes: {', '.join(token.scopes)}.")
