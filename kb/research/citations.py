"""Research links as citations: BibTeX, RIS and CSL-JSON out, BibTeX, RIS and CSV in.

Writers turn one link into one self-contained record, so an export of any length is
streamed record by record. Readers turn a whole file into ``CitationRecord``s (the
research link's fields as text, with the line each record starts on) or raise
``CitationFileError`` naming the line and the reason; they never touch the database.
"""

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.middlewares.names import split_multiple_persons_names
from bibtexparser.model import Entry, Field, ParsingFailedBlock
from pylatexenc.latex2text import LatexNodes2Text

from kb.research.models import Kind, ResearchLink

# The columns a CSV import may have, in the order an export of them would use.
CSV_COLUMNS = (
    "url", "title", "publisher", "authors", "publication_date", "kind", "key_finding", "tags",
    "doi",
)  # fmt: skip


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    content_type: str


BIBTEX = Format("BibTeX", "bib", "application/x-bibtex; charset=utf-8")
RIS = Format("RIS", "ris", "application/x-research-info-systems; charset=utf-8")
CSL_JSON = Format("CSL-JSON", "json", "application/vnd.citationstyles.csl+json")
EXPORT_FORMATS = {fmt.extension: fmt for fmt in (BIBTEX, RIS, CSL_JSON)}


class CitationFileError(ValueError):
    """The file cannot be read at all: nothing in it may be imported."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(f"Line {line}: {reason}" if line else reason)
        self.reason = reason
        self.line = line


@dataclass
class CitationRecord:
    """One record read from a file: a research link's fields as text, before validation."""

    line: int
    fields: dict[str, str] = field(default_factory=dict)


# Authors --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """An author split into family and given names, or kept whole (``literal``) when the
    free text does not say which is which (an organisation, a single word)."""

    family: str = ""
    given: str = ""
    literal: str = ""

    def family_first(self) -> str:
        if self.literal:
            return self.literal
        return f"{self.family}, {self.given}" if self.given else self.family


def split_authors(text: str) -> list[Person]:
    """Persons from the free-text authors field, which advocates write either
    "A. Author, B. Author" (or with "and"/"&") or "Author, A.; Author, B."."""
    text = text.strip()
    if not text:
        return []
    if ";" in text:
        return [_family_first(part) for part in text.split(";") if part.strip()]
    parts = [part.strip() for part in re.split(r",|\band\b|&", text) if part.strip()]
    if len(parts) == 2 and len(parts[0].split()) == 1 and "," in text:
        return [_family_first(text)]  # "Author, A." is one person
    return [_given_first(part) for part in parts]


def _family_first(text: str) -> Person:
    family, _, given = (part.strip() for part in text.partition(","))
    return Person(family=family, given=given) if given else Person(literal=family)


def _given_first(text: str) -> Person:
    *given, family = text.split()
    return Person(family=family, given=" ".join(given)) if given else Person(literal=family)


def citation_key(link: ResearchLink) -> str:
    """Stable and unique as long as the slug is: the slug is unique and never reused."""
    return link.slug


# Writers --------------------------------------------------------------------------------

BIBTEX_TYPES = {
    Kind.PEER_REVIEWED: "article",
    Kind.INDUSTRY_REPORT: "techreport",
    Kind.SURVEY: "techreport",
    Kind.BOOK: "book",
}
RIS_TYPES = {
    Kind.PEER_REVIEWED: "JOUR",
    Kind.INDUSTRY_REPORT: "RPRT",
    Kind.SURVEY: "RPRT",
    Kind.NEWS: "NEWS",
    Kind.BOOK: "BOOK",
    Kind.TALK: "VIDEO",
    Kind.OTHER: "ELEC",
}
CSL_TYPES = {
    Kind.PEER_REVIEWED: "article-journal",
    Kind.INDUSTRY_REPORT: "report",
    Kind.SURVEY: "report",
    Kind.NEWS: "article-newspaper",
    Kind.BOOK: "book",
    Kind.TALK: "speech",
    Kind.OTHER: "webpage",
}
# What a reference manager's type means back in the KB (types not listed: Other).
KINDS_BY_TYPE = {
    "article": Kind.PEER_REVIEWED,
    "techreport": Kind.INDUSTRY_REPORT,
    "report": Kind.INDUSTRY_REPORT,
    "book": Kind.BOOK,
    "JOUR": Kind.PEER_REVIEWED,
    "RPRT": Kind.INDUSTRY_REPORT,
    "NEWS": Kind.NEWS,
    "BOOK": Kind.BOOK,
    "VIDEO": Kind.TALK,
}

LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
LATEX_SPECIALS_RE = re.compile("|".join(re.escape(char) for char in LATEX_SPECIALS))


def _latex(text: str) -> str:
    """Text as a BibTeX value: LaTeX's special characters escaped, the rest left as UTF-8
    (BibLaTeX/Biber and every reference manager read it)."""
    return LATEX_SPECIALS_RE.sub(lambda match: LATEX_SPECIALS[match.group()], text)


def _bibtex_url(url: str) -> str:
    # Braces would end the value; a URL may carry them only percent-encoded anyway.
    return url.replace("{", "%7B").replace("}", "%7D").replace("\\", "%5C")


def _bibtex_author(person: Person) -> str:
    if person.literal:
        return "{" + _latex(person.literal) + "}"  # braced: never split into names
    return _latex(person.family_first())


def to_bibtex(link: ResearchLink) -> str:
    fields = [
        ("title", _latex(link.title)),
        ("author", " and ".join(_bibtex_author(p) for p in split_authors(link.authors))),
        ("publisher" if link.kind == Kind.BOOK else "howpublished", _latex(link.publisher)),
        ("year", str(link.year or "")),
        ("date", link.publication_date.isoformat() if link.publication_date else ""),
        ("url", _bibtex_url(link.url)),
        ("doi", _bibtex_url(link.doi)),
        ("abstract", _latex(link.key_finding)),
        ("keywords", _latex(", ".join(tag.name for tag in link.tags.all()))),
    ]
    entry = Entry(
        entry_type=BIBTEX_TYPES.get(link.kind, "misc"),
        key=citation_key(link),
        fields=[Field(name, value) for name, value in fields if value],
    )
    return bibtexparser.write_string(Library([entry]))


class _RisRecordWriter(rispy.RisWriter):
    """rispy's writer without the running number it puts before each record, so records
    written one at a time concatenate into a valid file."""

    def set_header(self, count: int) -> str:
        return ""


def to_ris(link: ResearchLink) -> str:
    record = {
        "type_of_reference": RIS_TYPES.get(link.kind, "GEN"),
        "id": citation_key(link),
        "title": link.title,
        "authors": [person.family_first() for person in split_authors(link.authors)],
        "publisher": link.publisher,
        "year": str(link.year or ""),
        "date": link.publication_date.strftime("%Y/%m/%d") if link.publication_date else "",
        "urls": [link.url],
        "doi": link.doi,
        # RIS values are one line each.
        "abstract": " ".join(link.key_finding.split()),
        "keywords": [tag.name for tag in link.tags.all()],
    }
    return rispy.dumps(
        [{name: value for name, value in record.items() if value}],
        implementation=_RisRecordWriter,
    )


def to_csl(link: ResearchLink) -> dict:
    item: dict = {
        "id": citation_key(link),
        "type": CSL_TYPES.get(link.kind, "document"),
        "title": link.title,
        "publisher": link.publisher,
        "URL": link.url,
        "abstract": link.key_finding,
    }
    authors = [
        {"literal": p.literal} if p.literal else {"family": p.family, "given": p.given}
        for p in split_authors(link.authors)
    ]
    if authors:
        item["author"] = authors
    if link.publication_date:
        date = link.publication_date
        item["issued"] = {"date-parts": [[date.year, date.month, date.day]]}
    if link.doi:
        item["DOI"] = link.doi
    tags = [tag.name for tag in link.tags.all()]
    if tags:
        item["keyword"] = ", ".join(tags)
    return item


def export_chunks(links, fmt: Format) -> Iterator[str]:
    """The file of ``links`` (an iterable, consumed once) in ``fmt``, a record at a time."""
    if fmt is CSL_JSON:
        yield "["
        for n, link in enumerate(links):
            yield ("," if n else "") + "\n" + json.dumps(to_csl(link), ensure_ascii=False)
        yield "\n]\n"
        return
    write = to_bibtex if fmt is BIBTEX else to_ris
    for n, link in enumerate(links):
        yield ("\n" if n else "") + write(link)


# Readers --------------------------------------------------------------------------------


def read_bibtex(text: str) -> list[CitationRecord]:
    library = bibtexparser.parse_string(text)
    for block in library.failed_blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, ParsingFailedBlock) and block.error:
            reason = str(block.error).split("\n")[-1].strip() or "not valid BibTeX"
        else:
            reason = "not valid BibTeX"
        raise CitationFileError(f"not valid BibTeX ({reason})", line)
    if not library.entries:
        raise CitationFileError("no BibTeX entries (@article{…}, @misc{…}) found")
    return [_bibtex_record(entry) for entry in library.entries]


# Fields BibTeX tools keep verbatim: LaTeX decoding would eat a URL's "%" and "_".
VERBATIM_FIELDS = frozenset({"url", "doi"})


def _bibtex_record(entry: Entry) -> CitationRecord:
    # pylatexenc directly, not bibtexparser's decoding middleware, which leaves accents
    # inside braces ("M{\"u}ller") half-decoded.
    latex = LatexNodes2Text()

    def value(*names: str) -> str:
        for name in names:
            if name in entry:
                text = str(entry[name])
                if name not in VERBATIM_FIELDS:
                    text = latex.latex_to_text(text)
                return " ".join(text.split())
        return ""

    # Split before decoding: "and" inside braces ("{Smith and Sons}") is one name.
    authors = [
        " ".join(latex.latex_to_text(name).split())
        for name in split_multiple_persons_names(str(entry["author"]) if "author" in entry else "")
    ]
    return CitationRecord(
        line=(entry.start_line or 0) + 1,
        fields={
            "url": value("url"),
            "title": value("title"),
            "publisher": value(
                "publisher",
                "howpublished",
                "journal",
                "journaltitle",
                "institution",
                "organization",
                "school",
            ),  # fmt: skip
            "authors": "; ".join(authors),
            "publication_date": value("date") or _date_from_parts(value("year"), value("month")),
            "kind": KINDS_BY_TYPE.get(entry.entry_type.lower(), Kind.OTHER),
            "key_finding": value("abstract", "note", "annote"),
            "tags": value("keywords"),
            "doi": value("doi"),
        },
    )


MONTHS = {name: n for n, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1
)}  # fmt: skip


def _date_from_parts(year: str, month: str = "") -> str:
    if not year:
        return ""
    month_number = MONTHS.get(month[:3].lower()) or (int(month) if month.isdigit() else 1)
    return f"{year}-{month_number:02d}-01"


RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  -( |$)")


def read_ris(text: str) -> list[CitationRecord]:
    """RIS records are TY … ER blocks; text outside one is a malformed file, not a comment."""
    records: list[CitationRecord] = []
    block: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        match = RIS_TAG.match(line)
        tag = match.group(1) if match else None
        if not block:
            if not line.strip():
                continue
            if tag != "TY":
                raise CitationFileError("expected a record starting with “TY  - ”", number)
            start = number
        elif tag == "TY":
            raise CitationFileError(f"a new record starts before the one on line {start} ended "
                                    "with “ER  - ”", number)  # fmt: skip
        block.append(line)
        if tag == "ER":
            records.append(_ris_record(block, start))
            block = []
    if block:
        raise CitationFileError("the record starting here never ends with “ER  - ”", start)
    if not records:
        raise CitationFileError("no RIS records (TY  - … ER  - ) found")
    return records


def _ris_record(lines: list[str], start: int) -> CitationRecord:
    (record,) = rispy.loads("\n".join(lines))

    def value(*names: str) -> str:
        for name in names:
            found = record.get(name)
            if isinstance(found, list):
                found = found[0] if found else ""
            if found:
                return " ".join(str(found).split())
        return ""

    authors = [*record.get("authors", []), *record.get("first_authors", [])]
    date = value("date", "publication_year", "year")
    return CitationRecord(
        line=start,
        fields={
            "url": value("urls"),
            "title": value("title", "primary_title"),
            "publisher": value("publisher", "journal_name", "secondary_title"),
            "authors": "; ".join(" ".join(a.split()) for a in authors),
            "publication_date": _ris_date(date),
            "kind": KINDS_BY_TYPE.get(record.get("type_of_reference", ""), Kind.OTHER),
            "key_finding": value("abstract", "notes_abstract", "notes"),
            "tags": ", ".join(record.get("keywords", [])),
            "doi": value("doi"),
        },
    )


def _ris_date(text: str) -> str:
    """RIS dates are "YYYY/MM/DD/other" with any part possibly empty; anything else is
    passed on as it is, for validation to name."""
    parts = text.split("/")
    if not re.fullmatch(r"\d{4}", parts[0]):
        return text
    year, month, day = ([*parts, "", ""])[:3]
    month_number = int(month) if month.isdigit() else 1
    return f"{year}-{month_number:02d}-{int(day) if day.isdigit() else 1:02d}"


def read_csv(text: str) -> list[CitationRecord]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise CitationFileError("the file is empty") from None
    except csv.Error as error:
        raise CitationFileError(f"not valid CSV ({error})", 1) from None
    unknown = [name for name in header if name not in CSV_COLUMNS]
    if unknown or "url" not in header or "title" not in header:
        raise CitationFileError(
            f"the first line must name the columns: url, title and any of "
            f"{', '.join(CSV_COLUMNS[2:])}"
            + (f" (unknown: {', '.join(unknown)})" if unknown else ""),
            1,
        )
    records = []
    line = reader.line_num + 1
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) != len(header):
                    raise CitationFileError(f"{len(row)} values for {len(header)} columns", line)
                fields = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
                records.append(CitationRecord(line=line, fields=fields))
            line = reader.line_num + 1
    except csv.Error as error:
        raise CitationFileError(f"not valid CSV ({error})", line) from None
    if not records:
        raise CitationFileError("no rows below the header")
    return records


READERS = {"bibtex": read_bibtex, "ris": read_ris, "csv": read_csv}
IMPORT_FORMATS = {"bibtex": "BibTeX", "ris": "RIS", "csv": "CSV"}
EXTENSIONS = {"bib": "bibtex", "bibtex": "bibtex", "ris": "ris", "csv": "csv"}


def guess_format(filename: str, text: str) -> str:
    """By the file's extension, else by how its first line looks."""
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    if extension in EXTENSIONS:
        return EXTENSIONS[extension]
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if first.startswith("@") or first.startswith("%"):
        return "bibtex"
    if RIS_TAG.match(first):
        return "ris"
    return "csv"
