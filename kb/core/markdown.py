"""Markdown to safe HTML: render with Python-Markdown, then sanitise with an nh3 allow-list.

User-written Markdown may contain raw HTML, so the rendered output is never trusted: nh3
keeps only the tags and attributes that our Markdown extensions produce, drops script/style
content, event handlers and any URL scheme other than http, https and mailto. Rendering is
cached by content hash, so a page renders each text once until it changes.

An image makes every reader's browser fetch its address, so only images the KB stores
(under MEDIA_URL, relative or at SITE_URL's host) or on a host named in
KB_MARKDOWN_IMAGE_HOSTS are embedded; any other becomes a link that loads nothing.

Comments use the same renderer with a smaller allow-list ("Markdown-lite"): paragraphs,
emphasis, code, links, lists and quotes; no images, headings, tables or other raw HTML.
"""

import hashlib
import re
import threading
from html import unescape
from urllib.parse import unquote, urlsplit

import markdown as md
import nh3
from django.conf import settings
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# What Python-Markdown with EXTENSIONS produces (abbr, footnotes, tables, fenced code,
# definition lists), plus del and sub, which carry meaning Markdown has no syntax for.
ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "li", "ol", "p", "pre",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
# "*" replaces nh3's default generic attributes (title and lang on every tag).
ALLOWED_ATTRIBUTES = {
    "*": set(),
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "code": {"class"},
    # A table column's alignment (`|:--:|`), turned into a class after sanitising: no
    # style attribute, which the Content-Security-Policy would refuse anyway.
    "th": {"align"},
    "td": {"align"},
}
ALIGNMENTS = {"left", "center", "right"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LITE_TAGS = {"a", "blockquote", "br", "code", "em", "li", "ol", "p", "pre", "strong", "ul"}
LITE_ATTRIBUTES = {"*": set(), "a": {"href", "title"}}
EXTENSIONS = ["extra", "sane_lists", "smarty"]
# Tables say a column's alignment with an align attribute rather than a style attribute.
EXTENSION_CONFIGS = {"extra": {"tables": {"use_align_attribute": True}}}
LINK_REL = "noopener noreferrer nofollow"

# Bump when the renderer or the allow-list changes, so cached HTML is re-rendered.
RENDER_VERSION = "3"

_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")


def _keep_language_class(tag: str, attribute: str, value: str) -> str | None:
    """Fenced code's ``language-x`` class is the only class kept (no borrowing site styles);
    a table cell's alignment only when it is one."""
    if attribute == "align":
        return value if value in ALIGNMENTS else None
    if attribute != "class":
        return value
    classes = [name for name in value.split() if _LANGUAGE_CLASS.fullmatch(name)]
    return " ".join(classes[:1]) or None


def sanitize_html(
    html: str,
    *,
    tags: set[str] = ALLOWED_TAGS,
    attributes: dict[str, set[str]] = ALLOWED_ATTRIBUTES,
) -> str:
    clean = nh3.clean(
        html,
        tags=tags,
        attributes=attributes,
        attribute_filter=_keep_language_class,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    # A cell's only attribute, serialised exactly by nh3; text and code hold "&lt;td".
    return _ALIGNED_CELL.sub(r'<\1 class="align-\2">', clean)


_ALIGNED_CELL = re.compile(r'<(td|th) align="(left|center|right)">')


# nh3 serialises every attribute double-quoted with " and > escaped, so this is exact.
_IMG = re.compile(r"<img((?:\s+[a-z-]+=\"[^\"]*\")*)\s*/?>")
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
# A browser ignores these around a URL and tabs and newlines within it, and reads \ as /.
_URL_EDGES = "".join(map(chr, range(0x21)))
_URL_IGNORED = re.compile(r"[\t\n\r]")


def _image_policy() -> tuple[str, str, frozenset[str]]:
    """Where embedded images may come from: the upload path, the site's host, extra hosts."""
    site_host = (urlsplit(settings.SITE_URL).hostname or "").lower()
    return settings.MEDIA_URL, site_host, frozenset(settings.KB_MARKDOWN_IMAGE_HOSTS)


def _may_embed(src: str, policy: tuple[str, str, frozenset[str]]) -> bool:
    media_url, site_host, extra_hosts = policy
    url = _URL_IGNORED.sub("", src.strip(_URL_EDGES)).replace("\\", "/")
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if parts.scheme or parts.netloc:
        if parts.scheme not in {"http", "https"} or not host:
            return False
        if host in extra_hosts:
            return True
        if host != site_host:
            return False
    path = unquote(parts.path)
    return path.startswith(media_url) and not {".", ".."} & set(path.split("/"))


def _embed_stored_images_only(html: str) -> str:
    policy = _image_policy()

    def replace(match: re.Match) -> str:
        attrs = {name: unescape(value) for name, value in _ATTRIBUTE.findall(match[1])}
        src = attrs.get("src", "")
        if src and _may_embed(src, policy):
            return match[0]
        label = escape(f"image: {attrs.get('alt') or src}".strip())
        if not src:
            return label
        return f'<a href="{escape(src)}" rel="{LINK_REL}">{label}</a>'

    return _IMG.sub(replace, html) if "<img" in html else html


_parsers = threading.local()


def _to_html(text: str) -> str:
    """Python-Markdown's HTML for ``text``, from this thread's own parser.

    Building a parser (its extensions' patterns and processors) costs twice what
    converting a card's summary does, and one parser may not serve two threads at once.
    ``reset()`` forgets what a text defined (link references, footnotes, abbreviations)
    before the next; a parser that failed half-way is dropped rather than trusted again.
    """
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = _parsers.markdown = md.Markdown(
            extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html"
        )
    try:
        return parser.convert(text)
    except BaseException:
        _parsers.markdown = None
        raise
    finally:
        parser.reset()


def _render_cached(
    text: str, *, cache_prefix: str, tags: set[str], attributes: dict[str, set[str]]
) -> SafeString:
    """Render and sanitise with one allow-list; the prefix keeps each allow-list's cache apart."""
    if not text:
        return mark_safe("")
    policy = _image_policy() if "img" in tags else None
    digest = hashlib.sha256(f"{policy!r}\0{text}".encode("utf-8", "replace")).hexdigest()
    key = f"{cache_prefix}:{RENDER_VERSION}:{digest}"
    html = cache.get(key)
    if html is None:
        html = sanitize_html(_to_html(text), tags=tags, attributes=attributes)
        if policy is not None:
            html = _embed_stored_images_only(html)
        cache.set(key, html, timeout=60 * 60 * 24)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 above


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to sanitised HTML (cached by content)."""
    return _render_cached(text, cache_prefix="md", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES)


def render_markdown_lite(text: str) -> SafeString:
    """Render a comment: the same Markdown, kept to the small comment allow-list."""
    return _render_cached(text, cache_prefix="md-lite", tags=LITE_TAGS, attributes=LITE_ATTRIBUTES)


def render_markdown_text(text: str) -> str:
    """What a reader of the rendered Markdown sees, as one line of plain text.

    Every tag is removed by the sanitiser (not a regex), so no markup survives however the
    text is cut afterwards; whoever shows the result as HTML must still escape it.
    """
    visible = unescape(nh3.clean(render_markdown(text), tags=set()))
    return " ".join(visible.split())


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
