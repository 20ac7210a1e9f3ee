"""The read-only list of revisions; saving content in the admin is kb.content.admin."""

from django.contrib import admin
from django.http import HttpRequest

from kb.revisions.models import Revision


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "number", "author", "message"]
    list_filter = ["content_type"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "author"]
    readonly_fields = [
        "content_type",
        "object_id",
        "number",
        "data",
        "author",
        "message",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
