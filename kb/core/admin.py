"""Admin base for publishable content: the curation actions every content type shares."""

from django.contrib import admin, messages
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.core.forms import URL_FIELD_OPTIONS
from kb.core.permissions import can_publish


class ContentAdmin(admin.ModelAdmin):
    """Feature and unfeature in bulk, for those who may publish.

    Publishing, unpublishing, deleting and saving go through the workflow and revisions
    (kb.workflow.admin, kb.revisions.admin), so the content apps register their models
    with kb.revisions.admin.RevisionedContentAdmin.
    """

    list_filter = ["status", "featured", "tags"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    # Status changes are workflow transitions (recorded, notified): actions, not a field.
    readonly_fields = ["status", "version", "created_at", "updated_at"]
    actions = ["feature", "unfeature"]
    list_select_related = True
    list_per_page = 50
    formfield_overrides = {models.URLField: URL_FIELD_OPTIONS}

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return can_publish(request.user, self.model)

    def _report(self, request: HttpRequest, count: int, verb: str) -> None:
        noun = self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural
        self.message_user(request, f"{count} {noun} {verb}.", messages.SUCCESS)

    @admin.action(description="Feature selected items", permissions=["publish"])
    def feature(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, queryset.filter(featured=False).update(featured=True), "featured")

    @admin.action(description="Stop featuring selected items", permissions=["publish"])
    def unfeature(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._report(request, queryset.filter(featured=True).update(featured=False), "unfeatured")
