"""Delete for good what has been in the trash longer than KB_TRASH_DAYS (30 by default).

Run it daily from cron or a scheduled job; it is safe to run at any time and as often as
you like. Comments, revisions and the workflow history of a purged item go with it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from kb.workflow.services import purge_trash


class Command(BaseCommand):
    help = "Delete items that have been in the trash longer than KB_TRASH_DAYS."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        purged = purge_trash(dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        for item in purged:
            self.stdout.write(
                f"{verb} {item._meta.verbose_name} “{item}” (trashed {item.deleted_at:%Y-%m-%d})"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(purged)} item(s) trashed more than {settings.KB_TRASH_DAYS} days ago."
            )
        )
