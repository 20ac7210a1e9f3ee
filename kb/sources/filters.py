"""Filters of the source register's list, and the source-rating filter of the lists of
what cites a source."""

import django_filters
from django.db.models import Q, QuerySet

from kb.sources.models import Kind, Rating, Source


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    rating = django_filters.ChoiceFilter(choices=Rating.choices, empty_label="Any rating")

    class Meta:
        model = Source
        fields: list[str] = []


class SourceRatingFilter(django_filters.ChoiceFilter):
    """Items whose source is rated so; "unrated" also finds items with no source in the
    register, as their search facet does."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Source rating")
        kwargs.setdefault("empty_label", "Any source rating")
        super().__init__(field_name="source__rating", choices=Rating.choices, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        if value == Rating.UNRATED:
            return qs.filter(Q(source__isnull=True) | Q(source__rating=Rating.UNRATED))
        return super().filter(qs, value)
