"""Filters of the source register's list."""

import django_filters

from kb.sources.models import Kind, Rating, Source


class SourceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    rating = django_filters.ChoiceFilter(choices=Rating.choices, empty_label="Any rating")

    class Meta:
        model = Source
        fields: list[str] = []
