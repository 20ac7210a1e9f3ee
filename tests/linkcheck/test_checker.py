"""What the link checker makes of each way a source link can answer, on a local server."""

import time

from kb.linkcheck.checker import HostThrottle, check_url, check_urls
from tests.linkcheck.conftest import SLOW_SECONDS, TEST_TIMEOUT, Handler

AGENT = "KB link checker (+https://kb.example.org)"


def check(url: str):
    return check_url(url, timeout=TEST_TIMEOUT, user_agent=AGENT)


def test_it_finds_a_page_that_answers_ok(site: str) -> None:
    result = check(f"{site}/ok")
    assert result.ok
    assert result.status_code == 200
    assert result.final_url == f"{site}/ok"
    assert result.reason == ""
    assert not result.moved_permanently


def test_it_asks_politely_with_head_and_names_itself(site: str) -> None:
    check(f"{site}/ok")
    assert Handler.requests_seen == [("HEAD", "/ok", AGENT)]


def test_it_follows_a_chain_of_permanent_redirects_to_the_final_address(site: str) -> None:
    result = check(f"{site}/moved")
    assert result.ok
    assert result.status_code == 200
    assert result.final_url == f"{site}/ok"
    assert result.moved_permanently


def test_a_temporary_redirect_is_ok_and_not_a_move(site: str) -> None:
    result = check(f"{site}/temporarily")
    assert result.ok
    assert result.final_url == f"{site}/ok"
    assert not result.moved_permanently


def test_it_falls_back_to_get_when_head_is_not_allowed(site: str) -> None:
    result = check(f"{site}/no-head")
    assert result.ok
    assert [method for method, _, _ in Handler.requests_seen] == ["HEAD", "GET"]


def test_a_missing_page_is_broken(site: str) -> None:
    result = check(f"{site}/missing")
    assert not result.ok
    assert result.status_code == 404
    assert result.reason == "404 Not Found"


def test_a_server_error_is_broken(site: str) -> None:
    result = check(f"{site}/error")
    assert not result.ok
    assert result.status_code == 500
    assert result.reason == "500 Internal Server Error"


def test_a_page_slower_than_the_timeout_is_broken_without_waiting_for_it(site: str) -> None:
    started = time.monotonic()
    result = check(f"{site}/slow")
    assert time.monotonic() - started < SLOW_SECONDS
    assert not result.ok
    assert result.status_code is None
    assert result.reason == "timed out"


def test_a_refused_connection_is_broken(closed_port_url: str) -> None:
    result = check(closed_port_url)
    assert not result.ok
    assert result.reason == "connection refused"


def test_a_redirect_loop_is_broken_and_not_followed_forever(site: str) -> None:
    result = check(f"{site}/loop-a")
    assert not result.ok
    assert result.reason == "redirect loop"
    assert len(Handler.requests_seen) == 2


def test_it_never_follows_a_redirect_to_another_scheme(site: str) -> None:
    result = check(f"{site}/to-ftp")
    assert not result.ok
    assert result.reason == "redirects to a non-web address"


def test_it_checks_only_web_addresses() -> None:
    for url in (
        "ftp://example.org/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "nonsense",
        "http://example.org:port/",
        "http://[::1/",
    ):
        result = check(url)
        assert not result.ok
        assert result.reason == "not a web address"


def test_it_checks_many_links_at_once_and_each_address_once(site: str) -> None:
    urls = [f"{site}/ok", f"{site}/missing", f"{site}/ok", f"{site}/moved"]
    results = check_urls(
        urls, timeout=TEST_TIMEOUT, user_agent=AGENT, concurrency=3, per_host_interval=0
    )
    assert set(results) == set(urls)
    assert results[f"{site}/ok"].ok
    assert not results[f"{site}/missing"].ok
    assert results[f"{site}/moved"].final_url == f"{site}/ok"
    assert sum(1 for _, path, _ in Handler.requests_seen if path == "/ok") == 2  # direct + moved


def test_requests_to_one_host_keep_the_minimum_interval_between_them() -> None:
    throttle = HostThrottle(interval=0.1)
    started = time.monotonic()
    for _ in range(3):
        throttle.wait("a.example.org")
    assert time.monotonic() - started >= 0.2
    before_other_host = time.monotonic()
    throttle.wait("b.example.org")  # another host does not queue behind the first
    assert time.monotonic() - before_other_host < 0.1


def test_it_goes_through_the_proxy_the_environment_names(site: str, monkeypatch) -> None:
    monkeypatch.setenv("no_proxy", "")
    monkeypatch.setenv("NO_PROXY", "")
    monkeypatch.setenv("http_proxy", site)  # the local server plays the proxy
    result = check("http://source.example.org/paper")
    assert result.ok
    assert Handler.requests_seen == [("HEAD", "http://source.example.org/paper", AGENT)]
