"""Filters of the case study list."""

import django_filters

from kb.casestudies.models import CaseStudy, Sector
from kb.core.filters import EvidenceFilter, SortFilter, TagFilter
from kb.platforms.models import Platform
from kb.sources.filters import SourceRatingFilter


class CaseStudyFilter(django_filters.FilterSet):
    tag = TagFilter()
    platform = django_filters.ModelChoiceFilter(
        field_name="platforms", queryset=Platform.objects.all(), to_field_name="slug",
        empty_label="Any platform",
    )  # fmt: skip
    sector = django_filters.ChoiceFilter(choices=Sector.choices, empty_label="Any sector")
    evidence = EvidenceFilter()
    rating = SourceRatingFilter()
    year = django_filters.NumberFilter(field_name="year", min_value=1990, max_value=2100)
    sort = SortFilter(
        {
            "newest": ("Newest", ["-published_at", "-pk"]),
            "evidence": ("Strongest evidence", ["-evidence_level", "-published_at", "-pk"]),
            "year": ("Year of the study", ["-year", "-published_at", "-pk"]),
            "title": ("Title A–Z", ["title", "pk"]),
        }
    )

    class Meta:
        model = CaseStudy
        fields: list[str] = []
