"""`manage.py rebuild_search_index`: empty and refill the search index, with progress."""

import sys
import time

from django.core.management.base import BaseCommand

from kb.search import index


def progress_bar(label: str, total: int, stream=sys.stderr):
    """A one-line progress bar with a running rate, for long index builds."""
    started = time.perf_counter()

    def report(done: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        filled = int(30 * done / max(total, 1))
        stream.write(f"\r{label} [{'#' * filled}{'-' * (30 - filled)}] {done}/{total} {rate:.0f}/s")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return report


class Command(BaseCommand):
    help = "Rebuild the search index from every searchable object."

    def handle(self, *args, **options) -> None:
        total = index.count_documents()
        done, seconds = index.rebuild(progress=progress_bar("Indexing", total, self.stderr))
        rate = done / seconds if seconds else 0
        self.stdout.write(
            self.style.SUCCESS(f"Indexed {done} documents in {seconds:.1f} s ({rate:.0f} docs/s).")
        )
