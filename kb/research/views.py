"""Research pages: list with filters, detail, add and edit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kb.content.editing import content_form_views
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.views import get_viewable_or_404
from kb.research.filters import ResearchLinkFilter
from kb.research.forms import ResearchLinkForm
from kb.research.models import ResearchLink


def research_list(request: HttpRequest) -> HttpResponse:
    queryset = ResearchLink.objects.published().for_cards()
    return render_filtered_list(
        request, ResearchLinkFilter, queryset, "research/researchlink_list.html"
    )


def research_detail(request: HttpRequest, slug: str) -> HttpResponse:
    link = get_viewable_or_404(
        ResearchLink.objects.select_related(
            "added_by__advocate_profile", "source"
        ).prefetch_related("tags"),
        request,
        slug=slug,
    )
    context = {
        "link": link,
        "related": related_by_tags(link, ResearchLink.objects.published()),
        "articles": link.articles.published().select_related("author"),
        "can_edit": link.can_edit(request.user),
    }
    return render(request, "research/researchlink_detail.html", context)


research_create, research_edit = content_form_views(
    ResearchLink, ResearchLinkForm, "research/researchlink_form.html"
)
