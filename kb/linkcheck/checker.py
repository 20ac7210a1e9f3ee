"""Whether a web address still answers, asked the way a polite robot asks.

No database here: ``check_urls`` runs in worker threads and returns plain results that the
caller stores. Redirects are followed by hand, so that a loop, a hop to another scheme
(``file:``, ``ftp:``) and a permanent move are each seen and named, and every hop waits
its turn at its host. Requests go through urllib so that the usual ``https_proxy`` /
``no_proxy`` environment variables apply, as they do to curl on the same server.
"""

import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
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
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


class KeepRedirects(urllib.request.HTTPRedirectHandler):
    """Hands every redirect back as an answer: ``check_url`` follows them itself."""

    def redirect_request(self, *args, **kwargs) -> None:
        return None


def request(method: str, url: str, *, timeout: float, user_agent: str) -> tuple[int, str]:
    """One request, no redirects followed: the status and the Location header."""
    opener = urllib.request.build_opener(KeepRedirects)  # reads the proxy variables
    headers = {"User-Agent": user_agent, "Accept": "*/*"}
    try:
        with opener.open(
            urllib.request.Request(url, headers=headers, method=method), timeout=timeout
        ) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as answer:  # 3xx, 4xx and 5xx: an answer all the same
        with answer:
            return answer.code, answer.headers.get("Location", "")


def failure_reason(error: Exception) -> str:
    if isinstance(error, urllib.error.URLError) and isinstance(error.reason, Exception):
        error = error.reason
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
    if isinstance(error, ValueError):
        return "invalid address"
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
        except (OSError, http.client.HTTPException, ValueError) as error:
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
