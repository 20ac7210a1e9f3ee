"""Time the adoption dashboard on a synthetic KB: `manage.py bench_dashboard --docs 100000`.

Writes into the configured database, so it only runs on one whose name contains "bench".
Articles are spread over three years, twenty advocates and six departments, with a few
experiments and questions; the page is then fetched as a staff user. Prints the wall
time, the CPU time (this process's, and on PostgreSQL the server process's, read from
/proc when the server runs on this machine: wall time on a shared machine says more about
the neighbours than about the page), the number of statements, the slowest statements
and the load average. Asserts nothing.
"""

import os
import random
import statistics
import time
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kb.advocates.models import AdvocateProfile, Department
from kb.articles.models import Article
from kb.core.models import Status
from kb.questions.models import Question

BATCH = 2_000


class Command(BaseCommand):
    help = "Generate articles across departments and time the adoption dashboard."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--docs", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=5)

    def handle(self, *args, docs: int, rounds: int, **options) -> None:
        name = str(settings.DATABASES["default"]["NAME"])
        if "bench" not in name:
            raise CommandError(f"Refusing to write a benchmark corpus into {name!r}.")
        if Article.objects.count() < docs:
            started = time.perf_counter()
            _generate(docs - Article.objects.count())
            self.stdout.write(f"corpus generated in {time.perf_counter() - started:.1f} s")
        User = get_user_model()
        staff, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
        client = Client()
        client.force_login(staff)
        url = reverse("departments:dashboard")
        # secure: with DEBUG off the site redirects plain HTTP.
        client.get(url, secure=True)  # warm the caches and the connection
        server = _server_pid()
        seconds, cpu, server_cpu = [], [], []
        load = os.getloadavg()
        for _ in range(rounds):
            with CaptureQueriesContext(connection) as queries:
                server_before = _cpu_seconds(server)
                cpu_before, started = time.process_time(), time.perf_counter()
                response = client.get(url, secure=True)
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_before)
                server_cpu.append(_cpu_seconds(server) - server_before)
        self.stdout.write(
            f"{connection.vendor:<10} status={response.status_code} "
            f"articles={Article.objects.count():>7} "
            f"queries={len(queries.captured_queries):>3} "
            f"median={statistics.median(seconds) * 1000:.0f} ms "
            f"max={max(seconds) * 1000:.0f} ms "
            f"cpu median={statistics.median(cpu) * 1000:.0f} ms"
            + (f" server cpu={statistics.median(server_cpu) * 1000:.0f} ms" if server else "")
            + f" load average={load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
        )
        slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:5]
        for query in slowest:
            self.stdout.write(f"  {float(query['time']) * 1000:7.0f} ms  {query['sql'][:150]}")


def _server_pid() -> int | None:
    """The PostgreSQL server process serving this connection, if it runs on this machine."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def _cpu_seconds(pid: int | None) -> float:
    """A process's user and system CPU time so far (fields 14 and 15 of /proc/<pid>/stat)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@transaction.atomic
def _generate(n: int) -> None:
    rng = random.Random(42)
    User = get_user_model()
    departments = [
        Department.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Bench {i}"})[0]
        for i in range(6)
    ]
    authors = []
    for i in range(20):
        user, _ = User.objects.get_or_create(username=f"bench-advocate-{i}")
        AdvocateProfile.objects.get_or_create(
            user=user, defaults={"department": departments[i % 6]}
        )
        authors.append(user)
    now = timezone.now()
    start = Article.objects.count()
    for offset in range(0, n, BATCH):
        Article.objects.bulk_create(
            Article(
                title=f"Bench article {start + i}",
                slug=f"bench-article-{start + i}",
                status=Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
                published_at=now - timedelta(days=rng.randrange(3 * 365)),
                summary="A synthetic article.",
                body="Synthetic.",
                author=rng.choice(authors),
            )
            for i in range(offset, min(offset + BATCH, n))
        )
    Question.objects.bulk_create(
        Question(
            asker=rng.choice(authors),
            title=f"Bench question {i}",
            department=rng.choice(departments),
            created_at=now - timedelta(days=rng.randrange(365)),
        )
        for i in range(n // 100)
    )
