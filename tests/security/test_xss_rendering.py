"""Every payload of the XSS corpus through each function that turns user text into HTML.

These are the unit-level passes: one test per renderer loops over the whole corpus (for
Markdown each payload alone, as a paragraph between others and inline in a sentence) and
lists every payload that left something active in the output. The page-level passes are in
``test_xss_pages.py``.
"""

from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from django.template.loader import render_to_string

from kb.articles.models import Article
from kb.core.markdown import render_markdown, render_markdown_lite
from kb.core.measures import Change
from kb.revisions.diff import compare
from kb.search.backends.base import MARK_END, MARK_START, highlight_html
from tests.security.xss_payloads import PAYLOADS, added_active_content, report

# Nothing in a rendered fragment of user text may be active: the baseline is empty.
NOTHING: Counter = Counter()


def placements(text: str) -> list[str]:
    return [text, f"Before.\n\n{text}\n\nAfter.", f"A sentence with {text} inside it."]


def holes(render: Callable[[str], str], *, markdown: bool = False) -> list[str]:
    """Payloads ``render`` leaves something active from; Markdown also gets each one as a
    paragraph between others and inline in a sentence, which it parses differently."""
    failures = []
    for payload in PAYLOADS:
        for text in placements(payload.text) if markdown else [payload.text]:
            found = added_active_content(str(render(text)), NOTHING)
            if found:
                failures.append(f"{payload} -> {found}")
                break
    return failures


def test_markdown_leaves_nothing_active() -> None:
    failures = holes(render_markdown, markdown=True)
    assert not failures, report(failures)


def test_comment_markdown_leaves_nothing_active() -> None:
    failures = holes(render_markdown_lite, markdown=True)
    assert not failures, report(failures)


def test_measures_escape_their_unit() -> None:
    def render(text: str) -> str:
        change = Change(Decimal("10"), Decimal("15"), unit=text[:40])
        return f"{change.text_html} {change.detail_html} {change.summary_html}"

    failures = holes(render)
    assert not failures, report(failures)


def test_search_highlighting_escapes_around_its_marks() -> None:
    """A backend's snippet is raw indexed text with marks around the matched words; the
    marks may fall anywhere in a payload, even inside what looks like a tag."""

    def render(text: str) -> str:
        middle = len(text) // 2
        marked = f"{MARK_START}{text[:middle]}{MARK_END}{text[middle:]}{MARK_START}x{MARK_END}"
        return highlight_html(marked)

    failures = holes(render)
    assert not failures, report(failures)


def test_revision_diffs_escape_both_sides() -> None:
    def render(text: str) -> str:
        old = {"title": "A harmless title", "summary": text, "body": "Old body"}
        new = {"title": text, "summary": "A harmless summary", "body": f"New {text} body"}
        changes = compare(Article, old, new)
        assert changes
        return render_to_string("revisions/_diff.html", {"changes": changes})

    failures = holes(render)
    assert not failures, report(failures)


def test_the_inspector_finds_what_a_browser_would_run() -> None:
    """The corpus tests pass only if this finds holes: each of these is one."""
    holes_in = {
        "<script>x()</script>": ("element", "script"),
        '<a href=" java&#9;scr&#10;ipt:x()">x</a>': ("url", "a", "href", "javascript:"),
        '<a href="&#1;JavaScript&colon;x()">x</a>': ("url", "a", "href", "javascript:"),
        "<img src=x ONERROR=x()>": ("event handler", "img", "onerror"),
        '<p style="color:red">x</p>': ("style attribute", "p"),
        '<svg><a xlink:href="data:text/html,x">x</a></svg>': ("url", "a", "xlink:href", "data:"),
        '<button formaction="vbscript:x">go</button>': ("url", "button", "formaction", "vbscript:"),
        '<iframe srcdoc="<script>x()</script>">': ("attribute", "iframe", "srcdoc"),
    }
    for html, hole in holes_in.items():
        assert hole in added_active_content(html, NOTHING), html
    harmless = '<a href="java script:x">x</a> <a href="%6Aavascript:x">x</a> <b>javascript:</b>'
    assert added_active_content(harmless, NOTHING) == []
