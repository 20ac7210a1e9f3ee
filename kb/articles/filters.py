"""Filters of the article list."""

import django_filters

from kb.articles.models import Article
from kb.core.filters import PersonFilter, SortFilter, TagFilter


class ArticleFilter(django_filters.FilterSet):
    tag = TagFilter()
    author = PersonFilter(field_name="author", label="Author")
    year = django_filters.NumberFilter(
        field_name="published_at__year", min_value=1990, max_value=2100, label="Year"
    )
    sort = SortFilter(
        {
            "newest": ("Newest", ["-published_at", "-pk"]),
            "oldest": ("Oldest", ["published_at", "pk"]),
            "title": ("Title A–Z", ["title", "pk"]),
        }
    )

    class Meta:
        model = Article
        fields: list[str] = []
