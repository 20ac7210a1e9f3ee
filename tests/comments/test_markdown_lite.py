"""Comments are Markdown-lite: emphasis, code, links, lists and quotes survive; nothing else."""

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from kb.core.markdown import render_markdown, render_markdown_lite
from tests.comments.conftest import post_comment


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("*doubled* reach", "<em>doubled</em>"),
        ("**doubled** reach", "<strong>doubled</strong>"),
        ("use `utm_source`", "<code>utm_source</code>"),
        ("```\nprint(1)\n```", "<pre><code>print(1)"),
        ("[the report](https://example.org/r)", 'href="https://example.org/r"'),
        ("[mail us](mailto:team@example.org)", 'href="mailto:team@example.org"'),
        ("* one\n* two", "<li>one</li>"),
        ("1. one\n2. two", "<ol>"),
        ("> quoted", "<blockquote>"),
        ("line one  \nline two", "<br>"),
    ],
)
def test_it_keeps_the_small_allow_list(text: str, kept: str) -> None:
    assert kept in render_markdown_lite(text)


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        ("# Shouting", "<h1"),
        ("### Shouting", "<h3"),
        ("![chart](https://example.org/chart.png)", "<img"),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<table"),
        ("<div>raw</div>", "<div"),
        ("<span title=x>raw</span>", "<span"),
        ("<hr>", "<hr"),
        ("---", "<hr"),
    ],
)
def test_it_strips_headings_images_tables_and_raw_html(text: str, gone: str) -> None:
    assert gone not in render_markdown_lite(text)


def test_headings_keep_their_words() -> None:
    assert "Shouting" in render_markdown_lite("# Shouting")


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        '<p style="position:fixed" onmouseover="alert(1)">x</p>',
        "<iframe src=https://evil.example></iframe>",
        '<svg onload="alert(1)"></svg>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    ],
)
def test_it_removes_scripts_event_handlers_and_javascript_links(hostile: str) -> None:
    html = render_markdown_lite(f"Hello\n\n{hostile}\n\nBye").lower()
    assert "<script" not in html and "alert(1)</script" not in html
    assert "onerror" not in html and "onclick" not in html and "onload" not in html
    assert "onmouseover" not in html
    assert "javascript:" not in html and "data:text" not in html
    assert "<iframe" not in html and "<img" not in html and "<svg" not in html
    assert "style=" not in html
    assert "hello" in html and "bye" in html


def test_links_get_noopener() -> None:
    assert 'rel="noopener noreferrer nofollow"' in render_markdown_lite("[x](https://example.org)")


def test_the_full_renderer_is_unchanged_by_the_lite_one() -> None:
    text = "## Results\n\n![chart](/uploads/files/c.png)"
    render_markdown_lite(text)  # cached separately: must not leak into the full rendering
    html = render_markdown(text)
    assert "<h2>Results</h2>" in html and "<img" in html


def test_a_hostile_comment_is_shown_sanitised_on_the_page(reader_client: Client, article) -> None:
    body = (
        'Nice <script>alert("x")</script> **work** '
        "<img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    post_comment(reader_client, article, body)
    page = reader_client.get(article.get_absolute_url())
    html = page.content.decode()
    assertContains(page, "<strong>work</strong>")
    assert 'alert("x")' not in html and "onerror" not in html and "javascript:" not in html
