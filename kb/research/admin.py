from django.contrib import admin

from kb.content.admin import ContentAdmin
from kb.research.models import ResearchLink


@admin.register(ResearchLink)
class ResearchLinkAdmin(ContentAdmin):
    list_display = [
        "title", "publisher", "kind", "publication_date", "status", "featured", "added_by",
    ]  # fmt: skip
    list_filter = ["status", "featured", "source__rating", "kind", "publication_date", "tags"]
    search_fields = ["title", "publisher", "authors", "url", "key_finding"]
    autocomplete_fields = ["added_by", "source"]
    readonly_fields = [*ContentAdmin.readonly_fields, "normalized_url"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "url", "normalized_url", "kind"]}),
        (
            "Source",
            {"fields": ["publisher", "source", "authors", "publication_date", "key_finding"]},
        ),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags", "added_by"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
