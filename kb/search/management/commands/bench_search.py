"""Benchmark search on a synthetic corpus: `manage.py bench_search --docs 100000`.

Writes into the configured database, so it only runs on one whose name contains "bench"
(`make bench` sets that up for SQLite and PostgreSQL). Prints tables; asserts nothing.
Steps: generate the corpus, `rebuild_search_index`, an edit history; the read-only mix in
process against the naive baseline; then gunicorn workers over loopback: a fresh worker's
first search and memory (each worker on a port of its own), then concurrent clients on
one master whose workers share its socket, read-only and again with writes through the
edit form, and the time until each write is found by every worker.
"""

import asyncio
import gc
import io
import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from kb.core.models import Status
from kb.core.permissions import EDITOR, READER
from kb.core.registry import kinds
from kb.search.benchmark import corpus, load, readonly
from kb.search.benchmark.corpus import Description, Shape
from kb.search.benchmark.readonly import Timing
from kb.search.management.commands.rebuild_search_index import progress_bar

READER_NAME, EDITOR_NAME = "bench-reader", "bench-editor"


def is_benchmark_database(name: str) -> bool:
    """Only a database named for the benchmark may receive its corpus."""
    return "bench" in name


def bench_users() -> tuple[str, str, str]:
    """A reader and an editor who sign in with a password made for this run."""
    password = f"Bench-{random.SystemRandom().getrandbits(64):x}"
    User = get_user_model()
    for username, role in ((READER_NAME, READER), (EDITOR_NAME, EDITOR)):
        user, _ = User.objects.get_or_create(username=username)
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return READER_NAME, EDITOR_NAME, password


def edit_targets(limit: int = 500) -> list[load.Target]:
    """Published items of every kind, taken in turn, for the writers to edit."""
    per_kind = []
    for model, kind in kinds():
        namespace = kind.list_url.split(":")[0]
        items = model.objects.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())
        per_kind.append(
            [
                load.Target(reverse(f"{namespace}:edit", kwargs={"slug": slug}), url)
                for slug, url in (
                    (item.slug, item.get_absolute_url())
                    for item in items.order_by("pk")[: limit // max(1, len(kinds())) + 1]
                )
            ]
        )
    mixed = [target for group in zip(*per_kind, strict=False) for target in group]
    return mixed[:limit]


def generate(shape: Shape, stdout) -> Description:
    """Generate the corpus, index it and give it an edit history, saying how long each took."""
    started = time.perf_counter()
    generated = corpus.generate(shape, progress=progress_bar("generate", shape.documents))
    seconds = time.perf_counter() - started
    stdout.write(
        f"corpus: {generated.documents} documents in {seconds:.1f} s"
        f" ({shape.owners} owners, {shape.tags} tags, {shape.departments} departments,"
        f" {shape.platforms} platforms)"
    )
    for label, count in generated.by_kind.items():
        stdout.write(f"  {label:<28}{count:>9}")
    output = io.StringIO()
    started = time.perf_counter()
    call_command("rebuild_search_index", stdout=output)
    seconds = time.perf_counter() - started
    stdout.write(
        f"index rebuild (rebuild_search_index): {seconds:.1f} s"
        f" = {generated.documents / seconds:.0f} docs/s; it says: {output.getvalue().strip()}"
    )
    started = time.perf_counter()
    saved = corpus.edit_history(shape, progress=progress_bar("edits   ", corpus.edit_count(shape)))
    seconds = time.perf_counter() - started
    if saved:
        stdout.write(
            f"edit history: {saved} saves in {seconds:.1f} s = {saved / seconds:.0f} saves/s"
        )
    return generated.description


class Command(BaseCommand):
    help = "Generate a realistic corpus, then time search read-only, under load and with writes."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3, help="Timed runs of each query.")
        parser.add_argument(
            "--per-class", type=int, help="Time only the first searches of each class."
        )
        parser.add_argument(
            "--baseline-per-class",
            type=int,
            default=2,
            help="Time the naive baseline on the first searches of each class only "
            "(it takes seconds a search on PostgreSQL at 100,000 documents); 0: none.",
        )
        parser.add_argument("--reuse", action="store_true", help="Keep an existing corpus.")
        parser.add_argument(
            "--edits", type=float, default=0.1, help="Saves of the edit history, per item."
        )
        parser.add_argument(
            "--suggest-only", action="store_true", help="Time search-as-you-type alone."
        )
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn runs.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--port", type=int, default=8700, help="The first worker's port.")
        parser.add_argument("--clients", type=int, default=8, help="Concurrent clients.")
        parser.add_argument("--duration", type=float, default=60, help="Seconds of each run.")
        parser.add_argument(
            "--write-every", type=int, default=20, help="One write per this many requests."
        )
        parser.add_argument(
            "--freshness-timeout",
            type=float,
            default=10,
            help="Seconds to wait for a write to be findable before counting it stale.",
        )

    def handle(self, *args, **options) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if not is_benchmark_database(name):
            raise CommandError(f"Refusing to write a benchmark corpus into {name!r}.")
        self.vendor = connection.vendor
        docs = options["docs"]
        self.stdout.write(f"Search benchmark on {self.vendor} ({name}), {docs} documents")
        description = Description.load()
        if not (options["reuse"] and description and corpus.corpus_exists()):
            if corpus.corpus_exists():
                raise CommandError("This database has a corpus: use --reuse or a fresh one.")
            description = generate(Shape.for_documents(docs, edits=options["edits"]), self.stdout)
        # Time searches as a worker that never generated a corpus would run them: what
        # generating left alive is set aside from the collector, whose full passes over it
        # would otherwise be counted in every search (docs/bench/README.md).
        gc.collect()
        gc.freeze()
        try:
            self._run(description, options)
        finally:
            gc.unfreeze()

    def _run(self, description: Description, options: dict) -> None:
        corpus.as_autovacuum_leaves_it()
        self.stdout.write(
            "broad words (share of documents): "
            + ", ".join(f"{w} {share:.0%}" for w, share in description.broad.items())
        )
        reader, editor, password = bench_users()
        client = Client()
        client.force_login(get_user_model().objects.get(username=reader))
        if not options["suggest_only"]:
            self._search_table(
                client,
                description,
                options["rounds"],
                options["per_class"],
                options["baseline_per_class"],
            )
            # People repeat popular words, which each process remembers the matches and
            # readers' rendered results of; the same mix again as if every query were new.
            self._search_table(
                client, description, options["rounds"], options["per_class"], 0, first_time=True
            )
        # It times suggestions, not the rate limiter: its one client asks for more a
        # minute than KB_RATE_LIMITS lets a person.
        with override_settings(RATELIMIT_ENABLE=False):
            self._suggest_table(client, options["rounds"], options["per_class"])
        if not (options["suggest_only"] or options["no_load"]):
            self._load(description, reader, editor, password, options)

    def _search_table(
        self,
        client: Client,
        description: Description,
        rounds: int,
        per_class: int | None,
        baseline_per_class: int,
        first_time: bool = False,
    ) -> None:
        header = f"{'query class':<14}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
        header += f"{'naive p50':>11}{'naive p95':>11}{'speed-up':>10}"
        asked = "each query new to the process"
        if not first_time:
            asked = "repeated: matches and pages remembered"
        self.stdout.write(
            f"\n{self.vendor}: full results page, in process (view, snippets, facets;"
            f" {asked})\n{header}"
        )
        every, every_naive = Timing("all"), Timing("all")
        runs = readonly.run(
            client, description, rounds, per_class, baseline_per_class, first_time=first_time
        )
        for timing, baseline in runs:
            every.add(timing)
            every_naive.add(baseline)
            self.stdout.write(self._line(timing, baseline))
        self.stdout.write(self._line(every, every_naive))

    def _suggest_table(self, client: Client, rounds: int, per_class: int | None) -> None:
        header = f"{'typed':<14}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'queries':>9}"
        self.stdout.write(f"\n{self.vendor}: search-as-you-type (completions, titles)\n{header}")
        every = Timing("all")
        for timing in readonly.run_suggest(client, rounds, per_class):
            every.add(timing)
            self.stdout.write(self._short_line(timing))
        self.stdout.write(self._short_line(every))

    def _short_line(self, timing: Timing) -> str:
        return (
            f"{timing.name:<14}{len(timing.samples):>5}{timing.p50 * 1000:>9.1f}"
            f"{timing.percentile(0.95) * 1000:>9.1f}{timing.worst * 1000:>9.1f}"
            f"{timing.mean_queries:>9.1f}"
        )

    def _line(self, timing: Timing, baseline: Timing) -> str:
        if not baseline.samples:
            return f"{self._short_line(timing)}{'-':>11}{'-':>11}{'-':>10}"
        speed_up = baseline.p50 / timing.p50 if timing.p50 else 0
        return (
            f"{self._short_line(timing)}{baseline.p50 * 1000:>11.1f}"
            f"{baseline.percentile(0.95) * 1000:>11.1f}{speed_up:>9.0f}x"
        )

    def _load(self, description, reader: str, editor: str, password: str, options) -> None:
        searches = [p for ps in readonly.query_mix(description).values() for p in ps]
        search_path = reverse("search:results")
        login_path = reverse("login")
        warm_path = reverse(kinds()[0][1].list_url)
        log_dir = Path(settings.BASE_DIR) / "var"
        login = {"login_path": login_path, "password": password}
        # A worker that loads nothing before its first request shows what search state
        # costs; the workers as deployed (gunicorn.conf.py) show what they load at boot.
        empty = log_dir / "bench-gunicorn-empty.conf.py"
        empty.write_text("")
        bare = load.start_workers(1, options["port"], log_dir, config=empty)
        try:
            memory = asyncio.run(
                self._probe("no preload", bare, reader, login, warm_path, search_path, searches)
            )
        finally:
            load.stop_workers(bare)
        # Each worker as deployed on a port of its own, to probe it by itself.
        alone = load.start_workers(options["workers"], options["port"], log_dir)
        try:
            memory += asyncio.run(
                self._probe("as deployed", alone, reader, login, warm_path, search_path, searches)
            )
        finally:
            load.stop_workers(alone)
        self._memory_table(memory)
        # The load: one master, its workers sharing the socket, saying who answered.
        workers = load.start_workers(
            1,
            options["port"],
            log_dir,
            processes=options["workers"],
            app="kb.search.benchmark.wsgi:application",
        )
        try:
            base = workers[0].base

            async def sessions(username: str, count: int) -> list[load.Session]:
                first = await load.sign_in(base, login_path, username, password)
                return [load.Session(dict(first.cookies)) for _ in range(count)]

            async def prepare():
                return await sessions(reader, options["clients"]), await sessions(
                    editor, options["clients"]
                )

            readers, editors = asyncio.run(prepare())
            plan = load.LoadPlan(
                base=base,
                workers=options["workers"],
                search_path=search_path,
                searches=searches,
                readers=readers,
                editors=editors,
                targets=edit_targets(),
                clients=options["clients"],
                duration=options["duration"],
                write_every=None,
                freshness_timeout=options["freshness_timeout"],
            )
            read_only = load.run_load(plan)
            plan.write_every = options["write_every"]
            mixed = load.run_load(plan)
            self._load_table(plan, read_only, mixed, workers[0])
        finally:
            load.stop_workers(workers)

    async def _probe(self, label, workers, reader, login, warm_path, search_path, searches):
        session = await load.sign_in(
            workers[0].base, login["login_path"], reader, login["password"]
        )
        return [
            await load.probe(label, worker, session, warm_path, search_path, searches)
            for worker in workers
        ]

    def _memory_table(self, memory: list[load.WorkerMemory]) -> None:
        self.stdout.write(
            f"\n{self.vendor}: a fresh gunicorn worker (resident memory from /proc)\n"
            f"{'worker':<13}{'port':<6}{'ready ms':>9}{'first search ms':>16}{'RSS before MB':>15}"
            f"{'after first':>13}{'after mix':>11}{'growth MB':>11}"
        )
        for m in memory:
            self.stdout.write(
                f"{m.label:<13}{m.port:<6}{m.ready_after * 1000:>9.0f}"
                f"{m.first_search * 1000:>16.0f}{m.rss_before_kb / 1024:>15.1f}"
                f"{m.rss_after_first_kb / 1024:>13.1f}{m.rss_after_mix_kb / 1024:>11.1f}"
                f"{m.growth_kb / 1024:>11.1f}"
            )

    def _load_table(self, plan, read_only, mixed, master) -> None:
        self.stdout.write(
            f"\n{self.vendor}: {plan.workers} gunicorn workers sharing a socket,"
            f" {plan.clients} clients,"
            f" {plan.duration:.0f} s each, DEBUG off\n"
            f"{'run':<12}{'searches':>9}{'per s':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}"
            f"{'writes':>8}{'write p50':>11}{'errors':>8}"
        )
        for name, result in (("read-only", read_only), (f"1 write/{plan.write_every}", mixed)):
            s, w = result.searches, result.writes
            self.stdout.write(
                f"{name:<12}{len(s.samples):>9}{result.throughput:>8.1f}{s.p50 * 1000:>9.1f}"
                f"{s.percentile(0.99) * 1000:>9.1f}{s.worst * 1000:>9.1f}{len(w.samples):>8}"
                f"{w.p50 * 1000:>11.0f}{sum(result.errors.values()):>8}"
            )
            for error, count in sorted(result.errors.items()):
                self.stdout.write(f"  {count} × {error}")
        fresh = Timing("fresh", mixed.fresh)
        stale = len(mixed.freshness) - len(fresh.samples)
        within = sum(1 for s in fresh.samples if s <= 2.0)
        self.stdout.write(
            f"freshness (save answered → found by every worker, {plan.workers} searches"
            f" at once every {plan.poll_interval * 1000:.0f} ms):"
            f" p50 {fresh.p50 * 1000:.0f} ms, max {fresh.worst * 1000:.0f} ms,"
            f" {within}/{len(mixed.freshness)} within 2 s,"
            f" {stale} not found within {plan.freshness_timeout:.0f} s"
        )
        counts = master.restarts()
        self.stdout.write(
            f"workers on port {master.port}: {counts['restarts']} restarts,"
            f" {counts['timeouts']} killed by gunicorn's timeout"
        )
