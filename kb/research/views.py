"""Research pages: list with filters, detail, add and edit, and their citations."""

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from kb.content.editing import content_form_views
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.ratelimits import rate_limited
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from kb.home.cards import published_cards
from kb.research.citations import EXPORT_FORMATS, Format, export_chunks
from kb.research.filters import ResearchLinkFilter
from kb.research.forms import ResearchLinkForm
from kb.research.models import ResearchLink

# Rows fetched (with their tags) per query while an export streams.
EXPORT_CHUNK_SIZE = 500


def research_list(request: HttpRequest) -> HttpResponse:
    # The export links carry the list's filters and sort, not its page: they cite it all.
    cite_query = request.GET.copy()
    cite_query.pop("page", None)
    queryset = ResearchLink.objects.published().for_cards()
    return render_filtered_list(
        request,
        ResearchLinkFilter,
        queryset,
        "research/researchlink_list.html",
        {"cite_query": cite_query.urlencode(), "export_formats": EXPORT_FORMATS.values()},
        published_kind=True,
        cards=published_cards,
    )


def _export_format(extension: str) -> Format:
    try:
        return EXPORT_FORMATS[extension]
    except KeyError:
        raise Http404("No such citation format.") from None


def _citation_response(chunks, fmt: Format, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=fmt.content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt.extension}"'
    return response


@rate_limited("export")
def research_export(request: HttpRequest, extension: str) -> StreamingHttpResponse:
    """The list as it is filtered and sorted now (the same published links, every page),
    streamed so an export of the whole KB costs a query per chunk, not its size in memory."""
    fmt = _export_format(extension)
    queryset = ResearchLink.objects.published().prefetch_related("tags")
    filterset = ResearchLinkFilter(request.GET or None, queryset=queryset, request=request)
    links = filterset.qs.iterator(chunk_size=EXPORT_CHUNK_SIZE)
    return _citation_response(export_chunks(links, fmt), fmt, "research")


@rate_limited("export")
def research_cite(request: HttpRequest, slug: str, extension: str) -> StreamingHttpResponse:
    fmt = _export_format(extension)
    link = get_viewable_or_404(ResearchLink.objects.prefetch_related("tags"), request, slug=slug)
    return _citation_response(export_chunks([link], fmt), fmt, link.slug)


def research_detail(request: HttpRequest, slug: str) -> HttpResponse:
    link = get_viewable_or_404(
        ResearchLink.objects.select_related(
            "added_by__advocate_profile", "source"
        ).prefetch_related("tags"),
        request,
        slug=slug,
    )
    item_read.send(sender=ResearchLink, item=link, user=request.user)
    context = {
        "link": link,
        "related": related_by_tags(link),
        "articles": link.articles.published().select_related("author"),
        "can_edit": link.can_edit(request.user),
        "export_formats": EXPORT_FORMATS.values(),
    }
    return render(request, "research/researchlink_detail.html", context)


research_create, research_edit = content_form_views(
    ResearchLink, ResearchLinkForm, "research/researchlink_form.html"
)
