from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.accounts.services import twofactor_reset


class Command(BaseCommand):
    help = (
        "Recovery of an account whose owner lost their only authenticator. Needs two people "
        "besides the operator: --requested-by, an administrator of the municipality that "
        "manages the account, and --confirmed-by, a second person who confirmed the owner's "
        "identity (another administrator of that municipality, or a supervisor of one of the "
        "owner's services). Removes every authenticator of the account, takes its password "
        "away (which signs it out everywhere) and e-mails the owner a new invitation: they "
        "choose a password and set up a new authenticator. Written to the audit log."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The account whose authenticators are reset.")
        parser.add_argument("--requested-by", required=True, metavar="USERNAME")
        parser.add_argument("--confirmed-by", required=True, metavar="USERNAME")
        parser.add_argument(
            "--reason", required=True, help="How the owner's identity was confirmed, and why."
        )

    def handle(self, *args, username, requested_by, confirmed_by, reason, **options):
        users = get_user_model().objects
        found = {
            name: users.filter(username=name).first()
            for name in (username, requested_by, confirmed_by)
        }
        missing = [name for name, user in found.items() if user is None]
        if missing:
            raise CommandError(f"No user named {', '.join(missing)}.")
        try:
            removed = twofactor_reset(
                user=found[username],
                requested_by=found[requested_by],
                confirmed_by=found[confirmed_by],
                reason=reason,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Removed {removed} authenticator(s) of {username}; an invitation was sent to "
            f"{found[username].email}."
        )
