"""Filters of the experiment list."""

from functools import cached_property

import django_filters
from django.db.models import F

from kb.advocates.models import Department
from kb.core.filters import EvidenceFilter, SortFilter, TagFilter
from kb.experiments.models import Experiment, Outcome, SuccessRate
from kb.platforms.models import Platform


class ExperimentFilter(django_filters.FilterSet):
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, empty_label="Any outcome")
    evidence = EvidenceFilter()
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), to_field_name="slug", empty_label="Any department"
    )
    platform = django_filters.ModelChoiceFilter(
        field_name="platforms", queryset=Platform.objects.all(), to_field_name="slug",
        empty_label="Any platform",
    )  # fmt: skip
    tag = TagFilter()
    sort = SortFilter(
        {
            "newest": ("Newest", ["-published_at", "-pk"]),
            "ended": (
                "Ended most recently",
                [F("end_date").desc(nulls_last=True), "-published_at", "-pk"],
            ),
            "evidence": ("Strongest evidence", ["-evidence_level", "-published_at", "-pk"]),
            "title": ("Title A–Z", ["title", "pk"]),
        }
    )

    class Meta:
        model = Experiment
        fields: list[str] = []

    @cached_property
    def success_rate(self) -> SuccessRate:
        """Of the experiments these filters find, however many pages they fill."""
        return self.qs.success_rate()
