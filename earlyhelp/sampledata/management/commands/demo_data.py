from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from earlyhelp.concerns.figures import rebuild_figures
from earlyhelp.programmes.figures import rebuild as rebuild_programme_figures
from earlyhelp.sampledata.demo import generate_place
from earlyhelp.sampledata.demo.organisations import DEMO_PASSWORD, PLACES


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
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Sign in as e.g. hu.social_helper with password {DEMO_PASSWORD}; "
                "the two-factor code: python manage.py demo_totp hu.social_helper"
            )
        )
