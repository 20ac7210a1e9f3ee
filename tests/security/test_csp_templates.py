"""No template may need what the Content-Security-Policy forbids: an inline <script> body,
an on…= event handler attribute or a style="" attribute would be blocked in the browser
(see ``test_csp.py``), so they are caught here, before anyone opens the page."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATE_DIRS = [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("kb/*/templates")]
# Templates that are never served as a page, so the policy never applies to them:
ALLOWED = {
    # E-mail: mail programs ignore stylesheets, so the digest styles itself inline.
    "follows/digest_email.html": "e-mail",
    "follows/_digest_entry.html": "e-mail",
    # Rendered to PDF by WeasyPrint on the server, with its print stylesheet inlined.
    "collections/collection_pdf.html": "PDF",
}
FORBIDDEN = {
    "an inline script": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE),
    "an inline <style> element": re.compile(r"<style\b", re.IGNORECASE),
    "an event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "a style attribute": re.compile(r"<[^>]*\sstyle\s*=", re.IGNORECASE),
    "a javascript: address": re.compile(r"javascript:", re.IGNORECASE),
}


def templates() -> list[tuple[str, Path]]:
    return sorted(
        (path.relative_to(folder).as_posix(), path)
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*")
        if path.is_file() and path.suffix in {".html", ".svg", ".txt", ".xml"}
    )


def test_no_template_has_inline_script_handlers_or_style_attributes() -> None:
    found = [
        f"{name}:{text[: match.start()].count(chr(10)) + 1}: {what}: {match[0][:80]!r}"
        for name, path in templates()
        if name not in ALLOWED
        for text in [path.read_text()]
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]
    assert found == []


def test_the_lint_sees_the_templates_and_what_it_forbids() -> None:
    names = {name for name, _ in templates()}
    assert {"base.html", "admin/base_site.html", *ALLOWED} <= names
    assert len(names) > 50

    def caught(markup: str) -> set[str]:
        return {what for what, pattern in FORBIDDEN.items() if pattern.search(markup)}

    assert caught('<script src="/static/js/forms.js" defer></script>') == set()
    assert caught("<script>alert(1)</script>") == {"an inline script"}
    assert caught('<script type="module">\n  go()</script>') == {"an inline script"}
    assert caught('<button type="button"\n    onclick="go()">') == {"an event handler attribute"}
    assert caught('<p class="note" style="color: red">') == {"a style attribute"}
    assert caught("<style>p { color: red }</style>") == {"an inline <style> element"}
    assert caught('<a href="javascript:go()">') == {"a javascript: address"}
    # Words in text and data- attributes are fine.
    assert caught('<p data-style="x">Choose a style: one=two, online = yes</p>') == set()


def test_rendered_markdown_carries_no_style_or_handler_attribute() -> None:
    """What users write is shown inside the KB's pages, so the sanitiser must leave nothing
    the policy would block (and report) either: Python-Markdown's own table alignment
    (style="text-align: …") included."""
    from kb.core.markdown import render_markdown, render_markdown_lite

    text = (
        "| Before | After |\n| :----- | ----: |\n| 1 | 2 |\n\n"
        '<p style="color: red" onclick="go()">Raw</p>\n\n'
        '<div markdown="1" style="display: none">*In HTML*</div>\n\n'
        '<img src="/uploads/files/a.png" onerror="go()" style="width: 1px">\n\n'
        "<style>p { color: red }</style><script>go()</script>\n\n"
        "[link](javascript:go()) ![img](javascript:go())"
    )
    found = []
    for render in (render_markdown, render_markdown_lite):
        html = str(render(text))
        for what, pattern in FORBIDDEN.items():
            found += [f"{render.__name__}: {what}: {m[0][:60]!r}" for m in pattern.finditer(html)]
    assert found == []
    assert "<table>" in str(render_markdown(text))  # the table survives, without alignment
