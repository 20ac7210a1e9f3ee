"""Filters of the list of briefs and learning paths."""

import django_filters

from kb.collections.models import Audience, Collection, Kind
from kb.core.filters import SortFilter, TagFilter


class CollectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Briefs and paths")
    audience = django_filters.ModelChoiceFilter(
        queryset=Audience.objects.all(), to_field_name="slug", empty_label="Any audience"
    )
    tag = TagFilter()
    sort = SortFilter(
        {"newest": ("Newest", ["-published_at", "-pk"]), "title": ("Title A–Z", ["title", "pk"])}
    )

    class Meta:
        model = Collection
        fields: list[str] = []
