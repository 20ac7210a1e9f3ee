"""`manage.py export_kb FILE`: write the whole KB — every table and the media files — to
one .tar.gz archive that `import_kb` restores (kb.backup.archive)."""

from django.core.management.base import BaseCommand, CommandError

from kb.backup.archive import export_archive


class Command(BaseCommand):
    help = "Write the whole KB (database rows and media files) to one .tar.gz archive."

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help="where to write the archive, e.g. kb-2026-12-01.tar.gz")

    def handle(self, *args, archive: str, verbosity: int = 1, **options) -> None:
        report = self.stdout.write if verbosity > 1 else (lambda line: None)
        try:
            manifest = export_archive(archive, report)
        except OSError as error:
            raise CommandError(f"Cannot write {archive}: {error}") from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {rows} rows of {len(manifest['tables'])} tables and "
                f"{len(manifest['media'])} media files to {archive}."
            )
        )
