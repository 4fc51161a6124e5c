from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from earlyhelp.concerns.figures import rebuild_figures
from earlyhelp.programmes.figures import rebuild as rebuild_programme_figures
from earlyhelp.sampledata.demo import generate_place
from earlyhelp.sampledata.demo.organisations import (
    DEMO_PASSWORD,
    PLACES,
    demo_accounts,
)

# The e-mails the demo's notifications would send go nowhere: the notifications are kept (and
# marked mailed), but no message is printed among the progress lines or sent to the demo's
# example.org addresses. Only this command's run is affected, never the app's own mail.
QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"


class Command(BaseCommand):
    help = (
        "Generate demo data: three municipalities (Székesfehérvár, Olomouc, Aarhus), one account "
        "per role in each, and generated children with families, classes and consents. "
        "Idempotent: running it again creates nothing twice. Refuses to run in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children-per-group", type=int, default=12)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("demo_data never runs with EARLYHELP_ENV=production.")
        with override_settings(EMAIL_BACKEND=QUIET_MAIL):
            for place in PLACES:
                counts = generate_place(
                    place, children_per_group=options["children_per_group"], seed=options["seed"]
                )
                self.stdout.write(
                    f"{place.municipality}: {counts['children']} new children, "
                    f"{counts['users']} accounts ({place.prefix}.<role>), "
                    f"{counts['concerns']} new concerns"
                )
            rebuild_figures()
            rebuild_programme_figures()
        self._accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Every account's password is {DEMO_PASSWORD}. Next:\n"
                "  .venv/bin/python manage.py runserver\n"
                "  .venv/bin/python manage.py demo_totp hu.social_helper"
                "   # the account's current two-factor code"
            )
        )

    def _accounts(self) -> None:
        rows = demo_accounts()
        header = ["role", *(place.municipality for place in PLACES)]
        table = [header, *([role, *names] for role, names in rows)]
        widths = [max(len(row[column]) for row in table) for column in range(len(header))]
        self.stdout.write("Demo accounts:")
        for row in table:
            self.stdout.write(
                "  "
                + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
            )
