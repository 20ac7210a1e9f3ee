"""The load benchmark: real HTTP against gunicorn workers, as production serves the KB.

The load runs against one gunicorn master whose workers share its listening socket, as
deployed: whichever worker is free takes the next request. Each response says which
worker answered (kb.search.benchmark.wsgi), so after a write the item's word is searched
until every worker has found it — the write is "fresh" only then. A fresh worker's first
search and memory are measured on masters of one worker each, on ports of their own, so
each worker can be addressed by itself; memory is read from /proc.

Writes are what an editor does: GET the item's edit page, POST the form back with its
CSRF token and every field as rendered, the title changed to carry a new word. Clients
are asyncio coroutines speaking HTTP/1.0 (a connection per request, as gunicorn's sync
workers serve them) over `asyncio.open_connection`.
"""

import asyncio
import itertools
import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from kb.search.benchmark.readonly import Timing

# The response header naming the worker that answered (added by kb.search.benchmark.wsgi).
SERVED_BY = "X-Served-By"

REQUEST_TIMEOUT = 120.0  # seconds; beyond gunicorn's own 30 s worker timeout


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: str

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class Session:
    """One signed-in browser: cookies kept across requests to any worker."""

    def __init__(self, cookies: dict[str, str] | None = None) -> None:
        self.cookies = cookies if cookies is not None else {}

    async def get(self, url: str, params: dict | None = None) -> Response:
        if params:
            url = f"{url}?{urlencode(params)}"
        return await self.request("GET", url)

    async def post(self, url: str, fields: list[tuple[str, str]]) -> Response:
        return await self.request("POST", url, urlencode(fields).encode())

    async def request(self, method: str, url: str, body: bytes = b"") -> Response:
        return await asyncio.wait_for(self._request(method, url, body), REQUEST_TIMEOUT)

    async def _request(self, method: str, url: str, body: bytes) -> Response:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"{method} {path} HTTP/1.0", f"Host: {parts.hostname}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += [
                "Content-Type: application/x-www-form-urlencoded",
                f"Content-Length: {len(body)}",
            ]
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        head, _, content = raw.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = [tuple(line.split(": ", 1)) for line in header_lines if ": " in line]
        for name, value in headers:
            if name.lower() == "set-cookie":
                self._keep(value)
        return Response(int(status_line.split()[1]), headers, content.decode("utf-8", "replace"))

    def _keep(self, header: str) -> None:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would submit (no button pressed)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    @property
    def _fields(self) -> list:
        return self.forms[-1]["fields"] if self.forms else []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (a.get("method") or "get").lower(), "action": a.get("action") or ""}
            )
            self.forms[-1]["fields"] = []
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self._fields.append((a["name"], a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = {"name": a["name"], "text": []}
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": []}
            self._select["options"].append(self._option)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["text"].append(data)
        elif self._option is not None:
            self._option["text"].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea["text"])
            # A browser drops the newline that follows <textarea>.
            self._fields.append((self._textarea["name"], text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"]
                self._fields.append(
                    (self._select["name"], value if value is not None else "".join(option["text"]))
                )
            self._select = None


def edit_form(page: str) -> tuple[str, list[tuple[str, str]]]:
    """The action and fields of a content edit page's form (the POST form with a title)."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if form["method"] == "post" and {"title", "csrfmiddlewaretoken"} <= names:
            return form["action"], form["fields"]
    raise ValueError("no edit form with a title on the page")


def csrf_token(page: str) -> str:
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        for name, value in form["fields"]:
            if name == "csrfmiddlewaretoken":
                return value
    raise ValueError("no CSRF token on the page")


async def sign_in(base: str, login_path: str, username: str, password: str) -> Session:
    """Sign in through the login form, as a person does."""
    session = Session()
    page = await session.get(base + login_path)
    fields = [
        ("csrfmiddlewaretoken", csrf_token(page.body)),
        ("username", username),
        ("password", password),
    ]
    answer = await session.post(base + login_path, fields)
    if answer.status != 302:
        raise RuntimeError(f"signing in as {username} answered {answer.status}")
    return session


# --- gunicorn workers ---------------------------------------------------------------


@dataclass
class Worker:
    """One gunicorn master with one worker, on its own port."""

    port: int
    process: subprocess.Popen
    log: Path
    ready_after: float = 0.0  # seconds from starting the master until it answered
    processes: int = 1  # workers under this master

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pid(self) -> int | None:
        """The worker process (the master's child)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            found = children.read_text().split()
        except OSError:
            return None
        return int(found[0]) if found else None

    def rss_kb(self) -> int:
        pid = self.pid()
        if pid is None:
            return 0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def restarts(self) -> dict[str, int]:
        """Worker boots beyond the first, and workers killed for running too long."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {
            "restarts": max(0, text.count("Booting worker") - self.processes),
            "timeouts": text.count("WORKER TIMEOUT"),
        }


def worker_environment() -> dict[str, str]:
    """Production settings (DEBUG off) on plain HTTP over loopback, the same database."""
    from config.settings import weak_secret_key

    env = dict(os.environ)
    if not env.get("DATABASE_URL"):
        raise RuntimeError("DATABASE_URL must name the benchmark database")
    if weak_secret_key(env.get("SECRET_KEY", "")):
        env["SECRET_KEY"] = secrets.token_urlsafe(50)
    env.update(
        DEBUG="false",
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
    )
    return env


def start_workers(
    count: int,
    first_port: int,
    log_dir: Path,
    timeout: int = 30,
    config: Path | None = None,
    processes: int = 1,
    app: str = "config.wsgi:application",
) -> list[Worker]:
    """Start ``count`` gunicorn masters of ``processes`` workers each (one by default, so
    each worker has a port of its own) and wait until each answers.

    They read the project's gunicorn.conf.py, as deployed, unless ``config`` names another
    (an empty one starts a worker that loads nothing before its first request)."""
    from django.conf import settings

    log_dir.mkdir(parents=True, exist_ok=True)
    env = worker_environment()
    workers = []
    for port in range(first_port, first_port + count):
        log = log_dir / f"bench-gunicorn-{port}.log"
        log.unlink(missing_ok=True)
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            f"--workers={processes}",
            f"--bind=127.0.0.1:{port}",
            f"--timeout={timeout}",
            f"--error-logfile={log}",
        ]
        if config is not None:
            command.append(f"--config={config}")
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        workers.append(Worker(port, process, log, processes=processes))
    try:
        asyncio.run(_wait_ready(workers))
    except BaseException:
        stop_workers(workers)
        raise
    return workers


async def _wait_ready(workers: list[Worker], within: float = 60.0) -> None:
    started = time.monotonic()
    deadline = started + within
    for worker in workers:
        while True:
            if worker.process.poll() is not None:
                raise RuntimeError(f"gunicorn on port {worker.port} exited; see {worker.log}")
            try:
                if (await Session().get(worker.base + "/healthz")).status == 200:
                    worker.ready_after = time.monotonic() - started
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn on port {worker.port} did not answer")
            await asyncio.sleep(0.2)


def stop_workers(workers: list[Worker]) -> None:
    for worker in workers:
        if worker.process.poll() is None:
            worker.process.terminate()
    for worker in workers:
        try:
            worker.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.process.kill()
            worker.process.wait()


# --- a fresh worker's first search and memory ----------------------------------------


@dataclass
class WorkerMemory:
    label: str
    port: int
    ready_after: float  # seconds from start until it answered (what it loads at boot)
    rss_before_kb: int  # after warming up on a page that does not search
    rss_after_first_kb: int
    rss_after_mix_kb: int
    first_search: float  # seconds

    @property
    def growth_kb(self) -> int:
        return self.rss_after_mix_kb - self.rss_before_kb


async def probe(
    label: str, worker: Worker, session: Session, warm_path: str, search_path: str, mix: list[dict]
) -> WorkerMemory:
    """On a fresh worker: warm it up on a page that does not search, time its first
    search, then run the whole mix, reading its resident memory between."""
    for _ in range(5):
        await session.get(worker.base + warm_path)
    before = worker.rss_kb()
    started = time.perf_counter()
    answer = await session.get(worker.base + search_path, mix[0])
    first = time.perf_counter() - started
    if answer.status != 200:
        raise RuntimeError(f"first search answered {answer.status}")
    after_first = worker.rss_kb()
    for params in mix:
        await session.get(worker.base + search_path, params)
    return WorkerMemory(
        label, worker.port, worker.ready_after, before, after_first, worker.rss_kb(), first
    )


# --- mixed load ------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """An item the writers may edit: its edit page and its own URL (found in results)."""

    edit_path: str
    url: str


@dataclass
class LoadResult:
    seconds: float = 0.0
    searches: Timing = field(default_factory=lambda: Timing("searches"))
    writes: Timing = field(default_factory=lambda: Timing("writes"))
    errors: Counter = field(default_factory=Counter)
    # Per write: seconds until every worker found it (None: some worker never did).
    freshness: list[float | None] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return len(self.searches.samples) / self.seconds if self.seconds else 0.0

    @property
    def fresh(self) -> list[float]:
        return [s for s in self.freshness if s is not None]


@dataclass
class LoadPlan:
    base: str  # one gunicorn master: its workers share the listening socket
    workers: int  # how many, each to find every write (by kb.search.benchmark.wsgi)
    search_path: str
    searches: list[dict]
    readers: list[Session]  # one per client
    editors: list[Session]  # one per client
    targets: list[Target]
    clients: int = 8
    duration: float = 60.0
    write_every: int | None = 20  # one write per this many requests; None: read-only
    freshness_timeout: float = 10.0
    poll_interval: float = 0.05


def run_load(plan: LoadPlan) -> LoadResult:
    return asyncio.run(_drive(plan))


async def _drive(plan: LoadPlan) -> LoadResult:
    result = LoadResult()
    requests = itertools.count()
    targets = itertools.cycle(plan.targets)
    polls: list[asyncio.Task] = []
    started = time.perf_counter()
    deadline = started + plan.duration

    async def client(number: int) -> None:
        reader, editor = plan.readers[number], plan.editors[number]
        for turn in itertools.count():
            if time.perf_counter() >= deadline:
                return
            n = next(requests)
            if plan.write_every and n % plan.write_every == plan.write_every - 1:
                target = next(targets)
                written = await _write(editor, plan.base, target, n, result)
                if written is not None:
                    polls.append(asyncio.create_task(_until_found(plan, reader, target, written)))
            else:
                params = plan.searches[(number * 7 + turn) % len(plan.searches)]
                await _search(reader, plan.base + plan.search_path, params, result)

    await asyncio.gather(*(client(i) for i in range(plan.clients)))
    result.seconds = time.perf_counter() - started
    for task in polls:
        result.freshness.append(await task)
    return result


async def _search(session: Session, url: str, params: dict, result: LoadResult) -> None:
    began = time.perf_counter()
    try:
        answer = await session.get(url, params)
    except (OSError, TimeoutError, ValueError) as error:
        result.errors[f"search {type(error).__name__}"] += 1
        return
    if answer.status == 200:
        result.searches.samples.append(time.perf_counter() - began)
    else:
        result.errors[f"search {answer.status}"] += 1


async def _write(
    editor: Session, base: str, target: Target, number: int, result: LoadResult
) -> tuple[str, float] | None:
    """Edit the item through its form; returns (the new word, when the save answered)."""
    word = f"benchfresh{_letters(number)}"
    began = time.perf_counter()
    try:
        page = await editor.get(base + target.edit_path)
        if page.status != 200:
            result.errors[f"edit page {page.status}"] += 1
            return None
        action, fields = await asyncio.to_thread(edit_form, page.body)
        fields = [
            (name, _retitled(value, word) if name == "title" else value) for name, value in fields
        ]
        answer = await editor.post(base + (action or target.edit_path), fields)
    except (OSError, TimeoutError, ValueError) as error:
        result.errors[f"write {type(error).__name__}"] += 1
        return None
    if answer.status != 302:
        result.errors[f"write {answer.status}"] += 1
        return None
    saved = time.perf_counter()
    # The "saved" message waits for the next page, which a browser would show now.
    editor.cookies.pop("messages", None)
    result.writes.samples.append(saved - began)
    return word, saved


def _retitled(title: str, word: str) -> str:
    """The title with the write's word in place of an earlier write's."""
    return f"{title.rsplit(' benchfresh', 1)[0][:180]} {word}"


def _letters(number: int) -> str:
    """A word of letters alone for each write (no digits a tokenizer might split off)."""
    letters = ""
    number += 26**3  # at least four letters
    while number:
        number, digit = divmod(number, 26)
        letters += chr(ord("a") + digit)
    return letters


async def _until_found(
    plan: LoadPlan, session: Session, target: Target, written: tuple[str, float]
) -> float | None:
    """Seconds from the save until every worker has answered a search for its word with
    the item (None: some worker did not within the timeout).

    Each round asks as many searches at once as there are workers: queued together, they
    are taken by different workers, as the workers free up."""
    word, saved = written
    link = f'href="{target.url}"'
    found: set[str | None] = set()

    async def ask() -> None:
        try:
            answer = await session.get(plan.base + plan.search_path, {"q": word})
        except (OSError, TimeoutError):
            return
        if answer.status == 200 and link in answer.body:
            found.add(answer.header(SERVED_BY))

    while (waited := time.perf_counter() - saved) < plan.freshness_timeout:
        await asyncio.gather(*(ask() for _ in range(plan.workers)))
        if len(found) >= plan.workers:
            return time.perf_counter() - saved
        await asyncio.sleep(min(plan.poll_interval, plan.freshness_timeout - waited))
    return None
