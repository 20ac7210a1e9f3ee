"""The XSS corpus (``xss_payloads.txt``) and what counts as a hole in a rendered page.

A page is judged by what a browser would build from it, not by searching its text for
"<script": the HTML is parsed, and every element that runs or loads something (scripts,
frames, forms, styles, SVG, …), every event handler, style attribute and URL attribute
whose scheme is javascript:, vbscript: or data: is counted. The site's own page has some
of these (its scripts, its search form, its charts' SVG), so a hostile page is always
compared with the same page rendered from harmless text: anything the hostile page has
more of came from the payloads.
"""

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import zip_longest
from pathlib import Path

from django.test import Client

CORPUS = Path(__file__).with_name("xss_payloads.txt")
HARMLESS = "Plain words about LinkedIn"

# Elements that run script, load a document or resource, submit somewhere, restyle the
# page, or switch the parser into another namespace. The site's own are in the baseline.
ACTIVE_ELEMENTS = frozenset({
    "applet", "audio", "base", "button", "dialog", "embed", "form", "frame", "frameset",
    "iframe", "input", "isindex", "keygen", "link", "marquee", "math", "meta", "noscript",
    "object", "portal", "script", "select", "source", "style", "svg", "template", "textarea",
    "video", "xmp",
})  # fmt: skip
URL_ATTRIBUTES = frozenset({
    "action", "background", "data", "formaction", "href", "poster", "src", "srcset",
    "xlink:href", "codebase", "dynsrc", "lowsrc", "ping", "cite", "longdesc",
})  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# A browser strips C0 controls and spaces around a URL and removes tabs and newlines within
# it before reading its scheme (WHATWG URL); other control characters are removed within
# it too, to be a little stricter. A space, a zero-width or full-width character inside a
# scheme makes it no scheme at all: the browser reads a relative address.
_URL_EDGES = "".join(map(chr, range(0x21)))
_IGNORED_IN_URL = re.compile(r"[\x00-\x1f\x7f]")
_ESCAPE = re.compile(r"\\(n|t|r|\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


@dataclass(frozen=True)
class Payload:
    line: int
    category: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.category}): {self.text!r}"


def _unescape(text: str) -> str:
    def replace(match: re.Match) -> str:
        code = match[1]
        return _ESCAPES.get(code) or chr(int(code[1:], 16))

    return _ESCAPE.sub(replace, text)


def load_payloads() -> list[Payload]:
    payloads = []
    for number, line in enumerate(CORPUS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        category, text = line.split(" ", 1)
        payloads.append(Payload(number, category, _unescape(text)))
    return payloads


PAYLOADS = load_payloads()


def url_scheme(value: str) -> str | None:
    """The dangerous scheme ``value`` (an attribute value, entities decoded) would load."""
    url = _IGNORED_IN_URL.sub("", value.strip(_URL_EDGES)).lower()
    return next((scheme for scheme in DANGEROUS_SCHEMES if url.startswith(scheme)), None)


class _Inspector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: Counter = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_ELEMENTS:
            self.found["element", tag] += 1
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.found["event handler", tag, name] += 1
            elif name == "style":
                self.found["style attribute", tag] += 1
            elif name in ("srcdoc", "http-equiv"):
                self.found["attribute", tag, name] += 1
            elif name in URL_ATTRIBUTES:
                candidates = value.split(",") if name == "srcset" else [value]
                for candidate in candidates:
                    scheme = url_scheme(candidate)
                    if scheme:
                        self.found["url", tag, name, scheme] += 1

    handle_startendtag = handle_starttag


def active_content(html: str) -> Counter:
    """Everything in ``html`` that could run, load or restyle, counted by kind."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.found


def added_active_content(html: str, baseline: str | Counter) -> list:
    """What ``html`` has that the harmless ``baseline`` page does not."""
    if isinstance(baseline, str):
        baseline = active_content(baseline)
    return sorted((active_content(html) - baseline).elements())


def interleaved(payloads: Iterable[Payload]) -> list[Payload]:
    """The payloads one of each category at a time: the first of every category, then the
    second of every category, … so any first part of the list is as varied as it can be."""
    by_category: dict[str, list[Payload]] = {}
    for payload in payloads:
        by_category.setdefault(payload.category, []).append(payload)
    return [
        payload
        for batch in zip_longest(*by_category.values())
        for payload in batch
        if payload is not None
    ]


def chunks(payloads: Iterable[Payload], size: int, separator: str = " ") -> Iterator[list]:
    """The payloads packed into as few texts of at most ``size`` characters as fit; a payload
    longer than ``size`` is cut, as the longest text the field stores."""
    batch: list[Payload] = []
    length = 0
    for payload in payloads:
        extra = len(payload.text) + (len(separator) if batch else 0)
        if batch and length + extra > size:
            yield batch
            batch, length = [], 0
            extra = len(payload.text)
        batch.append(payload)
        length += extra
    if batch:
        yield batch


def joined(batch: list[Payload], size: int, separator: str = " ") -> str:
    return separator.join(payload.text for payload in batch)[:size]


def report(failures: list[str]) -> str:
    return f"{len(failures)} payload(s) got through:\n" + "\n".join(failures)


# -- Sweeping a page: every payload in every field it shows ---------------------------

Texts = dict[str, list[str]]
# A page is rendered with payloads at most this many times (see test_xss_pages.py).
ROUNDS = 3


@dataclass(frozen=True)
class Field:
    """A field a page shows: how much it holds, in how many rows, and whether it is
    Markdown (payloads then go in as paragraphs of their own)."""

    size: int
    rows: int = 1
    markdown: bool = False

    @property
    def separator(self) -> str:
        return "\n\n" if self.markdown else " "


def harmless_texts(fields: dict[str, Field]) -> Texts:
    return {
        name: [f"Harmless {name.replace('_', ' ')} {row} text" for row in range(field.rows)]
        for name, field in fields.items()
    }


def sweep(fields: dict[str, Field], show: Callable[[Texts], str]) -> list[str]:
    """Every payload through every field of ``fields``; ``show`` stores the texts (a list per
    field, one a row) and returns the page's HTML. The holes found, one line each."""
    harmless = harmless_texts(fields)
    baseline_html = show(harmless)
    unseen = [text for texts in harmless.values() for text in texts if text not in baseline_html]
    assert not unseen, f"the page does not show {unseen}: the sweep would test nothing there"
    baseline = active_content(baseline_html)

    batches = {
        name: list(chunks(interleaved(PAYLOADS), f.size, f.separator)) for name, f in fields.items()
    }
    rounds = min(ROUNDS, max(-(-len(batches[name]) // f.rows) for name, f in fields.items()))
    failures = []
    for round_ in range(rounds):
        texts: Texts = {}
        for name, field in fields.items():
            texts[name] = list(harmless[name])
            for row in range(field.rows):
                index = round_ * field.rows + row
                if index < len(batches[name]):
                    texts[name][row] = joined(batches[name][index], field.size, field.separator)
        found = added_active_content(show(texts), baseline)
        if not found:
            continue
        culprits = []
        for name, field in fields.items():
            for row in range(field.rows):
                index = round_ * field.rows + row
                for payload in batches[name][index] if index < len(batches[name]) else []:
                    alone = {**harmless, name: list(harmless[name])}
                    alone[name][row] = payload.text[: field.size]
                    found_alone = added_active_content(show(alone), baseline)
                    if found_alone:
                        culprits.append(f"{name}: {payload} -> {found_alone}")
        failures.extend(culprits or [f"round {round_}, only together: {found}"])
    return failures


def page(client: Client, *urls: str) -> str:
    html = []
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html.append(response.content.decode())
    return "\n".join(html)


def store(model: type, pk: int, **values: str) -> None:
    """Write straight to the row: no revision, index or notification per round."""
    model._default_manager.filter(pk=pk).update(**values)
