"""Article pages: list with filters, detail, write and edit."""

from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from kb.articles.filters import ArticleFilter
from kb.articles.forms import ArticleForm
from kb.articles.models import Article
from kb.comments.models import with_comment_counts
from kb.comments.threads import comment_thread
from kb.content.editing import content_form_views
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.signals import item_read
from kb.core.views import get_viewable_or_404
from kb.home.cards import published_cards


def article_list(request: HttpRequest) -> HttpResponse:
    queryset = with_comment_counts(
        Article.objects.published()
        .select_related("author__advocate_profile")
        .prefetch_related("tags")
    )
    return render_filtered_list(
        request,
        ArticleFilter,
        queryset,
        "articles/article_list.html",
        published_kind=True,
        cards=published_cards,
    )


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_viewable_or_404(
        Article.objects.select_related("author__advocate_profile__department").prefetch_related(
            "tags"
        ),
        request,
        slug=slug,
    )
    item_read.send(sender=Article, item=article, user=request.user)
    context = {
        "article": article,
        "case_studies": article.related_case_studies.published(),
        "research": article.related_research.published(),
        "related": related_by_tags(article),
        "can_edit": article.can_edit(request.user),
        "comment_thread": comment_thread(article, request.user),
    }
    return render(request, "articles/article_detail.html", context)


article_create, article_edit = content_form_views(
    Article, ArticleForm, "articles/article_form.html"
)


# The article fields the editor's autocomplete may search, and what it answers with.
RELATED_OPTION_FIELDS = ("related_case_studies", "related_research")
MAX_RELATED_OPTIONS = 20
MAX_RELATED_QUERY = 200


@require_GET
def related_options(request: HttpRequest) -> JsonResponse:
    """Published items an article may cite, by title, for the editor's autocomplete."""
    field = request.GET.get("field", "")
    if field not in RELATED_OPTION_FIELDS:
        return JsonResponse(
            {"error": f"field must be one of: {', '.join(RELATED_OPTION_FIELDS)}."}, status=400
        )
    model = Article._meta.get_field(field).related_model
    query = request.GET.get("q", "")[:MAX_RELATED_QUERY].strip()
    items = model.objects.published()
    if query:
        items = items.filter(title__icontains=query)
    # Lower(): the same order on SQLite (binary collation) as on PostgreSQL.
    rows = items.order_by(Lower("title"), "pk").values_list("pk", "title")[:MAX_RELATED_OPTIONS]
    return JsonResponse({"results": [{"id": pk, "label": title} for pk, title in rows]})
