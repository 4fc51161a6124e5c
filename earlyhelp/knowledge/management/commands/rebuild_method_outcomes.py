"""Recompute the outcomes per method (scheduled daily; see docs/operations.md)."""

from django.core.management.base import BaseCommand

from earlyhelp.knowledge.outcomes import rebuild


class Command(BaseCommand):
    help = (
        "Recompute the maintained outcome figures of every method of the catalogue (or of the "
        "methods of one municipality) from activities, plan steps, referrals, cases, Signs of "
        "Safety scaling and screening ratings."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--municipality", type=int, action="append", help="Only this municipality's methods."
        )

    def handle(self, *args, municipality=None, **options):
        methods, seconds = rebuild(municipality)
        self.stdout.write(f"method outcomes: {methods} methods in {seconds:.1f} s")
