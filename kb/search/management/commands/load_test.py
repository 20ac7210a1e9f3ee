"""Load-test the whole site: `manage.py load_test` (`make load`).

gunicorn (2 workers, DEBUG off) serves the KB from the configured database, which holds
the search benchmark's corpus (generated on the first run, kept for the next: generating
100,000 documents takes minutes); concurrent clients on loopback, each a signed-in
reader, advocate or editor, browse it for a while with a write every so often
(kb.search.benchmark.site says what they do). First the same clients ask ``/healthz`` for
the ceiling. Prints a table per page type; asserts nothing. Only runs on a database
whose name says it is for benchmarks or load tests ("bench" or "load").
"""

import asyncio
import os
import random
import statistics
import time
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse
from taggit.models import Tag

from kb.core.permissions import ADVOCATE, EDITOR, READER
from kb.core.registry import kinds
from kb.follows.models import Follow
from kb.search.benchmark import corpus, load, readonly, site
from kb.search.benchmark.corpus import Description, Shape
from kb.search.benchmark.readonly import Timing
from kb.search.management.commands.bench_search import generate, is_benchmark_database

PREFIX = "load-"
ROLES = {site.READER: READER, site.ADVOCATE: ADVOCATE, site.EDITOR: EDITOR}
# Of every 50 clients: readers most, some advocates, a few editors.
SHARES = {site.READER: 0.7, site.ADVOCATE: 0.2, site.EDITOR: 0.1}
ARTICLES_EACH = 40  # published articles each advocate client owns and edits in turn
FOLLOWS_EACH = 5  # topics each person follows (their home page's "for you")
PATHS_EACH = 2000  # items and topics the clients choose among, most visited first


def is_load_database(name: str) -> bool:
    """Only a database named for benchmarks or load tests may receive the corpus."""
    return is_benchmark_database(name) or "load" in Path(name).name


def roles_for(clients: int) -> list[str]:
    """Each client's role: at least one of each, the rest by SHARES."""
    advocates = max(1, round(clients * SHARES[site.ADVOCATE]))
    editors = max(1, round(clients * SHARES[site.EDITOR]))
    readers = max(1, clients - advocates - editors)
    return ([site.READER] * readers + [site.ADVOCATE] * advocates + [site.EDITOR] * editors)[
        :clients
    ]


def prepare_people(roles: list[str], password: str) -> list[tuple[str, str, list]]:
    """(username, role, articles to edit) per client: readers and editors share an account
    per ten clients (as people on several tabs); each advocate client is its own advocate
    owning ARTICLES_EACH published articles no other client edits."""
    User = get_user_model()
    Article = apps.get_model("articles", "Article")
    published = Article.objects.published().order_by("pk").values_list("pk", flat=True)
    article_ids = list(published[: ARTICLES_EACH * roles.count(site.ADVOCATE)])
    popular = list(Tag.objects.filter(slug__startswith="bench-").order_by("pk")[:40])
    tag_type = ContentType.objects.get_for_model(Tag)
    rnd = random.Random(3)
    people, counters, made = [], dict.fromkeys(ROLES, 0), {}
    for role in roles:
        number = counters[role]
        counters[role] += 1
        shared = role != site.ADVOCATE
        username = f"{PREFIX}{role}-{number // 10 if shared else number}"
        if username not in made:  # a password hash costs a quarter of a second
            user, _ = User.objects.get_or_create(username=username)
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get_or_create(name=ROLES[role])[0])
            for tag in rnd.sample(popular, min(FOLLOWS_EACH, len(popular))):
                Follow.objects.get_or_create(user=user, content_type=tag_type, object_id=tag.pk)
            made[username] = user
        user = made[username]
        targets = []
        if role == site.ADVOCATE:
            mine = article_ids[number * ARTICLES_EACH : (number + 1) * ARTICLES_EACH]
            Article.all_objects.filter(pk__in=mine).update(**{Article.OWNER_FIELD: user})
            targets = [
                load.Target(reverse("articles:edit", kwargs={"slug": slug}), url)
                for slug, url in (
                    (a.slug, a.get_absolute_url()) for a in Article.objects.filter(pk__in=mine)
                )
            ]
        people.append((username, role, targets))
    return people


def page_paths() -> tuple[dict[str, list[str]], list[str]]:
    """Paths per page type, most visited first, and the items that take comments."""
    lists = []
    for _, kind in kinds():
        path = reverse(kind.list_url)
        lists += [path, path, path, f"{path}?page=2", f"{path}?page=5"]
    lists += [reverse("advocates:list"), reverse("questions:list"), reverse("tag_list")]
    items, commentable = [], []
    per_kind = PATHS_EACH // max(1, len(kinds()))
    for model, kind in kinds():
        urls = [item.get_absolute_url() for item in model.objects.published()[:per_kind]]
        items.append(urls)
        if kind.commentable:
            commentable += urls[:200]
    details = [url for group in zip(*items, strict=False) for url in group]
    random.Random(1).shuffle(details)
    tags = Tag.objects.filter(slug__startswith="bench-").order_by("pk")[:PATHS_EACH]
    topics = [reverse("tag_detail", kwargs={"slug": tag.slug}) for tag in tags]
    return {"home": [reverse("home")], "list": lists, "detail": details, "topic": topics}, (
        commentable
    )


class Command(BaseCommand):
    help = "Serve the KB on gunicorn with a large corpus and time a realistic mix of pages."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=100_000, help="Corpus size, if made.")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")
        parser.add_argument("--port", type=int, default=8710, help="gunicorn's port.")
        parser.add_argument("--clients", type=int, default=50, help="Concurrent connections.")
        parser.add_argument("--duration", type=float, default=60, help="Seconds of the mix.")
        parser.add_argument(
            "--ceiling-duration", type=float, default=15, help="Seconds of /healthz alone."
        )
        parser.add_argument(
            "--write-every", type=int, default=20, help="One write per this many requests."
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="Instead: time single pages in process (test client), cold and cached.",
        )

    def handle(self, *args, **options) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if not is_load_database(name):
            raise CommandError(f"Refusing to write a load-test corpus into {name!r}.")
        self.stdout.write(f"Load test on {connection.vendor} ({name})")
        description = Description.load()
        if corpus.corpus_exists():
            self.stdout.write("corpus: kept from an earlier run (drop the database to remake it)")
        else:
            description = generate(Shape.for_documents(options["docs"]), self.stdout)
        if description is None:  # the corpus without its description file: no broad words
            description = Description(documents=options["docs"], broad={})
        corpus.as_autovacuum_leaves_it()
        documents = sum(model.all_objects.count() for model, _ in kinds())
        self.stdout.write(f"content items: {documents}")
        if options["pages"]:
            self._pages()
            return
        password = f"Load-{random.SystemRandom().getrandbits(64):x}"
        roles = roles_for(options["clients"])
        people = prepare_people(roles, password)
        pages, commentable = page_paths()
        searches = [p for ps in readonly.query_mix(description).values() for p in ps]
        log_dir = Path(settings.BASE_DIR) / "var"
        workers = load.start_workers(
            1, options["port"], log_dir, processes=options["workers"], timeout=30
        )
        try:
            base = workers[0].base
            sessions = asyncio.run(self._sign_in(base, people, password))
            plan = site.SitePlan(
                base=base,
                # Each client its own cookie jar: one signed-in session per account.
                people=[
                    site.Person(role, load.Session(dict(sessions[username].cookies)), targets)
                    for username, role, targets in people
                ],
                pages=pages,
                searches=searches,
                search_path=reverse("search:results"),
                commentable=commentable,
                dashboard_path=reverse("departments:dashboard"),
                duration=options["duration"],
                write_every=options["write_every"],
                ceiling_duration=options["ceiling_duration"],
                floor_path=reverse("notifications:list"),
            )
            asyncio.run(self._warm(plan))
            before = os.getloadavg()
            ceiling, floor, mix = site.run(plan)
            after = os.getloadavg()
            restarts = workers[0].restarts()
        finally:
            load.stop_workers(workers)
        self._report(plan, options, ceiling, floor, mix, before, after, restarts)

    async def _sign_in(self, base: str, people, password: str) -> dict[str, load.Session]:
        login = reverse("login")
        sessions = {}
        for username, _, _ in people:
            if username not in sessions:
                first = await load.sign_in(base, login, username, password)
                sessions[username] = first
        return sessions

    async def _warm(self, plan: site.SitePlan) -> None:
        """One of each page per worker, so no worker's first requests are timed."""
        session = plan.people[-1].session
        paths = [paths[0] for paths in plan.pages.values()] + [plan.dashboard_path]
        for _ in range(4):
            for path in paths:
                await session.get(plan.base + path)
            await session.get(plan.base + plan.search_path, plan.searches[0])

    def _report(self, plan, options, ceiling, floor, mix, before, after, restarts) -> None:
        out = self.stdout.write
        cpus = os.cpu_count()
        roles = {role: sum(p.role == role for p in plan.people) for role in ROLES}
        out(
            f"\n{options['workers']} gunicorn workers, {len(plan.people)} clients"
            f" ({', '.join(f'{n} {role}s' for role, n in roles.items())}),"
            f" {options['ceiling_duration']:.0f} s of /healthz, as long of the signed-in floor"
            f" ({plan.floor_path}), then {options['duration']:.0f} s"
            f" of the mix, one write per {options['write_every']} requests, DEBUG off"
        )
        out(
            f"load average before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f},"
            f" after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f} ({cpus} CPUs)"
        )
        header = (
            f"{'page':<14}{'requests':>9}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}"
            f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}"
        )
        out(header)
        for name in site.READS + site.WRITES:
            if mix.count(name):
                out(self._line(name, mix.timing(name), mix.rate([name]), mix.errors_of(name)))
        reads = mix.combined("all reads", site.READS)
        writes = mix.combined("all writes", site.WRITES)
        every = mix.combined("overall", site.READS + site.WRITES)
        read_errors = sum(mix.errors_of(n) for n in site.READS)
        write_errors = sum(mix.errors_of(n) for n in site.WRITES)
        out(self._line("all reads", reads, mix.rate(site.READS), read_errors))
        out(self._line("all writes", writes, mix.rate(site.WRITES), write_errors))
        out(
            self._line(
                "overall", every, mix.rate(site.READS + site.WRITES), read_errors + write_errors
            )
        )
        healthz = ceiling.timing(site.CEILING)
        ceiling_rate = ceiling.rate([site.CEILING])
        out(self._line("healthz", healthz, ceiling_rate, ceiling.errors_of(site.CEILING)))
        floor_rate = floor.rate([site.FLOOR])
        floor_timing = floor.timing(site.FLOOR)
        out(self._line("signed-in", floor_timing, floor_rate, floor.errors_of(site.FLOOR)))
        problems = sorted(mix.errors.items()) + sorted(ceiling.errors.items())
        for (kind, why), count in problems + sorted(floor.errors.items()):
            out(f"  {count} × {kind}: {why}")
        share = mix.rate(site.READS) / ceiling_rate if ceiling_rate else 0.0
        errors = sum(mix.errors.values())
        p99 = every.percentile(0.99) * 1000
        out(
            f"targets: errors {errors} (0: {'met' if not errors else 'missed'});"
            f" p99 {p99:.0f} ms (≤ 500: {'met' if p99 <= 500 else 'missed'});"
            f" reads {share:.0%} of the ceiling (≥ 50%: {'met' if share >= 0.5 else 'missed'})"
        )
        if floor_rate and ceiling_rate:
            out(
                f"the signed-in floor is {floor_rate / ceiling_rate:.0%} of the ceiling;"
                f" reads are {mix.rate(site.READS) / floor_rate:.0%} of the floor"
            )
        out(
            f"gunicorn: {restarts['restarts']} worker restarts,"
            f" {restarts['timeouts']} killed by its timeout"
        )

    def _pages(self, rounds: int = 5) -> None:
        """Each page's p50 and best of ``rounds`` after a first, cold request (the cache
        emptied before it), and its statements: for before/after comparisons of a fix."""
        from django.core.cache import cache
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        people = prepare_people([site.READER, site.EDITOR], "unused-Load-1")
        User = get_user_model()
        reader, editor = Client(), Client()
        reader.force_login(User.objects.get(username=people[0][0]))
        editor.force_login(User.objects.get(username=people[1][0]))
        tags = Tag.objects.filter(slug__startswith="bench-").order_by("pk")
        popular, rare = tags.first(), tags.last()
        articles = apps.get_model("articles", "Article").objects.published().order_by("pk")
        item = list(articles[:101])[-1]  # the 101st, or the last of a small corpus
        pages = [
            ("home", reader, reverse("home")),
            ("tag list", reader, reverse("tag_list")),
            ("topic, popular", reader, reverse("tag_detail", args=[popular.slug])),
            ("topic, rare", reader, reverse("tag_detail", args=[rare.slug])),
            ("articles", reader, reverse("articles:list")),
            ("articles ?tag=", reader, f"{reverse('articles:list')}?tag={popular.slug}"),
            ("an article", reader, item.get_absolute_url()),
            ("search + tag", reader, f"{reverse('search:results')}?q=video&tag={popular.slug}"),
            ("dashboard", editor, reverse("departments:dashboard")),
        ]
        self.stdout.write(f"{'page':<16}{'p50 ms':>8}{'min ms':>8}{'cold ms':>9}{'queries':>9}")
        for name, client, url in pages:
            cache.clear()
            began = time.perf_counter()
            status = client.get(url).status_code
            cold = time.perf_counter() - began
            samples = []
            for _ in range(rounds):
                began = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    client.get(url)
                samples.append(time.perf_counter() - began)
            self.stdout.write(
                f"{name:<16}{statistics.median(samples) * 1000:>8.0f}{min(samples) * 1000:>8.0f}"
                f"{cold * 1000:>9.0f}{len(queries):>9}" + ("" if status == 200 else f" ({status})")
            )

    def _line(self, name: str, timing: Timing, rate: float, errors: int) -> str:
        return (
            f"{name:<14}{len(timing.samples) + errors:>9}{rate:>8.1f}{timing.p50 * 1000:>9.0f}"
            f"{timing.percentile(0.95) * 1000:>9.0f}{timing.percentile(0.99) * 1000:>9.0f}"
            f"{timing.worst * 1000:>9.0f}{errors:>8}"
        )
