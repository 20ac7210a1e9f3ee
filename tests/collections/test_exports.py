"""A brief leaves the KB as a PDF for a board pack (read back with pypdf) and as Markdown,
with the same items, headline figures and evidence levels as its page."""

import io

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from kb.collections import exports
from kb.collections.models import Collection
from tests.collections.factories import CollectionFactory
from tests.factories import CaseStudyFactory


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_title_and_the_headline_figures(
    reader_client: Client, brief: Collection
) -> None:
    response = reader_client.get(reverse("collections:pdf", args=[brief.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="why-advocacy-pays.pdf"'
    text = " ".join(pdf_text(response).split())
    assert "Why advocacy pays" in text
    assert "£1,200 → £900, −25%" in text
    assert "14 applications → 31 applications" in text
    assert "Peer-reviewed or audited" in text
    assert "Edelman (High reputability)" in text
    assert "Someone else" not in text
    assert "Trashed research" not in text


def test_the_pdf_fetches_nothing_an_introduction_names(
    reader_client: Client, advocate, monkeypatch
) -> None:
    fetched = []

    def refuse(url: str, *args, **kwargs):
        fetched.append(url)
        raise ValueError("refused")

    monkeypatch.setattr(exports, "_fetch_nothing", refuse)
    brief = CollectionFactory(
        created_by=advocate,
        introduction="![logo](https://tracker.example/pixel.png) <img src='file:///etc/passwd'>",
    )
    response = reader_client.get(reverse("collections:pdf", args=[brief.slug]))
    assert response.status_code == 200
    assert "tracker.example" not in "".join(fetched)  # outside images are links, not images
    assert all(not url.startswith("file:") for url in fetched)


def test_making_a_pdf_leaves_pillows_truncated_image_check_on(
    reader_client: Client, brief: Collection
) -> None:
    from PIL import ImageFile

    assert reader_client.get(reverse("collections:pdf", args=[brief.slug])).status_code == 200
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_the_markdown_export_reads_as_the_brief(reader_client: Client, brief: Collection) -> None:
    response = reader_client.get(reverse("collections:markdown", args=[brief.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("# Why advocacy pays\n\n*Evidence brief for Board and executives*")
    assert "> Show the board that employee advocacy pays for itself." in text
    assert "Three results, **strongest first**." in text
    assert (
        "## 1. [Recruiting on LinkedIn](http://testserver/case-studies/recruiting-on-linkedin/)"
        in text
    )
    assert "*Case study · Evidence: Peer-reviewed or audited*" in text
    assert "**Why this matters:** A council doubled its applications." in text
    assert "**Cost per hire:** £1,200 → £900, −25%" in text
    assert "Source: Edelman (High reputability)" in text
    assert "## 3. [Trust barometer]" in text
    assert "draft" not in text.lower()
    assert "Trashed" not in text


def test_markdown_escapes_titles_and_notes(reader_client: Client, advocate) -> None:
    study = CaseStudyFactory(title="Win [big](javascript:alert(1))")
    brief = CollectionFactory(
        created_by=advocate, title="# Not a heading", items=[(study, "*not emphasis*")]
    )
    text = reader_client.get(reverse("collections:markdown", args=[brief.slug])).content.decode()
    assert text.startswith("# \\# Not a heading")
    assert "[Win \\[big\\](javascript:alert(1))](" in text
    assert "\\*not emphasis\\*" in text
