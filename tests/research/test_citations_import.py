"""Importing research from BibTeX, RIS and CSV: the dry-run report (new, duplicate,
invalid with line and reason), and all or nothing when committed."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kb.core.models import Status
from kb.research.importing import (
    DUPLICATE,
    INVALID,
    NEW,
    ImportRefused,
    research_import_commit,
    research_import_preview,
)
from kb.research.models import Kind, ResearchLink
from kb.revisions.models import Revision
from tests.factories import ResearchLinkFactory

BIBTEX = r"""% exported from a reference manager
@article{ølsen2023,
  title = {Advocacy {in} M{\"u}nchen: 50\% \& more},
  author = {{\O}lsen, Zo{\"e} and Smith, John and {Smith and Sons}},
  journal = {Journal of Social Trust},
  year = {2023},
  month = {apr},
  url = {https://journal.example.org/a_b?id=5%25},
  doi = {10.5555/NEW.1},
  abstract = {Colleagues are trusted more than brands.},
  keywords = {advocacy, trust},
}

@techreport{variant,
  title = {Known report, reached through a tracked link},
  institution = {Example Institute},
  url = {http://WWW.known.example.org/report/?utm_source=newsletter},
  note = {Already here.},
}

@misc{by-doi,
  title = {Known by its DOI},
  howpublished = {Example Press},
  url = {https://mirror.example.net/known},
  doi = {https://doi.org/10.5555/KNOWN.1},
  note = {Same work, other address.},
}

@misc{again,
  title = {The first entry again},
  howpublished = {Journal of Social Trust},
  url = {https://journal.example.org/a_b/?id=5%25#top},
  note = {Twice in one file.},
}
"""

RIS = """TY  - RPRT
TI  - State of employee advocacy
AU  - Author, Ann
AU  - Body, Bo
PB  - Example Analysts
PY  - 2022
DA  - 2022/03/
UR  - https://analysts.example.com/state
AB  - Programmes grow reach.
KW  - advocacy
ER  -

TY  - JOUR
TI  - Trashed but known
PB  - Example Journal
UR  - https://trashed.example.org/paper
AB  - In the trash.
ER  -
"""

CSV_HEADER = "url,title,publisher,authors,publication_date,kind,key_finding,tags,doi\n"


def csv_rows(*rows: str) -> bytes:
    return (CSV_HEADER + "".join(f"{row}\n" for row in rows)).encode()


GOOD_CSV_ROW = (
    "https://csv.example.org/{n},CSV study {n},Example Lab,A. Author,2021-06-0{n},survey,"
    'Found {n},"a, b",'
)


@pytest.fixture
def known(db) -> None:
    ResearchLinkFactory(url="https://known.example.org/report")
    ResearchLinkFactory(url="https://elsewhere.example.org/known", doi="10.5555/known.1")
    ResearchLinkFactory(url="https://trashed.example.org/paper", deleted_at=timezone.now())


def outcomes(report) -> list[tuple[int, str]]:
    return [(row.line, row.outcome) for row in report.rows]


def test_it_reports_new_duplicate_by_url_doi_and_within_the_file_from_bibtex(known) -> None:
    report = research_import_preview(content=BIBTEX.encode(), filename="refs.bib")
    assert report.format == "bibtex"
    assert outcomes(report) == [(2, NEW), (14, DUPLICATE), (21, DUPLICATE), (29, DUPLICATE)]
    assert [row.reason for row in report.duplicates] == [
        "this URL is already in the KB",
        "DOI 10.5555/known.1 is already in the KB",
        "same URL as line 2",
    ]
    (new,) = report.new
    assert new.link.title == "Advocacy in München: 50% & more"
    assert new.link.authors == "Ølsen, Zoë; Smith, John; Smith and Sons"
    assert new.link.publisher == "Journal of Social Trust"
    assert new.link.publication_date == datetime.date(2023, 4, 1)
    assert new.link.url == "https://journal.example.org/a_b?id=5%25"
    assert new.link.doi == "10.5555/new.1"
    assert new.link.kind == Kind.PEER_REVIEWED
    assert new.tags == ["advocacy", "trust"]
    assert report.can_commit


def test_it_reports_ris_records_and_counts_the_trash_as_known(known) -> None:
    report = research_import_preview(content=RIS.encode(), filename="export.ris")
    assert outcomes(report) == [(1, NEW), (13, DUPLICATE)]
    link = report.new[0].link
    assert link.authors == "Author, Ann; Body, Bo"
    assert link.publication_date == datetime.date(2022, 3, 1)
    assert link.kind == Kind.INDUSTRY_REPORT


def test_it_commits_only_the_new_records_as_the_importers_drafts_with_a_revision(
    known, editor
) -> None:
    before = ResearchLink.all_objects.count()
    report = research_import_commit(content=BIBTEX.encode(), filename="refs.bib", user=editor)
    assert ResearchLink.all_objects.count() == before + 1
    link = ResearchLink.all_objects.get(pk=report.new[0].link.pk)
    assert link.status == Status.DRAFT
    assert link.added_by == editor
    assert sorted(tag.name for tag in link.tags.all()) == ["advocacy", "trust"]
    (revision,) = Revision.objects.for_item(link)
    assert revision.author == editor
    assert revision.message == "Imported from refs.bib"


def test_it_names_the_line_and_reason_of_an_invalid_csv_row_and_imports_nothing(db, editor) -> None:
    rows = [GOOD_CSV_ROW.format(n=n) for n in range(1, 6)]
    rows.append("https://csv.example.org/bad,Bad date,Example Lab,,2021-13-45,survey,Found,,")
    content = csv_rows(*rows)
    report = research_import_preview(content=content, filename="links.csv")
    assert [(row.line, row.outcome) for row in report.invalid] == [(7, INVALID)]
    assert "Publication date" in report.invalid[0].reason
    assert len(report.new) == 5
    assert not report.can_commit
    with pytest.raises(ImportRefused, match="1 record"):
        research_import_commit(content=content, filename="links.csv", user=editor)
    assert not ResearchLink.all_objects.exists()


def test_it_names_every_missing_required_field(db) -> None:
    content = csv_rows("not a url,,,,,unknown-kind,,,")
    (row,) = research_import_preview(content=content, filename="x.csv").invalid
    for field in ["URL", "Title", "Publisher", "Kind", "Key finding"]:
        assert field in row.reason


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"@article{broken,\n  title = {never closed\n@misc{b, title={x}}\n", "x.bib", "Line 1"),
        (b"TI  - A title without its type\nER  - \n", "x.ris", "Line 1: expected a record"),
        (b"TY  - JOUR\nTI  - never ends\n", "x.ris", "never ends with"),
        (b"title,when\nA,2020\n", "x.csv", "Line 1: the first line must name the columns"),
        (b'url,title\n"https://a.example.org,unclosed\n', "x.csv", "not valid CSV"),
        (b"url,title\n", "x.csv", "no rows"),
        (b"", "x.bib", "no BibTeX entries"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.png", "binary file"),
        ("url,title\nhttps://a.example.org,Caf\u00e9\n".encode("latin-1"), "x.csv", "not UTF-8"),
    ],
)
def test_it_refuses_a_malformed_file_whole_and_says_why(
    db, editor, content: bytes, filename: str, message: str
) -> None:
    report = research_import_preview(content=content, filename=filename)
    assert message in report.error
    assert report.rows == []
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        research_import_commit(content=content, filename=filename, user=editor)
    assert not ResearchLink.all_objects.exists()


def test_it_refuses_a_file_over_the_size_limit(db, settings) -> None:
    settings.KB_IMPORT_MAX_BYTES = 1024
    report = research_import_preview(content=csv_rows(*["x" * 100] * 20), filename="x.csv")
    assert "larger than 1 KB" in report.error


def test_it_writes_nothing_when_a_record_became_a_duplicate_since_the_preview(
    db, editor, monkeypatch
) -> None:
    """A race the preview cannot see still rolls the whole import back."""
    import kb.research.importing as importing

    content = csv_rows(*(GOOD_CSV_ROW.format(n=n) for n in range(1, 4)))
    original = importing._classify

    def classify_then_race(records):
        rows = original(records)
        ResearchLinkFactory(url="https://csv.example.org/3")
        return rows

    monkeypatch.setattr(importing, "_classify", classify_then_race)
    with pytest.raises(ImportRefused, match="added to the KB by someone else meanwhile"):
        research_import_commit(content=content, filename="x.csv", user=editor)
    assert not ResearchLink.all_objects.filter(url__startswith="https://csv.example.org/").exists()


def test_the_command_reports_a_dry_run_and_writes_nothing(tmp_path: Path, known) -> None:
    path = tmp_path / "refs.bib"
    path.write_text(BIBTEX)
    before = ResearchLink.all_objects.count()
    out = io.StringIO()
    call_command("import_research", str(path), stdout=out)
    assert "4 record(s): 1 new, 3 duplicate, 0 invalid" in out.getvalue()
    assert "line 21: duplicate “Known by its DOI” (DOI 10.5555/known.1 is already in the KB)" in (
        out.getvalue()
    )
    assert "Dry run" in out.getvalue()
    assert ResearchLink.all_objects.count() == before


def test_the_command_commits_as_the_named_user(tmp_path: Path, editor, known) -> None:
    path = tmp_path / "links.txt"
    path.write_text(RIS)
    out = io.StringIO()
    call_command("import_research", str(path), "--commit", "--user", editor.username, stdout=out)
    assert "Imported 1 research link(s)" in out.getvalue()
    assert ResearchLink.all_objects.get(title="State of employee advocacy").added_by == editor


def test_the_command_refuses_a_malformed_file(tmp_path: Path, editor) -> None:
    path = tmp_path / "links.csv"
    rows = [GOOD_CSV_ROW.format(n=n) for n in range(1, 6)]
    path.write_bytes(csv_rows(*rows, "https://x.example.org,Bad,P,,someday,survey,F,,"))
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_research", str(path), "--commit", "--user", "eddie", stdout=out)
    assert "line 7: invalid" in out.getvalue()
    assert not ResearchLink.all_objects.exists()


def test_the_command_needs_an_importer_who_may_add_research(tmp_path: Path, reader, db) -> None:
    path = tmp_path / "links.ris"
    path.write_text(RIS)
    with pytest.raises(CommandError, match="needs --user"):
        call_command("import_research", str(path), "--commit")
    with pytest.raises(CommandError, match="may not add"):
        call_command("import_research", str(path), "--commit", "--user", reader.username)
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_research", str(tmp_path / "missing.bib"))
