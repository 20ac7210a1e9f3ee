"""Check that the source links of research, case studies (and any kind declaring a source
URL) still lead somewhere; flag the broken ones and tell their owners.

Run it daily from cron or a scheduled job, like purge_trash. It sends each site at most
one request per ``--per-host-interval`` seconds and waits KB_LINK_CHECK_TIMEOUT seconds
at most for an answer.
"""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from kb.core.registry import kind_for
from kb.linkcheck.services import CheckedLink, link_checks_run


def positive(kind: type):
    def parse(value: str):
        number = kind(value)
        if number < 0:
            raise ValueError(value)
        return number

    parse.__name__ = kind.__name__  # argparse names the type in its error message
    return parse


class Command(BaseCommand):
    help = "Check every source link; record and report the broken ones."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--only-stale-hours",
            type=positive(float),
            metavar="HOURS",
            help="Skip links checked within the last HOURS hours.",
        )
        parser.add_argument(
            "--limit",
            type=positive(int),
            help="Check at most this many links, the least recently checked first.",
        )
        parser.add_argument(
            "--concurrency",
            type=positive(int),
            default=4,
            help="How many links to check at once (default 4).",
        )
        parser.add_argument(
            "--per-host-interval",
            type=positive(float),
            default=1.0,
            metavar="SECONDS",
            help="Least time between two requests to one site (default 1 second).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report; store nothing and notify nobody.",
        )

    def handle(self, *args, **options) -> None:
        if options["concurrency"] == 0:
            raise CommandError("--concurrency must be at least 1.")
        checked = link_checks_run(
            stale_hours=options["only_stale_hours"],
            limit=options["limit"],
            concurrency=options["concurrency"],
            per_host_interval=options["per_host_interval"],
            dry_run=options["dry_run"],
        )
        self.write_problems(checked)
        self.write_summary(checked, dry_run=options["dry_run"])

    def write_problems(self, checked: list[CheckedLink]) -> None:
        """One line per broken or permanently moved link: what needs an editor's eye."""
        rows = [
            (
                "BROKEN" if not link.result.ok else "MOVED",
                kind_for(link.item).label,
                str(link.item),
                link.result.url,
                link.result.reason or f"now {link.result.final_url}",
            )
            for link in checked
            if not link.result.ok or link.result.moved_permanently
        ]
        self.write_table(["Result", "Kind", "Item", "Address", "Detail"], rows)

    def write_summary(self, checked: list[CheckedLink], *, dry_run: bool) -> None:
        counts: dict[str, Counter] = {}
        for link in checked:
            count = counts.setdefault(kind_for(link.item).label_plural, Counter())
            count["checked"] += 1
            count["ok" if link.result.ok else "broken"] += 1
            count["moved"] += link.result.ok and link.result.moved_permanently
            count["newly broken"] += link.newly_broken
        columns = ["checked", "ok", "moved", "broken", "newly broken"]
        rows = [
            (label, *(str(count[column]) for column in columns)) for label, count in counts.items()
        ]
        self.write_table(["Kind", *columns], rows)
        broken = sum(count["broken"] for count in counts.values())
        prefix = "Dry run, nothing stored: " if dry_run else ""
        message = f"{prefix}checked {len(checked)} link(s), {broken} broken."
        self.stdout.write(self.style.WARNING(message) if broken else self.style.SUCCESS(message))

    def write_table(self, header: list[str], rows: list[tuple[str, ...]]) -> None:
        if not rows:
            return
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
        for row in [header, *rows]:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write("")
