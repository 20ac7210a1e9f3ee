"""User Markdown is rendered and then sanitised with an allow-list."""

import pytest

from kb.core.markdown import render_markdown, render_markdown_lite


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


def test_it_keeps_no_attribute_that_markdown_does_not_produce() -> None:
    html = render_markdown(
        '<p title="x" lang="y" dir="rtl" id="main" class="hero">Hi</p>\n\n'
        '<span title="s">span</span> <b lang="b">bold</b>'
    )
    assert html.split() == ["<p>Hi</p>", "<p>span", "bold</p>"]


def test_it_keeps_what_markdown_features_need() -> None:
    html = render_markdown(
        '[report](https://example.org/r "The report") ![A chart](/uploads/files/c.png "Chart")\n\n'
        "*[HTML]: Hyper Text\n\nHTML\n\n"
        "```python\nx = 1\n```\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
        "Term\n:   Definition\n"
    )
    assert (
        '<a href="https://example.org/r" title="The report" rel="noopener noreferrer nofollow">'
        "report</a>"
    ) in html
    assert '<img alt="A chart" src="/uploads/files/c.png" title="Chart">' in html
    assert '<abbr title="Hyper Text">HTML</abbr>' in html
    assert '<code class="language-python">' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert "<dt>Term</dt>" in html and "<dd>Definition</dd>" in html


def test_a_tables_column_alignment_is_kept_as_a_class() -> None:
    html = render_markdown("| Metric | Before | After |\n|:--|:-:|--:|\n| Reach | 1 | 2 |\n")
    assert '<th class="align-left">Metric</th>' in html
    assert '<th class="align-center">Before</th>' in html
    assert '<td class="align-right">2</td>' in html
    assert "style=" not in html  # the Content-Security-Policy refuses style attributes


def test_only_a_cells_known_alignments_survive() -> None:
    html = render_markdown(
        '<table><tr><td align="justify" style="color: red">x</td>'
        '<td align="right" onclick="steal()">y</td><td align="left">z</td></tr></table>'
    )
    assert '<td>x</td><td class="align-right">y</td><td class="align-left">z</td>' in html
    assert "onclick" not in html and "style" not in html and "justify" not in html


def test_writing_about_align_attributes_leaves_the_text_as_written() -> None:
    html = render_markdown('Use `<td align="left">` for td align="left" cells.')
    assert '<code>&lt;td align="left"&gt;</code>' in html
    assert "class=" not in html


def test_code_keeps_only_its_language_class() -> None:
    html = render_markdown('<code class="language-js hidden overlay">x</code>')
    assert html == '<p><code class="language-js">x</code></p>'


def test_comments_keep_no_generic_attributes() -> None:
    html = render_markdown_lite('<p title="x" lang="y">Hi <a href="/a" title="t">a</a></p>')
    assert html == '<p>Hi <a href="/a" title="t" rel="noopener noreferrer nofollow">a</a></p>'


def test_images_stored_by_the_kb_are_embedded() -> None:
    html = render_markdown("![A chart](/uploads/files/images/2025/01/c.png)")
    assert html == '<p><img alt="A chart" src="/uploads/files/images/2025/01/c.png"></p>'


def test_images_at_the_sites_own_absolute_address_are_embedded(settings) -> None:
    settings.SITE_URL = "https://kb.example.org"
    html = render_markdown("![A chart](https://KB.example.org/uploads/files/c.png)")
    assert "<img " in html


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "HTTPS://TRACKER.EXAMPLE/pixel.gif",
        "http://tracker.example/pixel.gif",
        "//tracker.example/pixel.gif",
        "///tracker.example/pixel.gif",
        "\\\\tracker.example/pixel.gif",
        "/\\tracker.example/pixel.gif",
        "\\/tracker.example/pixel.gif",
        "/&#9;/tracker.example/pixel.gif",
        "&#10;//tracker.example/pixel.gif",
        "&#1;//tracker.example/pixel.gif",
        " //tracker.example/pixel.gif",
        "https:\\\\tracker.example/pixel.gif",
        "https:tracker.example/pixel.gif",
        "https://kb.example.org@tracker.example/uploads/files/c.png",
        "https://kb.example.org.tracker.example/uploads/files/c.png",
        "/uploads/files/../../accounts/logout/",
        "/uploads/files/%2e%2e/%2E%2E/accounts/logout/",
        "/accounts/logout/",
        "pixel.gif",
    ],
)
def test_images_from_anywhere_else_become_links_that_load_nothing(settings, src: str) -> None:
    settings.SITE_URL = "https://kb.example.org"
    for markdown in (f"![Tracker]({src.replace(' ', '%20')})", f'<img src="{src}" alt="Tracker">'):
        html = render_markdown(markdown)
        assert "<img" not in html, (markdown, html)
        assert "image: Tracker" in html


def test_an_outside_image_becomes_a_link_showing_its_alt_text() -> None:
    html = render_markdown('![The "chart" <b>](https://tracker.example/p.gif?a=1&b=2 "t")')
    assert html == (
        '<p><a href="https://tracker.example/p.gif?a=1&amp;b=2" rel="noopener noreferrer nofollow">'
        "image: The &quot;chart&quot; &lt;b&gt;</a></p>"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        '<img src="/uploads/files/c.png" srcset="https://tracker.example/p.gif 2x" alt="x">',
        '<picture><source srcset="https://tracker.example/p.gif"></picture>',
        '<video poster="https://tracker.example/p.gif"></video>',
        '<input type="image" src="https://tracker.example/p.gif">',
        '<table background="https://tracker.example/p.gif"><tr><td>x</td></tr></table>',
        '<div style="background:url(https://tracker.example/p.gif)">x</div>',
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="x">',
        '<img src="DATA:image/svg+xml,<svg onload=alert(1)>" alt="x">',
        '<link rel="stylesheet" href="https://tracker.example/s.css">',
        '<object data="https://tracker.example/p.gif"></object>',
    ],
)
def test_no_other_markup_loads_anything_from_outside(hostile: str) -> None:
    html = render_markdown(f"Hi\n\n{hostile}\n\nBye").lower()
    for loader in ("srcset", "poster", "background", "data:", "<source", "<input", "<link"):
        assert loader not in html
    assert "<object" not in html and "<video" not in html and "<picture" not in html
    assert "hi" in html and "bye" in html


@pytest.mark.parametrize("hosts", ["images.example.org", "cdn.example, IMAGES.example.org "])
def test_hosts_in_the_setting_may_embed_images(settings, hosts: str) -> None:
    settings.KB_MARKDOWN_IMAGE_HOSTS = [h.strip().lower() for h in hosts.split(",")]
    html = render_markdown("![Logo](https://images.example.org/logo.png)")
    assert html == '<p><img alt="Logo" src="https://images.example.org/logo.png"></p>'


def test_changing_the_setting_changes_cached_html(settings) -> None:
    text = "![Logo](https://images.example.org/cached.png)"
    settings.KB_MARKDOWN_IMAGE_HOSTS = []
    assert "<img" not in render_markdown(text)
    settings.KB_MARKDOWN_IMAGE_HOSTS = ["images.example.org"]
    assert "<img" in render_markdown(text)
    settings.KB_MARKDOWN_IMAGE_HOSTS = []
    assert "<img" not in render_markdown(text)


def test_what_one_text_defines_does_not_carry_into_the_next() -> None:
    # One parser serves every text a thread renders: a link reference, a footnote or an
    # abbreviation one author defines must not turn up in somebody else's text.
    first = render_markdown(
        "See [the report][r] and HTML[^1].\n\n[r]: https://example.org/first\n\n"
        "[^1]: A footnote.\n\n*[HTML]: Hyper Text Markup Language"
    )
    assert 'href="https://example.org/first"' in first
    assert "A footnote." in first
    assert 'title="Hyper Text Markup Language"' in first

    second = render_markdown("Also [the report][r] and HTML[^1], unique text 7f3a.")
    assert "example.org/first" not in second
    assert "footnote" not in second.lower()
    assert "<abbr" not in second
    assert "[the report][r]" in second


def test_a_text_that_breaks_the_parser_leaves_the_next_text_rendered(monkeypatch) -> None:
    from markdown import Markdown

    from kb.core import markdown as kb_markdown

    convert = Markdown.convert

    def fail_once(self, text):
        monkeypatch.setattr(Markdown, "convert", convert)
        raise RecursionError("deeply nested")

    monkeypatch.setattr(Markdown, "convert", fail_once)
    with pytest.raises(RecursionError):
        render_markdown("> > > a text that fails 91c2")
    assert kb_markdown._parsers.markdown is None  # not trusted again
    assert render_markdown("**after 91c2**") == "<p><strong>after 91c2</strong></p>"


def test_each_thread_renders_with_its_own_parser() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"# Title {n}\n\n[link {n}][x]\n\n[x]: https://example.org/{n}" for n in range(40)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        rendered = list(pool.map(render_markdown, texts))
    for n, html in enumerate(rendered):
        assert f"<h1>Title {n}</h1>" in html
        assert f'href="https://example.org/{n}"' in html
