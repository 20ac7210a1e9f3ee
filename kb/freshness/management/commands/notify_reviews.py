"""Remind owners of the published items that fell due for review.

Run it daily from cron (``15 7 * * * cd /srv/kb && .venv/bin/python manage.py
notify_reviews``); it is safe to run at any time and as often as you like: an owner is
reminded once per review-by date, however many runs see it. Items published before
review dates existed get one first, an interval after their publication.
"""

from django.core.management.base import BaseCommand

from kb.freshness.services import reviews_notify


class Command(BaseCommand):
    help = "Notify the owners of published items whose review-by date has come (once each)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List whom it would remind; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        reminders = reviews_notify(dry_run=dry_run)
        verb = "Would remind" if dry_run else "Reminded"
        told = 0
        for reminder in reminders:
            item = reminder.item
            who = item.owner.get_username() if item.owner else "nobody (no owner)"
            if not reminder.notified:
                who += " (not told: no active owner)" if not dry_run else ""
            told += reminder.notified
            due = f"review by {item.review_by:%Y-%m-%d}"
            self.stdout.write(f"{verb} {who}: {item._meta.verbose_name} “{item}” ({due})")
        self.stdout.write(self.style.SUCCESS(f"{verb} {told} owner(s) of items due for review."))
