"""Benchmark search on a synthetic corpus: `manage.py bench_search --docs 100000`.

Writes into the configured database, so it only runs on one whose name contains "bench"
(`make bench` sets that up for SQLite and PostgreSQL). Prints tables; asserts nothing.
"""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client

from kb.search import benchmark, index
from kb.search import snapshot as snapshots
from kb.search.management.commands.rebuild_search_index import progress_bar
from kb.search.models import IndexEntry


class Command(BaseCommand):
    help = "Generate a synthetic corpus, rebuild the index and time a fixed query mix."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3, help="Timed runs of each query.")
        parser.add_argument("--reuse", action="store_true", help="Keep an existing corpus.")
        parser.add_argument(
            "--suggest-only", action="store_true", help="Time search-as-you-type alone."
        )

    def handle(
        self, *args, docs: int, rounds: int, reuse: bool, suggest_only: bool, **options
    ) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to write a benchmark corpus into {name!r}.")
        vendor = connection.vendor
        self.stdout.write(f"Search benchmark on {vendor} ({name}), {docs} documents")
        if not (reuse and IndexEntry.objects.count() >= docs):
            started = time.perf_counter()
            benchmark.generate(docs, progress=progress_bar("generate", int(docs * 0.9)))
            self.stdout.write(f"corpus generated in {time.perf_counter() - started:.1f} s")
            total = index.count_documents()
            indexed, seconds = index.rebuild(progress=progress_bar("index   ", total))
            self.stdout.write(
                f"index rebuild: {indexed} documents in {seconds:.1f} s"
                f" = {indexed / seconds:.0f} docs/s"
            )
        started = time.perf_counter()
        sets = snapshots.current()
        self.stdout.write(
            f"search sets load (a fresh process's first search): "
            f"{(time.perf_counter() - started) * 1000:.0f} ms for {len(sets.all)} entries,"
            f" {len(sets.facets)} facet values, {sets.size() / 1e6:.1f} MB"
        )
        user, _ = get_user_model().objects.get_or_create(username="bench-reader")
        client = Client()
        client.force_login(user)
        if not suggest_only:
            self._search_table(vendor, client, rounds)
        self._suggest_table(vendor, client, rounds)

    def _search_table(self, vendor: str, client: Client, rounds: int) -> None:
        ours, naive = benchmark.run(client, rounds=rounds)
        header = f"{'query class':<14}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
        header += f"{'naive p50':>11}{'naive p95':>11}{'speed-up':>10}"
        self.stdout.write(f"\n{vendor}: full results page (view, snippets, facets)\n{header}")
        all_ours, all_naive = benchmark.Timing("all"), benchmark.Timing("all")
        for timing, baseline in zip(ours, naive, strict=True):
            all_ours.samples += timing.samples
            all_ours.queries += timing.queries
            all_naive.samples += baseline.samples
            self.stdout.write(self._line(timing, baseline))
        self.stdout.write(self._line(all_ours, all_naive))

    def _suggest_table(self, vendor: str, client: Client, rounds: int) -> None:
        suggestions = benchmark.run_suggest(client, rounds=rounds)
        header = f"{'typed':<14}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
        self.stdout.write(f"\n{vendor}: search-as-you-type (completions, titles)\n{header}")
        every = benchmark.Timing("all")
        for timing in suggestions:
            every.samples += timing.samples
            every.queries += timing.queries
            self.stdout.write(self._suggest_line(timing))
        self.stdout.write(self._suggest_line(every))

    def _suggest_line(self, timing: "benchmark.Timing") -> str:
        name, n, p50, p95, worst, queries = timing.row()
        return f"{name:<14}{n:>5}{p50:>9.1f}{p95:>9.1f}{worst:>9.1f}{queries:>9.1f}"

    def _line(self, timing: "benchmark.Timing", baseline: "benchmark.Timing") -> str:
        name, n, p50, p95, worst, queries = timing.row()
        _, _, naive50, naive95, _, _ = baseline.row()
        return (
            f"{name:<14}{n:>5}{p50:>9.1f}{p95:>9.1f}{worst:>9.1f}{queries:>9.1f}"
            f"{naive50:>11.1f}{naive95:>11.1f}{naive50 / p50:>9.0f}x"
        )
