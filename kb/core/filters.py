"""Filters shared by the list pages: a tag by name or slug in any case, a person by name,
an evidence level, and a named sort order."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.text import slugify
from taggit.models import Tag

from kb.core.evidence import EVIDENCE_FIELD, EvidenceLevel


class TagFilter(django_filters.CharFilter):
    """A tag as people type it: its name or its slug, in any case ("Recruitment",
    "recruitment" and "employee-advocacy" all find theirs). The field suggests existing
    tags as one types (``static/js/forms.js``); an unknown tag finds nothing."""

    def __init__(self, field_name: str = "tags__slug", **kwargs) -> None:
        kwargs.setdefault("label", "Tag")
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"data-tag-suggest": reverse_lazy("tag_suggest"), "autocomplete": "off"}
            ),
        )
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        value = " ".join((value or "").split())
        if not value:
            return qs
        relation = self.field_name.rsplit("__", 1)[0]  # "tags", "expertise"
        slug = slugify(value, allow_unicode=True)
        tags = Tag.objects.filter(
            Q(name__iexact=value) | Q(slug__iexact=value) | (Q(slug=slug) if slug else Q(pk=None))
        )
        # A subquery, not a join: an item carrying two matching tags is listed once.
        tagged = qs.model._default_manager.filter(**{f"{relation}__in": tags})
        return qs.filter(pk__in=tagged.values("pk"))


class PersonFilter(django_filters.CharFilter):
    """A person by name as people know them ("Grace", "grace lin") or by username: every
    word must begin their first name, last name or username, in any case."""

    def __init__(self, field_name: str, **kwargs) -> None:
        kwargs.setdefault("max_length", 150)
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs: QuerySet, value: str) -> QuerySet:
        for word in (value or "").split()[:5]:
            qs = qs.filter(
                Q(**{f"{self.field_name}__first_name__istartswith": word})
                | Q(**{f"{self.field_name}__last_name__istartswith": word})
                | Q(**{f"{self.field_name}__username__istartswith": word})
            )
        return qs


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
