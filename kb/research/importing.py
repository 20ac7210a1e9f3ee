"""Importing research links from a BibTeX, RIS or CSV file: all or nothing.

The whole file is read and every record validated by the model's own rules before
anything is written. The report sorts records into new, duplicate (its URL after
normalisation or its DOI is already in the KB, the trash included, or earlier in the same
file) and invalid (with the line and the reason). Only a report without invalid records
may be committed, and its new records are then written in one transaction, as drafts
owned by the importing user, each with its first revision.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import capfirst
from taggit.utils import parse_tags

from kb.core.models import Status
from kb.core.permissions import AnyUser
from kb.research.citations import (
    IMPORT_FORMATS,
    READERS,
    CitationFileError,
    CitationRecord,
    guess_format,
)
from kb.research.models import ResearchLink, evidence_for_kind
from kb.research.urls_normalize import normalize_doi, normalize_url
from kb.revisions.services import revision_record

NEW, DUPLICATE, INVALID = "new", "duplicate", "invalid"
MAX_TAG_LENGTH = 100


class ImportRefused(Exception):
    """A commit was asked of a report that may not be committed; nothing was written."""


@dataclass
class ImportRow:
    line: int
    title: str
    url: str
    outcome: str
    reason: str = ""
    link: ResearchLink | None = None
    tags: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    format: str = ""
    rows: list[ImportRow] = field(default_factory=list)
    # Why the file as a whole could not be read (then there are no rows).
    error: str = ""

    def _with(self, outcome: str) -> list[ImportRow]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def new(self) -> list[ImportRow]:
        return self._with(NEW)

    @property
    def duplicates(self) -> list[ImportRow]:
        return self._with(DUPLICATE)

    @property
    def invalid(self) -> list[ImportRow]:
        return self._with(INVALID)

    @property
    def format_label(self) -> str:
        return IMPORT_FORMATS.get(self.format, "")

    @property
    def can_commit(self) -> bool:
        return not self.error and not self.invalid and bool(self.new)

    def refusal(self) -> str:
        """Why nothing will be imported, or "" when the new records may be."""
        if self.error:
            return f"Nothing was imported: {self.error}"
        if self.invalid:
            return (
                f"Nothing was imported: {len(self.invalid)} record(s) are invalid. Correct "
                "them (or remove them from the file) and try again."
            )
        if not self.new:
            return "Nothing to import: every record is already in the KB."
        return ""


def decode_upload(content: bytes) -> str:
    """The file as text; a file too large, binary or not UTF-8 raises CitationFileError."""
    limit = settings.KB_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise CitationFileError(
            f"the file is larger than {limit // 1024:,} KB; split it into smaller files"
        )
    if b"\0" in content:
        raise CitationFileError("this is a binary file, not BibTeX, RIS or CSV text")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise CitationFileError(
            "the file is not UTF-8 text; save it as UTF-8 and try again", line
        ) from None


def research_import_preview(
    *, content: bytes, filename: str = "", fmt: str = "auto"
) -> ImportReport:
    """The dry-run report of importing ``content``; writes nothing."""
    report = ImportReport()
    try:
        text = decode_upload(content)
        report.format = guess_format(filename, text) if fmt == "auto" else fmt
        if report.format not in READERS:
            raise CitationFileError(f"unknown format “{fmt}”")
        records = READERS[report.format](text)
    except CitationFileError as error:
        report.error = str(error)
        return report
    report.rows = _classify(records)
    return report


def _classify(records: list[CitationRecord]) -> list[ImportRow]:
    rows = [_validate(record) for record in records]
    candidates = [row for row in rows if row.link is not None]
    urls = {row.link.normalized_url for row in candidates}
    dois = {row.link.doi for row in candidates if row.link.doi}
    known_urls = set(
        ResearchLink.all_objects.filter(normalized_url__in=urls).values_list(
            "normalized_url", flat=True
        )
    )
    known_dois = set(ResearchLink.all_objects.filter(doi__in=dois).values_list("doi", flat=True))
    seen_urls: dict[str, int] = {}
    seen_dois: dict[str, int] = {}
    for row in candidates:
        link = row.link
        if link.normalized_url in known_urls:
            row.outcome, row.reason = DUPLICATE, "this URL is already in the KB"
        elif link.doi and link.doi in known_dois:
            row.outcome, row.reason = DUPLICATE, f"DOI {link.doi} is already in the KB"
        elif link.normalized_url in seen_urls:
            row.outcome = DUPLICATE
            row.reason = f"same URL as line {seen_urls[link.normalized_url]}"
        elif link.doi and link.doi in seen_dois:
            row.outcome, row.reason = DUPLICATE, f"same DOI as line {seen_dois[link.doi]}"
        seen_urls.setdefault(link.normalized_url, row.line)
        if link.doi:
            seen_dois.setdefault(link.doi, row.line)
        if row.outcome == DUPLICATE:
            row.link = None
    return rows


def _validate(record: CitationRecord) -> ImportRow:
    """The record as an unsaved draft, checked by the model's rules (and the tag length
    taggit allows); a URL already in the KB is left to the duplicate check."""
    data = record.fields
    row = ImportRow(line=record.line, title=data.get("title", ""), url=data.get("url", ""),
                    outcome=NEW)  # fmt: skip
    date = data.get("publication_date", "")
    kind = data.get("kind") or ResearchLink._meta.get_field("kind").default
    link = ResearchLink(
        url=row.url,
        title=row.title,
        publisher=data.get("publisher", ""),
        authors=data.get("authors", ""),
        publication_date=f"{date}-01-01" if re.fullmatch(r"\d{4}", date) else (date or None),
        kind=kind,
        evidence_level=evidence_for_kind(kind),
        key_finding=data.get("key_finding", ""),
        doi=normalize_doi(data.get("doi", "")),
        status=Status.DRAFT,
    )
    errors: list[str] = []
    row.tags = parse_tags(data.get("tags", ""))
    errors += [f"tag “{tag[:20]}…” is too long" for tag in row.tags if len(tag) > MAX_TAG_LENGTH]
    try:
        link.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for name, field_errors in error.error_dict.items():
            label = _label(name)
            errors += [
                f"{label}: {message}"
                for e in field_errors
                if e.code != "duplicate_url"
                for message in e.messages
            ]
    if errors:
        row.outcome, row.reason = INVALID, "; ".join(errors)
        return row
    link.normalized_url = normalize_url(link.url)
    row.link = link
    return row


def _label(name: str) -> str:
    if name == "__all__":
        return "record"
    return capfirst(ResearchLink._meta.get_field(name).verbose_name)


def research_import_commit(
    *, content: bytes, filename: str = "", fmt: str = "auto", user: AnyUser
) -> ImportReport:
    """Import the new records of ``content`` as ``user``'s drafts, or nothing at all.

    The file is read and classified again inside the transaction, so what is written is
    what the report says; a record that became a duplicate since (someone added its URL
    or DOI meanwhile) rolls everything back, never a partial import.
    """
    message = f"Imported from {filename}" if filename else "Imported"
    try:
        with transaction.atomic():
            report = research_import_preview(content=content, filename=filename, fmt=fmt)
            if not report.can_commit:
                raise ImportRefused(report.refusal())
            for row in report.new:
                link = row.link
                link.added_by = user
                link.save()
                link.tags.set(row.tags)
                revision_record(item=link, user=user, message=message)
    except IntegrityError:
        raise ImportRefused(
            "Nothing was imported: a record was added to the KB by someone else meanwhile. "
            "Check the file again."
        ) from None
    return report
