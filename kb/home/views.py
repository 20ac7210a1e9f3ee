"""Home and tag pages: every content type, brought together."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from taggit.models import Tag

from kb.advocates.models import AdvocateProfile
from kb.articles.models import Article
from kb.casestudies.models import CaseStudy
from kb.comments.models import with_comment_counts
from kb.home.feeds import feed_url
from kb.research.models import ResearchLink

NEWEST = 5
TAG_PAGE_SECTION = 12
POPULAR_TAGS = 24


def _published_sets() -> list[tuple[type, "object"]]:
    return [
        (CaseStudy, CaseStudy.objects.published()),
        (ResearchLink, ResearchLink.objects.published()),
        (Article, Article.objects.published()),
    ]


def popular_tags(limit: int = POPULAR_TAGS) -> list[Tag]:
    """Tags by how much published content carries them (drafts don't leak their topics)."""
    types = ContentType.objects.get_for_models(*(model for model, _ in _published_sets()))
    published = Q()
    for model, queryset in _published_sets():
        published |= Q(
            taggit_taggeditem_items__content_type=types[model],
            taggit_taggeditem_items__object_id__in=queryset.values("pk"),
        )
    return list(
        Tag.objects.annotate(uses=Count("taggit_taggeditem_items", filter=published))
        .filter(uses__gt=0)
        .order_by("-uses", "name")[:limit]
    )


def home(request: HttpRequest) -> HttpResponse:
    case_studies = CaseStudy.objects.published().prefetch_related("tags", "platforms")
    research = ResearchLink.objects.published().prefetch_related("tags")
    articles = Article.objects.published().select_related("author").prefetch_related("tags")
    context = {
        "featured_case_studies": with_comment_counts(case_studies.filter(featured=True))[:3],
        "featured_research": research.filter(featured=True)[:3],
        "featured_articles": with_comment_counts(articles.filter(featured=True))[:3],
        "newest_case_studies": case_studies[:NEWEST],
        "newest_research": research[:NEWEST],
        "newest_articles": articles[:NEWEST],
        "feed_url": feed_url(request.user),
        "counts": {
            "case_studies": CaseStudy.objects.published().count(),
            "research": ResearchLink.objects.published().count(),
            "articles": Article.objects.published().count(),
            "advocates": AdvocateProfile.objects.listed().count(),
        },
        "popular_tags": popular_tags(),
    }
    return render(request, "home/home.html", context)


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything published with one tag, a section per type, each linking to its full list."""
    tag = get_object_or_404(Tag, slug=slug)
    case_studies = CaseStudy.objects.published().filter(tags=tag)
    research = ResearchLink.objects.published().filter(tags=tag)
    articles = Article.objects.published().filter(tags=tag)
    advocates = AdvocateProfile.objects.listed().filter(expertise=tag)
    context = {
        "tag": tag,
        "case_studies": with_comment_counts(case_studies.prefetch_related("tags", "platforms"))[
            :TAG_PAGE_SECTION
        ],
        "case_study_count": case_studies.count(),
        "research": research.prefetch_related("tags")[:TAG_PAGE_SECTION],
        "research_count": research.count(),
        "articles": with_comment_counts(articles.select_related("author").prefetch_related("tags"))[
            :TAG_PAGE_SECTION
        ],
        "article_count": articles.count(),
        "advocates": advocates.for_cards()[:TAG_PAGE_SECTION],
        "advocate_count": advocates.count(),
    }
    return render(request, "home/tag_detail.html", context)


def tag_list(request: HttpRequest) -> HttpResponse:
    return render(request, "home/tag_list.html", {"tags": popular_tags(limit=500)})
