"""The XSS corpus through what the KB renders besides ordinary pages: revision diffs and the
edit-conflict page, Atom feeds, digest e-mails, the brief's PDF and URL fields.

Same method as ``test_xss_pages.py`` (``xss_payloads.sweep``): every payload in every field, the
output compared with the same output rendered from harmless text.
"""

import io
import re
import zlib
from collections.abc import Iterator
from datetime import timedelta
from html import escape
from xml.etree import ElementTree

import pytest
from django import forms
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from kb.advocates.models import Handle
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy, Metric
from kb.collections import exports
from kb.collections.models import Collection, CollectionItem
from kb.core.forms import URL_FIELD_OPTIONS
from kb.follows.digests import digest_content, digest_message, due_period
from kb.follows.models import Frequency
from kb.follows.services import follow_add
from kb.home.feeds import feed_url
from kb.platforms.models import Platform
from kb.research.models import ResearchLink
from tests.collections.factories import CollectionFactory
from tests.factories import (
    ArticleFactory,
    CaseStudyFactory,
    HandleFactory,
    MetricFactory,
    PlatformFactory,
    ResearchLinkFactory,
    UserFactory,
)
from tests.revisions.helpers import article_form, compare_url, edit_url, write_article
from tests.security.xss_payloads import (
    PAYLOADS,
    Field,
    Texts,
    added_active_content,
    page,
    report,
    store,
    sweep,
    url_scheme,
)

ATOM = "{http://www.w3.org/2005/Atom}"
# The payloads that are, or carry, an address a PDF could turn into a link action.
ADDRESS_CATEGORIES = {
    "md-link", "md-image", "md-reference", "autolink", "html-url", "svg", "mathml", "embed",
    "form", "document", "bare",
}  # fmt: skip
# A link action whose address is a script (the annotations are checked as parsed, too).
SCRIPT_URI = re.compile(rb"/URI\s*\(\s*(?:javascript|vbscript|data):", re.IGNORECASE)


def test_revision_diffs_and_the_edit_conflict_page(
    advocate_client: Client, editor_client: Client, editor
) -> None:
    """Each round the advocate saves the texts (a new revision, diffed against the last) and
    the editor, who opened the form before, gets the conflict page with their own copy."""
    article = write_article(advocate_client, publisher=editor)
    fields = {
        "title": Field(200),
        "summary": Field(1_000),
        "body": Field(100_000, markdown=True),
    }

    def show(texts: Texts) -> str:
        article.refresh_from_db()
        opened_at = article.version
        values = {name: texts[name][0] for name in fields}
        saved = advocate_client.post(edit_url(article), article_form(article, **values))
        assert saved.status_code == 302, saved.content
        article.refresh_from_db()
        diff = page(editor_client, compare_url(article, f"from={article.version - 1}"
                                                        f"&to={article.version}"))  # fmt: skip
        theirs = {**values, "body": f"{values['body']}\n\nThe editor's copy."}
        conflict = editor_client.post(
            edit_url(article), article_form(article, base_version=opened_at, **theirs)
        )
        assert conflict.status_code == 409, conflict.content
        return diff + conflict.content.decode()

    failures = sweep(fields, show)
    assert not failures, report(failures)


def feed_html(client: Client, url: str) -> str:
    """What a feed reader shows as HTML: each entry's title (text, so escaped) and summary
    (``type="html"``); the feed must be XML with no element but Atom's."""
    response = client.get(url)
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    foreign = {element.tag for element in root.iter() if not element.tag.startswith(ATOM)}
    assert not foreign, foreign
    html = []
    for entry in root.iter(f"{ATOM}entry"):
        title = entry.find(f"{ATOM}title")
        html.append(escape(title.text or "") if title.get("type", "text") == "text" else title.text)
        for summary in entry.iter(f"{ATOM}summary"):
            assert summary.get("type") == "html"
            html.append(summary.text or "")
    return "\n".join(html)


def test_atom_feeds(reader, advocate) -> None:
    articles = [ArticleFactory(author=advocate, tags=["video"]) for _ in range(4)]
    studies = [CaseStudyFactory(created_by=advocate, tags=["video"]) for _ in range(3)]
    links = [ResearchLinkFactory(added_by=advocate, tags=["video"]) for _ in range(3)]
    brief = CollectionFactory(created_by=advocate, items=[(item, "Why") for item in articles])
    notes = list(CollectionItem.objects.filter(collection=brief).order_by("position"))
    fields = {
        "title": Field(200, rows=len(articles)),
        "summary": Field(1_000, rows=len(articles)),
        "case_study_summary": Field(2_000, rows=len(studies), markdown=True),
        "key_finding": Field(2_000, rows=len(links), markdown=True),
        "note": Field(200, rows=len(notes)),
    }
    client = Client()

    def show(texts: Texts) -> str:
        for row, article in enumerate(articles):
            store(Article, article.pk, title=texts["title"][row], summary=texts["summary"][row])
        for row, study in enumerate(studies):
            store(CaseStudy, study.pk, summary=texts["case_study_summary"][row])
        for row, link in enumerate(links):
            store(ResearchLink, link.pk, key_finding=texts["key_finding"][row])
        for row, note in enumerate(notes):
            store(CollectionItem, note.pk, note=texts["note"][row])
        return "\n".join(
            feed_html(client, url)
            for url in (
                feed_url(reader),
                feed_url(reader, "topics", "video"),
                feed_url(reader, "advocates", advocate.username),
                feed_url(reader, "collections", brief.slug),
            )
        )

    failures = sweep(fields, show)
    assert not failures, report(failures)


def test_digest_emails(settings, advocate) -> None:
    """The HTML part is judged like a page; the text part must carry the titles as typed
    (plain text is never escaped, nor needs to be)."""
    settings.SITE_URL = "https://kb.example.org"
    reader = UserFactory(username="dina")
    follow_add(user=reader, target=Tag.objects.get_or_create(name="video", slug="video")[0])
    period = due_period(Frequency.WEEKLY, timezone.now())
    published_at = period.start + timedelta(hours=12)
    articles = [ArticleFactory(author=advocate, tags=["video"]) for _ in range(5)]
    studies = [CaseStudyFactory(created_by=advocate, tags=["video"]) for _ in range(3)]
    metrics = [MetricFactory(case_study=study) for study in studies]
    links = [ResearchLinkFactory(added_by=advocate, tags=["video"]) for _ in range(3)]
    for item in [*articles, *studies, *links]:
        type(item).objects.filter(pk=item.pk).update(
            published_at=published_at, updated_at=published_at
        )
    fields = {
        "title": Field(200, rows=len(articles)),
        "metric_name": Field(120, rows=len(metrics)),
        "metric_unit": Field(40, rows=len(metrics)),
        "key_finding": Field(2_000, rows=len(links), markdown=True),
    }

    def show(texts: Texts) -> str:
        for row, article in enumerate(articles):
            store(Article, article.pk, title=texts["title"][row])
        for row, metric in enumerate(metrics):
            store(Metric, metric.pk, name=texts["metric_name"][row], unit=texts["metric_unit"][row])
        for row, link in enumerate(links):
            store(ResearchLink, link.pk, key_finding=texts["key_finding"][row])
        mail.outbox.clear()
        digest_message(reader, digest_content(reader, period)).send()
        [message] = mail.outbox
        [(html, mimetype)] = message.alternatives
        assert mimetype == "text/html" and message.content_subtype == "plain"
        missing = [title for title in texts["title"] if title.strip() not in message.body]
        assert not missing, f"the text part does not read {missing} as typed"
        return html

    failures = sweep(fields, show)
    assert not failures, report(failures)


class _RecordingHTML:
    """Stands in for WeasyPrint while the rounds run: keeps the HTML it is handed."""

    handed: list[str] = []

    def __init__(self, *, string: str, **kwargs) -> None:
        self.handed.append(string)

    def write_pdf(self) -> bytes:
        return b"%PDF-1.7 recorded"


def test_the_brief_pdf_is_made_from_inert_html(monkeypatch, reader_client: Client, advocate):
    studies = [CaseStudyFactory(created_by=advocate) for _ in range(4)]
    metrics = [MetricFactory(case_study=study) for study in studies]
    brief = CollectionFactory(created_by=advocate, items=[(study, "Why") for study in studies])
    notes = list(CollectionItem.objects.filter(collection=brief).order_by("position"))
    fields = {
        "title": Field(200),
        "purpose": Field(1_000),
        "introduction": Field(20_000, markdown=True),
        "note": Field(200, rows=len(notes)),
        "item_title": Field(200, rows=len(studies)),
        "metric_name": Field(120, rows=len(metrics)),
        "metric_unit": Field(40, rows=len(metrics)),
    }
    monkeypatch.setattr(exports, "_weasyprint_html", lambda: _RecordingHTML)

    def show(texts: Texts) -> str:
        store(Collection, brief.pk, title=texts["title"][0], purpose=texts["purpose"][0],
              introduction=texts["introduction"][0])  # fmt: skip
        for row, (note, study, metric) in enumerate(zip(notes, studies, metrics, strict=True)):
            store(CollectionItem, note.pk, note=texts["note"][row])
            store(CaseStudy, study.pk, title=texts["item_title"][row])
            store(Metric, metric.pk, name=texts["metric_name"][row], unit=texts["metric_unit"][row])
        _RecordingHTML.handed.clear()
        response = reader_client.get(reverse("collections:pdf", args=[brief.slug]))
        assert response.status_code == 200
        [html] = _RecordingHTML.handed
        return html

    failures = sweep(fields, show)
    assert not failures, report(failures)


def _pdf_objects(pdf: bytes) -> Iterator[bytes]:
    """The PDF's bytes and every compressed stream in it, inflated."""
    yield pdf
    for part in pdf.split(b"stream")[1:]:
        data = part.lstrip(b"\r\n").split(b"endstream")[0]
        try:
            yield zlib.decompress(data)
        except zlib.error:
            continue


def test_the_brief_pdf_has_no_script_or_script_link(reader_client: Client, advocate) -> None:
    """One real PDF with every payload as a link's address, and every payload that carries
    one as it is: no JavaScript action, and no link whose address is a script, in any
    object (compressed ones included) or annotation."""
    from pypdf import PdfReader

    addresses = [payload for payload in PAYLOADS if payload.category in ADDRESS_CATEGORIES]
    everything = "\n\n".join(payload.text for payload in addresses)
    links = [f"[link {n}]({payload.text})" for n, payload in enumerate(PAYLOADS)]
    brief = CollectionFactory(
        created_by=advocate,
        introduction=f"{everything}\n\n{' '.join(links)}"[:20_000],
        items=[(CaseStudyFactory(title=PAYLOADS[n].text[:200]), PAYLOADS[n].text[:200])
               for n in range(5)],
    )  # fmt: skip
    response = reader_client.get(reverse("collections:pdf", args=[brief.slug]))
    assert response.status_code == 200
    pdf = response.content
    for data in _pdf_objects(pdf):
        lowered = data.lower()
        for marker in (b"/javascript", b"/js ", b"/js(", b"/js<", b"/launch", b"/submitform"):
            assert marker not in lowered, marker
        assert not SCRIPT_URI.search(data), SCRIPT_URI.search(data)
    uris = []
    for pdf_page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in pdf_page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            assert action.get("/S") in (None, "/URI", "/GoTo"), action
            uris.append(str(action.get("/URI", "")))
    bad = [uri for uri in uris if url_scheme(uri)]
    assert not bad, bad


def test_url_fields_accept_no_script_address(reader_client: Client, advocate) -> None:
    """A URL field's form refuses a script's address; whatever it accepts, shown as a link,
    must load nothing but a web page."""
    link = ResearchLinkFactory(added_by=advocate)
    study = CaseStudyFactory(created_by=advocate)
    platform = PlatformFactory()
    handle = HandleFactory(profile=advocate.advocate_profile, platform=platform)
    targets = [
        (ResearchLink, link, "url", link.get_absolute_url()),
        (CaseStudy, study, "source_url", study.get_absolute_url()),
        (Platform, platform, "url", reverse("platforms:detail", args=[platform.slug])),
        (Handle, handle, "url", advocate.advocate_profile.get_absolute_url()),
    ]
    failures = []
    accepted = 0
    for model, row, name, url in targets:
        field = model._meta.get_field(name)
        formfield = forms.URLField(max_length=field.max_length, **URL_FIELD_OPTIONS)
        baseline = page(reader_client, url)
        for payload in PAYLOADS:
            try:
                value = formfield.clean(payload.text)
            except ValidationError:  # refused, as it should be
                continue
            accepted += 1
            store(model, row.pk, **{name: value})
            found = added_active_content(page(reader_client, url), baseline)
            if found:
                failures.append(f"{model.__name__}.{name}: {payload} -> {found}")
    assert accepted, "every payload was refused: no page showed one"
    assert not failures, report(failures)


@pytest.fixture(autouse=True)
def _no_real_mail(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_downloads_of_user_text_are_never_read_as_html(reader_client: Client, editor_client):
    """An export carries payloads as they were typed; a browser must never read it as a page
    (its own type, never text/html, and no type sniffing)."""
    hostile = "<script>__xss()</script><img src=x onerror=__xss()>"
    link = ResearchLinkFactory(title=hostile, key_finding=hostile, publisher=hostile)
    brief = CollectionFactory(title=hostile, introduction=hostile, items=[(link, hostile[:200])])
    downloads = {
        reverse("collections:markdown", args=[brief.slug]): reader_client,
        reverse("collections:pdf", args=[brief.slug]): reader_client,
        reverse("research:cite", args=[link.slug, "bib"]): reader_client,
        reverse("research:cite", args=[link.slug, "ris"]): reader_client,
        reverse("research:cite", args=[link.slug, "json"]): reader_client,
        reverse("research:export", args=["bib"]): reader_client,
        reverse("departments:dashboard_csv", args=["advocates"]): editor_client,
    }
    for url, client in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        content_type = response["Content-Type"]
        assert "html" not in content_type and "xml" not in content_type, (url, content_type)
        assert response["X-Content-Type-Options"] == "nosniff", url
