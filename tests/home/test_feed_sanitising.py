"""Feed summaries are inert text wherever the 1,000-character cut falls in hostile Markdown.

Feed readers render an Atom ``summary type="html"`` as HTML, often without a sanitiser of
their own, so every payload is tried at many offsets around the cut; the raw XML is checked
strictly (feedparser would sanitise it for us and hide a hole), and feedparser must read it.
"""

from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest
from django.contrib.auth.models import User
from django.test import Client

from kb.home.feeds import FEED_SUMMARY_CHARS, feed_url
from tests.factories import ArticleFactory, CaseStudyFactory, ResearchLinkFactory

ATOM = "{http://www.w3.org/2005/Atom}"
LONG = "A" * 600
PAYLOADS = [
    f'<img src=x onerror=alert(1) title="{LONG}">',
    f"<img src=x title={LONG} onerror=alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<img src=x onerror=alert(1)",
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    '<a href="JaVaScRiPt&colon;alert(1)">x</a>',
    "<iframe src=javascript:alert(1)>",
    "<style>@import 'javascript:alert(1)'</style>",
    "<details open ontoggle=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(1)&#62;",
    "<!--<img src=x onerror=alert(1)>-->",
    "]]><script>alert(1)</script><![CDATA[",
    "text with \x01\x0b\x1f\ufffe control characters",
]
FACTORIES = [
    lambda text: CaseStudyFactory(summary=text),
    lambda text: ResearchLinkFactory(key_finding=text),
    lambda text: ArticleFactory(summary=text),
]
OFFSETS = 10


class ElementCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, list]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, attrs))


def elements_in(html: str) -> list[tuple[str, list]]:
    collector = ElementCollector()
    collector.feed(html)
    collector.close()
    return collector.elements


def around_the_cut(payload: str) -> list[str]:
    """The payload starting from well before the cut to just after it."""
    first = FEED_SUMMARY_CHARS - len(payload) - 5
    step = max(1, (len(payload) + 10) // (OFFSETS - 1))
    texts = []
    for index in range(OFFSETS):
        filler = ("Before the payload. " * 100)[: max(0, first + index * step)]
        texts.append(f"{filler}{payload} After the payload.")
    return texts


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_no_payload_survives_as_markup_wherever_the_summary_is_cut(
    reader: User, payload: str
) -> None:
    for index, text in enumerate(around_the_cut(payload)):
        FACTORIES[index % len(FACTORIES)](text)
    response = Client().get(feed_url(reader))
    assert response.status_code == 200

    root = ElementTree.fromstring(response.content)  # well-formed XML
    summaries = list(root.iter(f"{ATOM}summary"))
    assert len(summaries) == OFFSETS
    for summary in summaries:
        assert summary.get("type") == "html"
        html = summary.text or ""
        # No "<" at all: an unclosed tag is closed by whatever page a reader pastes it into.
        assert "<" not in html and elements_in(html) == [], html
        assert len(html) <= 6 * (FEED_SUMMARY_CHARS + 1)  # escaped, but cut
        assert "Before the payload." in html or html.startswith(("text", "&lt;", "image"))

    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == OFFSETS
    for entry in parsed.entries:
        assert "<" not in entry.summary and elements_in(entry.summary) == [], entry.summary


def test_a_summary_reads_as_its_text_without_markup(reader: User) -> None:
    CaseStudyFactory(summary='**Doubled** [applications](https://example.org) & <b id="x">more</b>')
    entry = feedparser.parse(Client().get(feed_url(reader)).content).entries[0]
    assert entry.summary == "Evidence: Self-reported figures · Doubled applications &amp; more"


def test_a_long_summary_is_cut_with_an_ellipsis(reader: User) -> None:
    CaseStudyFactory(summary="word " * 400)
    entry = feedparser.parse(Client().get(feed_url(reader)).content).entries[0]
    assert len(entry.summary) <= FEED_SUMMARY_CHARS and entry.summary.endswith("…")


def test_control_characters_in_titles_do_not_break_the_feed(reader: User) -> None:
    ArticleFactory(title="Bell\x07 and tab\x0b title", tags=["vertical\x0btab"])
    response = Client().get(feed_url(reader))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and parsed.entries[0].title == "Article: Bell  and tab  title"
