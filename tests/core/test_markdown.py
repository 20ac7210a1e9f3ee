"""User Markdown is rendered and then sanitised with an allow-list."""

import pytest

from kb.core.markdown import render_markdown


def test_it_renders_markdown_to_html():
    html = render_markdown("## Results\n\n* **doubled** reach\n* [report](https://example.org/r)")
    assert "<h2>Results</h2>" in html
    assert "<strong>doubled</strong>" in html
    assert 'href="https://example.org/r"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        '<img src="x.png" onerror="alert(1)">',
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<div onclick="alert(1)" style="position:fixed">x</div>',
        "<iframe src=https://evil.example></iframe>",
        '<svg onload="alert(1)"></svg>',
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    ],
)
def test_it_removes_scripts_event_handlers_and_javascript_links(hostile):
    html = render_markdown(f"Hello\n\n{hostile}\n\nBye").lower()
    assert "<script" not in html
    assert "alert(1)</script" not in html
    assert "onerror" not in html and "onclick" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "data:text" not in html
    assert "<iframe" not in html and "style=" not in html
    assert "hello" in html and "bye" in html


def test_links_get_noopener():
    assert 'rel="noopener noreferrer nofollow"' in render_markdown("[x](https://example.org)")


def test_empty_text_renders_nothing():
    assert render_markdown("") == ""
