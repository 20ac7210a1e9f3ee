"""The whole site under load: signed-in people browsing the KB over HTTP, as on a busy
Monday morning, with a write through the site's own forms every so often.

Each client is one person (a reader, an advocate or an editor, each signed in through
the login form) choosing pages by a fixed mix: home, the list pages, items, topic pages,
searches and a click on one of the result page's facets, and for editors the adoption
dashboard. One in ``write_every`` of each client's requests is a write instead: an
advocate edits one of their own articles through its edit form (GET the form, POST it
back with its CSRF token and a new title), anyone else comments on an item through the
comment form under it. Each advocate client edits only its own articles, so no two
clients race on one item.

Every request is timed per page type, from opening the connection to the last byte; a
request that fails, times out or answers anything but the expected status is an error of
its type. The ceiling is ``/healthz`` (no database, no template) asked by as many clients
for a while, on the same workers, in the same run. Then the same clients, each signed in
as in the mix, ask the lightest page a person can open (their notifications, empty or
nearly): the *signed-in floor*, what every page costs before its own work (the session,
the user, the header, the base template).
"""

import asyncio
import html
import itertools
import random
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from kb.search.benchmark.load import FormParser, Response, Session, Target, edit_form
from kb.search.benchmark.readonly import Timing

READER, ADVOCATE, EDITOR = "reader", "advocate", "editor"

# Page types in the report's order: reads, then writes (and the ceiling on its own).
READS = ["home", "list", "detail", "topic", "search", "facet", "dashboard", "edit form"]
WRITES = ["save edit", "comment"]
CEILING = "healthz"
FLOOR = "signed-in floor"

# How often each person opens each kind of page (relative weights).
MIX = {
    READER: {"home": 15, "list": 20, "detail": 30, "topic": 12, "search": 15, "facet": 8},
    ADVOCATE: {"home": 15, "list": 20, "detail": 30, "topic": 12, "search": 15, "facet": 8},
    EDITOR: {"home": 10, "list": 15, "detail": 25, "topic": 10, "search": 10, "facet": 5}
    | {"dashboard": 25},
}

FACETS = re.compile(r'<aside class="facets".*?</aside>', re.S)
FACET_LINK = re.compile(r'<li><a href="([^"]+)">')


@dataclass
class Person:
    role: str
    session: Session
    targets: list[Target] = field(default_factory=list)  # what they may edit (their own)


@dataclass
class SitePlan:
    base: str
    people: list[Person]  # one per client
    pages: dict[str, list[str]]  # page type → paths, most visited first
    searches: list[dict]
    search_path: str
    commentable: list[str]  # item paths with a comment form
    dashboard_path: str
    duration: float = 60.0
    write_every: int | None = 20
    ceiling_duration: float = 15.0  # and as long for the signed-in floor
    floor_path: str = ""  # the lightest signed-in page; none: no floor is measured
    seed: int = 5
    requests: int | None = None  # stop after this many instead (tests), else at duration


@dataclass
class SiteResult:
    seconds: float = 0.0
    timings: dict[str, Timing] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)  # (page type, why) → count

    def timing(self, name: str) -> Timing:
        return self.timings.setdefault(name, Timing(name))

    def count(self, name: str) -> int:
        return len(self.timing(name).samples) + self.errors_of(name)

    def errors_of(self, name: str) -> int:
        return sum(n for (kind, _), n in self.errors.items() if kind == name)

    def rate(self, names: list[str]) -> float:
        answered = sum(len(self.timing(name).samples) for name in names)
        return answered / self.seconds if self.seconds else 0.0

    def combined(self, label: str, names: list[str]) -> Timing:
        timing = Timing(label)
        for name in names:
            timing.add(self.timing(name))
        return timing


def _zipf_weights(n: int, s: float = 1.0) -> list[float]:
    total, cumulative = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank**s
        cumulative.append(total)
    return cumulative


def run(plan: SitePlan) -> tuple[SiteResult, SiteResult, SiteResult]:
    """The ceiling run, the signed-in floor, then the mix: (ceiling, floor, mix)."""
    ceiling = asyncio.run(_alone(plan, CEILING, "/healthz", [Session() for _ in plan.people]))
    floor = SiteResult()
    if plan.floor_path:
        sessions = [person.session for person in plan.people]
        floor = asyncio.run(_alone(plan, FLOOR, plan.floor_path, sessions))
    return ceiling, floor, asyncio.run(_mix(plan))


async def _timed(
    session: Session,
    result: SiteResult,
    kind: str,
    url: str,
    expect: int = 200,
    fields: list[tuple[str, str]] | None = None,
) -> Response | None:
    began = time.perf_counter()
    try:
        if fields is None:
            answer = await session.get(url)
        else:
            answer = await session.post(url, fields)
    except (OSError, TimeoutError, ValueError) as error:
        result.errors[(kind, type(error).__name__)] += 1
        return None
    elapsed = time.perf_counter() - began
    if answer.status != expect:
        where = url.split("/", 3)[-1][:100]  # the path, so a failing page can be found
        result.errors[(kind, f"answered {answer.status} at /{where}")] += 1
        return None
    result.timing(kind).samples.append(elapsed)
    return answer


async def _alone(plan: SitePlan, name: str, path: str, sessions: list[Session]) -> SiteResult:
    """One page asked by every client, one session each, for ``ceiling_duration``."""
    result = SiteResult()
    started = time.perf_counter()
    deadline = started + plan.ceiling_duration

    async def client(session: Session) -> None:
        while time.perf_counter() < deadline:
            await _timed(session, result, name, plan.base + path)

    await asyncio.gather(*(client(session) for session in sessions))
    result.seconds = time.perf_counter() - started
    return result


def facet_links(page: str) -> list[str]:
    """The links of a results page's facet values (a kind, a tag, a platform…)."""
    found = FACETS.search(page)
    if not found:
        return []
    return [html.unescape(href) for href in FACET_LINK.findall(found.group(0))]


def comment_form(page: str) -> tuple[str, list[tuple[str, str]]] | None:
    """The action and fields of an item page's form for a new comment, if it has one."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if form["method"] == "post" and "/comments/on/" in form["action"] and "body" in names:
            if not dict(form["fields"]).get("parent"):
                return form["action"], form["fields"]
    return None


async def _mix(plan: SitePlan) -> SiteResult:
    result = SiteResult()
    requests = itertools.count()
    weights = {kind: _zipf_weights(len(paths)) for kind, paths in plan.pages.items() if paths}
    started = time.perf_counter()
    deadline = started + (plan.duration if plan.requests is None else 3600)

    async def client(number: int) -> None:
        person = plan.people[number]
        rnd = random.Random(plan.seed * 1000 + number)
        kinds, kind_weights = zip(*MIX[person.role].items(), strict=True)
        facets: list[str] = []
        targets = itertools.cycle(person.targets) if person.targets else None
        for turn in itertools.count(1):
            n = next(requests)
            if time.perf_counter() >= deadline or (plan.requests and n >= plan.requests):
                return
            # Each client writes once per write_every of its own requests, so every role
            # writes its way (advocates edit, the others comment); the clients' turns are
            # staggered, so the writes are spread over the run from its start.
            if plan.write_every and (turn + number) % plan.write_every == 0:
                if targets is not None:
                    await _edit(person.session, plan, result, next(targets), n)
                else:
                    await _comment(person.session, plan, result, rnd, n)
                continue
            kind = rnd.choices(kinds, weights=kind_weights)[0]
            if kind == "facet" and facets:
                link = facets.pop()
                if link.startswith("?"):  # {% querystring %}: relative to the results page
                    link = plan.search_path + link
                await _timed(person.session, result, kind, plan.base + link)
            elif kind in ("search", "facet"):
                params = rnd.choice(plan.searches)
                url = f"{plan.base}{plan.search_path}?{urlencode(params)}"
                page = await _timed(person.session, result, "search", url)
                if page is not None:
                    links = facet_links(page.body)
                    facets = rnd.sample(links, min(2, len(links)))
            elif kind == "dashboard":
                await _timed(person.session, result, kind, plan.base + plan.dashboard_path)
            else:
                paths = plan.pages[kind]
                path = rnd.choices(paths, cum_weights=weights[kind])[0]
                await _timed(person.session, result, kind, plan.base + path)

    await asyncio.gather(*(client(i) for i in range(len(plan.people))))
    result.seconds = time.perf_counter() - started
    return result


async def _edit(session: Session, plan: SitePlan, result: SiteResult, target: Target, n: int):
    page = await _timed(session, result, "edit form", plan.base + target.edit_path)
    if page is None:
        return
    try:
        action, fields = edit_form(page.body)
    except ValueError:
        result.errors[("save edit", "no form")] += 1
        return
    fields = [
        (name, f"{value.rsplit(' (edit ', 1)[0][:170]} (edit {n})" if name == "title" else value)
        for name, value in fields
    ]
    await _timed(
        session, result, "save edit", plan.base + (action or target.edit_path), 302, fields
    )
    session.cookies.pop("messages", None)  # shown on the next page, which we skip


async def _comment(session: Session, plan: SitePlan, result: SiteResult, rnd, n: int):
    path = rnd.choice(plan.commentable)
    page = await _timed(session, result, "detail", plan.base + path)
    if page is None:
        return
    form = comment_form(page.body)
    if form is None:
        result.errors[("comment", "no form")] += 1
        return
    action, fields = form
    fields = [
        (name, f"A comment from the load test, number {n}." if name == "body" else value)
        for name, value in fields
    ]
    await _timed(session, result, "comment", plan.base + (action or path), 302, fields)
    session.cookies.pop("messages", None)
