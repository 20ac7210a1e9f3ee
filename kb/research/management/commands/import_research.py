"""Import research links from a BibTeX, RIS or CSV file; a dry run unless --commit.

The report lists every record as new, duplicate or invalid (with its line and reason).
With --commit the new records are written as drafts of --user, all in one transaction,
and only when no record is invalid: a malformed file imports nothing.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kb.core.permissions import can_add
from kb.research.citations import READERS
from kb.research.importing import (
    ImportRefused,
    ImportReport,
    research_import_commit,
    research_import_preview,
)
from kb.research.models import ResearchLink


class Command(BaseCommand):
    help = "Import research links from a BibTeX, RIS or CSV file (a dry run unless --commit)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["auto", *READERS], default="auto")
        parser.add_argument(
            "--commit", action="store_true", help="Write the new records (default: report only)."
        )
        parser.add_argument("--user", help="Who imports: owner of the new drafts.")

    def handle(self, *args, file: Path, format: str, commit: bool, user: str | None, **options):
        try:
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        importer = self._importer(user) if commit else None
        report = research_import_preview(content=content, filename=file.name, fmt=format)
        self.stdout.write(format_report(report))
        if report.error or report.invalid:
            raise CommandError(report.refusal())
        if not report.new:
            self.stdout.write(report.refusal())
            return
        if importer is None:
            self.stdout.write(f"Dry run: nothing written. Add --commit --user NAME to import "
                              f"{len(report.new)} new record(s).")  # fmt: skip
            return
        try:
            report = research_import_commit(
                content=content, filename=file.name, fmt=format, user=importer
            )
        except ImportRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {len(report.new)} research link(s) as drafts.")
        )

    def _importer(self, username: str | None):
        if not username:
            raise CommandError("--commit needs --user USERNAME: the owner of the new drafts.")
        try:
            importer = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user “{username}”.") from None
        if not can_add(importer, ResearchLink):
            raise CommandError(f"“{username}” may not add research links.")
        return importer


def format_report(report: ImportReport) -> str:
    if report.error:
        return f"Cannot read the file: {report.error}"
    lines = [
        f"{report.format_label}: {len(report.rows)} record(s): {len(report.new)} new, "
        f"{len(report.duplicates)} duplicate, {len(report.invalid)} invalid."
    ]
    lines += [
        f"  line {row.line}: {row.outcome} “{row.title or row.url}”"
        + (f" ({row.reason})" if row.reason else "")
        for row in report.rows
    ]
    return "\n".join(lines)
