"""Send the digest e-mails that are due: safe to run every hour from cron (see
kb.follows.digests for why each digest goes out once, and after a crash still goes out)."""

from django.core.management.base import BaseCommand

from kb.follows.digests import send_due_digests


class Command(BaseCommand):
    help = "Send the daily and weekly digest e-mails that are due (run it hourly)."

    def handle(self, *args, **options) -> None:
        report = send_due_digests()
        self.stdout.write(
            f"Digests sent: {report.sent}; nothing new for: {report.nothing_new}; "
            f"failed: {report.failed}."
        )
        if report.failed:
            self.stderr.write("Some digests failed (see the log); the next run retries them.")
            raise SystemExit(1)
