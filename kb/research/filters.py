"""Filters of the research list."""

import django_filters

from kb.core.filters import EvidenceFilter, SortFilter, TagFilter
from kb.research.models import Kind, ResearchLink
from kb.sources.filters import SourceRatingFilter


class ResearchLinkFilter(django_filters.FilterSet):
    tag = TagFilter()
    kind = django_filters.ChoiceFilter(choices=Kind.choices, empty_label="Any kind")
    evidence = EvidenceFilter()
    rating = SourceRatingFilter()
    year = django_filters.NumberFilter(
        field_name="publication_date__year", min_value=1900, max_value=2100, label="Year"
    )
    sort = SortFilter(
        {
            "newest": ("Newest in the KB", ["-published_at", "-pk"]),
            "published": ("Publication date", ["-publication_date", "-pk"]),
            "evidence": ("Strongest evidence", ["-evidence_level", "-published_at", "-pk"]),
            "title": ("Title A–Z", ["title", "pk"]),
        }
    )

    class Meta:
        model = ResearchLink
        fields: list[str] = []
