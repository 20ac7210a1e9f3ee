"""Saving content in the admin makes a revision too, and a stale admin form is refused."""

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from kb.revisions.models import Revision
from kb.revisions.services import keep_baseline, revision_record
from kb.workflow.admin import WorkflowContentAdmin


class RevisionedContentAdmin(WorkflowContentAdmin):
    def save_model(self, request: HttpRequest, obj, form: ModelForm, change: bool) -> None:
        if change:
            current = type(obj).all_objects.get(pk=obj.pk)
            keep_baseline(current)
            obj.version = current.version + 1
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: ModelForm, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        revision_record(
            item=form.instance,
            user=request.user,
            message="Edited in the admin" if change else "Created in the admin",
        )


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
