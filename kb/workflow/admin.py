"""The read-only log of transitions; content's workflow actions are in kb.content.admin."""

from django.contrib import admin
from django.http import HttpRequest

from kb.workflow.models import Transition


@admin.register(Transition)
class TransitionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "content_type", "object_id", "action", "actor", "to_status"]
    list_filter = ["action", "content_type"]
    search_fields = ["comment", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
