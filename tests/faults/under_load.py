"""Fault checks against the KB as deployed: gunicorn (2 workers) on PostgreSQL, under load.

    make faults                  # workers SIGKILLed while writes are in flight
    make faults-restart          # PostgreSQL restarted in the middle of the load

What the suite cannot do, since it needs real processes: a fresh database with the demo
corpus (``load_demo``), gunicorn serving it with DEBUG off, and asyncio clients (the load
benchmark's, ``kb.search.benchmark.load``) reading pages and writing — editing articles,
writing new ones and submitting them for review — while a fault strikes:

- ``--kill N``: N times, while writes are in flight, SIGKILL one gunicorn worker (the
  master starts another). Then the database must be consistent: every item written
  during the run has the revision of its version, every revision and workflow record
  points at an item, each item's status is where its workflow history leaves it, and
  each article's search entry shows its title or the article is still queued.
- ``--restart-postgres``: restart the PostgreSQL cluster once (``pg_ctlcluster``) in the
  middle. Every answer must be 200, 302 or 503 (the "briefly unavailable" page), and
  pages must answer 200 again after it without restarting gunicorn. The server may be
  shared: /work/wt/PGRESTART (``--announce``) exists while it restarts.

Prints tables of what was answered, before, during and after each fault, and what was
found; exits 1 when a check fails. Asserts nothing about speed.
"""

import argparse
import asyncio
import itertools
import os
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kb_faults"
READS = ["/", "/articles/", "/case-studies/", "/research/", "/search/?q=linkedin", "/questions/"]
ALLOWED_DURING_RESTART = {200, 302, 503}
SETTLE = 3.0  # seconds after a fault still counted as "during" it


@dataclass
class Outcome:
    at: float  # seconds since the load began
    kind: str  # "read" or "write"
    answer: str  # the status, or the client-side error's name


@dataclass
class Fault:
    name: str
    began: float = 0.0
    ended: float = 0.0
    detail: str = ""


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    writes_in_flight: int = 0


def say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# --- the deployment -----------------------------------------------------------------


def environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        # Notifications of the submitted articles would fill the console.
        EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def fresh_database(url: str, env: dict[str, str]) -> None:
    """Drop and create the check's own database, then migrate and load the demo corpus."""
    import psycopg

    server, name = url.rsplit("/", 1)
    if "faults" not in name or not name.isidentifier():
        raise SystemExit(f"refusing to recreate {name!r}: the database name must say 'faults'")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput", "-v0")


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    log.parent.mkdir(parents=True, exist_ok=True)
    log.unlink(missing_ok=True)
    master = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--timeout=30",
            f"--error-logfile={log}",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=env,
    )
    asyncio.run(_wait_until_answering(master, port, log))
    return master


async def _wait_until_answering(master: subprocess.Popen, port: int, log: Path) -> None:
    from kb.search.benchmark.load import Session

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if master.poll() is not None:
            raise SystemExit(f"gunicorn exited; see {log}")
        try:
            if (await Session().get(f"http://127.0.0.1:{port}/healthz")).status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer; see {log}")


def workers_of(master: subprocess.Popen) -> list[int]:
    path = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    try:
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


def stop(master: subprocess.Popen) -> None:
    if master.poll() is None:
        master.terminate()
        try:
            master.wait(timeout=20)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


# --- the load -------------------------------------------------------------------------


async def drive(
    base: str, targets: list[str], duration: float, clients: int, write_every: int,
    schedule: list[tuple[float, Callable[[Run], Fault]]], run: Run,
) -> None:  # fmt: skip
    """``clients`` readers and editors for ``duration`` seconds; each (at, fault) runs in
    a thread at its time."""
    from kb.search.benchmark.load import sign_in

    login = "/accounts/login/"
    readers = [await sign_in(base, login, "reader", "reader-demo") for _ in range(clients)]
    editors = [await sign_in(base, login, "editor", "editor-demo") for _ in range(clients)]
    started = time.monotonic()
    counter = itertools.count()
    articles = itertools.cycle(targets)

    def now() -> float:
        return time.monotonic() - started

    async def client(number: int) -> None:
        for turn in itertools.count():
            if now() >= duration:
                return
            n = next(counter)
            if n % write_every == write_every - 1:
                run.writes_in_flight += 1
                try:
                    answer = await _write(editors[number], base, next(articles), n)
                finally:
                    run.writes_in_flight -= 1
                run.outcomes.append(Outcome(now(), "write", answer))
            else:
                path = READS[(number + turn) % len(READS)]
                answer = await _read(readers[number], base + path)
                run.outcomes.append(Outcome(now(), "read", answer))

    async def faults() -> None:
        for at, strike in schedule:
            await asyncio.sleep(max(0.0, at - now()))
            fault = await asyncio.to_thread(strike, run)
            fault.began, fault.ended = fault.began - started, fault.ended - started
            run.faults.append(fault)

    await asyncio.gather(faults(), *(client(i) for i in range(clients)))


async def _read(session, url: str) -> str:
    try:
        return str((await session.get(url)).status)
    except Exception as error:  # a worker killed mid-answer: no or half a response
        return _cut_off(error)


async def _write(editor, base: str, article: str, number: int) -> str:
    """Every other write edits an article; the others write a new one and submit it."""
    from kb.search.benchmark.load import edit_form

    new = number % 2 == 0
    path = "/articles/new/" if new else article
    try:
        page = await editor.get(base + path)
        if page.status != 200:
            return f"page {page.status}"
        action, fields = edit_form(page.body)
        typed = {"title": f"Fault check {number}"}
        if new:
            typed |= {"summary": "Written under load.", "body": "Written while faults struck."}
            fields.append(("submit_for_review", "1"))
        fields = [(name, typed.get(name, value)) for name, value in fields]
        return str((await editor.post(base + (action or path), fields)).status)
    except Exception as error:
        return _cut_off(error)


def _cut_off(error: Exception) -> str:
    return f"cut off ({type(error).__name__})"


# --- the faults -----------------------------------------------------------------------


def killer(master: subprocess.Popen):
    def kill(run: Run) -> Fault:
        fault = Fault("worker killed", time.monotonic())
        # Strike while a write is under way (up to 5 s wait), so one may be cut short.
        deadline = time.monotonic() + 5
        while run.writes_in_flight == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        pids = workers_of(master)
        if pids:
            os.kill(pids[0], signal.SIGKILL)
            fault.detail = f"pid {pids[0]}, {run.writes_in_flight} write(s) in flight"
        fault.ended = time.monotonic()
        return fault

    return kill


def restarter(cluster: list[str], announce: Path | None):
    def restart(run: Run) -> Fault:
        fault = Fault("PostgreSQL restarted", time.monotonic())
        if announce is not None:
            announce.write_text(f"restarted by tests/faults/under_load.py, pid {os.getpid()}\n")
        try:
            subprocess.run(
                # Fast: end the sessions at once, as a failover or an upgrade does.
                ["pg_ctlcluster", "--skip-systemctl-redirect", "-m", "fast", *cluster, "restart"],
                check=True,
                timeout=30,
            )
        finally:
            fault.ended = time.monotonic()
            if announce is not None:
                announce.unlink(missing_ok=True)
        fault.detail = f"took {fault.ended - fault.began:.1f} s"
        return fault

    return restart


# --- checks ---------------------------------------------------------------------------


def consistency(created_after: dict[str, int]) -> list[str]:
    """What a killed request might have left half-saved, as sentences; none is good."""
    from django.contrib.contenttypes.models import ContentType

    from kb.articles.models import Article
    from kb.core.models import content_models
    from kb.revisions.models import Revision
    from kb.search.models import IndexEntry, IndexQueue
    from kb.workflow.models import Transition

    problems = []
    for model in content_models().values():
        label = model.__name__
        content_type = ContentType.objects.get_for_model(model)
        revisions: dict[int, set[int]] = {}
        for object_id, number in Revision.objects.filter(content_type=content_type).values_list(
            "object_id", "number"
        ):
            revisions.setdefault(object_id, set()).add(number)
        latest: dict[int, str] = {}
        for object_id, to_status in (
            Transition.objects.filter(content_type=content_type)
            .order_by("created_at", "pk")
            .values_list("object_id", "to_status")
        ):
            latest[object_id] = to_status
        items = dict(model.all_objects.values_list("pk", "version"))
        statuses = dict(model.all_objects.values_list("pk", "status"))
        for pk, version in items.items():
            # Fixture items have no revision until their first edit keeps a baseline.
            made_here = pk > created_after.get(label, 0)
            if (made_here or pk in revisions) and version not in revisions.get(pk, set()):
                problems.append(f"{label} {pk} is at version {version} without its revision")
            if pk in latest and latest[pk] != statuses[pk]:
                problems.append(
                    f"{label} {pk} is {statuses[pk]} but its history ends at {latest[pk]}"
                )
        for orphan in sorted(set(revisions) - set(items)):
            problems.append(f"revisions of {label} {orphan}, which does not exist")
        for orphan in sorted(set(latest) - set(items)):
            problems.append(f"workflow records of {label} {orphan}, which does not exist")
    article_type = ContentType.objects.get_for_model(Article)
    indexed = dict(
        IndexEntry.objects.filter(content_type=article_type).values_list("object_id", "title")
    )
    queued = set(
        IndexQueue.objects.filter(content_type=article_type).values_list("object_id", flat=True)
    )
    for pk, title in Article.all_objects.values_list("pk", "title"):
        if indexed.get(pk) != title and pk not in queued:
            problems.append(f"Article {pk}'s search entry is stale and it is not queued")
    return problems


def phases(run: Run, fault: Fault) -> dict[str, Counter]:
    table = {"before": Counter(), "during": Counter(), "after": Counter()}
    for outcome in run.outcomes:
        if outcome.at < fault.began:
            phase = "before"
        elif outcome.at <= fault.ended + SETTLE:
            phase = "during"
        else:
            phase = "after"
        table[phase][f"{outcome.kind} {outcome.answer}"] += 1
    return table


def print_table(title: str, table: dict[str, Counter]) -> None:
    answers = sorted({key for counts in table.values() for key in counts})
    say(f"\n{title}")
    say(f"{'answer':<28}" + "".join(f"{phase:>10}" for phase in table))
    for answer in answers:
        say(f"{answer:<28}" + "".join(f"{table[phase][answer]:>10}" for phase in table))


# --- main -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.getenv("FAULTS_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--port", type=int, default=8109)
    parser.add_argument("--duration", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--write-every", type=int, default=3, help="one write per N requests")
    parser.add_argument("--kill", type=int, default=0, help="SIGKILL a worker this many times")
    parser.add_argument("--restart-postgres", action="store_true")
    parser.add_argument("--cluster", default="15 main", help="pg_ctlcluster's version and name")
    parser.add_argument("--announce", type=Path, default=None, help="a file to hold meanwhile")
    parser.add_argument("--reuse", action="store_true", help="keep the database as it is")
    args = parser.parse_args(argv)

    env = environment(args.database_url)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG"):
        os.environ[name] = env[name]
    if not args.reuse:
        say(f"Preparing {args.database_url} (migrate, load_demo, collectstatic)…")
        fresh_database(args.database_url, env)
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from kb.articles.models import Article
    from kb.core.models import content_models

    created_after = {
        model.__name__: model.all_objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for model in content_models().values()
    }
    targets = [f"/articles/{slug}/edit/" for slug in Article.objects.values_list("slug", flat=True)]
    before = consistency(created_after)
    if before:
        say("Inconsistent before the run:\n  " + "\n  ".join(before))
        return 1

    log = BASE_DIR / "var" / "faults-gunicorn.log"
    master = start_gunicorn(env, args.port, log)
    schedule = []
    if args.kill:
        step = args.duration / (args.kill + 1)
        schedule += [(step * (n + 1), killer(master)) for n in range(args.kill)]
    if args.restart_postgres:
        schedule.append((args.duration * 0.4, restarter(args.cluster.split(), args.announce)))
    run = Run()
    try:
        asyncio.run(
            drive(
                f"http://127.0.0.1:{args.port}",
                targets,
                args.duration,
                args.clients,
                args.write_every,
                sorted(schedule, key=lambda pair: pair[0]),
                run,
            )  # fmt: skip
        )
    finally:
        stop(master)
    from django.db import connection

    connection.close()  # a restart ended this process's connection too

    failures = []
    say(f"\n{len(run.outcomes)} requests in {args.duration:.0f} s by {args.clients} clients")
    for fault in run.faults:
        say(f"  {fault.began:6.1f}–{fault.ended:.1f} s  {fault.name} ({fault.detail})")
    for fault in run.faults:
        table = phases(run, fault)
        print_table(f"Answers around: {fault.name} at {fault.began:.1f} s", table)
        if fault.name == "PostgreSQL restarted":
            odd = {
                answer
                for counts in table.values()
                for answer in counts
                if not answer.split()[-1].isdigit()
                or int(answer.split()[-1]) not in ALLOWED_DURING_RESTART
            }
            if odd:
                failures.append(f"answers other than 200/302/503: {sorted(odd)}")
            if not table["after"]["read 200"]:
                failures.append("no page answered 200 after the restart")
    if args.kill:
        restarts = log.read_text(errors="replace").count("Booting worker") - 2
        say(f"\ngunicorn booted {restarts} replacement worker(s)")
        cut = sum(1 for o in run.outcomes if o.kind == "write" and o.answer.startswith("cut off"))
        say(f"writes cut short by a kill: {cut}")
    problems = consistency(created_after)
    verdict = "" if problems else "every item has its revision and history; no orphans"
    say(f"\nConsistency: {verdict}")
    for problem in problems:
        say(f"  {problem}")
    failures += problems
    if failures:
        say("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    say("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
