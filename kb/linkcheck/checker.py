"""Whether a web address still answers, asked the way a polite robot asks.

No database here: ``check_urls`` runs in worker threads and returns plain results that the
caller stores. Redirects are followed by hand, so that a loop, a hop to another scheme
(``file:``, ``ftp:``) and a permanent move are each seen and named, and every hop waits
its turn at its host.
"""

import http.client
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

MAX_REDIRECTS = 10
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PERMANENT_STATUSES = {301, 308}
# Servers that refuse HEAD; they are asked again with GET (and the body is not read).
HEAD_REFUSED_STATUSES = {405, 501}
WEB_SCHEMES = {"http", "https"}


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    final_url: str
    status_code: int | None = None  # the last answer's; None when none came
    reason: str = ""  # why the link is broken, for people; empty when it works
    moved_permanently: bool = False  # a permanent redirect on the way to a working page


class HostThrottle:
    """Keeps at least ``interval`` seconds between the starts of requests to one host,
    whichever thread makes them."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.lock = threading.Lock()
        self.next_free: dict[str, float] = {}

    def wait(self, host: str) -> None:
        with self.lock:
            now = time.monotonic()
            slot = max(now, self.next_free.get(host, now))
            self.next_free[host] = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


def is_web_address(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def request(method: str, url: str, *, timeout: float, user_agent: str) -> tuple[int, str]:
    """One request, no redirects followed: the status and the Location header."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "https":
        connection = http.client.HTTPSConnection(
            parts.hostname, parts.port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(method, path, headers={"User-Agent": user_agent, "Accept": "*/*"})
        response = connection.getresponse()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def failure_reason(error: Exception) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, socket.gaierror):
        return "host not found"
    if isinstance(error, ssl.SSLError):
        return "secure connection failed"
    if isinstance(error, http.client.HTTPException):
        return "invalid answer from the server"
    return f"connection failed ({error.__class__.__name__})"


def status_reason(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status}"


def check_url(
    url: str,
    *,
    timeout: float,
    user_agent: str,
    throttle: HostThrottle | None = None,
    max_redirects: int = MAX_REDIRECTS,
) -> LinkResult:
    """Where ``url`` leads and whether a page answers there; never raises for the network."""

    def broken(reason: str, status: int | None = None) -> LinkResult:
        return LinkResult(url, ok=False, final_url=current, status_code=status, reason=reason)

    current = url
    seen = {url}
    moved_permanently = False
    if not is_web_address(url):
        return broken("not a web address")
    while True:
        if throttle is not None:
            throttle.wait(urlsplit(current).hostname)
        try:
            status, location = request("HEAD", current, timeout=timeout, user_agent=user_agent)
            if status in HEAD_REFUSED_STATUSES:
                status, location = request("GET", current, timeout=timeout, user_agent=user_agent)
        except (OSError, http.client.HTTPException) as error:
            return broken(failure_reason(error))
        if status in REDIRECT_STATUSES and location:
            target = urljoin(current, location)
            if not is_web_address(target):
                return broken("redirects to a non-web address", status)
            if target in seen:
                return broken("redirect loop", status)
            if len(seen) > max_redirects:
                return broken("too many redirects", status)
            seen.add(target)
            moved_permanently = moved_permanently or status in PERMANENT_STATUSES
            current = target
            continue
        if 200 <= status < 300:
            return LinkResult(
                url, ok=True, final_url=current, status_code=status,
                moved_permanently=moved_permanently,
            )  # fmt: skip
        return broken(status_reason(status), status)


def check_urls(
    urls: Iterable[str],
    *,
    timeout: float,
    user_agent: str,
    concurrency: int,
    per_host_interval: float,
) -> dict[str, LinkResult]:
    """Check each distinct address once, ``concurrency`` at a time, sparing each host."""
    throttle = HostThrottle(per_host_interval)
    distinct = list(dict.fromkeys(urls))
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        results = pool.map(
            lambda url: check_url(url, timeout=timeout, user_agent=user_agent, throttle=throttle),
            distinct,
        )
        return dict(zip(distinct, results, strict=True))
