"""Filters of the advocate directory."""

import django_filters
from django import forms

from kb.advocates.models import AdvocateProfile, Department
from kb.core.filters import SortFilter, TagFilter
from kb.platforms.models import Platform


class AdvocateFilter(django_filters.FilterSet):
    department = django_filters.ModelChoiceFilter(
        queryset=Department.objects.all(), to_field_name="slug", empty_label="Any department"
    )
    platform = django_filters.ModelChoiceFilter(
        field_name="platforms", queryset=Platform.objects.all(), to_field_name="slug",
        empty_label="Any platform",
    )  # fmt: skip
    tag = TagFilter(field_name="expertise__slug", label="Expertise")
    open_to_help = django_filters.BooleanFilter(
        label="Open to help colleagues",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )
    sort = SortFilter(
        {
            "name": ("Name", ["user__first_name", "user__last_name", "pk"]),
            "department": ("Department", ["department__name", "user__first_name", "pk"]),
            "newest": ("Newest", ["-created_at", "-pk"]),
        }
    )

    class Meta:
        model = AdvocateProfile
        fields: list[str] = []
