"""The experiments in the admin, for curation: outcome and department at a glance."""

from django.contrib import admin

from kb.content.admin import ContentAdmin
from kb.experiments.models import Experiment


@admin.register(Experiment)
class ExperimentAdmin(ContentAdmin):
    list_display = [
        "title", "department", "outcome", "evidence_level", "metric_name", "status", "featured",
        "published_at", "created_by",
    ]  # fmt: skip
    list_filter = [
        "status", "outcome", "evidence_level", "featured", "department", "platforms", "tags",
    ]  # fmt: skip
    search_fields = ["title", "hypothesis", "metric_name"]
    autocomplete_fields = ["created_by", "platforms"]
    readonly_fields = [*ContentAdmin.readonly_fields, "promoted_to"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "department", "platforms", "outcome", "evidence_level"]},
        ),
        ("The experiment", {"fields": ["hypothesis", "change", "learnings"]}),
        (
            "The measure",
            {
                "fields": [
                    "metric_name",
                    "unit",
                    "lower_is_better",
                    "baseline",
                    "target",
                    "result",
                    "period",
                    "start_date",
                    "end_date",
                ]  # fmt: skip
            },
        ),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "created_by"]}),
        (
            "History",
            {"fields": ["promoted_to", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]
