from django.contrib import admin

from kb.articles.models import Article
from kb.content.admin import ContentAdmin


@admin.register(Article)
class ArticleAdmin(ContentAdmin):
    list_display = ["title", "author", "status", "featured", "published_at", "updated_at"]
    list_filter = ["status", "featured", "author", "tags"]
    search_fields = ["title", "summary", "body", "author__username", "author__last_name"]
    autocomplete_fields = ["author", "related_case_studies", "related_research"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "summary", "body"]}),
        ("Evidence cited", {"fields": ["related_case_studies", "related_research"]}),
        ("Publishing", {"fields": ["status", "featured", "published_at", "tags"]}),
        ("History", {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
