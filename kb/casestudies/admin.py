from django.contrib import admin

from kb.casestudies.forms import BaseMetricFormSet
from kb.casestudies.models import CaseStudy, Metric
from kb.content.admin import ContentAdmin


class MetricInline(admin.TabularInline):
    model = Metric
    formset = BaseMetricFormSet  # one headline, said on the form
    extra = 1
    fields = [
        "position",
        "name",
        "value_before",
        "value_after",
        "unit",
        "period",
        "lower_is_better",
        "is_headline",
    ]


@admin.register(CaseStudy)
class CaseStudyAdmin(ContentAdmin):
    list_display = [
        "title", "organisation", "sector", "year", "evidence_level", "status", "featured",
        "published_at", "created_by",
    ]  # fmt: skip
    list_filter = [
        "status",
        "featured",
        "source__rating",
        "sector",
        "evidence_level",
        "year",
        "platforms",
        "tags",
    ]
    search_fields = ["title", "organisation", "summary", "publisher"]
    autocomplete_fields = ["created_by", "platforms", "source"]
    inlines = [MetricInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "organisation", "sector", "platforms", "year"]}),
        ("Story", {"fields": ["summary", "challenge", "approach", "outcome"]}),
        ("Evidence", {"fields": ["evidence_level", "source_url", "publisher", "source"]}),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "created_by"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
