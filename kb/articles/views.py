"""Article pages: list with filters, detail, write and edit."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kb.articles.filters import ArticleFilter
from kb.articles.forms import ArticleForm
from kb.articles.models import Article
from kb.core.lists import related_by_tags, render_filtered_list
from kb.core.views import content_form_views, get_viewable_or_404


def article_list(request: HttpRequest) -> HttpResponse:
    queryset = (
        Article.objects.published()
        .select_related("author__advocate_profile")
        .prefetch_related("tags")
    )
    return render_filtered_list(request, ArticleFilter, queryset, "articles/article_list.html")


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = get_viewable_or_404(
        Article.objects.select_related("author__advocate_profile__department").prefetch_related(
            "tags"
        ),
        request,
        slug=slug,
    )
    context = {
        "article": article,
        "case_studies": article.related_case_studies.published(),
        "research": article.related_research.published(),
        "related": related_by_tags(article, Article.objects.published()),
        "can_edit": article.can_edit(request.user),
    }
    return render(request, "articles/article_detail.html", context)


article_create, article_edit = content_form_views(
    Article, ArticleForm, "articles/article_form.html"
)
