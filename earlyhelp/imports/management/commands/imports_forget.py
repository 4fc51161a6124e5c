"""The daily job by hand: the files and rows of roster imports older than
EARLYHELP_IMPORT_KEEP_DAYS are deleted (docs/import.md)."""

from django.core.management.base import BaseCommand

from earlyhelp.imports.services import imports_forget


class Command(BaseCommand):
    help = "Delete the files and rows of roster imports kept longer than their days."

    def handle(self, *args, **options):
        self.stdout.write(f"{imports_forget()} import(s) forgotten.")
