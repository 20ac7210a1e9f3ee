"""`manage.py import_kb FILE`: restore an `export_kb` archive into a new, migrated, empty
database (SQLite or PostgreSQL, whichever made it), all or nothing, then rebuild the
search index (kb.backup.archive)."""

from django.core.management.base import BaseCommand, CommandError

from kb.backup.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = "Restore an export_kb archive into an empty, migrated database."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="an archive written by export_kb")

    def handle(self, *args, archive: str, verbosity: int = 1, **options) -> None:
        report = self.stdout.write if verbosity > 1 else (lambda line: None)
        try:
            manifest = import_archive(archive, report)
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {rows} rows of {len(manifest['tables'])} tables and "
                f"{len(manifest['media'])} media files from {archive}; the search index "
                "is rebuilt."
            )
        )
