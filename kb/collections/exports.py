"""A collection outside the KB: as Markdown (to paste into a paper or a wiki) and as a PDF
for a board pack, made by WeasyPrint from the page's own print stylesheet.

WeasyPrint would fetch any image or stylesheet the HTML names, and an introduction is
written by users; so the PDF is made with a fetcher that fetches nothing (the stylesheet is
inlined, outside images are links anyway): making a PDF never makes the server contact
another host or read a file.
"""

from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

from kb.collections.entries import Entry
from kb.collections.models import Collection

PRINT_STYLESHEET = "css/collections-print.css"
_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def _escape(text: str) -> str:
    """Plain text that Markdown shows as typed (titles and notes are not Markdown)."""
    return text.translate(_MARKDOWN_SPECIALS)


def collection_markdown(collection: Collection, entries: list[Entry], request: HttpRequest) -> str:
    lines = [
        f"# {_escape(collection.title)}",
        "",
        f"*{collection.get_kind_display()} for {_escape(collection.audience.name)}*",
        "",
        f"> {_escape(' '.join(collection.purpose.split()))}",
        "",
    ]
    if collection.introduction.strip():
        lines += [collection.introduction.strip(), ""]
    for entry in entries:
        url = request.build_absolute_uri(entry.item.get_absolute_url())
        lines += [f"## {entry.number}. [{_escape(entry.item.title)}]({url})", ""]
        facts = [entry.kind_label]
        if entry.evidence is not None:
            facts.append(f"Evidence: {entry.evidence.label}")
        lines += [f"*{' · '.join(facts)}*", "", f"**Why this matters:** {_escape(entry.note)}", ""]
        headline = entry.headline
        if headline is not None:
            lines += [f"**{_escape(headline.label)}:** {_escape(headline.text)}", ""]
            if headline.source is not None:
                source = headline.source
                rating = (
                    "not yet rated"
                    if source.rating == "unrated"
                    else f"{source.get_rating_display()} reputability"
                )
                lines += [f"Source: {_escape(source.name)} ({rating})", ""]
        elif entry.item.summary_text:
            lines += [_escape(entry.item.summary_text), ""]
    lines.append(f"Source: {request.build_absolute_uri(collection.get_absolute_url())}")
    return "\n".join(lines) + "\n"


def _fetch_nothing(url: str, *args, **kwargs) -> dict:
    raise ValueError(f"The PDF fetches nothing from outside: {url[:80]}")


def _weasyprint_html():
    """WeasyPrint's HTML class, imported on first use (it loads Pango, which only this page
    needs). Importing it turns on Pillow's process-wide LOAD_TRUNCATED_IMAGES, which would
    let damaged uploads through kb.uploads' checks; the flag is put back as it was (the PDF
    loads no images)."""
    from PIL import ImageFile

    truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    try:
        from weasyprint import HTML
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    return HTML


def collection_pdf(collection: Collection, entries: list[Entry], request: HttpRequest) -> bytes:
    HTML = _weasyprint_html()

    path = finders.find(PRINT_STYLESHEET)
    with open(path, encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    html = render_to_string(
        "collections/collection_pdf.html",
        {
            "collection": collection,
            "entries": entries,
            "stylesheet": css,
            "page_url": request.build_absolute_uri(collection.get_absolute_url()),
        },
        request=request,
    )
    return HTML(string=html, url_fetcher=_fetch_nothing).write_pdf()
