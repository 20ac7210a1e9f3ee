"""Markdown to safe HTML: render with Python-Markdown, then sanitise with an nh3 allow-list.

User-written Markdown may contain raw HTML, so the rendered output is never trusted: nh3
keeps only the tags and attributes below, drops script/style content, event handlers and
any URL scheme other than http, https and mailto. Rendering is cached by content hash, so a
page renders each text once until it changes.

Comments use the same renderer with a smaller allow-list ("Markdown-lite"): paragraphs,
emphasis, code, links, lists and quotes; no images, headings, tables or other raw HTML.
"""

import hashlib
import re

import markdown as md
import nh3
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"align"},
    "th": {"align", "scope"},
    "code": {"class"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LITE_TAGS = {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul"}
LITE_ATTRIBUTES = {"a": {"href", "title"}}
EXTENSIONS = ["extra", "sane_lists", "smarty"]

# Bump when the renderer or the allow-list changes, so cached HTML is re-rendered.
RENDER_VERSION = "1"


def sanitize_html(
    html: str,
    *,
    tags: set[str] = ALLOWED_TAGS,
    attributes: dict[str, set[str]] = ALLOWED_ATTRIBUTES,
) -> str:
    return nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _render_cached(
    text: str, *, cache_prefix: str, tags: set[str], attributes: dict[str, set[str]]
) -> SafeString:
    """Render and sanitise with one allow-list; the prefix keeps each allow-list's cache apart."""
    if not text:
        return mark_safe("")
    digest = hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()
    key = f"{cache_prefix}:{RENDER_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = sanitize_html(
            md.markdown(text, extensions=EXTENSIONS, output_format="html"),
            tags=tags,
            attributes=attributes,
        )
        cache.set(key, html, timeout=60 * 60 * 24)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 above


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitised HTML (cached by content)."""
    return _render_cached(text, cache_prefix="md", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def render_markdown_lite(text: str) -> SafeString:
    """Render a comment: the same Markdown, kept to the small comment allow-list."""
    return _render_cached(text, cache_prefix="md-lite", tags=LITE_TAGS, attributes=LITE_ATTRIBUTES)


_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_HTML_TAG = re.compile(r"<[^>]{0,500}>")
# Markup characters and control characters become spaces (str.translate runs in C).
_PLAIN = str.maketrans(
    {**dict.fromkeys("#*_`~|[]>", " "), **{chr(c): " " for c in range(32) if c not in (9, 10, 13)}}
)


def markdown_to_text(text: str) -> str:
    """Cheap plain text of Markdown for indexing: drops link targets, tags and markup.

    Far faster than rendering, which matters when indexing a hundred thousand documents.
    """
    text = text or ""
    if "](" in text:
        text = _LINK_TARGET.sub("]", text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return text.translate(_PLAIN)
