from django.contrib import admin

from kb.core.admin import ContentAdmin
from kb.research.models import ResearchLink


@admin.register(ResearchLink)
class ResearchLinkAdmin(ContentAdmin):
    list_display = [
        "title", "publisher", "kind", "publication_date", "status", "featured", "added_by",
    ]  # fmt: skip
    list_filter = ["status", "featured", "kind", "publication_date", "tags"]
    search_fields = ["title", "publisher", "authors", "url", "key_finding"]
    autocomplete_fields = ["added_by"]
    readonly_fields = ["normalized_url", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "url", "normalized_url", "kind"]}),
        ("Source", {"fields": ["publisher", "authors", "publication_date", "key_finding"]}),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "added_by"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
