"""The Content-Security-Policy: on every page, strict (no inline script or style), and its
violation reports logged without trusting them.

The pages are found as the layout test finds them (``tests/test_layout.py``), without a
browser: the editor follows the links they are shown, one page per URL pattern, and opens
a few admin pages (the admin is one middleware's; they stand for the rest); the advocate
opens the few pages only an owner sees; and the test asserts that every named page of the
URLconf was reached, so a new page is checked too.
"""

import json
import logging
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import reverse

from kb.casestudies.models import CaseStudy
from kb.comments.models import Comment
from kb.core.csp import LOGGED_PER_MINUTE
from kb.follows.digests import unsubscribe_token
from kb.questions.models import Question
from tests.test_layout import NOT_PAGES, _named_routes, _route, site  # noqa: F401

HEADER = "Content-Security-Policy"


def directives(response) -> dict[str, list[str]]:
    """The response's policy as {directive: [sources]}."""
    policy = response.headers.get(HEADER, "")
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def policy_problems(response) -> list[str]:
    """What makes the response's policy weaker than the KB's, in words."""
    if HEADER not in response.headers:
        return ["no Content-Security-Policy header"]
    policy = directives(response)
    problems = [
        f"{name} allows {source}"
        for name in ("default-src", "script-src", "script-src-attr", "style-src", "style-src-attr")
        for source in policy.get(name, [])
        if source in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:")
    ]
    expected = {
        "default-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src-attr": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "report-uri": [reverse("csp_report")],
    }
    problems += [
        f"{name} is {policy.get(name)}, not {sources}"
        for name, sources in expected.items()
        if policy.get(name) != sources
    ]
    for name in ("script-src", "style-src"):
        if "'self'" not in policy.get(name, []):
            problems.append(f"{name} is {policy.get(name)}")
    return problems


def _crawl(client: Client, starts: list[str], seen_routes: set, problems: dict) -> None:
    queue, seen_paths = list(starts), set()
    while queue:
        path = queue.pop(0)
        route = _route(path)
        if path in seen_paths or route is None or route in seen_routes or route[0] in NOT_PAGES:
            continue
        seen_paths.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.headers["Content-Type"]:
            continue
        seen_routes.add(route)
        if found := policy_problems(response):
            problems[path] = found
        html = response.content.decode()
        for link in _links(html):
            target = urljoin(path, link).split("#")[0]
            # The admin's own pages are all one middleware's: the few below stand for them.
            if target.startswith("/") and not target.startswith("/admin/"):
                queue.append(target)


def _links(html: str) -> list[str]:
    from html.parser import HTMLParser

    found = []

    class Links(HTMLParser):
        def handle_starttag(self, tag, attrs):
            href = dict(attrs).get("href")
            if tag == "a" and href:
                found.append(href)

    Links().feed(html)
    return found


def test_every_page_carries_the_strict_policy(
    site,  # noqa: F811
    advocate,
    editor,
) -> None:
    problems: dict[str, list[str]] = {}
    seen_routes: set = set()
    editor_client = Client()
    editor_client.force_login(editor)
    # The editor sees every page but the ones only an item's owner or an advocate is shown
    # (their own profile, comments and question); those are visited directly.
    starts = ["/", "/my-work/", "/search/?q=recruitment", "/tags/", "/notifications/"]
    study = CaseStudy.objects.first()
    admin = [
        reverse("admin:index"),
        reverse("admin:casestudies_casestudy_changelist"),
        reverse("admin:casestudies_casestudy_change", args=[study.pk]),  # with inlines
        reverse("admin:casestudies_casestudy_add"),
        reverse("admin:research_researchlink_import"),
        reverse("admin:taggit_tag_changelist"),
    ]
    _crawl(editor_client, [*starts, "/review/", "/trash/", *admin], seen_routes, problems)
    comment = Comment.objects.filter(author=advocate).first()
    question = Question.objects.filter(asker=advocate, answered_at=None).first()
    advocate_client = Client()
    advocate_client.force_login(advocate)
    owners_pages = [
        reverse("advocates:edit_own"),
        reverse("comments:edit", args=[comment.pk]),
        reverse("comments:delete", args=[comment.pk]),
        reverse("questions:route", args=[question.pk]),
        # Reached from a digest e-mail, not a link on the site.
        reverse("follows:unsubscribe", args=[unsubscribe_token(advocate)]),
    ]
    _crawl(advocate_client, owners_pages, seen_routes, problems)
    assert not problems, "\n".join(f"{path}: {'; '.join(why)}" for path, why in problems.items())
    reached = {name for name, _ in seen_routes}
    missing = _named_routes() - reached - NOT_PAGES
    assert missing == set(), f"pages not reached, so not checked: {sorted(missing)}"
    assert {name for name in reached if name.startswith("admin:")} == {
        "admin:index",
        "admin:casestudies_casestudy_changelist",
        "admin:casestudies_casestudy_change",
        "admin:casestudies_casestudy_add",
        "admin:research_researchlink_import",
        "admin:taggit_tag_changelist",
    }


def test_error_pages_and_the_sign_in_page_carry_it_too(client: Client, reader_client) -> None:
    assert policy_problems(client.get(reverse("login"))) == []
    assert policy_problems(reader_client.get("/no-such-page/")) == []
    assert reader_client.get("/no-such-page/").status_code == 404


def test_images_may_come_from_the_kb_and_the_markdown_image_hosts_only(reader_client) -> None:
    # The hosts are read when the settings load: tests/settings.py sees the environment's.
    from django.conf import settings

    img_src = directives(reader_client.get(reverse("home")))["img-src"]

    assert img_src[:2] == ["'self'", "data:"]
    kb = urlsplit(settings.SITE_URL)
    assert set(img_src[2:]) == {f"{kb.scheme}://{kb.netloc}", *settings.KB_MARKDOWN_IMAGE_HOSTS}


# A report as Chromium posts it to report-uri, and one as the Reporting API sends it.
REPORT = {
    "csp-report": {
        "document-uri": "http://kb.example.org/articles/start-small/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "inline",
        "line-number": 12,
        "source-file": "http://kb.example.org/articles/start-small/",
        "status-code": 200,
        "script-sample": "alert(1)\n[forged log line]",
    }
}
REPORTING_API = [
    {
        "type": "csp-violation",
        "url": "http://kb.example.org/",
        "body": {
            "documentURL": "http://kb.example.org/",
            "effectiveDirective": "style-src-attr",
            "blockedURL": "inline",
            "disposition": "enforce",
            "sample": "color: red",
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},
]


def _post(client: Client, body, content_type: str = "application/csp-report"):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(reverse("csp_report"), data, content_type=content_type)


def test_a_report_from_an_anonymous_browser_is_logged_on_one_line(caplog) -> None:
    client = Client(enforce_csrf_checks=True)
    with caplog.at_level(logging.WARNING, logger="kb.csp"):
        response = _post(client, REPORT)

    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "kb.csp"]
    message = record.getMessage()
    assert "\n" not in message
    logged = json.loads(message.removeprefix("CSP violation: "))
    assert logged == {
        "document-uri": "http://kb.example.org/articles/start-small/",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "blocked-uri": "inline",
        "source-file": "http://kb.example.org/articles/start-small/",
        "line-number": "12",
        "script-sample": "alert(1)\n[forged log line]",
        "disposition": "enforce",
    }


def test_reporting_api_batches_are_logged_violation_by_violation(client: Client, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="kb.csp"):
        response = _post(client, REPORTING_API, "application/reports+json")

    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "kb.csp"]
    assert json.loads(record.getMessage().removeprefix("CSP violation: ")) == {
        "document-uri": "http://kb.example.org/",
        "effective-directive": "style-src-attr",
        "blocked-uri": "inline",
        "disposition": "enforce",
        "script-sample": "color: red",
    }


def test_garbage_is_a_400_and_never_logged(client: Client, caplog) -> None:
    garbage = [
        b"",
        b"not json",
        b"\xff\xfe\x00",
        "[]",
        "{}",
        '{"csp-report": "text"}',
        '[{"type": "csp-violation", "body": []}]',
        "[" * 100_00,  # deeper than the JSON parser recurses
        "null",
        "12",
    ]
    with caplog.at_level(logging.WARNING, logger="kb.csp"):
        statuses = {repr(body[:20]): _post(client, body).status_code for body in garbage}

    assert set(statuses.values()) == {400}, statuses
    assert [r for r in caplog.records if r.name == "kb.csp"] == []


def test_a_report_is_cut_short_and_a_big_body_refused_unread(client: Client, caplog) -> None:
    long_report = {"csp-report": {**REPORT["csp-report"], "blocked-uri": "x" * 5000}}
    with caplog.at_level(logging.WARNING, logger="kb.csp"):
        assert _post(client, long_report).status_code == 204
        assert _post(client, "x" * (16 * 1024 + 1)).status_code == 413
    [record] = [r for r in caplog.records if r.name == "kb.csp"]
    assert json.loads(record.getMessage().removeprefix("CSP violation: "))["blocked-uri"] == (
        "x" * 300
    )


def test_only_post_is_accepted(client: Client) -> None:
    assert client.get(reverse("csp_report")).status_code == 405


def test_a_flood_of_reports_is_logged_only_so_far_a_minute(
    client: Client, caplog, monkeypatch
) -> None:
    minute = {"now": 60_000.0}
    monkeypatch.setattr("kb.core.csp.time", SimpleNamespace(time=lambda: minute["now"]))
    with caplog.at_level(logging.WARNING, logger="kb.csp"):
        for _ in range(LOGGED_PER_MINUTE + 5):
            assert _post(client, REPORT).status_code == 204
        assert len(caplog.records) == LOGGED_PER_MINUTE

        minute["now"] += 60
        assert _post(client, REPORT).status_code == 204
    assert len(caplog.records) == LOGGED_PER_MINUTE + 1
