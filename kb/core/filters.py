"""Filters shared by the list pages: tag slug, evidence level and a named sort order."""

import django_filters
from django import forms

from kb.core.evidence import EVIDENCE_FIELD, EvidenceLevel


class SlugFilter(django_filters.CharFilter):
    """Filter by a slug; anything that is not a slug is rejected by the form (and ignored)."""

    field_class = forms.SlugField


class TagFilter(SlugFilter):
    def __init__(self, field_name: str = "tags__slug", **kwargs) -> None:
        kwargs.setdefault("label", "Tag")
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("allow_unicode", True)  # tag slugs keep their letters: café, 日本語
        super().__init__(field_name=field_name, **kwargs)


class EvidenceFilter(django_filters.ChoiceFilter):
    """Items graded at the chosen level or stronger; a value off the scale is a form error."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Evidence at least")
        kwargs.setdefault("empty_label", "Any evidence")
        super().__init__(
            field_name=EVIDENCE_FIELD,
            lookup_expr="gte",
            choices=EvidenceLevel.choices,
            **kwargs,
        )


class SortFilter(django_filters.ChoiceFilter):
    """A select of named orders, e.g. {"newest": ("Newest", ["-published_at"])}."""

    def __init__(self, orders: dict[str, tuple[str, list[str]]], **kwargs) -> None:
        self.orders = orders
        kwargs.setdefault("label", "Sort by")
        kwargs.setdefault("empty_label", None)
        super().__init__(choices=[(key, label) for key, (label, _) in orders.items()], **kwargs)

    def filter(self, qs, value):
        if value in self.orders:
            return qs.order_by(*self.orders[value][1])
        return qs
