"""`manage.py process_search_queue`: index what is queued, failed rows included.

Index writes work the queue themselves after every commit; this command is for what
they left: rows that failed (it tries them now, whatever their retry time) and the
documents of a large rename. Run it from cron, or by hand after fixing a broken index.
"""

from django.core.management.base import BaseCommand, CommandError

from kb.search import index


class Command(BaseCommand):
    help = "Index everything queued for the search index, failed rows included."

    def handle(self, *args, **options) -> None:
        report = index.process_queue(everything=True)
        if report.failed:
            raise CommandError(
                f"{report.failed} of {report.rows} queued rows failed and stay queued; see the log."
            )
        self.stdout.write(self.style.SUCCESS(f"Indexed {report.rows} queued rows."))
