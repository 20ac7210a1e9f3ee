"""Citing research: one link or the filtered list as BibTeX, RIS and CSL-JSON, read back
by the parsers reference managers use (bibtexparser, rispy, citeproc-py)."""

import datetime
import json
import os

import bibtexparser
import citeproc
import pytest
import rispy
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pylatexenc.latex2text import LatexNodes2Text
from pytest_django.asserts import assertContains

from kb.core.models import Status
from kb.research.citations import split_authors
from kb.research.importing import DUPLICATE, NEW, research_import_preview
from kb.research.models import Kind, ResearchLink
from tests.factories import ResearchLinkFactory

# What LaTeX, BibTeX and RIS give a meaning to, plus text beyond ASCII.
HOSTILE_TITLE = "Zoë’s {braced} study: 50% of $firms & #teams_use ~ \\ tools — 日本語"
HOSTILE_URL = "https://example.org/papers/a_b?q=50%25&x={1}"


@pytest.fixture
def cited(db) -> ResearchLink:
    return ResearchLinkFactory(
        title=HOSTILE_TITLE,
        url=HOSTILE_URL,
        authors="Zoë Ølsen, J. Müller, OECD",
        publisher="Økonomisk Institut & Partners",
        publication_date=datetime.date(2023, 4, 5),
        kind=Kind.PEER_REVIEWED,
        key_finding="Employees are trusted 3× more than the brand {account}.\n\nSecond paragraph.",
        doi="10.1000/ÄBC_1",
        tags=["advocacy", "trust"],
    )


def cite(client: Client, link: ResearchLink, extension: str):
    return client.get(reverse("research:cite", args=[link.slug, extension]))


def body(response) -> str:
    return b"".join(response.streaming_content).decode()


def export(client: Client, extension: str, query: str = "") -> str:
    response = client.get(f"{reverse('research:export', args=[extension])}?{query}")
    assert response.status_code == 200
    return body(response)


def test_it_cites_one_link_as_bibtex_that_bibtexparser_reads_back(
    reader_client: Client, cited: ResearchLink
) -> None:
    library = bibtexparser.parse_string(body(cite(reader_client, cited, "bib")))
    assert not library.failed_blocks
    (entry,) = library.entries
    latex = LatexNodes2Text()
    assert entry.key == cited.slug
    assert entry.entry_type == "article"
    assert latex.latex_to_text(entry["title"]) == HOSTILE_TITLE
    assert latex.latex_to_text(entry["author"]).split(" and ") == [
        "Ølsen, Zoë", "Müller, J.", "OECD",
    ]  # fmt: skip
    assert latex.latex_to_text(entry["howpublished"]) == cited.publisher
    assert entry["url"] == HOSTILE_URL.replace("{", "%7B").replace("}", "%7D")
    assert entry["doi"] == "10.1000/äbc_1"
    assert entry["date"] == "2023-04-05"
    assert entry["year"] == "2023"
    assert latex.latex_to_text(entry["keywords"]) == "advocacy, trust"


def test_it_cites_one_link_as_ris_that_rispy_reads_back(
    reader_client: Client, cited: ResearchLink
) -> None:
    (record,) = rispy.loads(body(cite(reader_client, cited, "ris")))
    assert record["type_of_reference"] == "JOUR"
    assert record["id"] == cited.slug
    assert record["title"] == HOSTILE_TITLE
    assert record["authors"] == ["Ølsen, Zoë", "Müller, J.", "OECD"]
    assert record["publisher"] == cited.publisher
    assert record["urls"] == [HOSTILE_URL]
    assert record["doi"] == "10.1000/äbc_1"
    assert record["date"] == "2023/04/05"
    assert record["keywords"] == ["advocacy", "trust"]
    assert record["abstract"].startswith("Employees are trusted 3×")


def test_it_cites_one_link_as_csl_json_that_citeproc_renders(
    reader_client: Client, cited: ResearchLink
) -> None:
    items = json.loads(body(cite(reader_client, cited, "json")))
    assert items[0]["author"] == [
        {"family": "Ølsen", "given": "Zoë"},
        {"family": "Müller", "given": "J."},
        {"literal": "OECD"},
    ]
    assert items[0]["issued"] == {"date-parts": [[2023, 4, 5]]}
    style_path = os.path.join(
        os.path.dirname(citeproc.__file__), "data", "styles", "harvard-cite-them-right.csl"
    )
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(style_path, validate=False), CiteProcJSON(items), formatter.plain
    )
    bibliography.register(Citation([CitationItem(cited.slug)]))
    (rendered,) = [str(item) for item in bibliography.bibliography()]
    assert "Ølsen" in rendered
    assert "2023" in rendered
    assert "{braced}" in rendered


def test_it_names_the_file_and_its_type(reader_client: Client, cited: ResearchLink) -> None:
    for extension, content_type in [
        ("bib", "application/x-bibtex; charset=utf-8"),
        ("ris", "application/x-research-info-systems; charset=utf-8"),
        ("json", "application/vnd.citationstyles.csl+json"),
    ]:
        response = cite(reader_client, cited, extension)
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="{cited.slug}.{extension}"'
        response = reader_client.get(reverse("research:export", args=[extension]))
        assert response["Content-Disposition"] == f'attachment; filename="research.{extension}"'


def test_it_answers_an_unknown_format_with_404(reader_client: Client, cited: ResearchLink) -> None:
    assert cite(reader_client, cited, "docx").status_code == 404
    assert reader_client.get(reverse("research:export", args=["exe"])).status_code == 404


def test_it_never_cites_someone_elses_draft(
    advocate_client: Client, advocate, other_advocate, editor_client: Client
) -> None:
    theirs = ResearchLinkFactory(status=Status.DRAFT, published_at=None, added_by=other_advocate)
    mine = ResearchLinkFactory(status=Status.DRAFT, published_at=None, added_by=advocate)
    assert cite(advocate_client, theirs, "bib").status_code == 404
    assert cite(advocate_client, mine, "bib").status_code == 200
    assert cite(editor_client, theirs, "ris").status_code == 200


def test_it_exports_the_list_as_filtered_and_only_what_is_published(
    advocate_client: Client, advocate, other_advocate
) -> None:
    survey = ResearchLinkFactory(kind=Kind.SURVEY, tags=["trust"], title="Trust survey")
    ResearchLinkFactory(kind=Kind.SURVEY, title="Untagged survey")
    ResearchLinkFactory(kind=Kind.BOOK, tags=["trust"], title="Trust book")
    ResearchLinkFactory(
        kind=Kind.SURVEY, tags=["trust"], status=Status.DRAFT, published_at=None,
        added_by=other_advocate, title="Their draft",
    )  # fmt: skip
    ResearchLinkFactory(
        kind=Kind.SURVEY, tags=["trust"], status=Status.DRAFT, published_at=None,
        added_by=advocate, title="My draft",
    )  # fmt: skip
    ResearchLinkFactory(
        kind=Kind.SURVEY, tags=["trust"], title="Scheduled",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )  # fmt: skip
    query = "kind=survey&tag=trust&page=2"
    assert [r["title"] for r in rispy.loads(export(advocate_client, "ris", query))] == [
        survey.title
    ]
    assert [e.key for e in bibtexparser.parse_string(export(advocate_client, "bib")).entries] == [
        link.slug for link in ResearchLink.objects.published()
    ]
    assert [item["title"] for item in json.loads(export(advocate_client, "json", query))] == [
        survey.title
    ]


def test_it_ignores_malformed_filters_in_an_export_as_the_list_does(
    reader_client: Client, db
) -> None:
    ResearchLinkFactory(kind=Kind.BOOK, title="A book")
    query = "year=abc&kind=nonsense&sort=%27%3B--&tag=" + "x" * 5000
    assert [item["title"] for item in json.loads(export(reader_client, "json", query))] == [
        "A book"
    ]


def test_it_exports_an_empty_list_as_a_valid_empty_file(reader_client: Client, db) -> None:
    assert json.loads(export(reader_client, "json", "kind=book")) == []
    assert rispy.loads(export(reader_client, "ris")) == []


def test_it_exports_in_list_order_with_the_lists_sort(reader_client: Client, db) -> None:
    for title in ["Charlie", "Alpha", "Bravo"]:
        ResearchLinkFactory(title=title)
    titles = [item["title"] for item in json.loads(export(reader_client, "json", "sort=title"))]
    assert titles == ["Alpha", "Bravo", "Charlie"]


def test_it_gives_two_links_of_one_title_different_keys(reader_client: Client, db) -> None:
    ResearchLinkFactory(title="Same title")
    ResearchLinkFactory(title="Same title")
    keys = [item["id"] for item in json.loads(export(reader_client, "json"))]
    assert sorted(keys) == ["same-title", "same-title-2"]


def test_it_exports_many_links_in_a_constant_number_of_queries(reader_client: Client, db) -> None:
    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as queries:
            export(reader_client, "bib")
        return len(queries)

    ResearchLinkFactory(tags=["a"])
    one = queries_for_export()
    for _ in range(10):
        ResearchLinkFactory(tags=["a", "b"])
    assert queries_for_export() == one


def test_it_links_the_list_and_the_detail_to_their_citations(
    reader_client: Client, cited: ResearchLink
) -> None:
    response = reader_client.get(f"{reverse('research:list')}?kind=survey&page=1")
    assertContains(response, f'href="{reverse("research:export", args=["ris"])}?kind=survey"')
    response = reader_client.get(cited.get_absolute_url())
    assertContains(response, f'href="{reverse("research:cite", args=[cited.slug, "bib"])}"')
    assertContains(response, "10.1000/äbc_1")


@pytest.mark.parametrize(
    "text, names",
    [
        ("A. Author, B. Author", ["Author, A.", "Author, B."]),
        ("Author, A.; Author, B.", ["Author, A.", "Author, B."]),
        ("Author, Ann", ["Author, Ann"]),
        ("Ann Author and Bo Body & Cy Code", ["Author, Ann", "Body, Bo", "Code, Cy"]),
        ("OECD", ["OECD"]),
        ("", []),
    ],
)
def test_it_splits_free_text_authors_into_persons(text: str, names: list[str]) -> None:
    assert [person.family_first() for person in split_authors(text)] == names


@pytest.mark.parametrize("extension", ["bib", "ris"])
def test_what_the_kb_exports_it_imports_back_unchanged(
    reader_client: Client, cited: ResearchLink, extension: str
) -> None:
    content = body(cite(reader_client, cited, extension)).encode()
    (row,) = research_import_preview(content=content, filename=f"x.{extension}").rows
    assert row.outcome == DUPLICATE, "it is the same link"
    cited.delete()
    (row,) = research_import_preview(content=content, filename=f"x.{extension}").rows
    assert row.outcome == NEW
    # BibTeX carries a URL's braces percent-encoded: the same address.
    fields = ["title", "normalized_url", "publisher", "publication_date", "kind", "doi"]
    assert {f: getattr(row.link, f) for f in fields} == {f: getattr(cited, f) for f in fields}
    assert split_authors(row.link.authors) == split_authors(cited.authors)
    assert row.tags == ["advocacy", "trust"]
