"""A small web server on 127.0.0.1 that the link checker's tests talk to, never the internet.

Each path answers one way a source link can behave: fine, moved through a chain of
redirects, missing, failing, too slow, refusing HEAD, or redirecting in a circle.
"""

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# The checker's timeout in these tests, and how long the slow page makes it wait.
TEST_TIMEOUT = 0.3
SLOW_SECONDS = 2.0

REDIRECTS = {
    "/moved": (301, "/moved-again"),
    "/moved-again": (301, "/ok"),
    "/temporarily": (302, "/ok"),
    "/loop-a": (301, "/loop-b"),
    "/loop-b": (301, "/loop-a"),
    "/to-ftp": (301, "ftp://127.0.0.1/file"),
}


class Handler(BaseHTTPRequestHandler):
    server_version = "TestServer"
    requests_seen: list[tuple[str, str, str]] = []

    def log_message(self, format: str, *args) -> None:  # the test output stays quiet
        pass

    def answer(self, body: bool) -> None:
        self.requests_seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        if self.path in REDIRECTS:
            status, location = REDIRECTS[self.path]
            self.send_response(status)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path == "/slow":
            time.sleep(SLOW_SECONDS)
        status = {"/missing": 404, "/error": 500}.get(self.path, 200)
        if self.path == "/no-head" and not body:
            status = 405
        payload = b"hello"
        self.send_response(status)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self) -> None:
        self.answer(body=False)

    def do_GET(self) -> None:
        self.answer(body=True)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch) -> None:
    """The checker honours proxy variables; the tests' local server is reached directly."""
    monkeypatch.setenv("no_proxy", "*")
    monkeypatch.setenv("NO_PROXY", "*")


@pytest.fixture
def site() -> Iterator[str]:
    """The base URL of a server answering the paths above, for the duration of one test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    Handler.requests_seen = []
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port_url() -> str:
    """An address on this machine where nothing listens: the connection is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def fast_checks(settings) -> None:
    settings.KB_LINK_CHECK_TIMEOUT = TEST_TIMEOUT
